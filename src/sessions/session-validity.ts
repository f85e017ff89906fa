/** What a session's row says about its validity. */
export interface SessionState {
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export type SessionVerdict = 'live' | 'revoked' | 'expired';

/** A session ends when revoked, at its absolute end, or after `idleSeconds` without a refresh. */
export function judgeSession(session: SessionState, now: Date, idleSeconds: number): SessionVerdict {
  if (session.revokedAt) return 'revoked';
  if (session.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (now.getTime() - session.lastUsedAt.getTime() > idleSeconds * 1000) return 'expired';
  return 'live';
}
