import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';
import { signHs256 } from '../../src/tokens/compact-jws.js';
import { type TokenKey, tokenKey } from '../../src/tokens/keys/token-key.js';
import { ACCESS_TOKEN_TYPE } from '../../src/tokens/token-claims.js';

/**
 * Mints HS256 access tokens with the service's own key derivation and signer, with the secret the benchmark handed the
 * service, so every request can carry a token never seen before without a login each.
 */
export class AccessTokenMinter {
  private readonly key: TokenKey;
  private counter = 0;

  constructor(
    secret: string,
    private readonly issuer = 'nest-token-auth',
    private readonly audience = 'nest-token-auth-api',
  ) {
    this.key = tokenKey('access', { algorithm: 'HS256', secret });
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
    return signHs256(payload, { typ: ACCESS_TOKEN_TYPE, kid: this.key.kid }, this.key.signKey);
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
