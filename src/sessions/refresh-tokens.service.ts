import { Inject, Injectable } from '@nestjs/common';
import { ApiException } from '../common/api-exception.js';
import { uuidV7 } from '../common/uuid-v7.js';
import { Clock } from '../common/clock.js';
import { sessionsConfig, type SessionsConfig } from '../config/sessions.config.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import { AtomicWrites, type Statement } from '../database/atomic-writes.js';
import { MailOutbox } from '../mail/mail-outbox.service.js';
import { Metrics } from '../metrics/metrics.service.js';
import { refreshTokenReuseMail } from '../mail/templates/index.js';
import { type Actor, SecurityEvents } from '../security-events/security-events.service.js';
import type { PresentedRefreshToken } from '../tokens/token-claims.js';
import { type SignedRefreshToken, TokenSigner } from '../tokens/token-signer.service.js';
import type { TokenUser } from '../users/user-columns.js';
import { type RefreshTokenKey, refreshTokenKey } from './refresh-token-key.js';
import { type RefreshTokenRow, RefreshTokenReads, type RotationSubject } from './refresh-token-reads.js';
import { judgeRefreshToken, type RefreshVerdict } from './refresh-token.policy.js';
import type { RevocationReason } from './session.entity.js';
import { judgeSession, type SessionState } from './session-validity.js';
import { type ClientContext, SessionsService } from './sessions.service.js';

export interface IssuedRefreshToken {
  user: TokenUser;
  sessionId: string;
  refresh: SignedRefreshToken;
}

type LiveSession = SessionState & { id: string };

/**
 * Refresh-token families: start one at login, rotate on reissue, detect reuse.
 * Rotation reads everything it decides on in one statement (token, successor, session, user: RefreshTokenReads)
 * and writes in one transaction: a compare-and-swap on the presented token (`UPDATE … WHERE used_at IS NULL`,
 * whoever changes the row wins, so concurrent reissues cannot fork a family), the insert of its successor and
 * the session's touch commit together, so a crash leaves either the token unspent or its successor stored.
 */
@Injectable()
export class RefreshTokensService {
  constructor(
    private readonly reads: RefreshTokenReads,
    private readonly sessions: SessionsService,
    private readonly signer: TokenSigner,
    private readonly writes: AtomicWrites,
    private readonly outbox: MailOutbox,
    private readonly events: SecurityEvents,
    private readonly metrics: Metrics,
    private readonly clock: Clock,
    @Inject(tokensConfig.KEY) private readonly config: Pick<TokensConfig, 'reuseGraceSeconds'>,
    @Inject(sessionsConfig.KEY) private readonly sessionsConfig: Pick<SessionsConfig, 'idleTimeoutSeconds'>,
  ) {}

  /** Opens a session and its first refresh token, together, and records the login (`login_succeeded`). */
  async startSession(user: TokenUser, client: ClientContext, now = this.clock.now()): Promise<IssuedRefreshToken> {
    // Time-ordered, like the token ids: the session_id index entries of the sessions in use are those of recent logins,
    // near its end, not spread over every session the table holds.
    const session = this.sessions.open(uuidV7(now.getTime()), user.id, client, now);
    const refresh = this.signer.signRefreshToken(user.id, session.id, endOf(session), Math.floor(now.getTime() / 1000));
    await this.writes.run([
      this.sessions.insertion(session),
      this.insertion(refresh, { userId: user.id, sessionId: session.id, parentId: null }, client),
      this.events.event({ type: 'login_succeeded', userId: user.id, sessionId: session.id, client }, now),
    ]);
    return { user, sessionId: session.id, refresh };
  }

  async rotate(presented: PresentedRefreshToken, client: ClientContext, now = this.clock.now()): Promise<IssuedRefreshToken> {
    const subject = await this.ownSubject(presented);
    const session = await this.liveSession(subject, now);
    const verdict = judgeRefreshToken(subject.token, subject.successor, now, this.config.reuseGraceSeconds);
    return verdict === 'rotate'
      ? this.rotateUnspent(subject, session, presented, client, now)
      : this.refuseOrReplay(verdict, subject, session, presented, client);
  }

  /** Ends the session the token belongs to (logout, RFC 7009). Unknown tokens and ended sessions are fine. */
  async endSessionOf(presented: PresentedRefreshToken, reason: RevocationReason, actor: Actor = 'user'): Promise<void> {
    const row = await this.reads.byKey(keyOf(presented));
    if (row) await this.sessions.end({ ids: [row.sessionId] }, reason, { actor });
  }

  /**
   * Whether a verified refresh token could be exchanged right now: its row unspent, unrevoked and unexpired,
   * its session live. Read-only, unlike rotate(): asking about a token (introspection) must not end its session.
   */
  async isLive(presented: PresentedRefreshToken): Promise<boolean> {
    const now = this.clock.now();
    const subject = await this.reads.rotationSubject(keyOf(presented));
    if (!subject || !this.isOwn(subject.token, presented)) return false;
    if (judgeRefreshToken(subject.token, null, now, this.config.reuseGraceSeconds) !== 'rotate') return false;
    return subject.session !== null && judgeSession(subject.session, now, this.sessionsConfig.idleTimeoutSeconds) === 'live';
  }

