import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { SecurityEventsModule } from '../security-events/security-events.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { MailModule } from '../mail/mail.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountPagesController } from './account-pages.controller.js';
import { AccountMailLimit } from './account-mail-limit.js';
import { AccountMails } from './account-mails.js';
import { AccountService } from './account.service.js';
import { EmailChangeService } from './email-change.service.js';
import { LinkToken } from './link-token.entity.js';
import { LinkTokens } from './link-tokens.service.js';
import { MeController } from './me.controller.js';
import { PasswordResetService } from './password-reset.service.js';
import { RegistrationController, SignupController } from './registration.controller.js';
import { RegistrationService } from './registration.service.js';

/**
 * The account lifecycle: signup, the email flows (verification, forgotten password, email change) and their link
 * tokens (the one owner of `link_tokens`), /users/me…, and the /account pages the mails link to.
 */
@Module({
  imports: [UsersModule, SessionsModule, AuthModule, MailModule, SecurityEventsModule, TypeOrmModule.forFeature([LinkToken])],
  controllers: [SignupController, RegistrationController, MeController, AccountPagesController],
  providers: [AccountService, RegistrationService, PasswordResetService, EmailChangeService, AccountMails, AccountMailLimit, LinkTokens],
})
export class AccountModule {}
