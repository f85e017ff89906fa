import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { InFlightRequests } from '../src/common/in-flight-requests.js';
import { captureLogs } from './support/log-capture.js';
import { createTestApp, newUser } from './support/test-app.js';

/** Shutdown closes the HTTP server, lets running handlers finish, and only then closes the database. */
describe('graceful shutdown', () => {
  it('lets a login whose client hung up finish its writes before the database closes', async () => {
    const { lines: logs, destination } = captureLogs();
    const t = await createTestApp({ env: { LOG_LEVEL: 'warn' }, logDestination: destination });
    const user = newUser();
    await t.http().post('/auth/signup').send(user).expect(201);
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;

    // The client gives up while the handler is verifying the password (argon2id: tens of milliseconds).
    const login = request({ port, method: 'POST', path: '/auth/login', headers: { 'content-type': 'application/json' } });
    const hungUp = new Promise((resolve) => login.on('error', resolve));
    login.end(JSON.stringify({ login: user.username, password: user.password }));
    const inFlight = t.app.get(InFlightRequests);
    await vi.waitFor(() => expect(inFlight.size).toBe(1), { interval: 1 });
    login.destroy();
    await hungUp;

    const dataSource = t.dataSource;
    let sessionsWhenClosing = -1;
    const destroy = dataSource.destroy.bind(dataSource);
    // Counted at the last moment the database is open: the login's session must be there by then.
    vi.spyOn(dataSource, 'destroy').mockImplementation(async () => {
      const rows: Array<{ n: number | string }> = await dataSource.query(
        'SELECT COUNT(*) AS n FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = ?',
        [user.username],
      );
      sessionsWhenClosing = Number(rows[0].n);
      return destroy();
    });
    await t.close();

    expect(inFlight.size).toBe(0);
    expect(sessionsWhenClosing).toBe(1);
    expect(logs.filter((line) => line.level >= 50)).toEqual([]);
  });
});
