import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountService } from './account.service.js';
import { MeController } from './me.controller.js';

/** The signed-in user's own account: profile, password, deletion. */
@Module({
  imports: [UsersModule, SessionsModule, AuthModule],
  controllers: [MeController],
  providers: [AccountService],
})
export class AccountModule {}
