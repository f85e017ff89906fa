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

  it('serves Swagger UI', async () => {
    const res = await t.http().get('/docs').redirects(1).expect(200);
    expect(res.text).toContain('swagger-ui');
  });
});
