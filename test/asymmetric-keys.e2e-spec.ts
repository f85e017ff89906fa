import { createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, type JSONWebKeySet, type JWK, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimsOf, headerOf, refreshWithBody, signupAndLogin, type TokenPair } from './support/flows.js';
import { signJws } from './support/jws.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/** Access tokens signed with an asymmetric key, verifiable by anyone holding only the published JWK. */

type Alg = 'ES256' | 'EdDSA' | 'RS256';

/** What another service would do: verify with nothing but the JWK from our JWKS (node:crypto, none of our code). */
function verifyWithJwk(token: string, jwk: JsonWebKey, alg: Alg): Record<string, unknown> {
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const [header, payload, signature] = token.split('.');
  const data = Buffer.from(`${header}.${payload}`);
  const digest = alg === 'EdDSA' ? null : 'sha256';
  const valid = verify(digest, data, alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key, Buffer.from(signature, 'base64url'));
  if (!valid) throw new Error('signature does not verify with the published key');
  return claimsOf(token);
}

/** A token with our header and claims, signed by a key that is not ours. */
function signWithForeignKey(header: Record<string, unknown>, claims: object, alg: Alg): string {
  const foreign: Record<Alg, () => KeyObject> = {
    ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
    EdDSA: () => generateKeyPairSync('ed25519').privateKey,
    RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
  };
  return signJws(header, claims, foreign[alg]());
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

describe.each<Alg>(['ES256', 'EdDSA', 'RS256'])('access tokens signed with %s', (alg) => {
  const env = { ACCESS_TOKEN_ALG: alg };
  let t: TestApp;
  let pair: TokenPair;
  let jwks: { keys: Array<JsonWebKey & { kid: string; alg: string; use: string }> };

  beforeAll(async () => {
    t = await createTestApp({ env });
    ({ pair } = await signupAndLogin(t));
    jwks = (await t.http().get('/.well-known/jwks.json')).body;
  });
  afterAll(async () => {
    await t.close();
  });

  const whoami = (app: TestApp, token: string) => app.http().get('/auth/whoami').set('authorization', `Bearer ${token}`);
  const ourJwk = () => jwks.keys.find((key) => key.kid === headerOf(pair.accessToken).kid);

  it('publishes the public key, cacheable, with exactly the public members', async () => {
    const res = await t.http().get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body.keys).toHaveLength(1);
    for (const key of res.body.keys as Array<Record<string, unknown>>) {
      expect(key).toMatchObject({ alg, use: 'sig', kid: expect.any(String) });
      for (const member of PRIVATE_MEMBERS) expect(key).not.toHaveProperty(member);
    }
    const metadata = await t.http().get('/.well-known/oauth-authorization-server');
    expect(metadata.body.jwks_uri).toMatch(/\/\.well-known\/jwks\.json$/);
    expect(metadata.body.access_token_signing_alg_values_supported).toEqual([alg]);
  });

  it('signs access tokens with that algorithm and a kid from the JWKS, verifiable with the JWK alone', async () => {
    expect(headerOf(pair.accessToken)).toEqual({ alg, typ: 'at+jwt', kid: expect.any(String) });
    const jwk = ourJwk();
    expect(jwk).toBeDefined();
    expect(verifyWithJwk(pair.accessToken, jwk as JsonWebKey, alg)).toMatchObject({ sub: claimsOf(pair.accessToken).sub });
    expect((await whoami(t, pair.accessToken)).status).toBe(200);
  });

  it('interoperates: jose, an independent JOSE library, verifies our token with our JWKS, RFC 9068 checks included', async () => {
    const { payload, protectedHeader } = await jwtVerify(pair.accessToken, createLocalJWKSet(jwks as JSONWebKeySet), {
      algorithms: [alg],
      typ: 'at+jwt',
      issuer: 'nest-token-auth',
      audience: 'nest-token-auth-api',
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    });
    expect(protectedHeader.kid).toBe(headerOf(pair.accessToken).kid);
    expect(payload.sub).toBe(claimsOf(pair.accessToken).sub);
    // And the thumbprint we use as kid is the one jose computes (RFC 7638).
    expect(await calculateJwkThumbprint(ourJwk() as JWK)).toBe(headerOf(pair.accessToken).kid);
  });

  it('keeps refresh tokens HS256, and refresh works', async () => {
    expect(headerOf(pair.refreshToken)).toMatchObject({ alg: 'HS256', typ: 'rt+jwt' });
    const res = await refreshWithBody(t, pair.refreshToken);
    expect(res.status).toBe(200);
    expect(headerOf(res.body.accessToken as string).alg).toBe(alg);
    expect((await whoami(t, res.body.accessToken as string)).status).toBe(200);
    pair = res.body as TokenPair;
  });

  it('refuses HS256 tokens that use our public key (PEM or JWK text) as the HMAC secret', async () => {
    const jwk = ourJwk() as JsonWebKey;
    const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString();
    const header = { ...headerOf(pair.accessToken), alg: 'HS256' };
    const claims = claimsOf(pair.accessToken);
    const raw = [jwk.x, jwk.n].filter((member): member is string => typeof member === 'string').map((member) => Buffer.from(member, 'base64url'));
    for (const secret of [pem, pem.trim(), JSON.stringify(jwk), ...raw]) {
      const res = await whoami(t, signJws(header, claims, secret));
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_token');
    }
  });

  it('refuses a token signed by another key of the same type under our kid', async () => {
    const res = await whoami(t, signWithForeignKey(headerOf(pair.accessToken), claimsOf(pair.accessToken), alg));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('keeps issued tokens valid across a restart on the same DATA_DIR', async () => {
    const second = await createTestApp({ dataDir: t.dataDir, env });
    try {
      expect((await whoami(second, pair.accessToken)).status).toBe(200);
      expect((await second.http().get('/.well-known/jwks.json')).body).toEqual(jwks);
    } finally {
      await second.close();
    }
  });
});

describe('access tokens signed with HS256', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('publishes an empty key set and no jwks_uri', async () => {
    const res = await t.http().get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ keys: [] });
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    const metadata = (await t.http().get('/.well-known/oauth-authorization-server')).body;
    expect(metadata).not.toHaveProperty('jwks_uri');
    expect(metadata.access_token_signing_alg_values_supported).toEqual(['HS256']);
  });
});
