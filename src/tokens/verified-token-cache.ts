/**
 * Access tokens already verified, keyed by their exact bytes, until they expire.
 *
 * A client sends the same access token with every request for its whole lifetime; re-checking the
 * HMAC each time is most of the cost of a protected route. A hit needs the identical string, signature
 * included, so nothing unverified can match. Entries leave at `exp` (checked on every hit) or, past
 * `maxEntries`, the oldest tenth at once. Revocation checks run after this cache, never instead of it, and so does the
 * check that the signing key has not been retired since.
 */
export class VerifiedTokenCache<T extends { exp: number }> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly maxEntries = 10_000) {}

  get(token: string): T | undefined {
    const claims = this.entries.get(token);
    if (claims === undefined) return undefined;
    // Same rule, and the same clock, as jsonwebtoken: expired once now >= exp.
    if (Math.floor(Date.now() / 1000) >= claims.exp) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  set(token: string, claims: T): void {
    if (this.entries.size >= this.maxEntries) this.evictOldest();
    this.entries.set(token, claims);
  }

  /**
   * Drops the oldest tenth in one pass. One entry at a time would cost ~7 µs per miss once full: each eviction's
   * iterator walks over every slot deleted before it, until the Map happens to rehash.
   */
  private evictOldest(): void {
    let count = Math.max(1, Math.ceil(this.maxEntries / 10));
    for (const token of this.entries.keys()) {
      this.entries.delete(token);
      if (--count === 0) break;
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
