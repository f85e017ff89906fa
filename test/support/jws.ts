import { constants, createHmac, type KeyObject, sign } from 'node:crypto';

/** The base64url of a value's JSON, as every JOSE implementation writes a header or payload segment. */
export const segment = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * A compact JWS made by hand with node:crypto, independent of the code under test: for forging tokens with
 * keys we hold (a retired key, a foreign key, a public key used as an HMAC secret).
 */
export function signJws(header: Record<string, unknown>, claims: unknown, key: KeyObject | Buffer | string): string {
  return signSegments(segment(header), segment(claims), String(header.alg), key);
}

/**
 * The same over two segments given as text, so they can be anything (whitespace, duplicate keys, bad base64url),
 * signed as `alg`. Besides our algorithms, the neighbours an attacker would switch to with the same key.
 */
export function signSegments(header: string, payload: string, alg: string, key: KeyObject | Buffer | string): string {
  const input = `${header}.${payload}`;
  const data = Buffer.from(input);
  let signature: Buffer;
  switch (alg) {
    case 'HS256':
    case 'HS384':
    case 'HS512':
      signature = createHmac(`sha${alg.slice(2)}`, key).update(data).digest();
      break;
    case 'ES256':
    case 'ES384':
      signature = sign(alg === 'ES256' ? 'sha256' : 'sha384', data, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
      break;
    case 'RS256':
    case 'RS384':
    case 'RS512':
      signature = sign(`sha${alg.slice(2)}`, data, key);
      break;
    case 'PS256':
      signature = sign('sha256', data, { key: key as KeyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
      break;
    case 'EdDSA':
    case 'Ed25519':
      signature = sign(null, data, key);
      break;
    default:
      throw new Error(`signJws: no ${alg}`);
  }
  return `${input}.${signature.toString('base64url')}`;
}
