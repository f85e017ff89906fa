import { createHash, createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Algorithm } from 'jsonwebtoken';
import { type AsymmetricAlgorithm, tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { decodeHeader, isCanonicalSegment } from './jose-header.js';
import { ACCESS_TOKEN_TYPE, REFRESH_TOKEN_TYPE, type TokenUse } from './token-claims.js';

export interface TokenKey {
  kid: string;
  use: TokenUse;
  /** The one algorithm this key accepts. */
  algorithm: Algorithm;
  /** KeyObjects, not strings: jsonwebtoken re-imports string secrets on every call (~50x slower). */
  signKey: KeyObject;
  /**
   * The HMAC secret itself, or the public half of an asymmetric pair. A public KeyObject also stops algorithm
   * confusion at the library: jsonwebtoken refuses to use it as an HS256 secret.
   */
  verifyKey: KeyObject;
  /** The public JWK others may verify with; only asymmetric keys have one. */
  jwk?: PublicJwk;
}

/** A public key as published in /.well-known/jwks.json (RFC 7517): no private members, ever. */
export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  kid: string;
  alg: Algorithm;
  use: 'sig';
}

/** The members RFC 7638 hashes for each key type, in its (lexicographic) order. */
const THUMBPRINT_MEMBERS: Record<string, Array<keyof JsonWebKey>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

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
      access:
        config.accessKey.algorithm === 'HS256'
          ? this.addHmacKey('access', config.accessKey.secret)
          : this.addAsymmetricKey('access', config.accessKey.algorithm, config.accessKey.privateKey),
      refresh: this.addHmacKey('refresh', config.refreshSecret),
    };
  }

  signingKey(use: TokenUse): TokenKey {
    return this.signing[use];
  }

  /** The public keys for /.well-known/jwks.json: asymmetric access keys only, never an HMAC secret. */
  publicJwks(): PublicJwk[] {
    return [...this.byKid.values()].flatMap((key) => (key.jwk ? [key.jwk] : []));
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
      if (key) done(null, key.verifyKey as unknown as Buffer);
      else done(new Error(`not an ${use} token of ours`));
    };
  }

  private addHmacKey(use: TokenUse, secret: string): TokenKey {
    // A kid derived from the secret is stable across restarts and instances without being configured.
    const kid = `${use === 'access' ? 'at' : 'rt'}-${createHash('sha256').update(secret).digest('base64url').slice(0, 16)}`;
    const secretKey = createSecretKey(Buffer.from(secret, 'utf8'));
    const key: TokenKey = { kid, use, algorithm: 'HS256', signKey: secretKey, verifyKey: secretKey };
    this.byKid.set(kid, key);
    return key;
  }

  private addAsymmetricKey(use: TokenUse, algorithm: AsymmetricAlgorithm, privateKey: KeyObject): TokenKey {
    const publicKey = createPublicKey(privateKey);
    const exported = publicKey.export({ format: 'jwk' });
    // The RFC 7638 thumbprint: any holder of the public key can recompute it, and it changes with the key.
    const canonical = JSON.stringify(Object.fromEntries(THUMBPRINT_MEMBERS[exported.kty ?? ''].map((name) => [name, exported[name]])));
    const kid = createHash('sha256').update(canonical).digest('base64url');
    const jwk: PublicJwk = { ...pickPublic(exported), kid, alg: algorithm, use: 'sig' };
    const key: TokenKey = { kid, use, algorithm, signKey: privateKey, verifyKey: publicKey, jwk };
    this.byKid.set(kid, key);
    return key;
  }
}

/** Only the public members, named one by one, so a private member can never slip into the published set. */
function pickPublic(jwk: JsonWebKey): Omit<PublicJwk, 'kid' | 'alg' | 'use'> {
  const members = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;
  return Object.fromEntries(members.filter((name) => typeof jwk[name] === 'string').map((name) => [name, jwk[name]])) as Omit<PublicJwk, 'kid' | 'alg' | 'use'>;
}
