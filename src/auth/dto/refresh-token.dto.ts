import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Mobile clients send the refresh token here; browsers rely on the `refresh_token` cookie instead. */
export class RefreshTokenDto {
  @ApiPropertyOptional({ description: 'The refresh token, when it is not sent as the cookie or the bearer header' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  refreshToken?: string;
}
