import { createHmac, type KeyObject, sign } from 'node:crypto';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

/**
 * A compact JWS made by hand with node:crypto, independent of the code under test: for forging tokens with
 * keys we hold (a retired key, a foreign key, a public key used as an HMAC secret).
 */
export function signJws(header: Record<string, unknown>, claims: object, key: KeyObject | Buffer | string): string {
  const input = `${segment(header)}.${segment(claims)}`;
  const data = Buffer.from(input);
  let signature: Buffer;
  switch (header.alg) {
    case 'HS256':
      signature = createHmac('sha256', key).update(data).digest();
      break;
    case 'ES256':
      signature = sign('sha256', data, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' });
      break;
    case 'RS256':
      signature = sign('sha256', data, key);
      break;
    case 'EdDSA':
      signature = sign(null, data, key);
      break;
    default:
      throw new Error(`signJws: no ${String(header.alg)}`);
  }
  return `${input}.${signature.toString('base64url')}`;
}
