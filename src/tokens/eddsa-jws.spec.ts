import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import { createRequire } from 'node:module';
import jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { installEdDsaVerifier, signEdDsa, verifyEdDsa } from './eddsa-jws.js';
import { decodeBase64Url } from './jose-header.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const NOW = Math.floor(T0 / 1000);
const ISSUER = 'https://auth.example.test';
const AUDIENCE = 'https://api.example.test';
const HEADER = { typ: 'at+jwt', kid: 'kid-1' };
const CHECKS = { algorithms: ['EdDSA'], issuer: ISSUER, audience: AUDIENCE };

const { privateKey, publicKey } = generateKeyPairSync('ed25519');

const claims = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: NOW, exp: NOW + 60, ...extra });
/** The standard claims minus one. */
function claimsWithout(name: string): Record<string, unknown> {
  const all: Record<string, unknown> = claims();
  delete all[name];
  return all;
}
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** A compact JWS built by hand from raw header and payload text, signed with node:crypto: for tokens signEdDsa would never make. */
function forge(headerJson: string, payloadJson: string, key: KeyObject = privateKey): string {
  const input = `${b64(headerJson)}.${b64(payloadJson)}`;
  return `${input}.${sign(null, Buffer.from(input), key).toString('base64url')}`;
}
const forgeClaims = (payload: unknown) => forge('{"alg":"EdDSA","typ":"at+jwt","kid":"kid-1"}', JSON.stringify(payload));

/** The error verifyEdDsa throws (the test fails if it returns). */
function refusal(token: string, key: KeyObject = publicKey, options: Parameters<typeof verifyEdDsa>[2] = CHECKS): Error {
  try {
    verifyEdDsa(token, key, options);
  } catch (error) {
    return error as Error;
  }
  throw new Error('verifyEdDsa accepted the token');
}

/** A plain JsonWebTokenError with this message: not one of its subclasses, which callers map differently. */
function expectInvalid(token: string, message: string | RegExp, key?: KeyObject, options?: Parameters<typeof verifyEdDsa>[2]) {
  const error = refusal(token, key, options);
  expect(error).toBeInstanceOf(jwt.JsonWebTokenError);
  expect(error.name).toBe('JsonWebTokenError');
  expect(error.message).toMatch(message);
}

/** Replaces one segment of a compact token. */
function withSegment(token: string, index: number, segment: string): string {
  const parts = token.split('.');
  parts[index] = segment;
  return parts.join('.');
}

describe('signEdDsa', () => {
  afterEach(() => vi.useRealTimers());

  it('writes the header as alg, typ, kid in that order, and unpadded base64url segments', () => {
    const token = signEdDsa(claims(), HEADER, privateKey);
    const [header, payload, signature] = token.split('.');
    expect(Buffer.from(header, 'base64url').toString()).toBe('{"alg":"EdDSA","typ":"at+jwt","kid":"kid-1"}');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual(claims());
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    expect(Buffer.from(signature, 'base64url')).toHaveLength(64);
  });

  it('round-trips through verifyEdDsa', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    const token = signEdDsa(claims({ roles: ['admin'], name: 'Zoë 🦊' }), HEADER, privateKey);
    expect(verifyEdDsa(token, publicKey, CHECKS)).toEqual(claims({ roles: ['admin'], name: 'Zoë 🦊' }));
  });

  it('interoperates: an independent Ed25519 check over the signing input accepts its signature', () => {
    const token = signEdDsa(claims(), HEADER, privateKey);
    const lastDot = token.lastIndexOf('.');
    const signingInput = Buffer.from(token.slice(0, lastDot), 'ascii');
    const signature = Buffer.from(token.slice(lastDot + 1), 'base64url');
    // The public key travels as a JWK (what /.well-known/jwks.json publishes) and is re-imported from it.
    const jwk = publicKey.export({ format: 'jwk' });
    expect(verify(null, signingInput, createPublicKey({ key: jwk, format: 'jwk' }), signature)).toBe(true);
    expect(verify(null, Buffer.concat([signingInput, Buffer.from(' ')]), publicKey, signature)).toBe(false);
  });

  it('refuses anything but an Ed25519 private key, and non-object payloads', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const ed448 = generateKeyPairSync('ed448').privateKey;
    for (const key of [ec, rsa, ed448, publicKey, createSecretKey(randomBytes(32))]) {
      expect(() => signEdDsa(claims(), HEADER, key)).toThrow(TypeError);
    }
    expect(() => signEdDsa([1, 2] as object, HEADER, privateKey)).toThrow(TypeError);
  });
});

