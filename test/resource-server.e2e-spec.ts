import { createPublicKey, generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AppModule as ResourceServerModule } from '../examples/resource-server/app.module.js';
import { loadResourceServerConfig, type ResourceServerConfig } from '../examples/resource-server/resource-server.config.js';
import { rotateKeysCommand } from '../src/tokens/keys/rotate-keys.command.js';
import { travel } from './support/clock.js';
import { claimsOf, headerOf, signupAndLogin } from './support/flows.js';
import { segment, signJws } from './support/jws.js';
import { createTestApp, type TestApp } from './support/test-app.js';

/**
 * examples/resource-server — another service that verifies our access tokens with nothing but our JWKS
 * (and, optionally, our introspection endpoint) — against our real service listening on a local port.
 */

type Alg = 'ES256' | 'RS256';

const AUDIENCE = 'nest-token-auth-api';
const INTROSPECTION_CLIENT_ID = 'reports-service';
const INTROSPECTION_CLIENT_SECRET = randomBytes(32).toString('base64url');
/** Our signing secrets, set explicitly so the test can show the resource server never sees them. */
const OUR_SECRETS = {
  ACCESS_TOKEN_SECRET: randomBytes(32).toString('base64url'),
  REFRESH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
};
const RESOURCE_SERVER_VARIABLES = ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL'];
const INTROSPECTION_VARIABLES = ['AUTH_INTROSPECTION_URL', 'AUTH_INTROSPECTION_CLIENT_ID', 'AUTH_INTROSPECTION_CLIENT_SECRET'];

interface AuthServer {
  t: TestApp;
  baseUrl: string;
  /** What a resource server is configured with: all of it read from our RFC 8414 metadata. */
  issuer: string;
  jwksUrl: string;
  introspectionUrl: string;
}

/**
 * Our service, listening on 127.0.0.1 with PUBLIC_BASE_URL (and JWT_ISSUER, so that the RFC 8414 issuer is the
 * tokens' `iss`) pointing at itself, and the resource server registered as an introspection client.
 */
async function startAuthServer(alg: Alg, env: Record<string, string> = {}): Promise<AuthServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await createTestApp({
    env: {
      ACCESS_TOKEN_ALG: alg,
      PUBLIC_BASE_URL: baseUrl,
      JWT_ISSUER: baseUrl,
      JWT_AUDIENCE: AUDIENCE,
      OAUTH_INTROSPECTION_CLIENTS: `${INTROSPECTION_CLIENT_ID}:${INTROSPECTION_CLIENT_SECRET}`,
      ...OUR_SECRETS,
      ...env,
    },
  });
  await t.app.listen(port, '127.0.0.1');
  const metadata = (await t.http().get('/.well-known/oauth-authorization-server').expect(200)).body;
  return { t, baseUrl, issuer: metadata.issuer, jwksUrl: metadata.jwks_uri, introspectionUrl: metadata.introspection_endpoint };
}

/** A port nobody listens on right now (the server must be built knowing its PUBLIC_BASE_URL). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The resource server's environment: only where our keys are and what to require, no secret of ours. */
function resourceServerEnv(auth: AuthServer, { introspection = false } = {}): Record<string, string> {
  return {
    AUTH_ISSUER: auth.issuer,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_JWKS_URL: auth.jwksUrl,
    ...(introspection
      ? {
          AUTH_INTROSPECTION_URL: auth.introspectionUrl,
          AUTH_INTROSPECTION_CLIENT_ID: INTROSPECTION_CLIENT_ID,
          AUTH_INTROSPECTION_CLIENT_SECRET: INTROSPECTION_CLIENT_SECRET,
        }
      : {}),
  };
}

