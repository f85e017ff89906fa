import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/common/error-codes.js';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('API documentation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves the OpenAPI document with signup, the bearer scheme and every error code', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/auth/signup'].post.responses).toHaveProperty('409');
    expect(res.body.components.securitySchemes['access-token']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(res.body.components.schemas.ErrorBody.properties.code.enum).toEqual(ERROR_CODES);
    expect(res.body.components.schemas.SignupDto.required).toEqual(['email', 'username', 'name', 'password']);
  });

  it('documents the token routes: bearer on protected ones, body and cookie on reissue, every error code', async () => {
    const { body } = await t.http().get('/docs-json').expect(200);
    expect(body.paths['/users/me'].get.security).toEqual([{ 'access-token': [] }]);
    expect(body.paths['/auth/whoami'].get.responses['401'].description).toContain('token_expired');
    const refresh = body.paths['/auth/refresh'].post;
    expect(refresh.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/RefreshTokenDto');
    expect(refresh.security).toEqual(expect.arrayContaining([{ refresh_token: [] }, { 'refresh-token': [] }]));
    expect(refresh.responses['401'].description).toContain('refresh_token_reused');
    expect(body.paths['/auth/login'].post.security ?? []).toEqual([]);
    expect(body.components.securitySchemes.refresh_token).toMatchObject({ type: 'apiKey', in: 'cookie' });
  });

  it('serves Swagger UI', async () => {
    const res = await t.http().get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});
