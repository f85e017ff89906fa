import { ApiProperty } from '@nestjs/swagger';
import { AdminUserView } from './admin-user.view.js';

export class AdminUserPageView {
  @ApiProperty({ type: [AdminUserView] })
  items: AdminUserView[];

  @ApiProperty({ type: 'integer', example: 1 })
  page: number;

  @ApiProperty({ type: 'integer', example: 20 })
  limit: number;

  @ApiProperty({ type: 'integer', example: 1, description: 'All users, on every page' })
  total: number;
}
