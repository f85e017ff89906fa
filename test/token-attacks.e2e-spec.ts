import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Response } from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { claimsOf, headerOf, refreshWithBody, signupAndLogin, type TokenPair } from './support/flows.js';
import { segment, signJws, signSegments } from './support/jws.js';
import { createTestApp, type TestApp } from './support/test-app.js';
import { travel } from './support/clock.js';

/**
 * Hostile and malformed tokens. The app runs with secrets we chose, so a forged token can be signed with
 * the real key: a token refused here is refused for the defect under test, not for a bad signature.
 */

const ACCESS_SECRET = randomBytes(32).toString('base64url');
const REFRESH_SECRET = randomBytes(32).toString('base64url');
/** A key the service has never seen: what an attacker would sign with. */
const FOREIGN_SECRET = randomBytes(32).toString('base64url');

type Claims = Record<string, unknown>;
/** The token with its payload patched and the original signature kept. */
function tamper(token: string, patch: Claims): string {
  const [header, , signature] = token.split('.');
  return `${header}.${segment({ ...claimsOf(token), ...patch })}.${signature}`;
}

/** One character of the signature (not the last, whose low bits may be padding) replaced. */
function flipSignatureChar(token: string): string {
  const [header, payload, signature] = token.split('.');
  const i = Math.floor(signature.length / 2);
  const flipped = signature[i] === 'A' ? 'B' : 'A';
  return `${header}.${payload}.${signature.slice(0, i)}${flipped}${signature.slice(i + 1)}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

interface Forge {
  issuer: string;
  audience: string;
  /** The header of a real access token: { alg: 'HS256', typ: 'at+jwt', kid }. */
  accessHeader: Claims;
  refreshHeader: Claims;
  /** Valid access claims for the test user, freshly dated. */
  claims: () => Claims;
  /** Valid refresh claims for the test user's session, freshly dated. */
  refreshClaims: () => Claims;
  /** A real access token of the test user, and one of another user. */
  token: string;
  otherToken: string;
  otherUserId: string;
  /** Where jku / x5u headers point: a local server that counts the requests it gets. */
  keyServerUrl: string;
}

const ACCESS_ROUTES = ['/auth/whoami', '/users/me'] as const;

describe('token attacks', () => {
  let t: TestApp;
  let f: Forge;
  let pair: TokenPair;
  let userId: string;
  let keyServer: Server;
  let keyServerHits = 0;

  beforeAll(async () => {
    keyServer = createServer((_request, response) => {
      keyServerHits += 1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [{ kty: 'oct', k: FOREIGN_SECRET, alg: 'HS256' }] }));
    });
    await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));

    t = await createTestApp({ env: { ACCESS_TOKEN_SECRET: ACCESS_SECRET, REFRESH_TOKEN_SECRET: REFRESH_SECRET } });
    const me = await signupAndLogin(t);
    const other = await signupAndLogin(t);
    pair = me.pair;
    userId = me.userId;
    const accessClaims = claimsOf(pair.accessToken);
    const refreshClaims = claimsOf(pair.refreshToken);
    f = {
      issuer: String(accessClaims.iss),
      audience: String(accessClaims.aud),
      accessHeader: headerOf(pair.accessToken),
      refreshHeader: headerOf(pair.refreshToken),
      claims: () => ({ ...accessClaims, jti: randomBytes(16).toString('base64url'), iat: nowSeconds(), exp: nowSeconds() + 600 }),
      refreshClaims: () => ({ ...refreshClaims, jti: randomBytes(16).toString('base64url'), iat: nowSeconds(), exp: nowSeconds() + 3600 }),
      token: pair.accessToken,
      otherToken: other.pair.accessToken,
      otherUserId: other.userId,
      keyServerUrl: `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`,
    };
  });
  afterAll(async () => {
    await t.close();
    await new Promise<void>((resolve, reject) => keyServer.close((error) => (error ? reject(error) : resolve())));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const callWith = (route: string, token?: string) => {
    const request = t.http().get(route);
    return token === undefined ? request : request.set('authorization', `Bearer ${token}`);
  };

  /** 401 in the one error shape, with the RFC 6750 challenge. */
  function expectAccessRefusal(res: Response, code: string): void {
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code, message: expect.any(String) });
    const challenge = String(res.headers['www-authenticate']);
    expect(challenge).toMatch(/^Bearer realm="/);
    if (code === 'missing_token') {
      expect(challenge).toBe(`Bearer realm="${f.issuer}"`);
    } else {
      expect(challenge).toContain('error="invalid_token"');
    }
  }

  async function expectRefusedEverywhere(token: string, code = 'invalid_token'): Promise<void> {
    for (const route of ACCESS_ROUTES) {
      expectAccessRefusal(await callWith(route, token), code);
    }
  }

  function expectRefreshRefusal(res: Response, code: string): void {
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code, message: expect.any(String) });
  }

  describe('controls', () => {
    it('lets a real access token reach /auth/whoami with exactly the documented claims and no secret', async () => {
      const res = await callWith('/auth/whoami', pair.accessToken);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['aud', 'email_verified', 'exp', 'iat', 'iss', 'jti', 'name', 'roles', 'sid', 'sub', 'username']);
      expect(res.body).toEqual(claimsOf(pair.accessToken));
      expect(res.body).toMatchObject({ sub: userId, roles: ['user'], iss: f.issuer, aud: f.audience });
      expect(typeof res.body.sid).toBe('string');
      expect(typeof res.body.jti).toBe('string');
      expect(Number(res.body.exp)).toBeGreaterThan(Number(res.body.iat));
      for (const secret of [ACCESS_SECRET, REFRESH_SECRET]) {
        expect(res.text).not.toContain(secret);
        expect(JSON.stringify(res.headers)).not.toContain(secret);
      }
      expect(res.text).not.toMatch(/password|hash|refresh/i);
      expect(f.accessHeader).toEqual({ alg: 'HS256', typ: 'at+jwt', kid: expect.any(String) });
      expect(f.refreshHeader).toEqual({ alg: 'HS256', typ: 'rt+jwt', kid: expect.any(String) });
      expect(f.refreshHeader.kid).not.toBe(f.accessHeader.kid);
      expect(claimsOf(pair.refreshToken).aud).toBe(`${f.issuer}#refresh`);
    });

    it('accepts a token forged here with the real key and header (so the refusals below are for the defect alone)', async () => {
      const token = signJws(f.accessHeader, f.claims(), ACCESS_SECRET);
      for (const route of ACCESS_ROUTES) {
        expect((await callWith(route, token)).status).toBe(200);
      }
    });

    it('answers a missing Authorization header with 401 missing_token and a challenge without an error attribute', async () => {
      for (const route of ACCESS_ROUTES) {
        const res = await callWith(route);
        expectAccessRefusal(res, 'missing_token');
        expect(String(res.headers['www-authenticate'])).not.toContain('error=');
      }
    });
  });

  const attacks: Array<{ name: string; token: (f: Forge) => string; code?: string }> = [
    // alg none
    ...['none', 'None', 'NONE'].map((alg) => ({
      name: `alg "${alg}" with an empty signature`,
      token: (f: Forge) => `${segment({ ...f.accessHeader, alg })}.${segment(f.claims())}.`,
    })),
    {
      name: 'alg "none" without typ or kid',
      token: (f) => `${segment({ alg: 'none' })}.${segment(f.claims())}.`,
    },
    // signatures
    { name: 'signature stripped', token: (f) => f.token.split('.').slice(0, 2).join('.') + '.' },
    {
      name: "signature taken from another user's token",
      token: (f) => `${f.token.split('.').slice(0, 2).join('.')}.${f.otherToken.split('.')[2]}`,
    },
    { name: 'payload sub changed without re-signing', token: (f) => tamper(f.token, { sub: f.otherUserId }) },
    { name: 'payload roles changed without re-signing', token: (f) => tamper(f.token, { roles: ['user', 'admin'] }) },
    { name: 'payload sid changed without re-signing', token: (f) => tamper(f.token, { sid: randomUUID() }) },
    { name: 'payload exp pushed back without re-signing', token: (f) => tamper(f.token, { exp: nowSeconds() + 365 * 24 * 3600 }) },
    { name: 're-signed with a foreign key (real header and kid)', token: (f) => signJws(f.accessHeader, f.claims(), FOREIGN_SECRET) },
    {
      name: 'signed with the refresh key (header otherwise that of an access token)',
      token: (f) => signJws(f.accessHeader, f.claims(), REFRESH_SECRET),
    },
    {
      name: 'access typ signed with the refresh key under the refresh kid',
      token: (f) => signJws({ ...f.accessHeader, kid: f.refreshHeader.kid }, f.claims(), REFRESH_SECRET),
    },
    ...(['HS384', 'HS512'] as const).map((alg) => ({
      name: `real key, but alg ${alg} instead of the key's pinned HS256`,
      token: (f: Forge) => signJws({ ...f.accessHeader, alg }, f.claims(), ACCESS_SECRET),
    })),
    // correctly signed, wrong header or claims
    { name: 'real key, typ "JWT"', token: (f) => signJws({ ...f.accessHeader, typ: 'JWT' }, f.claims(), ACCESS_SECRET) },
    { name: 'real key, typ "rt+jwt"', token: (f) => signJws({ ...f.accessHeader, typ: 'rt+jwt' }, f.claims(), ACCESS_SECRET) },
    {
      name: 'real key, no typ',
      token: (f) => signJws({ alg: 'HS256', kid: f.accessHeader.kid }, f.claims(), ACCESS_SECRET),
    },
    { name: 'real key, no kid', token: (f) => signJws({ alg: 'HS256', typ: 'at+jwt' }, f.claims(), ACCESS_SECRET) },
    { name: 'real key, wrong iss', token: (f) => signJws(f.accessHeader, { ...f.claims(), iss: 'https://evil.example' }, ACCESS_SECRET) },
    { name: 'real key, no iss', token: (f) => signJws(f.accessHeader, { ...f.claims(), iss: undefined }, ACCESS_SECRET) },
    { name: 'real key, wrong aud', token: (f) => signJws(f.accessHeader, { ...f.claims(), aud: 'some-other-api' }, ACCESS_SECRET) },
    {
      name: 'real key, aud of refresh tokens',
      token: (f) => signJws(f.accessHeader, { ...f.claims(), aud: `${f.issuer}#refresh` }, ACCESS_SECRET),
    },
    {
      name: 'real key, aud array without our audience',
      token: (f) => signJws(f.accessHeader, { ...f.claims(), aud: ['some-other-api', `${f.audience}-x`, f.issuer] }, ACCESS_SECRET),
    },
    { name: 'real key, no aud', token: (f) => signJws(f.accessHeader, { ...f.claims(), aud: undefined }, ACCESS_SECRET) },
    // time claims
    {
      name: 'real key, exp in the past',
      token: (f) => signJws(f.accessHeader, { ...f.claims(), iat: nowSeconds() - 960, exp: nowSeconds() - 60 }, ACCESS_SECRET),
      code: 'token_expired',
    },
    {
      name: 'foreign key, exp in the past (the signature is judged before expiry)',
      token: (f) => signJws(f.accessHeader, { ...f.claims(), iat: nowSeconds() - 960, exp: nowSeconds() - 60 }, FOREIGN_SECRET),
    },
    {
      name: 'real key, no exp at all (would never expire)',
      token: (f) => signJws(f.accessHeader, (({ exp: _exp, ...rest }) => rest)(f.claims()), ACCESS_SECRET),
    },
    { name: 'real key, sub of the wrong type', token: (f) => signJws(f.accessHeader, { ...f.claims(), sub: 42 }, ACCESS_SECRET) },
    { name: 'real key, roles not an array', token: (f) => signJws(f.accessHeader, { ...f.claims(), roles: 'admin' }, ACCESS_SECRET) },
    { name: 'real key, huge exp beyond safe integers', token: (f) => signJws(f.accessHeader, { ...f.claims(), exp: 1e300 }, ACCESS_SECRET) },
    { name: 'real key, nbf in the future', token: (f) => signJws(f.accessHeader, { ...f.claims(), nbf: nowSeconds() + 600 }, ACCESS_SECRET) },
    {
      name: 'real key, non-numeric exp (string of digits)',
      token: (f) => signJws(f.accessHeader, { ...f.claims(), exp: String(nowSeconds() + 600) }, ACCESS_SECRET),
    },
    { name: 'real key, non-numeric exp ("never")', token: (f) => signJws(f.accessHeader, { ...f.claims(), exp: 'never' }, ACCESS_SECRET) },
    // structure and encoding
    { name: '1 segment', token: () => 'not-a-jwt' },
    { name: '2 segments', token: (f) => f.token.split('.').slice(0, 2).join('.') },
    { name: '4 segments', token: (f) => `${f.token}.${f.token.split('.')[2]}` },
    { name: 'invalid base64url in the header', token: (f) => `e%yJ*!.${f.token.split('.')[1]}.${f.token.split('.')[2]}` },
    {
      name: 'invalid base64url in the payload, correctly signed over it',
      token: (f) => signSegments(segment(f.accessHeader), 'e%yJ*!~', 'HS256', ACCESS_SECRET),
    },
    { name: 'invalid base64url in the signature', token: (f) => `${f.token.split('.').slice(0, 2).join('.')}.%%%*!~` },
    { name: 'header that is not JSON', token: (f) => signSegments(Buffer.from('{alg:HS256').toString('base64url'), segment(f.claims()), 'HS256', ACCESS_SECRET) },
    {
      name: 'payload that is a JSON array, correctly signed',
      token: (f) => signJws(f.accessHeader, [f.claims()], ACCESS_SECRET),
    },
    { name: 'payload that is JSON null, correctly signed', token: (f) => signJws(f.accessHeader, null, ACCESS_SECRET) },
    {
      name: 'duplicate keys in the header ("alg" twice), correctly signed',
      token: (f) => {
        const header = JSON.stringify(f.accessHeader).replace('{', '{"alg":"none",');
        return signSegments(Buffer.from(header).toString('base64url'), segment(f.claims()), 'HS256', ACCESS_SECRET);
      },
    },
    {
      name: 'duplicate keys in the payload ("sub" twice), correctly signed',
      token: (f) => {
        const payload = JSON.stringify(f.claims()).replace('{', `{"sub":"${f.otherUserId}",`);
        return signSegments(segment(f.accessHeader), Buffer.from(payload).toString('base64url'), 'HS256', ACCESS_SECRET);
      },
    },
    {
      name: 'payload with insignificant whitespace, correctly signed',
      token: (f) => signSegments(segment(f.accessHeader), Buffer.from(JSON.stringify(f.claims(), null, 1)).toString('base64url'), 'HS256', ACCESS_SECRET),
    },
    // key-discovery headers: only the key ring counts
    {
      name: 'jwk header carrying the foreign key, signed with it',
      token: (f) => signJws({ ...f.accessHeader, jwk: { kty: 'oct', k: FOREIGN_SECRET, alg: 'HS256' } }, f.claims(), FOREIGN_SECRET),
    },
    {
      name: 'jku header pointing at a key set, signed with the foreign key',
      token: (f) => signJws({ ...f.accessHeader, jku: `${f.keyServerUrl}/jwks.json` }, f.claims(), FOREIGN_SECRET),
    },
    {
      name: 'x5u header pointing somewhere, signed with the foreign key',
      token: (f) => signJws({ ...f.accessHeader, x5u: `${f.keyServerUrl}/cert.pem` }, f.claims(), FOREIGN_SECRET),
    },
    // hostile kid values, under the foreign key and under the real one
    ...['../../etc/passwd', "' OR 1=1 --", '__proto__', 'constructor', '', 'at-'].flatMap((kid) => [
      {
        name: `kid ${JSON.stringify(kid)}, foreign key`,
        token: (f: Forge) => signJws({ ...f.accessHeader, kid }, f.claims(), FOREIGN_SECRET),
      },
      {
        name: `kid ${JSON.stringify(kid)}, real key`,
        token: (f: Forge) => signJws({ ...f.accessHeader, kid }, f.claims(), ACCESS_SECRET),
      },
    ]),
    { name: 'kid that is not a string', token: (f) => signJws({ ...f.accessHeader, kid: { $ne: null } }, f.claims(), ACCESS_SECRET) },
    // the other kind of token
    { name: 'a real refresh token', token: () => pair.refreshToken },
    {
      name: 'refresh claims signed with the refresh key under an access header',
      token: (f) => signJws(f.accessHeader, f.refreshClaims(), REFRESH_SECRET),
    },
  ];

  it.each(attacks)('refuses at every access-token route: $name', async ({ token, code }) => {
    await expectRefusedEverywhere(token(f), code ?? 'invalid_token');
  });

  it('refuses a token over 8 KiB in the Authorization header with 401 invalid_token (not 431, not 500)', async () => {
    const token = signJws(f.accessHeader, { ...f.claims(), pad: 'x'.repeat(9 * 1024) }, FOREIGN_SECRET);
    expect(token.length).toBeGreaterThan(8 * 1024);
    await expectRefusedEverywhere(token);
  });

  describe('key-discovery headers', () => {
    it('ignores jwk / jku / x5u on a token signed with the real key (accepted normally) and never fetches them', async () => {
      const headers = [
        { jwk: { kty: 'oct', k: FOREIGN_SECRET, alg: 'HS256' } },
        { jku: `${f.keyServerUrl}/jwks.json` },
        { x5u: `${f.keyServerUrl}/cert.pem` },
        { jku: `${f.keyServerUrl}/jwks.json`, x5u: `${f.keyServerUrl}/cert.pem`, x5c: ['MIIB'] },
      ];
      for (const extra of headers) {
        const token = signJws({ ...f.accessHeader, ...extra }, f.claims(), ACCESS_SECRET);
        const res = await callWith('/auth/whoami', token);
        expect(res.status).toBe(200);
        expect(res.body.sub).toBe(userId);
      }
      for (const extra of headers) {
        await expectRefusedEverywhere(signJws({ ...f.accessHeader, ...extra }, f.claims(), FOREIGN_SECRET));
      }
      expect(keyServerHits).toBe(0);
    });
  });

  describe('expiry with the real clock moved', () => {
    it('answers a real access token past its exp with 401 token_expired', async () => {
      const { pair: fresh } = await signupAndLogin(t);
      travel(16 * 60);
      await expectRefusedEverywhere(fresh.accessToken, 'token_expired');
      const res = await callWith('/auth/whoami', fresh.accessToken);
      expect(String(res.headers['www-authenticate'])).toContain('error_description="The token has expired"');
    });
  });

  describe('refresh tokens at POST /auth/refresh', () => {
    it('refuses the refresh token of a deleted user with 401', async () => {
      const { pair: fresh, body } = await signupAndLogin(t);
      await t.http().delete('/users/me').set('authorization', `Bearer ${fresh.accessToken}`).send({ password: body.password }).expect(204);
      const res = await refreshWithBody(t, fresh.refreshToken);
      expectRefreshRefusal(res, 'refresh_token_revoked');
    });

    it('refuses an access token sent as the body refreshToken with 401 invalid_token', async () => {
      const { pair: fresh } = await signupAndLogin(t);
      expectRefreshRefusal(await refreshWithBody(t, fresh.accessToken), 'invalid_token');
    });

    it('refuses an access token sent as Authorization: Bearer with 401 invalid_token', async () => {
      const { pair: fresh } = await signupAndLogin(t);
      const res = await t.http().post('/auth/refresh').set('authorization', `Bearer ${fresh.accessToken}`);
      expectRefreshRefusal(res, 'invalid_token');
    });

    it('refuses an access token sent as the refresh_token cookie with 401 invalid_token', async () => {
      const { pair: fresh } = await signupAndLogin(t);
      const res = await t.http().post('/auth/refresh').set('cookie', `refresh_token=${fresh.accessToken}`);
      expectRefreshRefusal(res, 'invalid_token');
    });

    it('refuses a damaged refresh token (flipped signature character, truncations) and leaves the real one usable', async () => {
      const { pair: fresh } = await signupAndLogin(t);
      const damaged = [
        flipSignatureChar(fresh.refreshToken),
        fresh.refreshToken.slice(0, -1),
        fresh.refreshToken.slice(0, -10),
        fresh.refreshToken.slice(0, fresh.refreshToken.lastIndexOf('.') + 1),
        fresh.refreshToken.slice(0, fresh.refreshToken.lastIndexOf('.')),
        fresh.refreshToken.slice(0, Math.floor(fresh.refreshToken.length / 2)),
      ];
      for (const token of damaged) {
        expectRefreshRefusal(await refreshWithBody(t, token), 'invalid_token');
        expectRefreshRefusal(await t.http().post('/auth/refresh').set('authorization', `Bearer ${token}`), 'invalid_token');
      }
      expect((await refreshWithBody(t, fresh.refreshToken)).status).toBe(200);
    });

    it('refuses forged refresh tokens: alg none, foreign key, access key, wrong aud, wrong typ', async () => {
      const forged = [
        `${segment({ ...f.refreshHeader, alg: 'none' })}.${segment(f.refreshClaims())}.`,
        signJws(f.refreshHeader, f.refreshClaims(), FOREIGN_SECRET),
        signJws({ ...f.refreshHeader, kid: f.accessHeader.kid }, f.refreshClaims(), ACCESS_SECRET),
        signJws(f.refreshHeader, { ...f.refreshClaims(), aud: f.audience }, REFRESH_SECRET),
        signJws({ ...f.refreshHeader, typ: 'at+jwt' }, f.refreshClaims(), REFRESH_SECRET),
        signJws({ ...f.refreshHeader, kid: '../../etc/passwd' }, f.refreshClaims(), REFRESH_SECRET),
        tamper(pair.refreshToken, { sub: f.otherUserId }),
      ];
      for (const token of forged) {
        expectRefreshRefusal(await refreshWithBody(t, token), 'invalid_token');
      }
    });

    it('answers a correctly signed refresh token past its exp with 401 refresh_token_expired', async () => {
      const token = signJws(f.refreshHeader, { ...f.refreshClaims(), iat: nowSeconds() - 7200, exp: nowSeconds() - 60 }, REFRESH_SECRET);
      expectRefreshRefusal(await refreshWithBody(t, token), 'refresh_token_expired');
    });

    it('answers a refresh token over 8 KiB (bearer or body) with 401 invalid_token: it was sent, so it is not missing', async () => {
      const token = signJws(f.refreshHeader, { ...f.refreshClaims(), pad: 'x'.repeat(9 * 1024) }, FOREIGN_SECRET);
      expect(token.length).toBeGreaterThan(8 * 1024);
      expectRefreshRefusal(await t.http().post('/auth/refresh').set('authorization', `Bearer ${token}`), 'invalid_token');
      expectRefreshRefusal(await refreshWithBody(t, token), 'invalid_token');
    });

    it('answers no refresh token at all with 401 missing_refresh_token', async () => {
      expectRefreshRefusal(await t.http().post('/auth/refresh').send({}), 'missing_refresh_token');
      expectRefreshRefusal(await t.http().post('/auth/refresh'), 'missing_refresh_token');
    });
  });
});
