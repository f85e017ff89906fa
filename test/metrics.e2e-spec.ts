import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MetricsServer } from '../src/metrics/metrics-server.js';
import { refreshWithBody, signupAndLogin } from './support/flows.js';
import { createTestApp, newUser, type TestApp } from './support/test-app.js';

const TOKEN = 'metrics-token-that-is-long-enough-0123456789';

/** `name{labels} value` lines of a scrape, by their exact series text. */
function series(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}

describe('metrics', () => {
  describe('off by default', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('serves nothing on the public port and starts no metrics server', async () => {
      const res = await t.http().get('/metrics').set('authorization', `Bearer ${TOKEN}`);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
      expect(t.app.get(MetricsServer).address()).toBeUndefined();
    });
  });

  describe('on the main port with METRICS_TOKEN', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
    });
    afterAll(() => t.close());

    it('answers only to the token, and is not in the OpenAPI document', async () => {
      expect((await t.http().get('/metrics')).status).toBe(404);
      expect((await t.http().get('/metrics').set('authorization', `Bearer ${TOKEN}x`)).status).toBe(404);
      const res = await t.http().get('/metrics').set('authorization', `Bearer ${TOKEN}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toContain('process_cpu_user_seconds_total');
      const document = await t.http().get('/docs-json').expect(200);
      expect(Object.keys(document.body.paths)).not.toContain('/metrics');
    });
  });

  describe('on METRICS_PORT', () => {
    let t: TestApp;
    let scrapeUrl: string;
    beforeAll(async () => {
      // The outbox is left undelivered (no sender round within the test) so its gauges have something to show.
      t = await createTestApp({ env: { METRICS_PORT: '0', REFRESH_REUSE_GRACE_SECONDS: '0', MAIL_POLL_INTERVAL_SECONDS: '3600' } });
      const address = t.app.get(MetricsServer).address()!;
      expect(address.address).toBe('127.0.0.1');
      scrapeUrl = `http://127.0.0.1:${address.port}/metrics`;
      // A login for nobody awaits the dummy hash made at boot, so its timing is in before the counting starts.
      await t.http().post('/auth/login').send({ login: 'warm-up', password: 'warm-up-password' }).expect(401);
    });
    afterAll(() => t.close());

    const scrape = async () => {
      const res = await fetch(scrapeUrl);
      expect(res.status).toBe(200);
      return res.text();
    };

    it('counts a scripted session exactly: signup, login, failed login, refresh, reuse, logout', async () => {
      const before = series(await scrape());
      const user = newUser();
      await t.http().post('/auth/signup').send(user).expect(201);
      const login = await t.http().post('/auth/login').send({ login: user.username, password: user.password }).expect(200);
      await t.http().post('/auth/login').send({ login: user.username, password: 'not the password' }).expect(401);
      const rotated = await refreshWithBody(t, login.body.refreshToken).expect(200);
      await refreshWithBody(t, login.body.refreshToken).expect(401); // reuse: ends the session
      const again = await t.http().post('/auth/login').send({ login: user.username, password: user.password }).expect(200);
      await t.http().get('/users/me').set('authorization', `Bearer ${again.body.accessToken}`).expect(200);
      await t.http().get('/users/me').set('authorization', `Bearer ${rotated.body.accessToken}`).expect(401); // revoked
      await t.http().post('/auth/logout').send({ refreshToken: again.body.refreshToken }).expect(204);
      const after = series(await scrape());

      const moved = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
      expect(moved('auth_logins_total{result="success"}')).toBe(2);
      expect(moved('auth_logins_total{result="invalid_credentials"}')).toBe(1);
      expect(moved('auth_refreshes_total{result="rotated"}')).toBe(1);
      expect(moved('auth_refreshes_total{result="reused"}')).toBe(1);
      expect(moved('auth_sessions_ended_total{reason="reuse"}')).toBe(1);
      expect(moved('auth_sessions_ended_total{reason="logout"}')).toBe(1);
      expect(moved('auth_access_token_verifications_total{result="valid"}')).toBe(1);
      expect(moved('auth_access_token_verifications_total{result="revoked"}')).toBe(1);
      // Signup hashed once; three logins verified once each.
      expect(moved('auth_password_hash_seconds_count{operation="hash"}')).toBe(1);
      expect(moved('auth_password_hash_seconds_count{operation="verify"}')).toBe(3);
      // By route template, never the raw URL.
      expect(moved('http_request_duration_seconds_count{method="POST",route="/auth/login",status_class="2xx"}')).toBe(2);
      expect(moved('http_request_duration_seconds_count{method="POST",route="/auth/login",status_class="4xx"}')).toBe(1);
      expect(after.get('database_available')).toBe(1);
      expect(after.get('auth_revoked_sessions')).toBeGreaterThanOrEqual(2);
    });

    it('labels requests by route template, and unknown paths as unmatched', async () => {
      await t.http().delete('/auth/sessions/3f0e2b8a-1111-4222-8333-944445555666').expect(401);
      await t.http().get('/no/such/route/123').expect(404);
      const text = await scrape();
      expect(text).toContain('route="/auth/sessions/:id"');
      expect(text).toContain('route="unmatched"');
      expect(text).not.toContain('3f0e2b8a');
      expect(text).not.toContain('/no/such/route');
    });

    it('has every metric the documented alert rules use', async () => {
      const operations = readFileSync(new URL('../docs/operations.md', import.meta.url), 'utf8');
      const expressions = [...operations.matchAll(/^\s+expr: (.+)$/gm)].map((match) => match[1]);
      expect(expressions.length).toBeGreaterThanOrEqual(5);
      const scraped = new Set([...series(await scrape()).keys()].map((name) => name.split('{')[0].replace(/_(bucket|count|sum)$/, '')));
      const named = expressions.flatMap((expr) => [...expr.matchAll(/\b([a-z_]+(?:_total|_seconds|_available|_pending))\b/g)].map((match) => match[1]));
      expect(named.length).toBeGreaterThanOrEqual(5);
      for (const name of named) expect(scraped, name).toContain(name);
    });

    it('reports the mail outbox and the revocation feed', async () => {
      await signupAndLogin(t); // signup queues a verification mail
      const values = series(await scrape());
      expect(values.get('mail_outbox_pending')).toBeGreaterThanOrEqual(1);
      expect(values.get('mail_outbox_oldest_pending_age_seconds')).toBeGreaterThan(0);
      // Polled every SESSION_REVOCATION_POLL_SECONDS (2 s): never far behind.
      expect(values.get('auth_revocation_feed_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(values.get('auth_revocation_feed_lag_seconds')).toBeLessThan(10);
    });
  });
});
