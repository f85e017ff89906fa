import { createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKeySetFile } from '../src/tokens/keys/access-key-set-file.js';
import { claimsOf, headerOf, refreshWithBody, signupAndLogin } from './support/flows.js';
import { segment, signJws, signSegments } from './support/jws.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * Hostile and malformed access tokens when they are signed with an asymmetric key from the rotating key set.
 * The test reads the service's real private key from DATA_DIR, so every forged token differs from a genuine one
 * only by the defect under test. EdDSA goes through our own verifier (src/auth/tokens/eddsa-jws.ts), ES256 and
 * RS256 through jsonwebtoken: the same table run against all three shows the EdDSA path is as strict as the rest.
 * Header defects (alg, typ, kid, size, encoding, non-canonical JSON) are stopped by the key ring before either
 * verifier runs; the signature, claims and payload-shape cases reach the verifiers themselves.
 */

type Alg = 'ES256' | 'EdDSA' | 'RS256';
type Claims = Record<string, unknown>;

const ALGS: Alg[] = ['ES256', 'EdDSA', 'RS256'];
const ACCESS_ROUTES = ['/auth/whoami', '/users/me'] as const;

/** Same key, another algorithm name: what an attacker tries when only the header's alg is checked loosely. */
const SAME_KEY_ALGS: Record<Alg, string[]> = { ES256: ['ES384'], EdDSA: ['Ed25519'], RS256: ['RS384', 'RS512', 'PS256'] };

/** P-256's group order n, and Ed25519's L: the moduli of the signature scalars. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const ED25519_L = 2n ** 252n + 27742317777372353535851937790883648493n;

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const nowSeconds = () => Math.floor(Date.now() / 1000);

function generateKey(alg: Alg): KeyObject {
  if (alg === 'ES256') return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  if (alg === 'EdDSA') return generateKeyPairSync('ed25519').privateKey;
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

const parts = (token: string) => token.split('.') as [string, string, string];
const signatureOf = (token: string) => Buffer.from(parts(token)[2], 'base64url');
const withSignature = (token: string, signature: Buffer | string) =>
  `${parts(token)[0]}.${parts(token)[1]}.${typeof signature === 'string' ? signature : signature.toString('base64url')}`;

/** The token with its payload patched and the original signature kept. */
function tamper(token: string, patch: Claims): string {
  const [header, , signature] = parts(token);
  return `${header}.${segment({ ...claimsOf(token), ...patch })}.${signature}`;
}

/** One character of the signature (not the last, whose low bits may be padding) replaced. */
function flipSignatureChar(token: string): string {
  const signature = parts(token)[2];
  const i = Math.floor(signature.length / 2);
  return withSignature(token, `${signature.slice(0, i)}${signature[i] === 'A' ? 'B' : 'A'}${signature.slice(i + 1)}`);
}

/**
 * The same bytes, spelt with non-zero unused bits in the last character. Lenient decoders (Buffer.from) read it
 * as the original, so accepting it makes one signed token answer to several strings.
 */
function withPaddingBits(encoded: string): string {
  const spare = Buffer.from(encoded, 'base64url').length % 3;
  if (spare === 0) throw new Error('withPaddingBits: a segment whose length is a multiple of 3 bytes has no unused bits');
  const last = BASE64URL.indexOf(encoded[encoded.length - 1]);
  const variant = `${encoded.slice(0, -1)}${BASE64URL[last | 1]}`;
  // Guard the test itself: the variant must be another spelling of the very same bytes.
  if (variant === encoded || !Buffer.from(variant, 'base64url').equals(Buffer.from(encoded, 'base64url'))) throw new Error('not a variant');
  return variant;
}

const insertInvalidChar = (encoded: string) => `${encoded.slice(0, 4)}*${encoded.slice(4)}`;
const appendPadding = (encoded: string) => `${encoded}==`;

