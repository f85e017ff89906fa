import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Algorithm } from 'jsonwebtoken';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { decodeHeader, isCanonicalSegment } from './jose-header.js';
import { ACCESS_TOKEN_TYPE, REFRESH_TOKEN_TYPE, type TokenUse } from './token-claims.js';

export interface TokenKey {
  kid: string;
  use: TokenUse;
  /** The one algorithm this key accepts. */
  algorithm: Algorithm;
  /** A KeyObject, not a string: jsonwebtoken re-imports string secrets on every call (~50x slower). */
  key: KeyObject;
}

/** Our tokens are well under 1 KiB; anything this large is not one of them. */
const MAX_TOKEN_LENGTH = 8192;

const TYPE_OF: Record<TokenUse, string> = { access: ACCESS_TOKEN_TYPE, refresh: REFRESH_TOKEN_TYPE };

/**
 * Every key we sign or verify with, addressed by `kid`. Verification picks the key from this ring only,
 * never from a token's `jwk`, `jku` or `x5u` header, and each key is pinned to one algorithm and one use.
 */
@Injectable()
export class KeyRing {
  private readonly byKid = new Map<string, TokenKey>();
  private readonly signing: Record<TokenUse, TokenKey>;

  constructor(@Inject(tokensConfig.KEY) config: TokensConfig) {
    this.signing = {
      access: this.addHmacKey('access', config.accessSecret),
      refresh: this.addHmacKey('refresh', config.refreshSecret),
    };
  }

  signingKey(use: TokenUse): TokenKey {
    return this.signing[use];
  }

  algorithms(use: TokenUse): Algorithm[] {
    return [...new Set([...this.byKid.values()].filter((key) => key.use === use).map((key) => key.algorithm))];
  }

  /**
   * The key that may verify this raw token as a token of `use`, judged from its header alone:
   * right `typ`, a `kid` we own for that use, and exactly that key's algorithm. Undefined otherwise.
   */
  keyFor(use: TokenUse, rawToken: string): TokenKey | undefined {
    if (rawToken.length > MAX_TOKEN_LENGTH) return undefined;
    const header = decodeHeader(rawToken);
    if (!header || header.typ !== TYPE_OF[use] || typeof header.kid !== 'string') return undefined;
    const [headerSegment, payloadSegment] = rawToken.split('.', 2);
    if (!isCanonicalSegment(headerSegment) || !isCanonicalSegment(payloadSegment ?? '')) return undefined;
    const key = this.byKid.get(header.kid);
    return key && key.use === use && header.alg === key.algorithm ? key : undefined;
  }

  /** passport-jwt's `secretOrKeyProvider`: the key for this raw token from our ring, or a refusal. */
  passportKeyProvider(use: TokenUse) {
    return (_request: unknown, rawToken: string, done: (error: Error | null, key?: Buffer | string) => void): void => {
      const key = this.keyFor(use, rawToken);
      // passport-jwt's types say string | Buffer; jsonwebtoken takes the KeyObject (the fast path).
      if (key) done(null, key.key as unknown as Buffer);
      else done(new Error(`not an ${use} token of ours`));
    };
  }

  private addHmacKey(use: TokenUse, secret: string): TokenKey {
    // A kid derived from the secret is stable across restarts and instances without being configured.
    const kid = `${use === 'access' ? 'at' : 'rt'}-${createHash('sha256').update(secret).digest('base64url').slice(0, 16)}`;
    const key: TokenKey = { kid, use, algorithm: 'HS256', key: createSecretKey(Buffer.from(secret, 'utf8')) };
    this.byKid.set(kid, key);
    return key;
  }
}
