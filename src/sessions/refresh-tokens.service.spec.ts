import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../common/clock.js';
import type { Statement } from '../database/atomic-writes.js';
import type { PresentedRefreshToken } from '../tokens/token-claims.js';
import { hashToken } from '../tokens/token-hash.js';
import { MailOutbox } from '../mail/mail-outbox.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import { SecurityEvents } from '../security-events/security-events.service.js';
import type { TokenUser } from '../users/user-columns.js';
import type { RefreshToken } from './refresh-token.entity.js';
import type { RefreshTokenKey } from './refresh-token-key.js';
import type { RotationSubject } from './refresh-token-reads.js';
import { RefreshTokensService } from './refresh-tokens.service.js';
import type { RevocationReason, Session } from './session.entity.js';
import type { EndOptions, SessionSelection } from './sessions.service.js';

const GRACE_SECONDS = 10;
const USER_ID = 'user-1';
const SESSION_ID = 'session-1';
const NOW = new Date('2030-01-15T12:00:00.000Z');
/** The `iat` of every presented token (an hour before NOW), and so the created_at of the rows they are found by. */
const ISSUED_AT = NOW.getTime() / 1000 - 3600;

/** In-memory stand-ins for the service's collaborators, each recording what was asked of it. */
class FakeTokens {
  rows: RefreshToken[] = [];

  constructor(
    private readonly sessions: FakeSessions,
    private readonly users: { user: TokenUser | null },
  ) {}

  /** What the one joined read returns: the row by key, its successor, its session and its user. */
  rotationSubject(key: RefreshTokenKey): Promise<RotationSubject | null> {
    const row = this.find(key);
    if (!row) return Promise.resolve(null);
    const successor = this.rows.find((candidate) => candidate.parentId === row.id);
    const session = this.sessions.session.id === row.sessionId ? { ...this.sessions.session } : null;
    return Promise.resolve({ token: { ...row }, successor: successor ? { ...successor } : null, session, user: this.users.user });
  }

  byKey(key: RefreshTokenKey): Promise<RefreshToken | null> {
    const row = this.find(key);
    return Promise.resolve(row ? { ...row } : null);
  }

  private find(key: RefreshTokenKey): RefreshToken | undefined {
    return this.rows.find((candidate) => candidate.createdAt.getTime() === key.createdAt.getTime() && candidate.tokenHash === key.hash);
  }

  update(id: string, changes: Partial<RefreshToken>): void {
    Object.assign(this.rows.find((row) => row.id === id)!, changes);
  }
}

class FakeSessions {
  session: Session;
  ended: Array<{ selection: SessionSelection; reason: RevocationReason }> = [];

  constructor(now: Date) {
    this.session = {
      id: SESSION_ID,
      userId: USER_ID,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: new Date(now.getTime() + 90 * 24 * 3600 * 1000),
      revokedAt: null,
      revokedReason: null,
      userAgent: null,
      ip: null,
    };
  }

  find(id: string): Promise<Session | null> {
    return Promise.resolve(id === this.session.id ? { ...this.session } : null);
  }

  alongside: Statement[][] = [];

  end(selection: SessionSelection, reason: RevocationReason, options: EndOptions = {}): Promise<string[]> {
    this.ended.push({ selection, reason });
    this.alongside.push(options.alongside ?? []);
    return Promise.resolve([]);
  }

  touch(sessionId: string): Statement {
    return { sql: 'touch', params: [sessionId] };
  }
}

/** Records each transaction; `outcome` decides what the database answers (null: the compare-and-swap lost). */
class FakeWrites {
  transactions: Statement[][] = [];
  outcome: (statements: Statement[]) => number[] | null = (statements) => statements.map(() => 1);

  run(statements: Statement[]): Promise<number[] | null> {
    this.transactions.push(statements);
    return Promise.resolve(this.outcome(statements));
  }
}

class FakeSigner {
  signSuccessor(parentToken: string, _userId: string, _sessionId: string, spentAt: number) {
    return { token: `successor-of:${parentToken}@${spentAt}`, issuedAt: spentAt, expiresAt: spentAt + 3600 };
  }
}

