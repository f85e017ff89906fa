import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { TOKEN_TYPE_HINTS, TOKEN_TYPE_OF, type TokenTypeHint, type VerifiedOAuthToken } from '../oauth-token.js';

/** RFC 7662 §2.2 introspection response. Anything but a live token is `{ active: false }` and nothing more. */
export class IntrospectionView {
  @ApiProperty({ description: 'Whether the token is live right now; when false, no other field is present' })
  active: boolean;

  @ApiPropertyOptional({ description: 'Roles joined by spaces (access tokens only)', example: 'user admin' })
  scope?: string;

  @ApiPropertyOptional({ type: [String], description: 'Access tokens only' })
  roles?: string[];

  @ApiPropertyOptional({ description: 'Access tokens only' })
  username?: string;

  @ApiPropertyOptional({ enum: TOKEN_TYPE_HINTS })
  token_type?: TokenTypeHint;

  @ApiPropertyOptional({ description: 'User id' })
  sub?: string;

  @ApiPropertyOptional({ description: 'Session id' })
  sid?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Expiry, seconds since the epoch' })
  exp?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Issue time, seconds since the epoch' })
  iat?: number;

  @ApiPropertyOptional()
  iss?: string;

  @ApiPropertyOptional()
  aud?: string;

  @ApiPropertyOptional()
  jti?: string;

  static inactive(): IntrospectionView {
    return { active: false };
  }

  static of(token: VerifiedOAuthToken): IntrospectionView {
    const { sub, sid, exp, iat, iss, aud, jti } = token.claims;
    const common = { active: true, token_type: TOKEN_TYPE_OF[token.use], sub, sid, exp, iat, iss, aud, jti };
    if (token.use === 'refresh') return common;
    const { roles, username } = token.claims;
    return { ...common, scope: roles.join(' '), roles, username };
  }
}
