/** JOSE `typ` header values (RFC 9068 for access tokens): a token of one kind never passes as the other. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const REFRESH_TOKEN_TYPE = 'rt+jwt';

export type TokenUse = 'access' | 'refresh';

/** The claims every token of a session carries, access and refresh alike. */
export interface SessionTokenClaims {
  iss: string;
  aud: string;
  /** User id. */
  sub: string;
  /** Session (refresh-token family) id. */
  sid: string;
  jti: string;
  iat: number;
  exp: number;
}

/** A refresh token's claims: the session claims and nothing else (a claim added here stays out of access tokens). */
export type RefreshTokenClaims = SessionTokenClaims;

export interface AccessTokenClaims extends SessionTokenClaims {
  roles: string[];
  username: string;
  name: string;
  /** Whether the user had proved their address when the token was issued (false in tokens issued before the claim existed). */
  email_verified: boolean;
}

/** A refresh token that passed signature, type, issuer, audience and expiry checks, with its raw form. */
export interface PresentedRefreshToken {
  token: string;
  claims: RefreshTokenClaims;
  /** The access token sent alongside it (Authorization header), for the pair check. */
  pairedAccessToken?: string;
}

const isString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isTime = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

/**
 * The documented access-token claims, or null when one is missing or of the wrong type
 * (jsonwebtoken checks `exp` only when present; a token without one must not live forever).
 */
export function accessClaimsOf(payload: Record<string, unknown>): AccessTokenClaims | null {
  const common = sessionClaimsOf(payload);
  const { roles, username, name, email_verified } = payload;
  const valid =
    Array.isArray(roles) &&
    roles.every((role) => typeof role === 'string') &&
    typeof username === 'string' &&
    typeof name === 'string' &&
    (email_verified === undefined || typeof email_verified === 'boolean');
  return common && valid ? { ...common, roles, username, name, email_verified: email_verified === true } : null;
}

export function refreshClaimsOf(payload: Record<string, unknown>): RefreshTokenClaims | null {
  return sessionClaimsOf(payload);
}

function sessionClaimsOf(payload: Record<string, unknown>): SessionTokenClaims | null {
  const { iss, aud, sub, sid, jti, iat, exp } = payload;
  const valid = isString(iss) && isString(aud) && isString(sub) && isString(sid) && isString(jti) && isTime(iat) && isTime(exp);
  return valid ? { iss, aud, sub, sid, jti, iat, exp } : null;
}
