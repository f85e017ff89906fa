import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { claimsOf, headerOf, refreshWithBody, signupAndLogin } from './support/flows.js';
import { travel } from './support/clock.js';
import { createTestApp, type TestApp } from './support/test-app.js';

const CLIENT_ID = 'resource-server';
const CLIENT_SECRET = randomBytes(32).toString('base64url');
const PUBLIC_BASE_URL = 'https://auth.example.test';

describe('OAuth endpoints (RFC 7009, 7662, 8414)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { OAUTH_INTROSPECTION_CLIENTS: `${CLIENT_ID}:${CLIENT_SECRET},other-rs:${'s'.repeat(40)}`, PUBLIC_BASE_URL },
    });
  });
  afterAll(() => t.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const whoami = (accessToken: string) => t.http().get('/auth/whoami').set('authorization', `Bearer ${accessToken}`);
  const revokeForm = (fields: Record<string, string>) =>
    t.http().post('/oauth/revoke').type('form').send(new URLSearchParams(fields).toString());
  const introspect = (fields: Record<string, string>, secret = CLIENT_SECRET) =>
    t.http().post('/oauth/introspect').auth(CLIENT_ID, secret).type('form').send(new URLSearchParams(fields).toString());

  describe('POST /oauth/revoke', () => {
    it('revokes a refresh token sent as a form: 200 empty, then its refresh and its access token are refused', async () => {
      const { pair } = await signupAndLogin(t);
      const res = await revokeForm({ token: pair.refreshToken, token_type_hint: 'refresh_token' });
      expect(res.status).toBe(200);
      expect(res.text).toBe('');

      expect((await refreshWithBody(t, pair.refreshToken)).body).toMatchObject({ statusCode: 401, code: 'refresh_token_revoked' });
      expect((await whoami(pair.accessToken)).body).toMatchObject({ statusCode: 401, code: 'token_revoked' });
    });

    it('revokes a refresh token sent as JSON, without a hint', async () => {
      const { pair } = await signupAndLogin(t);
      await t.http().post('/oauth/revoke').send({ token: pair.refreshToken }).expect(200);
      expect((await refreshWithBody(t, pair.refreshToken)).status).toBe(401);
      expect((await whoami(pair.accessToken)).body.code).toBe('token_revoked');
    });

    it('revokes an access token: its session ends, refresh token included, whatever the hint says', async () => {
      const { pair } = await signupAndLogin(t);
      await revokeForm({ token: pair.accessToken, token_type_hint: 'refresh_token' }).expect(200);
      expect((await whoami(pair.accessToken)).body.code).toBe('token_revoked');
      expect((await refreshWithBody(t, pair.refreshToken)).body.code).toBe('refresh_token_revoked');
    });

    it('revokes an expired access token too', async () => {
      const { pair } = await signupAndLogin(t);
      travel(3600);
      await revokeForm({ token: pair.accessToken }).expect(200);
      expect((await refreshWithBody(t, pair.refreshToken)).body.code).toBe('refresh_token_revoked');
    });

    it.each([
      ['garbage', 'not-a-token'],
      ['a JWT of nobody', jwt.sign({ sub: 'x' }, 'y'.repeat(32))],
      ['an empty-looking token', '...'],
    ])('answers 200 with an empty body for %s', async (_name, token) => {
      const res = await revokeForm({ token });
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
    });

    it('answers 200 again for an already revoked token', async () => {
      const { pair } = await signupAndLogin(t);
      await revokeForm({ token: pair.refreshToken }).expect(200);
      await revokeForm({ token: pair.refreshToken }).expect(200);
      await revokeForm({ token: pair.accessToken }).expect(200);
    });

    it("does not end a victim's session for a forged token naming it", async () => {
      const victim = await signupAndLogin(t);
      const forged = jwt.sign({ ...claimsOf(victim.pair.accessToken), jti: 'forged' }, randomBytes(32), {
        algorithm: 'HS256',
        header: { ...headerOf(victim.pair.accessToken), alg: 'HS256' },
      });
      await revokeForm({ token: forged, token_type_hint: 'access_token' }).expect(200);

      expect((await whoami(victim.pair.accessToken)).status).toBe(200);
      expect((await refreshWithBody(t, victim.pair.refreshToken)).status).toBe(200);
    });

    it('answers 400 validation_failed without a token, and for a repeated one', async () => {
      const missing = await revokeForm({ token_type_hint: 'access_token' });
      expect(missing.status).toBe(400);
      expect(missing.body).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ field: 'token' })] });
      const twice = await t.http().post('/oauth/revoke').type('form').send('token=a&token=b');
      expect(twice.body.code).toBe('validation_failed');
    });

    it('keeps the rest of the API JSON-only: form bodies still get 415 outside /oauth/', async () => {
      const res = await t.http().post('/auth/login').type('form').send('login=a&password=b');
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('unsupported_media_type');
    });
  });

  describe('POST /oauth/introspect', () => {
    it('refuses a caller without credentials: 401 invalid_client with a Basic challenge', async () => {
      const { pair } = await signupAndLogin(t);
      const res = await t.http().post('/oauth/introspect').type('form').send(`token=${pair.accessToken}`);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'invalid_client' });
      expect(res.headers['www-authenticate']).toMatch(/^Basic realm="[^"]+"/);
    });

    it('refuses a wrong secret, an unknown client and a bearer token', async () => {
      const { pair } = await signupAndLogin(t);
      expect((await introspect({ token: pair.accessToken }, 'wrong-secret')).body.code).toBe('invalid_client');
      const unknown = await t.http().post('/oauth/introspect').auth('nobody', CLIENT_SECRET).send({ token: pair.accessToken });
      expect(unknown.status).toBe(401);
      const bearer = await t.http().post('/oauth/introspect').set('authorization', `Bearer ${pair.accessToken}`).send({ token: pair.accessToken });
      expect(bearer.status).toBe(401);
      expect(bearer.headers['www-authenticate']).toMatch(/^Basic /);
    });

    it('describes a live access token, no-store', async () => {
      const { pair, userId, body } = await signupAndLogin(t);
      const claims = claimsOf(pair.accessToken);
      const res = await introspect({ token: pair.accessToken, token_type_hint: 'access_token' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        active: true,
        token_type: 'access_token',
        sub: userId,
        sid: claims.sid,
        scope: 'user',
        roles: ['user'],
        username: body.username,
        exp: claims.exp,
        iat: claims.iat,
        iss: claims.iss,
        aud: claims.aud,
        jti: claims.jti,
      });
    });

    it('describes a live refresh token (JSON body, wrong hint)', async () => {
      const { pair, userId } = await signupAndLogin(t);
      const res = await t.http().post('/oauth/introspect').auth(CLIENT_ID, CLIENT_SECRET).send({ token: pair.refreshToken, token_type_hint: 'access_token' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ active: true, token_type: 'refresh_token', sub: userId, sid: claimsOf(pair.refreshToken).sid });
    });

    it('answers exactly { active: false } after logout, for both tokens', async () => {
      const { pair } = await signupAndLogin(t);
      await t.http().post('/auth/logout').send({ refreshToken: pair.refreshToken }).expect(204);
      expect((await introspect({ token: pair.accessToken })).body).toEqual({ active: false });
      expect((await introspect({ token: pair.refreshToken })).body).toEqual({ active: false });
    });

    it('answers { active: false } for a spent refresh token, and active for its successor', async () => {
      const { pair } = await signupAndLogin(t);
      const next = await refreshWithBody(t, pair.refreshToken);
      expect((await introspect({ token: pair.refreshToken })).body).toEqual({ active: false });
      expect((await introspect({ token: next.body.refreshToken })).body.active).toBe(true);
    });

    it('answers { active: false } for an expired access token', async () => {
      const { pair } = await signupAndLogin(t);
      travel(901);
      expect((await introspect({ token: pair.accessToken })).body).toEqual({ active: false });
    });

    it.each([['garbage', 'garbage'], ['a foreign JWT', jwt.sign({ sub: 'x', sid: 'y' }, randomBytes(32))]])(
      'answers { active: false } for %s',
      async (_name, token) => {
        const res = await introspect({ token });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ active: false });
      },
    );

    it('answers 400 validation_failed without a token', async () => {
      const res = await introspect({});
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    });
  });

  describe('GET /.well-known/oauth-authorization-server', () => {
    it('publishes the endpoints that exist, and nothing else, cacheable', async () => {
      const res = await t.http().get('/.well-known/oauth-authorization-server').expect(200);
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
      expect(res.body).toEqual({
        issuer: PUBLIC_BASE_URL,
        revocation_endpoint: `${PUBLIC_BASE_URL}/oauth/revoke`,
        revocation_endpoint_auth_methods_supported: ['none'],
        introspection_endpoint: `${PUBLIC_BASE_URL}/oauth/introspect`,
        introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
        response_types_supported: [],
        access_token_signing_alg_values_supported: ['HS256'],
        service_documentation: `${PUBLIC_BASE_URL}/docs`,
      });
      expect(res.body).not.toHaveProperty('jwks_uri');
      expect(res.body).not.toHaveProperty('token_endpoint');
    });
  });

  it('documents the three routes and the Basic scheme', async () => {
    const { body } = await t.http().get('/docs-json').expect(200);
    expect(body.components.securitySchemes.introspectionClient).toMatchObject({ type: 'http', scheme: 'basic' });
    expect(body.paths['/oauth/introspect'].post.security).toEqual([{ introspectionClient: [] }]);
    expect(body.paths['/oauth/introspect'].post.responses['401'].description).toContain('invalid_client');
    expect(Object.keys(body.paths['/oauth/revoke'].post.requestBody.content)).toEqual([
      'application/x-www-form-urlencoded',
      'application/json',
    ]);
    expect(body.paths['/.well-known/oauth-authorization-server'].get.tags).toEqual(['oauth']);
  });
});
