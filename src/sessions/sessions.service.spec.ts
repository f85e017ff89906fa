import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../common/clock.js';
import type { Statement } from '../database/atomic-writes.js';
import { Metrics } from '../metrics/metrics.service.js';
import { SecurityEvents } from '../security-events/security-events.service.js';
import { RevokedSessions } from './revoked-sessions.js';
import { SessionsService } from './sessions.service.js';

class FakeSessionRows {
  live: Array<{ id: string; userId: string }> = [];

  find(options: { where: { userId: string } }): Promise<Array<{ id: string }>> {
    return Promise.resolve(this.live.filter((row) => row.userId === options.where.userId).map(({ id }) => ({ id })));
  }
}

/** Answers each transaction with how many rows each statement changed: a session's row changes unless already ended. */
class FakeWrites {
  transactions: Statement[][] = [];
  alreadyEnded = new Set<string>();

  run(statements: Statement[]): Promise<number[]> {
    this.transactions.push(statements);
    return Promise.resolve(
      statements.map((statement) => (statement.sql.startsWith('UPDATE sessions') && this.alreadyEnded.has(String(statement.params[2])) ? 0 : 1)),
    );
  }
}

class FakeFeed {
  published: Array<{ ids: string[]; at: Date }> = [];

  publish(ids: string[], at: Date): Promise<void> {
    this.published.push({ ids, at });
    return Promise.resolve();
  }
}

describe('SessionsService.end', () => {
  let clock: ManualClock;
  let rows: FakeSessionRows;
  let writes: FakeWrites;
  let feed: FakeFeed;
  let revoked: RevokedSessions;
  let sut: SessionsService;

  beforeEach(() => {
    clock = new ManualClock(new Date('2030-01-15T12:00:00.000Z'));
    rows = new FakeSessionRows();
    writes = new FakeWrites();
    feed = new FakeFeed();
    revoked = new RevokedSessions({ accessTtlSeconds: 900 }, clock);
    const events = new SecurityEvents(null as never, null as never, clock, { retentionDays: 90 }, { purgeIntervalSeconds: 3600 });
    sut = new SessionsService(rows as never, writes as never, revoked, feed as never, events, new Metrics({ port: undefined, host: '127.0.0.1', token: undefined }), clock, {
      idleTimeoutSeconds: 3600,
      maxLifetimeSeconds: 7200,
      revocationPollSeconds: 2,
      retentionSeconds: 0,
      purgeIntervalSeconds: 60,
    });
  });

  it('writes the tokens and the session in one transaction, then remembers and announces the session', async () => {
    expect(await sut.end({ ids: ['s1'] }, 'logout')).toEqual(['s1']);

    expect(writes.transactions).toHaveLength(1);
    const [tokens, session] = writes.transactions[0];
    expect(tokens.sql).toMatch(/^UPDATE refresh_tokens .* WHERE session_id IN \(\?\) AND revoked_at IS NULL$/);
    expect(tokens.params).toEqual([clock.now(), 'logout', 's1']);
    expect(session.sql).toMatch(/^UPDATE sessions .* WHERE id = \? AND revoked_at IS NULL$/);
    expect(revoked.has('s1')).toBe(true);
    expect(feed.published).toEqual([{ ids: ['s1'], at: clock.now() }]);
  });

  it('ends an ended session silently: nothing remembered, nothing announced', async () => {
    writes.alreadyEnded.add('s1');
    expect(await sut.end({ ids: ['s1'] }, 'logout')).toEqual([]);
    expect(revoked.has('s1')).toBe(false);
    expect(feed.published).toEqual([]);
  });

  it("announces only the sessions of a user's logout-all that this call ended, keeping the excepted one", async () => {
    rows.live = [
      { id: 'a', userId: 'u' },
      { id: 'b', userId: 'u' },
      { id: 'current', userId: 'u' },
      { id: 'other-user', userId: 'v' },
    ];
    writes.alreadyEnded.add('b'); // ended concurrently, after it was read as live

    expect(await sut.end({ userId: 'u', except: 'current' }, 'logout_all')).toEqual(['a']);
    expect(writes.transactions[0].slice(1, 3).map((statement) => statement.params[2])).toEqual(['a', 'b']);
    expect(writes.transactions[0].slice(3).map((statement) => statement.sql)).toEqual([
      expect.stringMatching(/^INSERT INTO security_events .* FROM sessions WHERE id = \? AND revoked_at = \? AND revoked_reason = \?$/),
      expect.stringMatching(/^INSERT INTO security_events/),
    ]);
    expect(feed.published).toEqual([{ ids: ['a'], at: clock.now() }]);
  });

  it('writes nothing when there is nothing to end', async () => {
    expect(await sut.end({ userId: 'nobody' }, 'logout_all')).toEqual([]);
    expect(writes.transactions).toEqual([]);
    expect(feed.published).toEqual([]);
  });
});