  private async rotateUnspent(
    subject: RotationSubject,
    session: LiveSession,
    presented: PresentedRefreshToken,
    client: ClientContext,
    now: Date,
  ): Promise<IssuedRefreshToken> {
    const { token: row } = subject;
    const user = await this.liveUser(subject);
    // The successor's iat is the second the parent was spent, so a replay within grace re-derives it exactly.
    const spentAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const refresh = this.successor(presented, row, session, spentAt);
    const committed = await this.writes.run([
      { sql: 'UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL', params: [spentAt, row.id], mustChangeOne: true },
      this.insertion(refresh, { userId: row.userId, sessionId: row.sessionId, parentId: row.id }, client),
      this.sessions.touch(session.id, now, client),
    ]);
    if (committed) {
      this.metrics.refresh('rotated');
      return { user, sessionId: row.sessionId, refresh };
    }
    // Lost the race to a concurrent reissue (or a revocation) of the same token: judge it again as it is now.
    const spent = await this.reads.rotationSubject(keyOf(presented));
    if (!spent) throw new ApiException('refresh_token_revoked');
    const verdict = judgeRefreshToken(spent.token, spent.successor, this.clock.now(), this.config.reuseGraceSeconds);
    if (verdict === 'rotate') throw new Error(`refresh token ${row.id} lost its compare-and-swap but is still unspent`);
    return this.refuseOrReplay(verdict, spent, session, presented, client);
  }

  private async refuseOrReplay(
    verdict: Exclude<RefreshVerdict, 'rotate'>,
    subject: RotationSubject,
    session: LiveSession,
    presented: PresentedRefreshToken,
    client: ClientContext,
  ): Promise<IssuedRefreshToken> {
    const { token: row } = subject;
    switch (verdict) {
      case 'grace':
        this.metrics.refresh('grace');
        return { user: await this.liveUser(subject), sessionId: row.sessionId, refresh: this.successor(presented, row, session, row.usedAt!) };
      case 'reuse':
        this.metrics.refresh('reused');
        await this.sessions.end({ ids: [row.sessionId] }, 'reuse', {
          actor: 'system',
          alongside: [
            this.events.event({ type: 'refresh_reuse_detected', userId: row.userId, sessionId: row.sessionId, actor: 'system', client }),
            ...this.reuseNotice(subject.user),
          ],
        });
        throw new ApiException('refresh_token_reused');
      case 'expired':
        this.metrics.refresh('expired');
        throw new ApiException('refresh_token_expired');
      case 'revoked':
        this.metrics.refresh('revoked');
        throw new ApiException('refresh_token_revoked');
    }
  }

  /** The mail telling the user a session of theirs ended because its token was used twice. */
  private reuseNotice(user: TokenUser | null): Statement[] {
    if (!user) return [];
    return [this.outbox.message({ to: user.email, ...refreshTokenReuseMail({ name: user.name, at: this.clock.now() }) })];
  }

  private successor(presented: PresentedRefreshToken, parent: RefreshTokenRow, session: LiveSession, spentAt: Date): SignedRefreshToken {
    return this.signer.signSuccessor(presented.token, parent.userId, parent.sessionId, spentAt.getTime() / 1000, endOf(session));
  }

  /** The presented token's row (with successor, session and user), which must belong to the user and session its claims name. */
  private async ownSubject(presented: PresentedRefreshToken): Promise<RotationSubject> {
    const subject = await this.reads.rotationSubject(keyOf(presented));
    if (!subject || !this.isOwn(subject.token, presented)) {
      this.metrics.refresh('revoked');
      throw new ApiException('refresh_token_revoked');
    }
    return subject;
  }

  private isOwn(row: RefreshTokenRow, presented: PresentedRefreshToken): boolean {
    return row.userId === presented.claims.sub && row.sessionId === presented.claims.sid;
  }

  /** The token's session, which must be neither revoked nor idle too long nor past its absolute end. */
  private async liveSession({ token, session }: RotationSubject, now: Date): Promise<LiveSession> {
    const verdict = session ? judgeSession(session, now, this.sessionsConfig.idleTimeoutSeconds) : 'revoked';
    if (verdict === 'live') return session!;
    this.metrics.refresh(verdict === 'revoked' ? 'revoked' : 'session_expired');
    if (verdict === 'revoked') throw new ApiException('refresh_token_revoked');
    await this.sessions.end({ ids: [token.sessionId] }, 'expired', { actor: 'system' });
    throw new ApiException('session_expired');
  }

  /** The token's user as it is now; a deleted or disabled user ends the session. */
  private async liveUser({ token, user }: RotationSubject): Promise<TokenUser> {
    if (user && !user.disabled) return user;
    this.metrics.refresh('revoked');
    await this.sessions.end({ ids: [token.sessionId] }, 'user_disabled', { actor: 'system' });
    throw new ApiException('refresh_token_revoked');
  }

  private insertion(
    refresh: SignedRefreshToken,
    family: { userId: string; sessionId: string; parentId: string | null },
    client: ClientContext,
  ): Statement {
    const key = refreshTokenKey(refresh.token, refresh.issuedAt);
    return {
      sql:
        'INSERT INTO refresh_tokens (id, user_id, session_id, token_hash, parent_id, created_at, expires_at, used_at, revoked_at, revoked_reason, user_agent, ip) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?, ?)',
      params: [
        // Time-ordered: each reissue inserts at the end of the id index (and of parent_id's), however many rows there are.
        uuidV7(),
        family.userId,
        family.sessionId,
        key.hash,
        family.parentId,
        key.createdAt,
        new Date(refresh.expiresAt * 1000),
        client.userAgent?.slice(0, 255) ?? null,
        client.ip?.slice(0, 45) ?? null,
      ],
    };
  }
}

/** Where a presented token's row is: insertion() stored it under the key of the token and its iat. */
function keyOf(presented: PresentedRefreshToken): RefreshTokenKey {
  return refreshTokenKey(presented.token, presented.claims.iat);
}

/** A session's absolute end, in JWT seconds. */
function endOf(session: { expiresAt: Date }): number {
  return Math.floor(session.expiresAt.getTime() / 1000);
}