interface ResourceServer {
  config: ResourceServerConfig;
  reports: (accessToken?: string) => request.Test;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/** The example's AppModule built through Test.createTestingModule, as main.ts builds it (not listening). */
async function startResourceServer(env: Record<string, string>): Promise<ResourceServer> {
  const config = loadResourceServerConfig(env);
  const moduleRef = await Test.createTestingModule({ imports: [ResourceServerModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const http = () => request(app.getHttpServer());
  return {
    config,
    http,
    reports: (accessToken) => (accessToken === undefined ? http().get('/reports') : http().get('/reports').set('authorization', `Bearer ${accessToken}`)),
    close: () => app.close(),
  };
}

/** A 401 of the resource server: our error shape, and the RFC 6750 challenge for a bad token. */
function expectInvalidToken(res: { status: number; body: unknown; headers: Record<string, string> }, code = 'invalid_token'): void {
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code, message: expect.any(String) });
  expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+", error="invalid_token", error_description="[^"]+"$/);
}

function expectUnavailable(res: { status: number; body: unknown; headers: Record<string, string> }): void {
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({ statusCode: 503, code: 'service_unavailable' });
  expect(res.headers['retry-after']).toBe('5');
  expect(res.headers['www-authenticate']).toBeUndefined();
}

/** Seconds until a token's exp, plus a margin: where to travel for it to be expired. */
const pastExpiry = (token: string) => Number(claimsOf(token).exp) - Math.floor(Date.now() / 1000) + 5;

describe.each<Alg>(['ES256', 'RS256'])('a resource server verifying our %s access tokens', (alg) => {
  let auth: AuthServer;
  /** Signature, claims and expiry only. */
  let plain: ResourceServer;
  /** The same, plus introspection of every token. */
  let introspecting: ResourceServer;

  beforeAll(async () => {
    auth = await startAuthServer(alg);
    plain = await startResourceServer(resourceServerEnv(auth));
    introspecting = await startResourceServer(resourceServerEnv(auth, { introspection: true }));
  });
  afterAll(async () => {
    await plain?.close();
    await introspecting?.close();
    await auth?.t.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers /reports for an access token from our login, with our sub, roles and session', async () => {
    const { pair, userId } = await signupAndLogin(auth.t);
    const claims = claimsOf(pair.accessToken);
    expect(claims.iss).toBe(auth.issuer);
    for (const server of [plain, introspecting]) {
      const res = await server.reports(pair.accessToken);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ subject: userId, roles: ['user'], session: claims.sid });
    }
  });

  it('serves /health without a token', async () => {
    expect((await plain.http().get('/health')).body).toEqual({ status: 'ok' });
  });

  it('answers 401 without a token, with a challenge that carries no error (RFC 6750 §3.1)', async () => {
    for (const res of [await plain.reports(), await plain.http().get('/reports').auth('someone', 'password')]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'missing_token', message: expect.any(String) });
      expect(res.headers['www-authenticate']).toBe(`Bearer realm="${AUDIENCE}"`);
    }
  });

  it('refuses a token whose payload was changed (another sub), signature kept', async () => {
    const { pair } = await signupAndLogin(auth.t);
    const other = await signupAndLogin(auth.t);
    const [header, , signature] = pair.accessToken.split('.');
    const tampered = `${header}.${segment({ ...claimsOf(pair.accessToken), sub: other.userId })}.${signature}`;
    expectInvalidToken(await plain.reports(tampered));
  });

  it('refuses a token signed by a foreign key of the same type under our kid', async () => {
    const { pair } = await signupAndLogin(auth.t);
    const foreign = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = signJws(headerOf(pair.accessToken), claimsOf(pair.accessToken), foreign.privateKey);
    expectInvalidToken(await plain.reports(forged));
  });

  it('refuses HS256 tokens MACed with our published public key (PEM or JWK text): algorithm confusion', async () => {
    const { pair } = await signupAndLogin(auth.t);
    const jwks = (await auth.t.http().get('/.well-known/jwks.json').expect(200)).body as { keys: Array<JsonWebKey & { kid: string }> };
    const jwk = jwks.keys.find((key) => key.kid === headerOf(pair.accessToken).kid) as JsonWebKey;
    const pem = createPublicKey({ key: jwk, format: 'jwk' }).export({ format: 'pem', type: 'spki' }).toString();
    const header = { ...headerOf(pair.accessToken), alg: 'HS256' };
    for (const secret of [pem, pem.trim(), JSON.stringify(jwk)]) {
      expectInvalidToken(await plain.reports(signJws(header, claimsOf(pair.accessToken), secret)));
    }
  });

  it('refuses our refresh token', async () => {
    const { pair } = await signupAndLogin(auth.t);
    expectInvalidToken(await plain.reports(pair.refreshToken));
    expectInvalidToken(await introspecting.reports(pair.refreshToken));
  });

  it('refuses an expired access token: 401 token_expired', async () => {
    const { pair } = await signupAndLogin(auth.t);
    travel(pastExpiry(pair.accessToken));
    expectInvalidToken(await plain.reports(pair.accessToken), 'token_expired');
  });

  it('after logout on our side: refused at once with introspection, accepted without it until exp (the trade-off)', async () => {
    const { pair } = await signupAndLogin(auth.t);
    expect((await introspecting.reports(pair.accessToken)).status).toBe(200);

    await auth.t.http().post('/auth/logout').send({ refreshToken: pair.refreshToken }).expect(204);

    expectInvalidToken(await introspecting.reports(pair.accessToken), 'token_revoked');
    // Without introspection nothing tells this service the session ended: the token stays good until its exp.
    expect((await plain.reports(pair.accessToken)).status).toBe(200);
    travel(pastExpiry(pair.accessToken));
    expectInvalidToken(await plain.reports(pair.accessToken), 'token_expired');
  });

  it('holds no secret of ours: its configuration is URLs, names and its own introspection credential', () => {
    expect(Object.keys(resourceServerEnv(auth)).sort()).toEqual([...RESOURCE_SERVER_VARIABLES].sort());
    expect(Object.keys(resourceServerEnv(auth, { introspection: true })).sort()).toEqual([...RESOURCE_SERVER_VARIABLES, ...INTROSPECTION_VARIABLES].sort());
    expect(plain.config).toEqual({
      host: '127.0.0.1',
      port: 3100,
      issuer: auth.baseUrl,
      audience: AUDIENCE,
      jwksUrl: `${auth.baseUrl}/.well-known/jwks.json`,
      authServerTimeoutMs: 2000,
      introspection: null,
    });
    expect(introspecting.config.introspection).toEqual({
      url: `${auth.baseUrl}/oauth/introspect`,
      clientId: INTROSPECTION_CLIENT_ID,
      clientSecret: INTROSPECTION_CLIENT_SECRET,
    });
    for (const config of [plain.config, introspecting.config]) {
      for (const secret of Object.values(OUR_SECRETS)) expect(JSON.stringify(config)).not.toContain(secret);
    }
  });
});

