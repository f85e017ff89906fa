import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { MailModule } from '../mail/mail.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountPagesController } from './account-pages.controller.js';
import { AccountService } from './account.service.js';
import { LinkToken } from './link-token.entity.js';
import { LinkTokens } from './link-tokens.service.js';
import { MeController } from './me.controller.js';

/** The user's own account: /users/me…, the email flows and their link tokens (the one owner of `link_tokens`), the /account pages. */
@Module({
  imports: [UsersModule, SessionsModule, AuthModule, MailModule, TypeOrmModule.forFeature([LinkToken])],
  controllers: [MeController, AccountPagesController],
  providers: [AccountService, LinkTokens],
  exports: [LinkTokens],
})
export class AccountModule {}
