import { createHash, createHmac, randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';

/**
 * Mints HS256 access tokens exactly as the service does (same header, claims and kid derivation), with the secret the
 * benchmark handed the service, so every request can carry a token never seen before without a login each.
 */
export class AccessTokenMinter {
  private readonly key: Buffer;
  private readonly headerSegment: string;
  private counter = 0;

  constructor(
    secret: string,
    private readonly issuer = 'nest-token-auth',
    private readonly audience = 'nest-token-auth-api',
  ) {
    this.key = Buffer.from(secret, 'utf8');
    const kid = `at-${createHash('sha256').update(secret).digest('base64url').slice(0, 16)}`;
    this.headerSegment = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid })).toString('base64url');
  }

  /** A new token: its own jti, sub and sid, so no two are alike. */
  next(ttlSeconds = 900): string {
    const now = Math.floor(Date.now() / 1000);
    const n = ++this.counter;
    const payload = {
      iss: this.issuer,
      aud: this.audience,
      sub: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
      sid: `10000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
      jti: randomBytes(16).toString('base64url'),
      iat: now,
      exp: now + ttlSeconds,
      roles: ['user'],
      username: `user${n}`,
      name: 'Bench User',
    };
    const input = `${this.headerSegment}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${input}.${createHmac('sha256', this.key).update(input).digest('base64url')}`;
  }
}

/**
 * Every request carries a token the server has not seen lately: a pool minted beforehand (so the load generator
 * spends no HMAC per request), far larger than the server's verified-token memo (10,000 entries, oldest out first),
 * so the memo never hits.
 */
export function distinctTokens(minter: AccessTokenMinter, size = 200_000): Partial<autocannon.Options> {
  const headers = Array.from({ length: size }, () => ({ authorization: `Bearer ${minter.next()}` }));
  let next = 0;
  return {
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, headers: headers[next++ % size] }) }],
  };
}
