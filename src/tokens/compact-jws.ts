import { createHmac, type KeyObject } from 'node:crypto';

/** The members our tokens' JOSE header carries besides `alg`. */
export interface JwsHeader {
  typ: string;
  kid: string;
}

/**
 * `payload` as a compact JWS (RFC 7515) with header `{ alg, typ, kid }`, members in that order, each JSON segment
 * as JSON.stringify writes it: the bytes jsonwebtoken produces for the same header, payload and key.
 */
export function compactJws(alg: string, header: JwsHeader, payload: object, signature: (signingInput: Buffer) => Buffer): string {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new TypeError('a JWS payload must be a JSON object');
  const headerSegment = Buffer.from(JSON.stringify({ alg, typ: header.typ, kid: header.kid })).toString('base64url');
  const signingInput = `${headerSegment}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${signingInput}.${signature(Buffer.from(signingInput, 'ascii')).toString('base64url')}`;
}

/**
 * An HS256 token in one HMAC. jsonwebtoken's sign (under @nestjs/jwt) writes the same bytes after checking its
 * options and the payload's claim types and encoding through jws: checks of claims the signer builds itself.
 */
export function signHs256(payload: object, header: JwsHeader, secret: KeyObject): string {
  return compactJws('HS256', header, payload, (input) => createHmac('sha256', secret).update(input).digest());
}