/** A 32-byte scalar of a signature, read and written in the byte order its algorithm uses. */
function replaceScalar(signature: Buffer, offset: number, littleEndian: boolean, map: (value: bigint) => bigint): Buffer {
  const bytes = Buffer.from(signature.subarray(offset, offset + 32));
  if (littleEndian) bytes.reverse();
  const next = Buffer.from(map(BigInt(`0x${bytes.toString('hex')}`)).toString(16).padStart(64, '0'), 'hex');
  if (next.length !== 32) throw new Error('replaceScalar: the result does not fit in 32 bytes');
  if (littleEndian) next.reverse();
  return Buffer.concat([signature.subarray(0, offset), next, signature.subarray(offset + 32)]);
}

/** What a key-discovery server would serve: the attacker's public key under the attacker's kid. */
const ATTACKER_KID = 'attacker-key';

interface Forge {
  alg: Alg;
  issuer: string;
  audience: string;
  /** The header of a real access token: { alg, typ: 'at+jwt', kid }. */
  header: Claims;
  /** Our real signing key, read from the key set file, and its public half as published. */
  privateKey: KeyObject;
  publicKey: KeyObject;
  publishedJwk: Claims;
  /** A key of the same type the service has never seen, and one of each of the other two types. */
  foreign: Record<Alg, KeyObject>;
  /** Valid access claims for the test user, freshly dated, with a fresh jti. */
  claims: () => Claims;
  /** A real access and refresh token of the test user, and an access token of another user. */
  token: string;
  refreshToken: string;
  otherToken: string;
  otherUserId: string;
  /** Where jku / x5u headers point: a local server that counts the requests it gets. */
  keyServerUrl: string;
}

/** Signs with our real key: the forged token is refused for its defect, not for its signature. */
const real = (f: Forge, header: Claims, claims: unknown) => signJws(header, claims, f.privateKey);
/** Our segments as text, signed with our real key as our algorithm. */
const realOverSegments = (f: Forge, header: string, payload: string) => signSegments(header, payload, f.alg, f.privateKey);
const foreign = (f: Forge, header: Claims, claims: unknown) => signJws(header, claims, f.foreign[f.alg]);
/** The attacker's public key as a JWK, as it would be embedded in a `jwk` header. */
const foreignJwk = (f: Forge) => ({ ...createPublicKey(f.foreign[f.alg]).export({ format: 'jwk' }), kid: ATTACKER_KID, alg: f.alg, use: 'sig' });

interface Attack {
  name: string;
  token: (f: Forge) => string;
  /** The error code when it is not invalid_token. */
  code?: string;
}

let keyServer: Server;
let keyServerHits = 0;
let keyServerUrl: string;

beforeAll(async () => {
  keyServer = createServer((_request, response) => {
    keyServerHits += 1;
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [] }));
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  keyServerUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve, reject) => keyServer.close((error) => (error ? reject(error) : resolve())));
});