describe('a resource server, with a signing key the test holds (ES256)', () => {
  // Our service signs with this fixed key, so the test can make tokens that are correctly signed yet wrong.
  const signingKey: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  let auth: AuthServer;
  let plain: ResourceServer;
  let accessToken: string;
  const servers: ResourceServer[] = [];

  const start = async (env: Record<string, string>) => {
    const server = await startResourceServer(env);
    servers.push(server);
    return server;
  };
  /** Our access token's header and claims with some changed, signed with our real key. */
  const resigned = (header: Record<string, unknown>, claims: Record<string, unknown>) =>
    signJws({ ...headerOf(accessToken), ...header }, { ...claimsOf(accessToken), ...claims }, signingKey);

  beforeAll(async () => {
    auth = await startAuthServer('ES256', { ACCESS_TOKEN_PRIVATE_KEY: signingKey.export({ format: 'pem', type: 'pkcs8' }).toString() });
    plain = await start(resourceServerEnv(auth));
    ({ accessToken } = (await signupAndLogin(auth.t)).pair);
  });
  afterAll(async () => {
    for (const server of servers) await server.close();
    await auth?.t.close();
  });

  describe('only access tokens for this issuer and audience', () => {
    it('accepts our token re-signed unchanged (so the refusals below are about what was changed)', async () => {
      expect((await plain.reports(resigned({}, {}))).status).toBe(200);
    });

    it.each([
      ['typ JWT', { typ: 'JWT' }],
      ['typ rt+jwt (our refresh tokens)', { typ: 'rt+jwt' }],
      ['no typ', { typ: undefined }],
    ])('refuses a correctly signed token with %s', async (_name, header) => {
      expectInvalidToken(await plain.reports(resigned(header, {})));
    });

    it('accepts typ application/at+jwt, the long form RFC 9068 allows', async () => {
      expect((await plain.reports(resigned({ typ: 'application/at+jwt' }, {}))).status).toBe(200);
    });

    it.each([
      ['another iss', { iss: 'https://other-issuer.example' }],
      ['another aud', { aud: 'another-api' }],
      ['no exp', { exp: undefined }],
      ['no sid', { sid: undefined }],
    ])('refuses a correctly signed token with %s', async (_name, claims) => {
      expectInvalidToken(await plain.reports(resigned({}, claims)));
    });

    it('refuses our token where the resource server expects another audience or issuer', async () => {
      const otherAudience = await start({ ...resourceServerEnv(auth), AUTH_AUDIENCE: 'another-api' });
      const otherIssuer = await start({ ...resourceServerEnv(auth), AUTH_ISSUER: 'https://other-issuer.example' });
      expectInvalidToken(await otherAudience.reports(accessToken));
      expectInvalidToken(await otherIssuer.reports(accessToken));
    });
  });

  describe('failing closed when our service cannot answer', () => {
    it('answers 503, not 401, when introspection is unreachable, and serves nothing', async () => {
      const unreachable = await start({
        ...resourceServerEnv(auth, { introspection: true }),
        AUTH_INTROSPECTION_URL: `http://127.0.0.1:${await freePort()}/oauth/introspect`,
        AUTH_SERVER_TIMEOUT_MS: '500',
      });
      expectUnavailable(await unreachable.reports(accessToken));
    });

    it('answers 503 when introspection refuses its client credentials (a misconfiguration of its own)', async () => {
      const misconfigured = await start({ ...resourceServerEnv(auth, { introspection: true }), AUTH_INTROSPECTION_CLIENT_SECRET: 'w'.repeat(40) });
      expectUnavailable(await misconfigured.reports(accessToken));
    });

    it('answers 503 when the JWKS cannot be fetched for a key it does not know yet', async () => {
      const noKeys = await start({ ...resourceServerEnv(auth), AUTH_JWKS_URL: `http://127.0.0.1:${await freePort()}/.well-known/jwks.json` });
      expectUnavailable(await noKeys.reports(accessToken));
    });
  });
});

