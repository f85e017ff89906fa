import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminController } from './admin.controller.js';
import { AdminUsersService } from './admin-users.service.js';

/** /admin/*: user administration, open to the admin role only. */
@Module({
  imports: [UsersModule, SessionsModule],
  controllers: [AdminController],
  providers: [AdminUsersService],
})
export class AdminModule {}
