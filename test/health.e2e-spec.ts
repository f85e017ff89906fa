import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.js';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness without touching the database', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('reports the database as up when it answers', async () => {
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.details.database.status).toBe('up');
  });

  it('answers 503 in the error shape when the database is gone, and liveness stays 200', async () => {
    const other = await createTestApp();
    await other.dataSource.destroy();
    const res = await other.http().get('/health/ready').expect(503);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'service_unavailable' });
    expect(res.body.details).toEqual({ database: { status: 'down' } });
    await other.http().get('/health').expect(200);
    await other.app.close();
  });
});
