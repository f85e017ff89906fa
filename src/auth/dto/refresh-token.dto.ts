import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/**
 * Mobile clients send the refresh token here; browsers rely on the `refresh_token` cookie instead.
 * No length rule: RefreshTokenGuard runs before validation and refuses anything that is not one of our tokens
 * (over 8 KiB included) with 401, so a rule here could never fire.
 */
export class RefreshTokenDto {
  @ApiPropertyOptional({
    description:
      'The refresh token, for clients without cookies. When present it wins over the `refresh_token` cookie, ' +
      'which wins over `Authorization: Bearer`; leave the body out (or send `{}`) to use the cookie.',
    example: 'eyJhbGciOiJIUzI1NiIsImtpZCI6InJlZnJlc2gtMSIsInR5cCI6InJ0K2p3dCJ9.eyJzdWIiOiIuLi4ifQ.c2lnbmF0dXJl',
  })
  @IsOptional()
  @IsString()
  refreshToken?: string;
}

/** Swagger UI prefills the first example: the cookie flow, so "Try it out" works right after login. */
export const REFRESH_BODY_EXAMPLES = {
  cookie: {
    summary: 'Browser: no token in the body, the HttpOnly refresh_token cookie is used',
    value: {},
  },
  body: {
    summary: 'Mobile/CLI: the refresh token in the body (wins over the cookie)',
    value: { refreshToken: 'paste the refreshToken from the login answer here' },
  },
};
