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
  if (!hasSessionClaims(payload)) return null;
  const { iss, aud, sub, sid, jti, iat, exp, roles, username, name, email_verified } = payload;
  const valid =
    isStringArray(roles) &&
    typeof username === 'string' &&
    typeof name === 'string' &&
    (email_verified === undefined || typeof email_verified === 'boolean');
  // One object literal: one allocation of one shape (every protected request builds it).
  return valid ? { iss, aud, sub, sid, jti, iat, exp, roles, username, name, email_verified: email_verified === true } : null;
}

export function refreshClaimsOf(payload: Record<string, unknown>): RefreshTokenClaims | null {
  if (!hasSessionClaims(payload)) return null;
  const { iss, aud, sub, sid, jti, iat, exp } = payload;
  return { iss, aud, sub, sid, jti, iat, exp };
}

function hasSessionClaims(payload: Record<string, unknown>): payload is Record<string, unknown> & SessionTokenClaims {
  const { iss, aud, sub, sid, jti, iat, exp } = payload;
  return isString(iss) && isString(aud) && isString(sub) && isString(sid) && isString(jti) && isTime(iat) && isTime(exp);
}

function isStringArray(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}
