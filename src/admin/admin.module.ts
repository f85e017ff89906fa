import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminController } from './admin.controller.js';
import { AdminUsersService } from './admin-users.service.js';

/** /admin/*: user administration, open to the admin role only. */
@Module({
  imports: [UsersModule, AuthModule],
  controllers: [AdminController],
  providers: [AdminUsersService],
})
export class AdminModule {}