describe.each(ALGS)('%s access-token attacks', (alg) => {
  let t: TestApp;
  let f: Forge;

  beforeAll(async () => {
    t = await createTestApp({ env: { ACCESS_TOKEN_ALG: alg, ACCESS_TOKEN_SECRET: '' } });
    const me = await signupAndLogin(t);
    const other = await signupAndLogin(t);
    const header = headerOf(me.pair.accessToken);
    const ours = readKeySetFile(join(t.dataDir, 'access-keys.json')).find((key) => key.kid === header.kid);
    if (!ours || ours.material.algorithm !== alg) throw new Error(`no ${alg} key ${String(header.kid)} in the key set file`);
    const jwks = (await t.http().get('/.well-known/jwks.json')).body as { keys: Claims[] };
    const accessClaims = claimsOf(me.pair.accessToken);
    f = {
      alg,
      issuer: String(accessClaims.iss),
      audience: String(accessClaims.aud),
      header,
      privateKey: ours.material.privateKey,
      publicKey: createPublicKey(ours.material.privateKey),
      publishedJwk: jwks.keys.find((key) => key.kid === header.kid) as Claims,
      foreign: { ES256: generateKey('ES256'), EdDSA: generateKey('EdDSA'), RS256: generateKey('RS256') },
      claims: () => ({ ...accessClaims, jti: randomBytes(16).toString('base64url'), iat: nowSeconds(), exp: nowSeconds() + 600 }),
      token: me.pair.accessToken,
      refreshToken: me.pair.refreshToken,
      otherToken: other.pair.accessToken,
      otherUserId: other.userId,
      keyServerUrl,
    };
  });
  afterAll(async () => {
    await t.close();
  });

  const callWith = (route: string, token: string) => t.http().get(route).set('authorization', `Bearer ${token}`);

  /** 401 in the one error shape, with the RFC 6750 challenge. */
  function expectAccessRefusal(res: Response, code: string): void {
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code, message: expect.any(String) });
    expect(String(res.headers['www-authenticate'])).toMatch(/^Bearer realm="[^"]+", error="invalid_token", error_description="[^"]+"$/);
  }

  async function expectRefusedEverywhere(token: string, code = 'invalid_token'): Promise<void> {
    for (const route of ACCESS_ROUTES) {
      expectAccessRefusal(await callWith(route, token), code);
    }
  }

  async function expectAcceptedEverywhere(token: string): Promise<void> {
    for (const route of ACCESS_ROUTES) {
      const res = await callWith(route, token);
      expect(res.status, `${route}: ${res.text}`).toBe(200);
    }
    expect((await callWith('/auth/whoami', token)).body.sub).toBe(claimsOf(token).sub);
  }

  describe('controls', () => {
    it('accepts our token re-signed here with the real key and unchanged claims (EdDSA and RS256 are deterministic: same bytes)', async () => {
      const resigned = real(f, f.header, claimsOf(f.token));
      // ECDSA draws a fresh nonce per signature; Ed25519 and RSASSA-PKCS1-v1_5 do not.
      if (alg === 'ES256') expect(resigned).not.toBe(f.token);
      else expect(resigned).toBe(f.token);
      await expectAcceptedEverywhere(resigned);
    });

    it('accepts fresh claims signed here with the real key and header (so the refusals below are for the defect alone)', async () => {
      await expectAcceptedEverywhere(real(f, f.header, f.claims()));
    });

    it('accepts an extra header member and a padded claim (what the encoding attacks below are built on)', async () => {
      await expectAcceptedEverywhere(realOverSegments(f, segment(sized({ ...f.header, pad: '' }, 'pad')), segment(sized(f.claims(), 'jti'))));
    });
  });

  const attacks: Attack[] = [
    // alg none
    ...['none', 'None', 'NONE'].map((none) => ({
      name: `alg "${none}" with an empty signature`,
      token: (f: Forge) => `${segment({ ...f.header, alg: none })}.${segment(f.claims())}.`,
    })),
    {
      name: 'alg "none" with an empty signature, no typ and no kid',
      token: (f) => `${segment({ alg: 'none' })}.${segment(f.claims())}.`,
    },
    {
      name: 'alg "none" keeping the real signature',
      token: (f) => {
        const claims = f.claims();
        return `${segment({ ...f.header, alg: 'none' })}.${segment(claims)}.${parts(real(f, f.header, claims))[2]}`;
      },
    },

    // algorithm confusion: our public key as an HMAC secret
    ...publicKeyAsSecret(alg).map(({ label, secret }) => ({
      name: `alg HS256, HMAC'd with our public key as ${label}`,
      token: (f: Forge) => signJws({ ...f.header, alg: 'HS256' }, f.claims(), secret(f)),
    })),

    // another asymmetric algorithm
    ...SAME_KEY_ALGS[alg].map((other) => ({
      name: `alg ${other}, signed as ${other} with our real key`,
      token: (f: Forge) => signJws({ ...f.header, alg: other }, f.claims(), f.privateKey),
    })),
    ...ALGS.filter((other) => other !== alg).flatMap((other) => [
      {
        name: `alg ${other}, signed as ${other} with a foreign ${other} key under our kid`,
        token: (f: Forge) => signJws({ ...f.header, alg: other }, f.claims(), f.foreign[other]),
      },
      {
        name: `alg ${other} in the header, but signed as ${alg} with our real key`,
        token: (f: Forge) => realOverSegments(f, segment({ ...f.header, alg: other }), segment(f.claims())),
      },
    ]),

    // signatures
    { name: 'signature stripped (trailing dot kept)', token: (f) => withSignature(f.token, '') },
    { name: 'signature truncated by two characters', token: (f) => withSignature(f.token, parts(f.token)[2].slice(0, -2)) },
    { name: 'signature truncated to half', token: (f) => withSignature(f.token, parts(f.token)[2].slice(0, parts(f.token)[2].length >> 1)) },
    { name: 'signature one byte short', token: (f) => withSignature(f.token, signatureOf(f.token).subarray(0, -1)) },
    { name: 'signature one byte long', token: (f) => withSignature(f.token, Buffer.concat([signatureOf(f.token), Buffer.from([0])])) },
    { name: 'signature with one character flipped', token: (f) => flipSignatureChar(f.token) },
    {
      name: 'signature of all zero bytes, right length ("psychic signature")',
      token: (f) => withSignature(f.token, Buffer.alloc(signatureOf(f.token).length)),
    },
    { name: "signature taken from another user's token", token: (f) => withSignature(f.token, parts(f.otherToken)[2]) },
    {
      name: 'signature taken from our own earlier token, fresh claims',
      token: (f) => withSignature(real(f, f.header, f.claims()), parts(f.token)[2]),
    },
    { name: 'payload sub changed without re-signing', token: (f) => tamper(f.token, { sub: f.otherUserId }) },
    { name: 'payload roles changed without re-signing', token: (f) => tamper(f.token, { roles: ['user', 'admin'] }) },
    { name: 'payload sid changed without re-signing', token: (f) => tamper(f.token, { sid: randomUUID() }) },
    { name: 'payload exp pushed back without re-signing', token: (f) => tamper(f.token, { exp: nowSeconds() + 365 * 24 * 3600 }) },

    // keys that are not ours
    { name: `re-signed with a foreign ${alg} key under our kid`, token: (f) => foreign(f, f.header, f.claims()) },
    { name: 'unknown kid, real key', token: (f) => real(f, { ...f.header, kid: randomBytes(32).toString('base64url') }, f.claims()) },
    { name: 'no kid, real key', token: (f) => real(f, { alg: f.alg, typ: 'at+jwt' }, f.claims()) },
    { name: 'kid of our refresh key, real access key', token: (f) => real(f, { ...f.header, kid: headerOf(f.refreshToken).kid }, f.claims()) },
    ...['../../etc/passwd', '/dev/null', "' OR 1=1 --", '" UNION SELECT 1 --', '__proto__', 'constructor', ''].flatMap((kid) => [
      { name: `kid ${JSON.stringify(kid)}, real key`, token: (f: Forge) => real(f, { ...f.header, kid }, f.claims()) },
      { name: `kid ${JSON.stringify(kid)}, foreign key`, token: (f: Forge) => foreign(f, { ...f.header, kid }, f.claims()) },
    ]),
    { name: 'kid that is not a string, real key', token: (f) => real(f, { ...f.header, kid: { $ne: null } }, f.claims()) },

    // key-discovery headers: only the key ring counts, nothing is fetched (the key server's hits are checked below)
    {
      name: "jwk header with the attacker's key, signed with it, under our kid",
      token: (f) => foreign(f, { ...f.header, jwk: foreignJwk(f) }, f.claims()),
    },
    {
      name: "jwk header with the attacker's key, signed with it, under the attacker's kid",
      token: (f) => foreign(f, { ...f.header, kid: ATTACKER_KID, jwk: foreignJwk(f) }, f.claims()),
    },
    {
      name: "jwk header with the attacker's key, signed with it, no kid",
      token: (f) => foreign(f, { alg: f.alg, typ: 'at+jwt', jwk: foreignJwk(f) }, f.claims()),
    },
    ...(['jku', 'x5u'] as const).flatMap((member) => [
      {
        name: `${member} header pointing at the key server, foreign key, our kid`,
        token: (f: Forge) => foreign(f, { ...f.header, [member]: `${f.keyServerUrl}/${member}` }, f.claims()),
      },
      {
        name: `${member} header pointing at the key server, foreign key, the attacker's kid`,
        token: (f: Forge) => foreign(f, { ...f.header, kid: ATTACKER_KID, [member]: `${f.keyServerUrl}/${member}` }, f.claims()),
      },
    ]),

    // correctly signed, wrong header or claims
    { name: 'real key, typ "JWT"', token: (f) => real(f, { ...f.header, typ: 'JWT' }, f.claims()) },
    { name: 'real key, typ "rt+jwt"', token: (f) => real(f, { ...f.header, typ: 'rt+jwt' }, f.claims()) },
    { name: 'real key, no typ', token: (f) => real(f, { alg: f.alg, kid: f.header.kid }, f.claims()) },
    {
      // RFC 7515 4.1.11: a recipient that does not understand an extension listed in crit must refuse the token.
      name: 'real key, crit naming an extension we do not implement',
      token: (f) => real(f, { ...f.header, crit: ['urn:example:must-understand'], 'urn:example:must-understand': true }, f.claims()),
    },
    { name: 'real key, wrong iss', token: (f) => real(f, f.header, { ...f.claims(), iss: 'https://evil.example' }) },
    { name: 'real key, no iss', token: (f) => real(f, f.header, { ...f.claims(), iss: undefined }) },
    { name: 'real key, wrong aud', token: (f) => real(f, f.header, { ...f.claims(), aud: 'some-other-api' }) },
    { name: 'real key, aud of refresh tokens', token: (f) => real(f, f.header, { ...f.claims(), aud: `${f.issuer}#refresh` }) },
    {
      name: 'real key, aud array without our audience',
      token: (f) => real(f, f.header, { ...f.claims(), aud: ['some-other-api', `${f.audience}-x`, f.issuer] }),
    },
    {
      // Not an attack, and not 200 either: RFC 7519 allows an array, and jsonwebtoken / verifyEdDsa do find our audience
      // in it, but the claims check after them (accessClaimsOf) wants the one string we issue. Stricter than the RFC.
      name: 'real key, aud array WITH our audience (refused: we only issue a string aud)',
      token: (f) => real(f, f.header, { ...f.claims(), aud: ['some-other-api', f.audience] }),
    },
    { name: 'real key, no aud', token: (f) => real(f, f.header, { ...f.claims(), aud: undefined }) },

    // time claims
    {
      name: 'real key, exp in the past',
      token: (f) => real(f, f.header, { ...f.claims(), iat: nowSeconds() - 960, exp: nowSeconds() - 60 }),
      code: 'token_expired',
    },
    {
      name: 'foreign key, exp in the past (the signature is judged before expiry)',
      token: (f) => foreign(f, f.header, { ...f.claims(), iat: nowSeconds() - 960, exp: nowSeconds() - 60 }),
    },
    { name: 'real key, no exp (would never expire)', token: (f) => real(f, f.header, { ...f.claims(), exp: undefined }) },
    { name: 'real key, nbf in the future', token: (f) => real(f, f.header, { ...f.claims(), nbf: nowSeconds() + 600 }) },
    { name: 'real key, nbf not a number', token: (f) => real(f, f.header, { ...f.claims(), nbf: '0' }) },
    ...(['exp', 'iat'] as const).flatMap((claim) => [
      ...(
        [
          ['a string of digits ("9999999999")', '9999999999'],
          ['1e300', 1e300],
          ['beyond safe integers (2^53 + 2)', 2 ** 53 + 2],
          ['true', true],
        ] as const
      ).map(([label, value]) => ({
        name: `real key, ${claim} ${label}`,
        token: (f: Forge) => real(f, f.header, { ...f.claims(), [claim]: value }),
      })),
    ]),
    // -1 is a well-formed NumericDate long past: an expired token, as both verifiers say.
    { name: 'real key, exp -1', token: (f) => real(f, f.header, { ...f.claims(), exp: -1 }), code: 'token_expired' },
    { name: 'real key, iat -1', token: (f) => real(f, f.header, { ...f.claims(), iat: -1 }) },

    // structure and encoding
    { name: '1 segment', token: (f) => parts(f.token)[1] },
    { name: '2 segments (header.payload)', token: (f) => parts(f.token).slice(0, 2).join('.') },
    { name: '4 segments (signature repeated)', token: (f) => `${f.token}.${parts(f.token)[2]}` },
    { name: '4 segments (empty fourth)', token: (f) => `${f.token}.` },
    { name: 'three empty segments', token: () => '..' },
    ...(
      [
        ['a "*" inserted', insertInvalidChar],
        ['"==" padding appended', appendPadding],
        ['non-zero unused bits in the last character (same bytes)', withPaddingBits],
      ] as const
    ).flatMap(([label, spoil]) => [
      {
        name: `header with ${label}, correctly signed over it`,
        // A header member sized so its JSON is not a multiple of 3 bytes: its last character then has unused bits.
        token: (f: Forge) => realOverSegments(f, spoil(segment(sized({ ...f.header, pad: '' }, 'pad'))), segment(f.claims())),
      },
      {
        name: `payload with ${label}, correctly signed over it`,
        token: (f: Forge) => realOverSegments(f, segment(f.header), spoil(segment(sized(f.claims(), 'jti')))),
      },
      { name: `signature with ${label}`, token: (f: Forge) => withSignature(f.token, spoil(parts(f.token)[2])) },
    ]),
    { name: 'header in standard base64 with padding, correctly signed', token: (f) => realOverSegments(f, base64(f.header), segment(f.claims())) },
    { name: 'payload in standard base64 with padding, correctly signed', token: (f) => realOverSegments(f, segment(f.header), base64(f.claims())) },
    { name: 'header that is not JSON, correctly signed', token: (f) => realOverSegments(f, text(`{alg:${f.alg}`), segment(f.claims())) },
    { name: 'payload that is not JSON, correctly signed', token: (f) => realOverSegments(f, segment(f.header), text('{sub:admin')) },
    { name: 'payload that is a JSON array, correctly signed', token: (f) => real(f, f.header, [f.claims()]) },
    { name: 'payload that is a JSON string, correctly signed', token: (f) => real(f, f.header, JSON.stringify(f.claims())) },
    { name: 'payload that is JSON null, correctly signed', token: (f) => real(f, f.header, null) },
    { name: 'payload that is a JSON number, correctly signed', token: (f) => real(f, f.header, 42) },
    {
      name: 'duplicate "alg" in the header (none first), correctly signed',
      token: (f) => realOverSegments(f, text(JSON.stringify(f.header).replace('{', '{"alg":"none",')), segment(f.claims())),
    },
    {
      name: 'duplicate "kid" in the header (a foreign kid first), correctly signed',
      token: (f) => realOverSegments(f, text(JSON.stringify(f.header).replace('{', `{"kid":"${ATTACKER_KID}",`)), segment(f.claims())),
    },
    {
      name: 'duplicate "sub" in the payload (another user first), correctly signed',
      token: (f) => realOverSegments(f, segment(f.header), text(JSON.stringify(f.claims()).replace('{', `{"sub":"${f.otherUserId}",`))),
    },
    {
      name: 'duplicate "sub" in the payload (another user last), correctly signed',
      token: (f) => realOverSegments(f, segment(f.header), text(JSON.stringify(f.claims()).replace(/}$/, `,"sub":"${f.otherUserId}"}`))),
    },
    {
      name: 'header with insignificant whitespace, correctly signed',
      token: (f) => realOverSegments(f, text(JSON.stringify(f.header, null, 1)), segment(f.claims())),
    },
    {
      name: 'payload with insignificant whitespace, correctly signed',
      token: (f) => realOverSegments(f, segment(f.header), text(JSON.stringify(f.claims(), null, 1))),
    },
    {
      name: 'payload with a needless \\u escape, correctly signed',
      token: (f) => realOverSegments(f, segment(f.header), text(JSON.stringify(f.claims()).replace('"sub"', '"\\u0073ub"'))),
    },
    {
      name: 'a token over 8 KiB, correctly signed (refused for its length alone)',
      token: (f) => {
        const token = real(f, f.header, { ...f.claims(), pad: 'x'.repeat(9 * 1024) });
        if (token.length <= 8 * 1024) throw new Error('not over 8 KiB');
        return token;
      },
    },

    // the other kind of token
    { name: 'our real refresh token', token: (f) => f.refreshToken },
    {
      name: 'refresh claims (aud #refresh, no roles) under an access header, real key',
      token: (f) => real(f, f.header, claimsOf(f.refreshToken)),
    },

    ...algorithmSpecific(alg),
  ];

  it.each(attacks)('refuses at every access-token route: $name', async ({ token, code }) => {
    await expectRefusedEverywhere(token(f), code ?? 'invalid_token');
  });

  if (alg === 'ES256') {
    it('accepts the high-S twin (r, n - s) of a valid signature: valid ECDSA, and JWS does not require low S', async () => {
      // RFC 7518 3.4 asks for R || S as 32-byte big-endian integers and nothing about S <= n/2 (that rule is Bitcoin's,
      // not JOSE's); OpenSSL accepts both. So anyone holding one of our tokens can mint a second string with the same
      // header and claims, no more. Nothing is keyed on an access token's bytes but the verified-token memo, which only
      // ever holds tokens whose signature verified; sessions are revoked by sid.
      const token = real(f, f.header, f.claims());
      const twin = withSignature(token, replaceScalar(signatureOf(token), 32, false, (s) => P256_N - s));
      expect(twin).not.toBe(token);
      await expectAcceptedEverywhere(twin);
    });
  }

  it('ignores jwk / jku / x5u / x5c headers on a token signed with the real key: accepted as usual, nothing fetched', async () => {
    const headers: Claims[] = [
      { jwk: foreignJwk(f) },
      { jku: `${f.keyServerUrl}/jwks.json` },
      { x5u: `${f.keyServerUrl}/cert.pem` },
      { jku: `${f.keyServerUrl}/jwks.json`, x5u: `${f.keyServerUrl}/cert.pem`, x5c: ['MIIB'] },
    ];
    for (const extra of headers) {
      await expectAcceptedEverywhere(real(f, { ...f.header, ...extra }, f.claims()));
    }
  });

  it('never fetched a jku or x5u URL (the key server counted no request)', () => {
    expect(keyServerHits).toBe(0);
  });

  describe('access tokens at POST /auth/refresh', () => {
    const expectRefreshRefusal = (res: Response) => {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'invalid_token', message: expect.any(String) });
    };

    it('refuses our real access token as the body refreshToken, as Bearer and as the cookie', async () => {
      expectRefreshRefusal(await refreshWithBody(t, f.token));
      expectRefreshRefusal(await t.http().post('/auth/refresh').set('authorization', `Bearer ${f.token}`));
      expectRefreshRefusal(await t.http().post('/auth/refresh').set('cookie', `refresh_token=${f.token}`));
    });

    it('refuses refresh claims signed with our access key, under an access or a refresh header', async () => {
      const refreshClaims = { ...claimsOf(f.refreshToken), jti: randomBytes(16).toString('base64url') };
      expectRefreshRefusal(await refreshWithBody(t, real(f, f.header, refreshClaims)));
      expectRefreshRefusal(await refreshWithBody(t, real(f, { ...headerOf(f.refreshToken), alg: f.alg }, refreshClaims)));
      expectRefreshRefusal(await refreshWithBody(t, real(f, { ...f.header, typ: 'rt+jwt' }, refreshClaims)));
    });

    it('still reissues with the real refresh token afterwards', async () => {
      expect((await refreshWithBody(t, f.refreshToken)).status).toBe(200);
    });
  });

  it('still answers /health after every attack', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});

