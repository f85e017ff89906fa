import { KeyObject, sign, verify } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { compactJws, type JwsHeader } from './compact-jws.js';
import { decodeBase64Url, isCanonicalSegment } from './jose-header.js';

/*
 * Compact JWS with EdDSA over Ed25519 (RFC 8037), and nothing else.
 *
 * jsonwebtoken 9 (under both @nestjs/jwt and passport-jwt) has no EdDSA: jwa knows no such algorithm and
 * jsonwebtoken refuses ed25519 keys outright ("Unknown key type"). node:crypto signs and verifies Ed25519
 * natively, so this file is the little JWS layer around it. It verifies with jsonwebtoken's semantics and
 * error classes, so code that maps `TokenExpiredError` to `token_expired` cannot tell the two paths apart.
 */

/** The subset of jsonwebtoken's `VerifyOptions` this verifier honours; any other option is refused, never ignored. */
export interface EdDsaVerifyOptions {
  algorithms?: string[];
  issuer?: string | string[];
  audience?: string | RegExp | Array<string | RegExp>;
  clockTolerance?: number;
  ignoreExpiration?: boolean;
}

const ALGORITHM = 'EdDSA';
const ED25519 = 'ed25519';
const SIGNATURE_BYTES = 64;
/** The largest instant a JavaScript Date can hold, in seconds: beyond it a NumericDate means nothing. */
const MAX_NUMERIC_DATE = 8.64e12;
const SUPPORTED_OPTIONS = new Set<string>(['algorithms', 'issuer', 'audience', 'clockTolerance', 'ignoreExpiration']);

/** Signs `payload` as a compact JWS with header `{ alg: 'EdDSA', typ, kid }`, members in that order. */
export function signEdDsa(payload: object, header: JwsHeader, privateKey: KeyObject): string {
  if (!isEd25519(privateKey) || privateKey.type !== 'private') throw new TypeError('signEdDsa needs an Ed25519 private KeyObject');
  // Ed25519 hashes internally (PureEdDSA), hence no digest name.
  return compactJws(ALGORITHM, header, payload, (input) => sign(null, input, privateKey));
}

/**
 * The payload of an EdDSA compact JWS, after the checks jsonwebtoken.verify makes, in its order and with
 * its messages and error classes. Stricter than jsonwebtoken where it is lax: every segment must be the
 * canonical base64url (and the JSON ones canonical JSON, as `signEdDsa` writes them), the payload must be
 * a JSON object, `crit` is refused, and `exp`/`nbf`/`iat` must be usable dates even when `exp` is ignored.
 *
 * The one deliberate change of order: the payload is parsed only after its signature verified.
 */
export function verifyEdDsa(token: string, publicKey: KeyObject, options: EdDsaVerifyOptions = {}): Record<string, unknown> {
  checkOptions(options);
  const clockTimestamp = Math.floor(Date.now() / 1000);

  if (!token) throw new jwt.JsonWebTokenError('jwt must be provided');
  if (typeof token !== 'string') throw new jwt.JsonWebTokenError('jwt must be a string');
  const parts = token.split('.');
  if (parts.length !== 3) throw new jwt.JsonWebTokenError('jwt malformed');
  const [headerSegment, payloadSegment, signatureSegment] = parts;
  const signature = decodeBase64Url(signatureSegment);
  if (decodeBase64Url(headerSegment) === undefined || decodeBase64Url(payloadSegment) === undefined || signature === undefined) {
    throw new jwt.JsonWebTokenError('jwt malformed');
  }

  const header = jsonObjectOf(headerSegment);
  if (!header) throw new jwt.JsonWebTokenError('invalid token');
  if (signature.length === 0) throw new jwt.JsonWebTokenError('jwt signature is required');
  if (!publicKey) throw new jwt.JsonWebTokenError('secret or public key must be provided');
  // The header may only confirm the algorithm the caller chose; it never picks one (no 'none', no HS256 with our key).
  if ((options.algorithms && !options.algorithms.includes(ALGORITHM)) || header.alg !== ALGORITHM) {
    throw new jwt.JsonWebTokenError('invalid algorithm');
  }
  // RFC 7515 4.1.11: a recipient must refuse extensions it does not understand, and we understand none.
  if (header.crit !== undefined) throw new jwt.JsonWebTokenError('jwt header crit is not supported');
  if (!isEd25519(publicKey)) throw new jwt.JsonWebTokenError('secretOrPublicKey must be an Ed25519 key when using EdDSA');

  // A private KeyObject verifies too: node derives its public half.
  const signingInput = Buffer.from(`${headerSegment}.${payloadSegment}`, 'ascii');
  if (signature.length !== SIGNATURE_BYTES || !verify(null, signingInput, publicKey, signature)) {
    throw new jwt.JsonWebTokenError('invalid signature');
  }

  const payload = jsonObjectOf(payloadSegment);
  if (!payload) throw new jwt.JsonWebTokenError('invalid token');
  checkRegisteredClaims(payload, options, clockTimestamp);
  return payload;
}

/**
 * The registered-claim checks of jsonwebtoken.verify (nbf, exp, iat, aud, iss), in its order, with its messages and
 * error classes; stricter where it is lax (see verifyEdDsa). For a payload whose signature has already verified.
 */
