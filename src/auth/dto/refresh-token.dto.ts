import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/**
 * Mobile clients send the refresh token here; browsers rely on the `refresh_token` cookie instead.
 * No length rule: RefreshTokenGuard runs before validation and refuses anything that is not one of our tokens
 * (over 8 KiB included) with 401, so a rule here could never fire.
 */
export class RefreshTokenDto {
  @ApiPropertyOptional({ description: 'The refresh token, when it is not sent as the cookie or the bearer header' })
  @IsOptional()
  @IsString()
  refreshToken?: string;
}
