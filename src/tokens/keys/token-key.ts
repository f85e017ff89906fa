import { createHash, createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { TokenUse } from '../token-claims.js';
import type { AccessTokenAlgorithm, KeyMaterial } from './key-material.js';

/** A key as the signer and the verifiers use it: pinned to one `kid`, one use and one algorithm. */
export interface TokenKey {
  kid: string;
  use: TokenUse;
  /** The one algorithm this key accepts. */
  algorithm: AccessTokenAlgorithm;
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
  alg: AccessTokenAlgorithm;
  use: 'sig';
}

/** The members RFC 7638 hashes for each key type, in its (lexicographic) order. */
const THUMBPRINT_MEMBERS: Record<string, Array<keyof JsonWebKey>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

export function tokenKey(use: TokenUse, material: KeyMaterial): TokenKey {
  if (material.algorithm === 'HS256') {
    // A kid derived from the secret is stable across restarts and instances without being configured.
    const kid = `${use === 'access' ? 'at' : 'rt'}-${createHash('sha256').update(material.secret).digest('base64url').slice(0, 16)}`;
    const secretKey = createSecretKey(Buffer.from(material.secret, 'utf8'));
    return { kid, use, algorithm: 'HS256', signKey: secretKey, verifyKey: secretKey };
  }
  const publicKey = createPublicKey(material.privateKey);
  const exported = publicKey.export({ format: 'jwk' });
  // The RFC 7638 thumbprint: any holder of the public key can recompute it, and it changes with the key.
  const canonical = JSON.stringify(Object.fromEntries(THUMBPRINT_MEMBERS[exported.kty ?? ''].map((name) => [name, exported[name]])));
  const kid = createHash('sha256').update(canonical).digest('base64url');
  // Only the public members, named one by one, so a private member can never slip into the published set.
  const members = Object.fromEntries(PUBLIC_MEMBERS.filter((name) => typeof exported[name] === 'string').map((name) => [name, exported[name]]));
  const jwk = { ...members, kid, alg: material.algorithm, use: 'sig' } as PublicJwk;
  return { kid, use, algorithm: material.algorithm, signKey: material.privateKey, verifyKey: publicKey, jwk };
}
