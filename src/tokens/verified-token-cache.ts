/** How many once-verified tokens the sighting table tells apart (a power of two). */
const SIGHTINGS = 1 << 14;

/**
 * Access tokens already verified, keyed by their exact bytes, until they expire.
 *
 * A client sends the same access token with every request for its whole lifetime; re-checking the
 * HMAC each time is most of the cost of a protected route. A hit needs the identical string, signature
 * included, so nothing unverified can match. Entries leave at `exp` (checked on every hit) or, past
 * `maxEntries`, the oldest tenth at once. Revocation checks run after this cache, never instead of it, and so does the
 * check that the signing key has not been retired since.
 *
 * A token enters on its second verification (`verified`), not its first: an entry outlives many young-generation
 * collections, so every token kept is copied into the old generation and collected there later. A client's token
 * comes back many times and is kept from its second request on; a token used once (a script's single call, traffic
 * of ever-new tokens) costs no garbage at all (with every token kept, scavenges of a distinct-token whoami load took
 * about twice as long: `node --trace-gc`).
 */
export class VerifiedTokenCache<T extends { exp: number }> {
  private readonly entries = new Map<string, T>();
  /** 32 bits of each token verified once and not kept, by its low bits: a typed array, so remembering makes no garbage. */
  private readonly seenOnce = new Uint32Array(SIGHTINGS);

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

  /**
   * A token has just been verified: kept if it was verified once before. `fingerprint` is 32 bits of its signature
   * (uniform, so two tokens share one only by chance — and then a token is merely kept a request early).
   */
  verified(token: string, fingerprint: number, claims: T): void {
    const slot = fingerprint & (SIGHTINGS - 1);
    const mark = fingerprint || 1; // 0 marks an empty slot
    if (this.seenOnce[slot] !== mark) {
      this.seenOnce[slot] = mark;
      return;
    }
    this.seenOnce[slot] = 0;
    this.set(token, claims);
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
