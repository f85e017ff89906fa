import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountPagesController } from './account-pages.controller.js';
import { AccountService } from './account.service.js';
import { MeController } from './me.controller.js';

/** The signed-in user's own account: profile, password, deletion. */
@Module({
  imports: [UsersModule, SessionsModule, AuthModule],
  controllers: [MeController, AccountPagesController],
  providers: [AccountService],
})
export class AccountModule {}
