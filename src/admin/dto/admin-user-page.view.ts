import { ApiProperty } from '@nestjs/swagger';
import { AdminUserView } from './admin-user.view.js';

export class AdminUserPageView {
  @ApiProperty({ type: [AdminUserView] })
  items: AdminUserView[];

  @ApiProperty({ example: 1 })
  page: number;

  @ApiProperty({ example: 20 })
  limit: number;

  @ApiProperty({ example: 1, description: 'All users, on every page' })
  total: number;
}
