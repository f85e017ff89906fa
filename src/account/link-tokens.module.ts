import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LinkToken } from './link-token.entity.js';
import { LinkTokens } from './link-tokens.service.js';

/** Owns `link_tokens`; the account flows (verify email, reset password, change email) use LinkTokens. */
@Module({
  imports: [TypeOrmModule.forFeature([LinkToken])],
  providers: [LinkTokens],
  exports: [LinkTokens],
})
export class LinkTokensModule {}
