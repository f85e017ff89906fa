import { hashToken } from '../tokens/token-hash.js';

/** What a refresh token's row is found by: its created_at (the token's `iat`) and token_hash (its SHA-256). */
export interface RefreshTokenKey {
  createdAt: Date;
  hash: string;
}

/** The row key of a refresh token issued at `iat` (JWT seconds): the same for the row's insert and every lookup. */
export function refreshTokenKey(token: string, iat: number): RefreshTokenKey {
  return { createdAt: new Date(iat * 1000), hash: hashToken(token) };
}