const user: TokenUser = { id: USER_ID, username: 'ada', name: 'Ada', email: 'ada@example.com', roles: ['user'], disabled: false, emailVerifiedAt: null };

describe('RefreshTokensService', () => {
  let clock: ManualClock;
  let tokens: FakeTokens;
  let sessions: FakeSessions;
  let writes: FakeWrites;
  let users: { user: TokenUser | null };
  let sut: RefreshTokensService;

  const presented = (token = 'parent-token'): PresentedRefreshToken => ({
    token,
    claims: { iss: 'i', aud: 'a', sub: USER_ID, sid: SESSION_ID, jti: 'j', iat: ISSUED_AT, exp: ISSUED_AT + 3600 },
  });

  /** A stored token of the session, unspent unless told otherwise. */
  const storeToken = (id: string, token: string, overrides: Partial<RefreshToken> = {}): RefreshToken => {
    const row: RefreshToken = {
      id,
      userId: USER_ID,
      sessionId: SESSION_ID,
      tokenHash: hashToken(token),
      parentId: null,
      createdAt: new Date(ISSUED_AT * 1000),
      expiresAt: new Date(clock.now().getTime() + 3600_000),
      usedAt: null,
      revokedAt: null,
      revokedReason: null,
      userAgent: null,
      ip: null,
      ...overrides,
    };
    tokens.rows.push(row);
    return row;
  };

  beforeEach(() => {
    clock = new ManualClock(NOW);
    sessions = new FakeSessions(clock.now());
    users = { user };
    tokens = new FakeTokens(sessions, users);
    writes = new FakeWrites();
    sut = new RefreshTokensService(
      tokens as never,
      sessions as never,
      new FakeSigner() as never,
      writes as never,
      new MailOutbox(clock),
      new SecurityEvents(null as never, null as never, clock, { retentionDays: 90 }, { purgeIntervalSeconds: 3600 }),
      new Metrics({ port: undefined, host: '127.0.0.1', token: undefined }),
      clock,
      { reuseGraceSeconds: GRACE_SECONDS },
      { idleTimeoutSeconds: 3600 },
    );
  });

  it('rotates an unspent token in one transaction: compare-and-swap, successor, session touch', async () => {
    storeToken('parent', 'parent-token');
    const issued = await sut.rotate(presented(), {});

    expect(writes.transactions).toHaveLength(1);
    const [swap, insert, touch] = writes.transactions[0];
    expect(swap).toMatchObject({ mustChangeOne: true, params: [clock.now(), 'parent'] });
    expect(swap.sql).toMatch(/WHERE id = \? AND used_at IS NULL AND revoked_at IS NULL/);
    expect(insert.sql).toMatch(/^INSERT INTO refresh_tokens/);
    expect(insert.params).toContain(hashToken(issued.refresh.token));
    expect(insert.params).toContain('parent'); // parent_id
    // created_at is the successor's iat: the half of its row key that keyOf() reads back from the token.
    expect(insert.params).toContainEqual(new Date(issued.refresh.issuedAt * 1000));
    expect(touch).toEqual({ sql: 'touch', params: [SESSION_ID] });
    expect(issued.refresh.token).toBe(`successor-of:parent-token@${clock.nowSeconds()}`);
    expect(sessions.ended).toEqual([]);
  });

  it('on a lost race, hands out the winner’s successor (grace) without writing again', async () => {
    const parent = storeToken('parent', 'parent-token');
    const spentAt = new Date(Math.floor(clock.now().getTime() / 1000) * 1000);
    writes.outcome = () => {
      // A concurrent reissue of the same token committed first.
      tokens.update(parent.id, { usedAt: spentAt });
      storeToken('winner', 'winner-token', { parentId: parent.id });
      return null;
    };

    const issued = await sut.rotate(presented(), {});

    expect(writes.transactions).toHaveLength(1);
    expect(issued.refresh.token).toBe(`successor-of:parent-token@${spentAt.getTime() / 1000}`);
    expect(sessions.ended).toEqual([]);
  });

  it('on a race lost to a revocation, refuses the token', async () => {
    const parent = storeToken('parent', 'parent-token');
    writes.outcome = () => {
      tokens.update(parent.id, { revokedAt: clock.now(), revokedReason: 'logout' });
      return null;
    };
    await expect(sut.rotate(presented(), {})).rejects.toMatchObject({ code: 'refresh_token_revoked' });
  });

  it('fails loudly when the compare-and-swap lost but the token is still unspent', async () => {
    storeToken('parent', 'parent-token');
    writes.outcome = () => null;
    await expect(sut.rotate(presented(), {})).rejects.toThrow(/lost its compare-and-swap but is still unspent/);
  });

  it('within the grace window, replays the same successor and writes nothing', async () => {
    const spentAt = new Date(clock.now().getTime() - 3000);
    storeToken('parent', 'parent-token', { usedAt: spentAt });
    storeToken('child', 'child-token', { parentId: 'parent' });
    clock.advance(2);

    const issued = await sut.rotate(presented(), {});

    expect(issued.refresh.token).toBe(`successor-of:parent-token@${spentAt.getTime() / 1000}`);
    expect(writes.transactions).toEqual([]);
    expect(sessions.ended).toEqual([]);
  });

  it('past the grace window, a spent token is reuse: the session ends and nothing is issued', async () => {
    storeToken('parent', 'parent-token', { usedAt: clock.now() });
    storeToken('child', 'child-token', { parentId: 'parent' });
    clock.advance(GRACE_SECONDS + 1);

    await expect(sut.rotate(presented(), {})).rejects.toMatchObject({ code: 'refresh_token_reused' });
    expect(sessions.ended).toEqual([{ selection: { ids: [SESSION_ID] }, reason: 'reuse' }]);
    const [event, notice] = sessions.alongside[0];
    expect(event.sql).toMatch(/^INSERT INTO security_events/);
    expect(event.params).toEqual(expect.arrayContaining(['refresh_reuse_detected', USER_ID, SESSION_ID, 'system']));
    expect(notice.sql).toMatch(/^INSERT INTO mail_outbox/);
    expect(notice.params).toContain('ada@example.com');
    expect(writes.transactions).toEqual([]);
  });

  it('within the grace window, an older ancestor (its successor already spent) is reuse too', async () => {
    storeToken('parent', 'parent-token', { usedAt: clock.now() });
    storeToken('child', 'child-token', { parentId: 'parent', usedAt: clock.now() });
    clock.advance(1);

    await expect(sut.rotate(presented(), {})).rejects.toMatchObject({ code: 'refresh_token_reused' });
    expect(sessions.ended).toEqual([{ selection: { ids: [SESSION_ID] }, reason: 'reuse' }]);
  });

  it('ends a session idle for too long and answers session_expired', async () => {
    storeToken('parent', 'parent-token', { expiresAt: new Date(clock.now().getTime() + 7200_000) });
    clock.advance(3601);
    await expect(sut.rotate(presented(), {})).rejects.toMatchObject({ code: 'session_expired' });
    expect(sessions.ended).toEqual([{ selection: { ids: [SESSION_ID] }, reason: 'expired' }]);
  });

  it('ends the session of a disabled user instead of rotating', async () => {
    storeToken('parent', 'parent-token');
    users.user = { ...user, disabled: true };
    await expect(sut.rotate(presented(), {})).rejects.toMatchObject({ code: 'refresh_token_revoked' });
    expect(sessions.ended).toEqual([{ selection: { ids: [SESSION_ID] }, reason: 'user_disabled' }]);
    expect(writes.transactions).toEqual([]);
  });

  it('refuses a token whose row names another session than its claims', async () => {
    storeToken('parent', 'parent-token', { sessionId: 'another-session' });
    await expect(sut.rotate(presented(), {})).rejects.toMatchObject({ code: 'refresh_token_revoked' });
    expect(writes.transactions).toEqual([]);
  });
});