export function checkRegisteredClaims(
  payload: Record<string, unknown>,
  options: Pick<EdDsaVerifyOptions, 'issuer' | 'audience' | 'clockTolerance' | 'ignoreExpiration'>,
  clockTimestamp = Math.floor(Date.now() / 1000),
): void {
  const clockTolerance = options.clockTolerance ?? 0;

  if (payload.nbf !== undefined) {
    if (!isNumericDate(payload.nbf)) throw new jwt.JsonWebTokenError('invalid nbf value');
    if (payload.nbf > clockTimestamp + clockTolerance) throw new jwt.NotBeforeError('jwt not active', new Date(payload.nbf * 1000));
  }
  if (payload.exp !== undefined) {
    if (!isNumericDate(payload.exp)) throw new jwt.JsonWebTokenError('invalid exp value');
    if (!options.ignoreExpiration && clockTimestamp >= payload.exp + clockTolerance) {
      throw new jwt.TokenExpiredError('jwt expired', new Date(payload.exp * 1000));
    }
  }
  if (payload.iat !== undefined && !isNumericDate(payload.iat)) throw new jwt.JsonWebTokenError('invalid iat value');

  // Checked without building arrays or closures: this runs on every protected request.
  if (options.audience && !audienceMatches(payload.aud, options.audience)) {
    throw new jwt.JsonWebTokenError(`jwt audience invalid. expected: ${[options.audience].flat().join(' or ')}`);
  }
  if (options.issuer) {
    const { issuer } = options;
    if (typeof payload.iss !== 'string' || (typeof issuer === 'string' ? issuer !== payload.iss : !issuer.includes(payload.iss))) {
      throw new jwt.JsonWebTokenError(`jwt issuer invalid. expected: ${String(options.issuer)}`);
    }
  }
}

/** jsonwebtoken's audience rule; a token's `aud` counts only as strings (it would test a RegExp against String(undefined)). */
function audienceMatches(aud: unknown, expected: string | RegExp | Array<string | RegExp>): boolean {
  if (Array.isArray(aud)) return aud.some((target) => audienceMatches(target, expected));
  if (typeof aud !== 'string') return false;
  if (Array.isArray(expected)) return expected.some((audience) => audienceMatches(aud, audience));
  return expected instanceof RegExp ? regexMatches(expected, aud) : expected === aud;
}

export type VerifyCallback = (error: Error | null, payload?: unknown) => void;
export type JwtVerifier = (token: string, secretOrKey: unknown, options: Record<string, unknown>, callback: VerifyCallback) => void;

/** Marks our wrapper, across copies of this module too (a test runner may load it more than once). */
const INSTALLED = Symbol.for('nest-token-auth.eddsa-jwt-verifier');

/**
 * Teaches passport-jwt EdDSA. Its strategy verifies every token through the static, documented-as-replaceable
 * `Strategy.JwtVerifier` (jsonwebtoken.verify underneath). After this call that hook sends tokens whose key is an
 * Ed25519 KeyObject to `verifyEdDsa` and everything else to the original, untouched. The key — chosen by our
 * key provider from the `kid` — decides the path, never the token's own `alg`. Idempotent.
 *
 * Call it where a strategy module loads, before the first request. The ESM named import is the very function
 * object that passport-jwt's strategy.js reads `JwtStrategy.JwtVerifier` from, so assigning here reaches it.
 */
export function installEdDsaVerifier(): void {
  const host = Strategy as unknown as { JwtVerifier: JwtVerifier & { [INSTALLED]?: true } };
  if (host.JwtVerifier[INSTALLED]) return;
  const original = host.JwtVerifier;
  const eddsaAware = (token: string, secretOrKey: unknown, options: Record<string, unknown>, callback: VerifyCallback): void => {
    if (!isEd25519(secretOrKey)) {
      original(token, secretOrKey, options, callback);
      return;
    }
    let payload: Record<string, unknown>;
    try {
      // passport-jwt passes `audience`, `issuer` and `algorithms` as undefined when unset: verifyEdDsa reads that as absent.
      payload = verifyEdDsa(token, secretOrKey, options);
    } catch (error) {
      callback(error as Error);
      return;
    }
    // Outside the try: an exception thrown by passport's own callback must not call it a second time.
    callback(null, payload);
  };
  host.JwtVerifier = Object.assign(eddsaAware, { [INSTALLED]: true as const });
}

export function isEd25519(key: unknown): key is KeyObject {
  return key instanceof KeyObject && key.asymmetricKeyType === ED25519;
}

/** The JSON object a canonical segment holds, or undefined (arrays, strings, numbers and null are not claims sets). */
function jsonObjectOf(segment: string): Record<string, unknown> | undefined {
  if (!isCanonicalSegment(segment)) return undefined;
  const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** RFC 7519's NumericDate, bounded to what a Date can hold, so `new Date(value * 1000)` in an error stays valid. */
function isNumericDate(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_NUMERIC_DATE;
}

/** Like jsonwebtoken's `RegExp.test`, but stateless: with a `g` or `y` flag `test` resumes at the last match's `lastIndex`. */
function regexMatches(pattern: RegExp, value: string): boolean {
  return value.search(pattern) !== -1;
}

/** Options we do not implement would weaken verification if silently ignored, so they are a programming error. */
function checkOptions(options: EdDsaVerifyOptions): void {
  const unsupported = Object.entries(options).filter(([name, value]) => value !== undefined && !SUPPORTED_OPTIONS.has(name));
  if (unsupported.length > 0) throw new TypeError(`verifyEdDsa does not support ${unsupported.map(([name]) => name).join(', ')}`);
  const { clockTolerance } = options;
  if (clockTolerance !== undefined && !(typeof clockTolerance === 'number' && Number.isFinite(clockTolerance) && clockTolerance >= 0)) {
    throw new TypeError('clockTolerance must be a non-negative number of seconds');
  }
}
