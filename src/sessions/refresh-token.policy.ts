/** What a refresh token's row says about it, as far as the rotation rule cares. */
export interface RefreshTokenState {
  expiresAt: Date;
  usedAt: Date | null;
  revokedAt: Date | null;
}

export type RefreshVerdict =
  /** Unspent and live: exchange it for a successor. */
  | 'rotate'
  /** Spent moments ago and its successor is still the newest token: hand out that same successor again. */
  | 'grace'
  /** Spent earlier, or an older ancestor: someone else holds the family; revoke it. */
  | 'reuse'
  | 'revoked'
  | 'expired';

/**
 * The rotation and reuse rule, free of I/O so it can be tested with any clock.
 *
 * The grace window exists for honest races (two tabs, a retry after a lost response): without it,
 * the loser of a race would look exactly like a thief. It applies only to the immediate predecessor
 * of the newest token; anything older is a breach at once.
 */
export function judgeRefreshToken(
  token: RefreshTokenState,
  successor: RefreshTokenState | null,
  now: Date,
  graceSeconds: number,
): RefreshVerdict {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (!token.usedAt) return 'rotate';
  const withinGrace = now.getTime() - token.usedAt.getTime() <= graceSeconds * 1000;
  const successorIsNewest = !successor || (!successor.usedAt && !successor.revokedAt);
  return withinGrace && successorIsNewest ? 'grace' : 'reuse';
}