describe('verifyEdDsa', () => {
  afterEach(() => vi.useRealTimers());
  const at = (seconds: number) => vi.useFakeTimers({ toFake: ['Date'], now: seconds * 1000 });

  describe('agrees with RFC 8037 appendix A.4 (an external vector)', () => {
    // RFC 8037 A.1 key and A.4 JWS. Its payload is the text "Example of Ed25519 signing", not a claims set.
    const rfcKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', d: 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
      format: 'jwk',
    });
    const rfcJws =
      'eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg';

    it('passes its signature, then refuses its payload only because it is not JSON', () => {
      expectInvalid(rfcJws, /^invalid token$/, createPublicKey(rfcKey), {});
    });

    it('fails its signature once one payload byte changes', () => {
      expectInvalid(withSegment(rfcJws, 1, b64('Example of Ed25519 signinG')), /^invalid signature$/, createPublicKey(rfcKey), {});
    });
  });

  it('accepts the Ed25519 private key too (node derives the public half)', () => {
    at(NOW);
    expect(verifyEdDsa(signEdDsa(claims(), HEADER, privateKey), privateKey, CHECKS)).toEqual(claims());
  });

  describe('refuses tampering', () => {
    const token = signEdDsa(claims(), HEADER, privateKey);
    const [header, payload, signature] = token.split('.');

    it('with the payload', () => {
      at(NOW);
      expectInvalid(withSegment(token, 1, b64(JSON.stringify(claims({ sub: 'admin' })))), /^invalid signature$/);
    });

    it('with the header', () => {
      at(NOW);
      expectInvalid(withSegment(token, 0, b64('{"alg":"EdDSA","typ":"at+jwt","kid":"kid-2"}')), /^invalid signature$/);
    });

    it('with the signature: one flipped bit, another key, a truncated or an overlong one', () => {
      at(NOW);
      const bytes = Buffer.from(signature, 'base64url');
      bytes[10] ^= 1;
      expectInvalid(withSegment(token, 2, bytes.toString('base64url')), /^invalid signature$/);
      const other = generateKeyPairSync('ed25519');
      expectInvalid(signEdDsa(claims(), HEADER, other.privateKey), /^invalid signature$/);
      const original = Buffer.from(signature, 'base64url');
      expectInvalid(withSegment(token, 2, original.subarray(0, 63).toString('base64url')), /^invalid signature$/);
      expectInvalid(withSegment(token, 2, Buffer.concat([original, Buffer.alloc(1)]).toString('base64url')), /^invalid signature$/);
    });

    it('by re-encoding the signature non-canonically, which Buffer alone would accept', () => {
      at(NOW);
      // 64 bytes in 86 characters leave 4 unused bits in the last one; setting one changes the text, not the bytes.
      const last = signature.at(-1) ?? '';
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const variant = signature.slice(0, -1) + alphabet[alphabet.indexOf(last) | 1];
      expect(Buffer.from(variant, 'base64url').equals(Buffer.from(signature, 'base64url'))).toBe(true);
      expectInvalid(withSegment(token, 2, variant), /^jwt malformed$/);
      expectInvalid(withSegment(token, 2, `${signature}==`), /^jwt malformed$/);
      expectInvalid(`${header}.${payload}.${signature.slice(0, 40)}+${signature.slice(41)}`, /^jwt malformed$/);
    });
  });

  describe('refuses every algorithm but EdDSA', () => {
    it("'none', unsigned or signed", () => {
      at(NOW);
      const unsigned = `${b64('{"alg":"none","typ":"at+jwt","kid":"kid-1"}')}.${b64(JSON.stringify(claims()))}.`;
      expectInvalid(unsigned, /^jwt signature is required$/);
      expectInvalid(unsigned, /^jwt signature is required$/, publicKey, { ...CHECKS, algorithms: ['none'] });
      expectInvalid(forge('{"alg":"none","typ":"at+jwt","kid":"kid-1"}', JSON.stringify(claims())), /^invalid algorithm$/);
    });

    it('HS256 and ES256 headers, even over a valid Ed25519 signature', () => {
      at(NOW);
      expectInvalid(forge('{"alg":"HS256","typ":"at+jwt","kid":"kid-1"}', JSON.stringify(claims())), /^invalid algorithm$/);
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const es256 = jwt.sign(claims(), ec.privateKey, { algorithm: 'ES256', header: { alg: 'ES256', typ: 'at+jwt', kid: 'kid-1' } });
      expectInvalid(es256, /^invalid algorithm$/);
      expectInvalid(es256, /^invalid algorithm$/, ec.publicKey, { ...CHECKS, algorithms: ['ES256', 'EdDSA'] });
    });

    it('HS256 signed with the Ed25519 public key bytes as the HMAC secret (algorithm confusion)', () => {
      at(NOW);
      const rawPublicKey = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
      expect(rawPublicKey).toHaveLength(32);
      const input = `${b64('{"alg":"HS256","typ":"at+jwt","kid":"kid-1"}')}.${b64(JSON.stringify(claims({ sub: 'admin' })))}`;
      const hs256 = `${input}.${createHmac('sha256', rawPublicKey).update(input).digest('base64url')}`;
      expectInvalid(hs256, /^invalid algorithm$/);
      expectInvalid(hs256, /^invalid algorithm$/, publicKey, { ...CHECKS, algorithms: ['HS256', 'EdDSA'] });
      // The same HMAC under an EdDSA header: 32 bytes are no Ed25519 signature.
      const disguised = `${b64('{"alg":"EdDSA","typ":"at+jwt","kid":"kid-1"}')}.${b64(JSON.stringify(claims({ sub: 'admin' })))}`;
      expectInvalid(`${disguised}.${createHmac('sha256', rawPublicKey).update(disguised).digest('base64url')}`, /^invalid signature$/);
    });

    it('EdDSA when the caller allows only other algorithms', () => {
      at(NOW);
      expectInvalid(signEdDsa(claims(), HEADER, privateKey), /^invalid algorithm$/, publicKey, { ...CHECKS, algorithms: ['HS256'] });
      expectInvalid(signEdDsa(claims(), HEADER, privateKey), /^invalid algorithm$/, publicKey, { ...CHECKS, algorithms: [] });
    });

    it('a header with crit, which names extensions we do not implement', () => {
      at(NOW);
      expectInvalid(forge('{"alg":"EdDSA","crit":["b64"],"b64":false}', JSON.stringify(claims())), /crit/);
    });
  });

  it('refuses RSA, EC, Ed448, X25519 and secret keys', () => {
    at(NOW);
    const token = signEdDsa(claims(), HEADER, privateKey);
    const keys = [
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
      generateKeyPairSync('ed448').publicKey,
      generateKeyPairSync('x25519').publicKey,
      createSecretKey(randomBytes(32)),
      createSecretKey(Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url')),
    ];
    for (const key of keys) expectInvalid(token, /^secretOrPublicKey must be an Ed25519 key when using EdDSA$/, key);
    expect(() => verifyEdDsa(token, undefined as unknown as KeyObject, CHECKS)).toThrow(/^secret or public key must be provided$/);
  });

  describe('expiry and not-before, with jsonwebtoken semantics', () => {
    it('is valid until the second before exp and expired from exp on, as TokenExpiredError', () => {
      const token = signEdDsa(claims({ exp: NOW + 60 }), HEADER, privateKey);
      at(NOW + 59);
      expect(verifyEdDsa(token, publicKey, CHECKS).sub).toBe('user-1');
      vi.setSystemTime((NOW + 60) * 1000);
      const error = refusal(token);
      expect(error).toBeInstanceOf(jwt.TokenExpiredError);
      expect(error).toBeInstanceOf(jwt.JsonWebTokenError);
      expect(error.message).toBe('jwt expired');
      expect((error as jwt.TokenExpiredError).expiredAt).toEqual(new Date((NOW + 60) * 1000));
    });

    it('widens both windows by clockTolerance', () => {
      const token = signEdDsa(claims({ nbf: NOW + 10, exp: NOW + 60 }), HEADER, privateKey);
      at(NOW + 5);
      expect(() => verifyEdDsa(token, publicKey, { ...CHECKS, clockTolerance: 5 })).not.toThrow();
      vi.setSystemTime((NOW + 64) * 1000);
      expect(() => verifyEdDsa(token, publicKey, { ...CHECKS, clockTolerance: 5 })).not.toThrow();
      vi.setSystemTime((NOW + 65) * 1000);
      expect(refusal(token, publicKey, { ...CHECKS, clockTolerance: 5 })).toBeInstanceOf(jwt.TokenExpiredError);
    });

    it('ignores expiry when told to, but not a malformed exp', () => {
      at(NOW + 3600);
      expect(verifyEdDsa(signEdDsa(claims(), HEADER, privateKey), publicKey, { ...CHECKS, ignoreExpiration: true }).sub).toBe('user-1');
      expectInvalid(forgeClaims(claims({ exp: '9999999999' })), /^invalid exp value$/, publicKey, { ...CHECKS, ignoreExpiration: true });
    });

    it('refuses a token before its nbf, as NotBeforeError', () => {
      at(NOW);
      const error = refusal(signEdDsa(claims({ nbf: NOW + 1 }), HEADER, privateKey));
      expect(error).toBeInstanceOf(jwt.NotBeforeError);
      expect(error.message).toBe('jwt not active');
      expect((error as jwt.NotBeforeError).date).toEqual(new Date((NOW + 1) * 1000));
      expect(verifyEdDsa(signEdDsa(claims({ nbf: NOW }), HEADER, privateKey), publicKey, CHECKS).sub).toBe('user-1');
    });

    it('refuses non-numeric, huge and non-finite exp, nbf and iat', () => {
      at(NOW);
      expectInvalid(forgeClaims(claims({ exp: '9999999999' })), /^invalid exp value$/);
      expectInvalid(forgeClaims(claims({ exp: null })), /^invalid exp value$/);
      expectInvalid(forgeClaims(claims({ exp: 1e20 })), /^invalid exp value$/);
      expectInvalid(forgeClaims(claims({ nbf: '0' })), /^invalid nbf value$/);
      expectInvalid(forgeClaims(claims({ iat: 'yesterday' })), /^invalid iat value$/);
      // 1e999 parses to Infinity; JSON.stringify would write null, so the segment is not canonical JSON.
      expectInvalid(forge('{"alg":"EdDSA"}', `{"iss":"${ISSUER}","aud":"${AUDIENCE}","exp":1e999}`), /^invalid token$/);
    });
  });

  describe('issuer and audience', () => {
    it('refuses a wrong or missing issuer and accepts one of several', () => {
      at(NOW);
      expectInvalid(signEdDsa(claims({ iss: 'https://evil.test' }), HEADER, privateKey), `jwt issuer invalid. expected: ${ISSUER}`);
      expectInvalid(signEdDsa(claimsWithout('iss'), HEADER, privateKey), /^jwt issuer invalid/);
      const token = signEdDsa(claims(), HEADER, privateKey);
      expect(verifyEdDsa(token, publicKey, { ...CHECKS, issuer: ['https://other.test', ISSUER] }).iss).toBe(ISSUER);
    });

    it('refuses a wrong or missing audience, with jsonwebtoken’s message', () => {
      at(NOW);
      expectInvalid(signEdDsa(claims({ aud: 'https://other.test' }), HEADER, privateKey), `jwt audience invalid. expected: ${AUDIENCE}`);
      expectInvalid(signEdDsa(claimsWithout('aud'), HEADER, privateKey), /^jwt audience invalid/);
      expectInvalid(signEdDsa(claims({ aud: 'x' }), HEADER, privateKey), 'jwt audience invalid. expected: a or /^b$/', publicKey, {
        ...CHECKS,
        audience: ['a', /^b$/],
      });
    });

    it('accepts a token whose aud array contains ours, and RegExp audiences', () => {
      at(NOW);
      const token = signEdDsa(claims({ aud: ['https://other.test', AUDIENCE] }), HEADER, privateKey);
      expect(verifyEdDsa(token, publicKey, CHECKS).aud).toEqual(['https://other.test', AUDIENCE]);
      const pattern = /^https:\/\/api\./g;
      for (let i = 0; i < 3; i += 1) expect(verifyEdDsa(token, publicKey, { ...CHECKS, audience: pattern }).sub).toBe('user-1');
    });

    it('never matches a RegExp audience against a missing aud (jsonwebtoken would test the text "undefined")', () => {
      at(NOW);
      expectInvalid(signEdDsa(claimsWithout('aud'), HEADER, privateKey), /^jwt audience invalid/, publicKey, { ...CHECKS, audience: /def/ });
    });
  });

  describe('refuses malformed tokens', () => {
    it('with 2 or 4 segments, or none', () => {
      const token = signEdDsa(claims(), HEADER, privateKey);
      const [header, payload, signature] = token.split('.');
      expectInvalid(`${header}.${payload}`, /^jwt malformed$/);
      expectInvalid(`${token}.${signature}`, /^jwt malformed$/);
      expectInvalid('', /^jwt must be provided$/);
      expectInvalid(123 as unknown as string, /^jwt must be a string$/);
    });

    it('with invalid or padded base64url in the header or payload', () => {
      const [header, payload, signature] = signEdDsa(claims(), HEADER, privateKey).split('.');
      expectInvalid(`${header}=.${payload}.${signature}`, /^jwt malformed$/);
      expectInvalid(`${header}.${payload.slice(0, 10)}/${payload.slice(11)}.${signature}`, /^jwt malformed$/);
      expectInvalid(`${header}.${payload} .${signature}`, /^jwt malformed$/);
      expectInvalid(`${header}.A.${signature}`, /^jwt malformed$/);
    });

    it('whose header or payload is not the canonical JSON we write', () => {
      at(NOW);
      expectInvalid(forge('{ "alg": "EdDSA" }', JSON.stringify(claims())), /^invalid token$/);
      expectInvalid(forge('["EdDSA"]', JSON.stringify(claims())), /^invalid token$/);
      // Duplicate members: parsers disagree on which one wins.
      expectInvalid(forge('{"alg":"EdDSA"}', JSON.stringify(claims()).replace('{', '{"sub":"admin",')), /^invalid token$/);
    });

    it('whose payload is not a JSON object', () => {
      at(NOW);
      for (const payload of ['[1,2]', '"user-1"', '42', 'null', 'true']) expectInvalid(forge('{"alg":"EdDSA"}', payload), /^invalid token$/);
    });
  });

  it('refuses options it does not implement instead of ignoring them', () => {
    const token = signEdDsa(claims(), HEADER, privateKey);
    expect(() => verifyEdDsa(token, publicKey, { ...CHECKS, maxAge: '1h' } as Parameters<typeof verifyEdDsa>[2])).toThrow(/maxAge/);
    expect(() => verifyEdDsa(token, publicKey, { ...CHECKS, clockTolerance: -1 })).toThrow(/clockTolerance/);
  });
});

