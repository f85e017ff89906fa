import { ApiProperty } from '@nestjs/swagger';
import type { AccessTokenClaims } from '../../tokens/token-claims.js';

/** What /auth/whoami answers: the verified access token's claims, exactly as signed. */
export class AccessTokenClaimsView implements AccessTokenClaims {
  @ApiProperty({ example: 'http://localhost:3000', description: 'Issuer' })
  iss: string;

  @ApiProperty({ example: 'nest-token-auth', description: 'Audience' })
  aud: string;

  @ApiProperty({ format: 'uuid', description: 'User id' })
  sub: string;

  @ApiProperty({ format: 'uuid', description: 'Session id: the same for every token of one login' })
  sid: string;

  @ApiProperty({ format: 'uuid', description: 'Token id, unique per token' })
  jti: string;

  @ApiProperty({ type: 'integer', example: 1767225600, description: 'Issued at, seconds since the epoch' })
  iat: number;

  @ApiProperty({ type: 'integer', example: 1767226500, description: 'Expiry, seconds since the epoch' })
  exp: number;

  @ApiProperty({ type: [String], example: ['user'] })
  roles: string[];

  @ApiProperty({ example: 'ada' })
  username: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ description: 'Whether the user had proved their email address when the token was issued', example: true })
  email_verified: boolean;
}
