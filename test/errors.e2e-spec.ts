import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { User } from '../src/users/user.entity.js';
import { createTestApp, newUser, type TestApp } from './support/test-app.js';

const ERROR_KEYS = ['code', 'error', 'message', 'statusCode'];

describe('one error shape for bad input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const countUsers = () => t.dataSource.getRepository(User).count();

  it('answers malformed JSON with 400 invalid_json and writes nothing', async () => {
    const before = await countUsers();
    const res = await t.http().post('/auth/signup').set('content-type', 'application/json').send('{"email": "a@b.c",').expect(400);
    expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'invalid_json' });
    expect(await countUsers()).toBe(before);
  });

  it('answers an empty JSON body with 400 invalid_json', async () => {
    const res = await t.http().post('/auth/signup').set('content-type', 'application/json').send('').expect(400);
    expect(res.body.code).toBe('invalid_json');
  });

  it('refuses prototype poisoning in JSON with 400', async () => {
    const res = await t.http().post('/auth/signup').set('content-type', 'application/json').send('{"__proto__": {"roles": ["admin"]}}').expect(400);
    expect(res.body.code).toBe('invalid_json');
  });

  it.each([['[]'], ['"a string"'], ['42'], ['null'], ['true']])('answers a JSON body of the wrong type (%s) with 400', async (raw) => {
    const res = await t.http().post('/auth/signup').set('content-type', 'application/json').send(raw).expect(400);
    expect(res.body.code).toBe('validation_failed');
  });

  it('answers a body over 16 KiB with 413 payload_too_large and writes nothing', async () => {
    const before = await countUsers();
    const body = { ...newUser(), name: 'n'.repeat(17 * 1024) };
    const res = await t.http().post('/auth/signup').send(body).expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'payload_too_large' });
    expect(await countUsers()).toBe(before);
  });

  it.each([['text/plain'], ['application/x-www-form-urlencoded'], ['application/xml']])(
    'answers content type %s with 415',
    async (type) => {
      const res = await t.http().post('/auth/signup').set('content-type', type).send('email=a@b.c').expect(415);
      expect(res.body).toMatchObject({ statusCode: 415, code: 'unsupported_media_type' });
    },
  );

  it('answers an unknown route with 404 in the same shape', async () => {
    const res = await t.http().get('/no/such/route').expect(404);
    expect(Object.keys(res.body).sort()).toEqual(ERROR_KEYS);
    expect(res.body.code).toBe('not_found');
  });

  it('never answers with a stack trace or SQL', async () => {
    const responses = await Promise.all([
      t.http().post('/auth/signup').set('content-type', 'application/json').send('{'),
      t.http().post('/auth/signup').send({ email: "' OR 1=1 --", username: "x'; DROP TABLE users; --" }),
      t.http().get('/health/../../etc/passwd'),
    ]);
    for (const res of responses) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(/at \w+ \(|node_modules|SELECT|INSERT|QueryFailedError/);
    }
  });

  it('answers headers over 16 KiB with 431 in the same shape', async () => {
    const res = await t.http().get('/health').set('x-padding', 'p'.repeat(20 * 1024));
    expect(res.status).toBe(431);
    expect(res.body).toEqual({ statusCode: 431, error: 'Request Header Fields Too Large', code: 'headers_too_large', message: expect.any(String) });
  });

  it('echoes a plain X-Request-Id and replaces a hostile one', async () => {
    const kept = await t.http().get('/health').set('x-request-id', 'abc-123');
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const replaced = await t.http().get('/health').set('x-request-id', 'evil\tvalue<script>');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