/** The forms of our public key an attacker can find or derive, each tried as an HS256 secret. */
function publicKeyAsSecret(alg: Alg): Array<{ label: string; secret: (f: Forge) => string | Buffer }> {
  const jwk = (f: Forge) => f.publicKey.export({ format: 'jwk' });
  const pem = (f: Forge) => f.publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const raw = (value: string | undefined) => Buffer.from(String(value), 'base64url');
  return [
    { label: 'SPKI PEM', secret: pem },
    { label: 'SPKI PEM without its final newline', secret: (f) => pem(f).trim() },
    { label: 'SPKI DER bytes', secret: (f) => f.publicKey.export({ format: 'der', type: 'spki' }) },
    { label: 'the JWK JSON we publish', secret: (f) => JSON.stringify(f.publishedJwk) },
    { label: 'the bare JWK JSON', secret: (f) => JSON.stringify(jwk(f)) },
    ...(alg === 'ES256'
      ? [
          { label: 'raw x bytes', secret: (f: Forge) => raw(jwk(f).x) },
          { label: 'the uncompressed point 04 || x || y', secret: (f: Forge) => Buffer.concat([Buffer.from([4]), raw(jwk(f).x), raw(jwk(f).y)]) },
        ]
      : []),
    ...(alg === 'EdDSA' ? [{ label: 'the raw 32-byte public key (x)', secret: (f: Forge) => raw(jwk(f).x) }] : []),
    ...(alg === 'RS256'
      ? [
          { label: 'raw modulus n bytes', secret: (f: Forge) => raw(jwk(f).n) },
          { label: 'PKCS#1 PEM', secret: (f: Forge) => f.publicKey.export({ format: 'pem', type: 'pkcs1' }).toString() },
        ]
      : []),
  ];
}