describe('resource server configuration', () => {
  const valid = {
    AUTH_ISSUER: 'https://auth.example.com',
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_JWKS_URL: 'https://auth.example.com/.well-known/jwks.json',
  };
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadResourceServerConfig(env);
    } catch (error) {
      return (error as { problems: string[] }).problems;
    }
    return [];
  };

  it('names every missing variable at once', () => {
    expect(problemsOf({})).toEqual(['AUTH_ISSUER: is required', 'AUTH_AUDIENCE: is required', 'AUTH_JWKS_URL: is required']);
  });

  it('wants all three introspection variables or none', () => {
    expect(problemsOf({ ...valid, AUTH_INTROSPECTION_URL: 'https://auth.example.com/oauth/introspect' })).toEqual([
      expect.stringMatching(/^AUTH_INTROSPECTION_CLIENT_ID, AUTH_INTROSPECTION_CLIENT_SECRET: /),
    ]);
  });

  it('refuses plain http except to this machine, and a malformed PORT', () => {
    expect(problemsOf({ ...valid, AUTH_JWKS_URL: 'http://auth.example.com/.well-known/jwks.json', PORT: 'eighty' })).toEqual([
      expect.stringMatching(/^PORT: /),
      expect.stringMatching(/^AUTH_JWKS_URL: must be an https URL/),
    ]);
    expect(problemsOf({ ...valid, AUTH_JWKS_URL: 'http://localhost:3000/.well-known/jwks.json' })).toEqual([]);
  });
});

describe('key rotation, seen from a resource server', () => {
  let auth: AuthServer;
  let server: ResourceServer;
  const DELAY = 60;

  beforeAll(async () => {
    auth = await startAuthServer('ES256', { ACCESS_TOKEN_KEYSET_RELOAD_SECONDS: '1' });
    server = await startResourceServer(resourceServerEnv(auth));
  });
  afterAll(async () => {
    await server?.close();
    await auth?.t.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps accepting a token signed before the rotation until its exp, and accepts tokens of the new key', async () => {
    const { pair, body } = await signupAndLogin(auth.t);
    expect((await server.reports(pair.accessToken)).status).toBe(200);
    const oldKid = headerOf(pair.accessToken).kid;

    const rotation = rotateKeysCommand(['--delay', String(DELAY)], { ACCESS_TOKEN_ALG: 'ES256', DATA_DIR: auth.t.dataDir });
    expect(rotation.exitCode, rotation.output).toBe(0);
    // Our instance reloads the key set and publishes the next key before it signs anything.
    await vi.waitFor(async () => expect((await auth.t.http().get('/.well-known/jwks.json')).body.keys).toHaveLength(2), { timeout: 5000 });

    travel(DELAY + 1);
    const login = await auth.t.http().post('/auth/login').send({ login: body.username, password: body.password });
    const fresh = login.body.accessToken as string;
    expect(headerOf(fresh).kid).not.toBe(oldKid);
    // The resource server fetched our JWKS before the rotation; an unknown kid makes it fetch again.
    expect((await server.reports(fresh)).status).toBe(200);
    expect((await server.reports(pair.accessToken)).status).toBe(200);

    travel(pastExpiry(pair.accessToken));
    expectInvalidToken(await server.reports(pair.accessToken), 'token_expired');
    expect((await server.reports(fresh)).status).toBe(200);
  });
});
