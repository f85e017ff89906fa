import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, ERRORS } from '../src/common/error-codes.js';
import { signupAndLogin } from './support/flows.js';
import { createTestApp, type TestApp } from './support/test-app.js';

type Operation = {
  operationId: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { examples?: Record<string, { value: { code: string; statusCode: number } }> }> }>;
};

describe('API documentation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUST_PROXY: 'true' } });
  });
  afterAll(() => t.close());

  const operations = async (): Promise<[string, Operation][]> => {
    const { body } = await t.http().get('/docs-json').expect(200);
    return Object.entries(body.paths as Record<string, Record<string, Operation>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]): [string, Operation] => [`${method.toUpperCase()} ${path}`, op]),
    );
  };

  it('serves the OpenAPI document with signup, the bearer scheme, servers, auth first and every error code', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(res.body.tags[0].name).toBe('auth');
    expect(res.body.paths['/auth/signup'].post.responses).toHaveProperty('409');
    expect(res.body.components.securitySchemes.accessToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(res.body.components.schemas.ErrorBody.properties.code.enum).toEqual(ERROR_CODES);
    expect(res.body.components.schemas.SignupDto.required).toEqual(['email', 'username', 'name', 'password']);
    expect(res.body.components.schemas.TokenPairView.properties.expiresIn.type).toBe('integer');
    expect(JSON.stringify(res.body)).not.toContain('"type":"number"');
  });

  it('documents the token routes: bearer on protected ones, body or cookie on reissue, every error code', async () => {
    const { body } = await t.http().get('/docs-json').expect(200);
    expect(body.paths['/users/me'].get.security).toEqual([{ accessToken: [] }]);
    expect(body.paths['/auth/whoami'].get.responses['401'].description).toContain('token_expired');
    expect(body.paths['/auth/whoami'].get.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/AccessTokenClaimsView',
    );
    const refresh = body.paths['/auth/refresh'].post;
    expect(refresh.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/RefreshTokenDto');
    // The first example is what Swagger UI prefills: it must leave the cookie in charge.
    expect(Object.values(refresh.requestBody.content['application/json'].examples)[0]).toMatchObject({ value: {} });
    expect(refresh.security).toEqual(expect.arrayContaining([{}, { refreshTokenBearer: [] }]));
    expect(refresh.responses['200'].headers).toHaveProperty('Set-Cookie');
    expect(body.paths['/auth/login'].post.responses['200'].headers).toHaveProperty('Set-Cookie');
    expect(refresh.responses['401'].description).toContain('refresh_token_reused');
    expect(body.paths['/auth/login'].post.security).toEqual([]);
    // No cookie scheme: Swagger UI would write a script-readable refresh_token cookie through document.cookie.
    expect(Object.values(body.components.securitySchemes)).not.toContainEqual(expect.objectContaining({ in: 'cookie' }));
  });

  it('names every operation, describes it, and gives each error status examples of its own codes only', async () => {
    const ops = await operations();
    const ids = ops.map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['signup', 'login', 'refresh', 'logout', 'whoami', 'getMe', 'listSessions', 'logoutAll']));
    for (const [name, op] of ops) {
      expect(op.operationId, name).toMatch(/^[a-z][A-Za-z]+$/);
      expect(op.description, name).toBeTruthy();
      expect(op.security, name).toBeDefined();
      for (const [status, response] of Object.entries(op.responses)) {
        const examples = response.content?.['application/json']?.examples ?? {};
        for (const [code, example] of Object.entries(examples)) {
          expect(String(ERRORS[code as keyof typeof ERRORS]?.status), `${name} ${status} ${code}`).toBe(status);
          expect(example.value).toMatchObject({ code, statusCode: Number(status) });
        }
      }
    }
    const login401 = ops.find(([name]) => name === 'POST /auth/login')![1].responses['401'];
    expect(Object.keys(login401.content!['application/json'].examples!)).toEqual(['invalid_credentials']);
    const login429 = ops.find(([name]) => name === 'POST /auth/login')![1].responses['429'];
    expect(Object.keys(login429.content!['application/json'].examples!).sort()).toEqual(['login_blocked', 'rate_limited']);
  });

  it('serves Swagger UI', async () => {
    const res = await t.http().get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
  });

  it('sends the https-only headers (upgrade-insecure-requests, COOP) only when the request came over https', async () => {
    const plain = await t.http().get('/docs/').set('host', 'auth.internal:3000').expect(200);
    expect(plain.headers['content-security-policy']).toContain("script-src 'self'");
    expect(plain.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(plain.headers).not.toHaveProperty('cross-origin-opener-policy');
    const tls = await t.http().get('/docs/').set('x-forwarded-proto', 'https').expect(200);
    expect(tls.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    expect(tls.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('treats an empty JSON body as absent where the body is optional (refresh, logout, logout-all), nowhere else', async () => {
    const { cookies, pair } = await signupAndLogin(t);
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');
    const json = { 'content-type': 'application/json' };
    const refreshed = await t.http().post('/auth/refresh').set(json).set('cookie', cookie).send('');
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    const signup = await t.http().post('/auth/signup').set(json).send('');
    expect(signup.status).toBe(400);
    expect(signup.body.code).toBe('invalid_json');
    const broken = await t.http().post('/auth/refresh').set(json).set('cookie', cookie).send('{');
    expect(broken.body.code).toBe('invalid_json');
    const poisoned = await t.http().post('/auth/refresh').set(json).send('{"__proto__":{"x":1}}');
    expect(poisoned.status).toBe(400);
    const all = await t.http().post('/auth/logout-all').set(json).set('authorization', `Bearer ${refreshed.body.accessToken}`).send('');
    expect(all.status).toBe(204);
    const logout = await t.http().post('/auth/logout').set(json).send({ refreshToken: pair.refreshToken });
    expect(logout.status).toBe(204);
  });
});
