import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class LogoutAllDto {
  @ApiPropertyOptional({ enum: ['all', 'others'], default: 'all', description: '`others` keeps the calling session' })
  @IsOptional()
  @IsIn(['all', 'others'])
  scope?: 'all' | 'others';
}