/** Attacks on the signature encoding of one algorithm. */
function algorithmSpecific(alg: Alg): Attack[] {
  if (alg === 'ES256') {
    return [
      {
        // JWS (RFC 7518 3.4) requires the 64-byte IEEE P1363 R || S; DER is what most crypto APIs produce by default.
        name: 'ES256 signature in DER instead of R || S, over the right input with the real key',
        token: (f) => {
          const token = real(f, f.header, f.claims());
          const der = sign('sha256', Buffer.from(parts(token).slice(0, 2).join('.')), { key: f.privateKey, dsaEncoding: 'der' });
          return withSignature(token, der);
        },
      },
      {
        name: 'ES256 signature with r and s swapped',
        token: (f) => withSignature(f.token, Buffer.concat([signatureOf(f.token).subarray(32), signatureOf(f.token).subarray(0, 32)])),
      },
      { name: 'ES256 signature r = s = n', token: (f) => withSignature(f.token, Buffer.concat([scalar(P256_N), scalar(P256_N)])) },
    ];
  }
  if (alg === 'EdDSA') {
    return [
      {
        // RFC 8032 5.1.7: S must be below the group order L, or one signature has several encodings (malleability).
        name: 'EdDSA signature with S + L in place of S (non-canonical S >= L)',
        token: (f) => {
          const token = real(f, f.header, f.claims());
          return withSignature(token, replaceScalar(signatureOf(token), 32, true, (s) => s + ED25519_L));
        },
      },
      { name: 'EdDSA signature of 63 bytes', token: (f) => withSignature(f.token, signatureOf(f.token).subarray(0, 63)) },
      { name: 'EdDSA signature of 65 bytes', token: (f) => withSignature(f.token, Buffer.concat([signatureOf(f.token), Buffer.from([0])])) },
      {
        name: 'EdDSA signature of 128 bytes (twice the real one)',
        token: (f) => withSignature(f.token, Buffer.concat([signatureOf(f.token), signatureOf(f.token)])),
      },
    ];
  }
  return [
    {
      name: 'RS256 signature left-padded with a zero byte (257 bytes)',
      token: (f) => withSignature(f.token, Buffer.concat([Buffer.from([0]), signatureOf(f.token)])),
    },
    {
      name: 'RS256 header, PKCS#1 v1.5 signature over SHA-1 with the real key',
      token: (f) => withSignature(f.token, sign('sha1', Buffer.from(parts(f.token).slice(0, 2).join('.')), f.privateKey)),
    },
  ];
}

/** A JSON object whose serialization is 1 byte over a multiple of 3, by padding one of its string members. */
function sized(value: Claims, member: string): Claims {
  let result = value;
  while (Buffer.byteLength(JSON.stringify(result)) % 3 !== 1) result = { ...result, [member]: `${String(result[member])}x` };
  return result;
}

const text = (json: string) => Buffer.from(json, 'utf8').toString('base64url');
/** Standard base64 with its "=" padding (a length that needs some), which base64url forbids. */
const base64 = (value: Claims) => Buffer.from(JSON.stringify(sized({ ...value, pad: '' }, 'pad'))).toString('base64');
const scalar = (value: bigint) => Buffer.from(value.toString(16).padStart(64, '0'), 'hex');
