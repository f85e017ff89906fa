import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailModule } from '../mail/mail.module.js';
import { SecurityEventsModule } from '../security-events/security-events.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { PurgeExpiredJob } from './purge-expired.job.js';
import { RefreshToken } from './refresh-token.entity.js';
import { RefreshTokenReads } from './refresh-token-reads.js';
import { RefreshTokensService } from './refresh-tokens.service.js';
import { RevocationFeed } from './revocation-feed.js';
import { RevokedSessions } from './revoked-sessions.js';
import { Session } from './session.entity.js';
import { SessionsService } from './sessions.service.js';

/**
 * Sessions and their refresh-token families: the only module that touches the `sessions` and `refresh_tokens`
 * tables. Ending a session (SessionsService.end) and rotating a refresh token (RefreshTokensService) live here.
 */
@Module({
  imports: [UsersModule, TokensModule, MailModule, SecurityEventsModule, TypeOrmModule.forFeature([Session, RefreshToken])],
  providers: [SessionsService, RefreshTokensService, RefreshTokenReads, RevokedSessions, RevocationFeed, PurgeExpiredJob],
  exports: [SessionsService, RefreshTokensService, RevokedSessions],
})
export class SessionsModule {}
