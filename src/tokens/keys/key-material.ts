import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';

import { type AccessTokenAlgorithm, type AsymmetricAlgorithm, MIN_SECRET_BYTES } from '../../config/tokens.config.js';

export { ACCESS_TOKEN_ALGORITHMS, type AccessTokenAlgorithm, type AsymmetricAlgorithm, MIN_SECRET_BYTES } from '../../config/tokens.config.js';

/** The secret of an HS256 key, or the private key of an asymmetric one: what signs. */
export type KeyMaterial = { algorithm: 'HS256'; secret: string } | { algorithm: AsymmetricAlgorithm; privateKey: KeyObject };

/** What each asymmetric algorithm needs: the key type node reports, and how to make one. */
const KEY_SHAPES: Record<AsymmetricAlgorithm, { describe: string; fits: (key: KeyObject) => boolean; generate: () => KeyObject }> = {
  ES256: {
    describe: 'an EC P-256 key',
    fits: (key) => key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1',
    generate: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
  },
  EdDSA: {
    describe: 'an Ed25519 key',
    fits: (key) => key.asymmetricKeyType === 'ed25519',
    generate: () => generateKeyPairSync('ed25519').privateKey,
  },
  RS256: {
    describe: 'an RSA key of at least 2048 bits',
    fits: (key) => key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048,
    generate: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  },
};

export class InvalidKeyError extends Error {}
/** A valid key of the wrong kind for the algorithm (an RSA key for ES256, say). */
export class WrongKeyTypeError extends InvalidKeyError {}

/** Fresh key material for an algorithm: 48 random bytes for HS256, a new key pair otherwise. */
export function generateKeyMaterial(algorithm: AccessTokenAlgorithm): KeyMaterial {
  return algorithm === 'HS256'
    ? { algorithm, secret: randomBytes(48).toString('base64url') }
    : { algorithm, privateKey: KEY_SHAPES[algorithm].generate() };
}

/** A PEM private key, checked to be the kind of key the algorithm needs. */
export function parsePrivateKey(pem: string, algorithm: AsymmetricAlgorithm): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new InvalidKeyError('not a PEM private key');
  }
  if (!KEY_SHAPES[algorithm].fits(key)) throw new WrongKeyTypeError(`${algorithm} needs ${KEY_SHAPES[algorithm].describe}`);
  return key;
}

/** Key material from its stored text form (the secret, or a PKCS#8 PEM). */
export function parseKeyMaterial(algorithm: AccessTokenAlgorithm, text: string): KeyMaterial {
  if (algorithm !== 'HS256') return { algorithm, privateKey: parsePrivateKey(text, algorithm) };
  if (Buffer.byteLength(text) < MIN_SECRET_BYTES) throw new InvalidKeyError(`an HS256 secret must be at least ${MIN_SECRET_BYTES} bytes`);
  return { algorithm, secret: text };
}

/** The stored text form of key material. */
export function serializeKeyMaterial(material: KeyMaterial): string {
  return material.algorithm === 'HS256' ? material.secret : material.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}
