import { createHmac, timingSafeEqual } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { checkRegisteredClaims, type EdDsaVerifyOptions, installEdDsaVerifier, type JwtVerifier, type VerifyCallback, verifyEdDsa } from './eddsa-jws.js';
import type { TokenKey } from './keys/token-key.js';

/**
 * A raw token after KeyRing has judged its header (typ, kid, crit, the key's one algorithm) and checked that every
 * segment is canonical — which parses the header and payload JSON once. Handed to passport-jwt as the "key", so the
 * verifier below checks the signature without splitting, decoding or parsing the token again. Nothing here is
 * trusted until that signature has verified.
 */
export class InspectedToken {
  constructor(
    readonly raw: string,
    readonly key: TokenKey,
    readonly kid: string,
    /** The payload segment's JSON value, unverified. */
    readonly unverifiedPayload: unknown,
    /** Where the signing input (`header.payload`) ends in `raw`. */
    readonly signingInputEnd: number,
    readonly signature: Buffer,
  ) {}
}

const INSPECTED = Symbol('inspected-token');

type Carrier = { [INSPECTED]?: InspectedToken };

/** Remembers, on the request, the token the key provider inspected, for `validate()` to read instead of re-decoding. */
export function rememberInspected(request: unknown, token: InspectedToken): void {
  if (typeof request === 'object' && request !== null) (request as Carrier)[INSPECTED] = token;
}

export function inspectedTokenOf(request: unknown): InspectedToken | undefined {
  return typeof request === 'object' && request !== null ? (request as Carrier)[INSPECTED] : undefined;
}

/** The options passport-jwt passes (jsonwebtoken's names); unset ones arrive as undefined. */
interface PassportVerifyOptions {
  algorithms?: string[];
  issuer?: string | string[];
  audience?: string | RegExp | Array<string | RegExp>;
  ignoreExpiration?: boolean;
  clockTolerance?: number;
}

/**
 * The payload of an inspected HS256 token: one HMAC over the signing input, compared in constant time, then the
 * registered claims with jsonwebtoken's checks, messages and error classes. The payload was parsed (and found
 * canonical) during inspection: it is not parsed a second time.
 */
export function verifyInspectedHs256(token: InspectedToken, options: PassportVerifyOptions): Record<string, unknown> {
  if (options.algorithms && !options.algorithms.includes('HS256')) throw new jwt.JsonWebTokenError('invalid algorithm');
  if (token.signature.length === 0) throw new jwt.JsonWebTokenError('jwt signature is required');
  const mac = createHmac('sha256', token.key.verifyKey).update(token.raw.slice(0, token.signingInputEnd)).digest();
  if (mac.length !== token.signature.length || !timingSafeEqual(mac, token.signature)) throw new jwt.JsonWebTokenError('invalid signature');
  const payload = token.unverifiedPayload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new jwt.JsonWebTokenError('invalid token');
  checkRegisteredClaims(payload as Record<string, unknown>, options);
  return payload as Record<string, unknown>;
}

const INSTALLED = Symbol.for('nest-token-auth.inspected-token-verifier');

/**
 * Installs, in front of the EdDSA-aware verifier, passport-jwt's verifier for keys that are InspectedTokens (what
 * KeyRing.passportKeyProvider hands over): HS256 in one pass (verifyInspectedHs256), EdDSA through verifyEdDsa, and
 * the other algorithms through jsonwebtoken with the key's KeyObject, as before. Any other key goes on untouched.
 * Idempotent.
 */
export function installInspectedTokenVerifier(): void {
  installEdDsaVerifier();
  const host = Strategy as unknown as { JwtVerifier: JwtVerifier & { [INSTALLED]?: true } };
  if (host.JwtVerifier[INSTALLED]) return;
  const next = host.JwtVerifier;
  const verifier = (token: string, secretOrKey: unknown, options: Record<string, unknown>, callback: VerifyCallback): void => {
    if (!(secretOrKey instanceof InspectedToken) || secretOrKey.raw !== token) {
      next(token, secretOrKey, options, callback);
      return;
    }
    const { key } = secretOrKey;
    if (key.algorithm !== 'HS256' && key.algorithm !== 'EdDSA') {
      next(token, key.verifyKey, options, callback);
      return;
    }
    let payload: Record<string, unknown>;
    try {
      payload =
        key.algorithm === 'HS256'
          ? verifyInspectedHs256(secretOrKey, options)
          : verifyEdDsa(token, key.verifyKey, edDsaOptions(options));
    } catch (error) {
      callback(error as Error);
      return;
    }
    // Outside the try: an exception thrown by passport's own callback must not call it a second time.
    callback(null, payload);
  };
  host.JwtVerifier = Object.assign(verifier, { [INSTALLED]: true as const });
}

function edDsaOptions({ algorithms, issuer, audience, ignoreExpiration, clockTolerance }: PassportVerifyOptions): EdDsaVerifyOptions {
  return { algorithms, issuer, audience, ignoreExpiration, clockTolerance };
}
