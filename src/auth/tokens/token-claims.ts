/** JOSE `typ` header values (RFC 9068 for access tokens): a token of one kind never passes as the other. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const REFRESH_TOKEN_TYPE = 'rt+jwt';

export type TokenUse = 'access' | 'refresh';

export interface AccessTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  /** Session (refresh-token family) id. */
  sid: string;
  jti: string;
  iat: number;
  exp: number;
  roles: string[];
  username: string;
  name: string;
}

export interface RefreshTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
}

/** A refresh token that passed signature, type, issuer, audience and expiry checks, with its raw form. */
export interface PresentedRefreshToken {
  token: string;
  claims: RefreshTokenClaims;
  /** The access token sent alongside it (Authorization header), for the pair check. */
  pairedAccessToken?: string;
}
