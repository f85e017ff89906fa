import { Module } from '@nestjs/common';
import { SecurityEventsModule } from '../security-events/security-events.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminController } from './admin.controller.js';
import { AdminUsersService } from './admin-users.service.js';

/** /admin/*: user administration, open to the admin role only. */
@Module({
  imports: [UsersModule, SessionsModule, SecurityEventsModule],
  controllers: [AdminController],
  providers: [AdminUsersService],
})
export class AdminModule {}