describe('decodeBase64Url', () => {
  it('returns the bytes of canonical base64url only', () => {
    expect(decodeBase64Url('')).toEqual(Buffer.alloc(0));
    expect(decodeBase64Url('-_8')).toEqual(Buffer.from([0xfb, 0xff]));
    for (const invalid of ['-_9', '-_8=', '+/8', 'A', 'AB CD', 'AB\nCD']) expect(decodeBase64Url(invalid)).toBeUndefined();
  });
});

describe('installEdDsaVerifier (passport-jwt)', () => {
  type Outcome = { success: unknown } | { fail: unknown } | { error: unknown };

  /** Drives a strategy as passport does: a per-request object inheriting from it, with success/fail/error attached. */
  function authenticate(strategy: Strategy, token: string): Promise<Outcome> {
    return new Promise((resolve) => {
      const attempt = Object.create(strategy) as Strategy;
      attempt.success = (user: unknown) => resolve({ success: user });
      attempt.fail = (info: unknown) => resolve({ fail: info });
      attempt.error = (error: unknown) => resolve({ error });
      attempt.authenticate({ headers: { authorization: `Bearer ${token}` } } as never);
    });
  }

  /** What KeyRing.passportKeyProvider does: hand passport-jwt a KeyObject although its types say string | Buffer. */
  function strategyWith(key: KeyObject, algorithms: string[]): Strategy {
    return new Strategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        secretOrKeyProvider: (_request, _rawToken, done) => done(null, key as unknown as Buffer),
        algorithms: algorithms as jwt.Algorithm[],
        issuer: ISSUER,
        audience: AUDIENCE,
      },
      (payload: unknown, done: (error: Error | null, user?: unknown) => void) => done(null, payload),
    );
  }

  it('is needed: jsonwebtoken on its own cannot verify an EdDSA token', () => {
    const token = signEdDsa(claims({ exp: Math.floor(Date.now() / 1000) + 60 }), HEADER, privateKey);
    expect(() => jwt.verify(token, publicKey, { algorithms: ['EdDSA' as jwt.Algorithm] })).toThrow(/Unknown key type "ed25519"/);
  });

  describe('once installed', () => {
    const host = Strategy as unknown as { JwtVerifier: unknown };
    let original: unknown;

    beforeAll(() => {
      original = host.JwtVerifier;
      installEdDsaVerifier();
    });

    it('replaces the hook strategy.js reads, once', () => {
      const wrapper = host.JwtVerifier;
      expect(wrapper).not.toBe(original);
      installEdDsaVerifier();
      expect(host.JwtVerifier).toBe(wrapper);
      // The CommonJS module strategy.js itself exports is the same function object as our ESM named import.
      const required = createRequire(import.meta.url)('passport-jwt/lib/strategy.js') as { JwtVerifier: unknown };
      expect(required.JwtVerifier).toBe(wrapper);
    });

    it('authenticates a request carrying a valid EdDSA bearer token', async () => {
      const token = signEdDsa(claims({ iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 60 }), HEADER, privateKey);
      const outcome = await authenticate(strategyWith(publicKey, ['EdDSA']), token);
      expect(outcome).toEqual({ success: expect.objectContaining({ sub: 'user-1', iss: ISSUER }) });
    });

    it('fails a tampered, an expired and a wrong-audience EdDSA token, with jsonwebtoken’s error classes', async () => {
      const now = Math.floor(Date.now() / 1000);
      const strategy = strategyWith(publicKey, ['EdDSA']);
      const token = signEdDsa(claims({ iat: now, exp: now + 60 }), HEADER, privateKey);
      const tampered = withSegment(token, 1, b64(JSON.stringify(claims({ sub: 'admin', iat: now, exp: now + 60 }))));
      const tamperedOutcome = await authenticate(strategy, tampered);
      expect(tamperedOutcome).toEqual({ fail: expect.any(jwt.JsonWebTokenError) });
      expect((tamperedOutcome as { fail: Error }).fail.message).toBe('invalid signature');

      const expired = await authenticate(strategy, signEdDsa(claims({ iat: now - 120, exp: now - 60 }), HEADER, privateKey));
      expect(expired).toEqual({ fail: expect.any(jwt.TokenExpiredError) });
      const foreign = await authenticate(strategy, signEdDsa(claims({ aud: 'https://other.test', iat: now, exp: now + 60 }), HEADER, privateKey));
      expect((foreign as { fail: Error }).fail.message).toMatch(/^jwt audience invalid/);
    });

    it('refuses an HS256 token keyed with the Ed25519 public key bytes, even when HS256 is an allowed algorithm', async () => {
      const now = Math.floor(Date.now() / 1000);
      const rawPublicKey = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
      const hs256 = jwt.sign(claims({ sub: 'admin', iat: now, exp: now + 60 }), rawPublicKey, { algorithm: 'HS256', header: { alg: 'HS256', kid: 'kid-1' } });
      const outcome = await authenticate(strategyWith(publicKey, ['HS256', 'ES256', 'EdDSA', 'RS256']), hs256);
      expect((outcome as { fail: Error }).fail.message).toBe('invalid algorithm');
    });

    it('leaves other keys to the original verifier: HS256 with a secret KeyObject still works', async () => {
      const now = Math.floor(Date.now() / 1000);
      const secret = createSecretKey(randomBytes(32));
      const hs256 = jwt.sign(claims({ iat: now, exp: now + 60 }), secret, { algorithm: 'HS256' });
      const strategy = strategyWith(secret, ['HS256']);
      expect(await authenticate(strategy, hs256)).toEqual({ success: expect.objectContaining({ sub: 'user-1' }) });
      const wrongSecret = jwt.sign(claims({ iat: now, exp: now + 60 }), randomBytes(32), { algorithm: 'HS256' });
      expect(await authenticate(strategy, wrongSecret)).toEqual({ fail: expect.objectContaining({ message: 'invalid signature' }) });
    });

    it('never verifies an EdDSA-headed token with a secret key: the key decides the path, and jsonwebtoken then refuses', async () => {
      const secret = createSecretKey(randomBytes(32));
      const outcome = await authenticate(strategyWith(secret, ['HS256', 'EdDSA']), signEdDsa(claims(), HEADER, privateKey));
      expect(outcome).toHaveProperty('fail');
    });
  });
});
