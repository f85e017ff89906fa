import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiException } from '../../common/api-exception.js';
import { sessionsConfig, type SessionsConfig } from '../../config/sessions.config.js';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import type { User } from '../../users/user.entity.js';
import { UsersService } from '../../users/users.service.js';
import type { RevocationReason, Session } from '../sessions/session.entity.js';
import { type ClientContext, SessionsService } from '../sessions/sessions.service.js';
import { RefreshToken } from './refresh-token.entity.js';
import { judgeRefreshToken, judgeSession, type RefreshVerdict } from './refresh-token.policy.js';
import type { PresentedRefreshToken } from './token-claims.js';
import { hashToken } from './token-hash.js';
import { type SignedRefreshToken, TokenSigner } from './token-signer.service.js';

export interface IssuedRefreshToken {
  user: User;
  sessionId: string;
  refresh: SignedRefreshToken;
}

/**
 * Refresh-token families: start one at login, rotate on reissue, detect reuse.
 * Rotation is a compare-and-swap (`UPDATE … WHERE used_at IS NULL`): whoever changes the row wins;
 * there is no read-compare-write, so concurrent reissues cannot fork a family.
 */
@Injectable()
export class RefreshTokensService {
  constructor(
    @InjectRepository(RefreshToken) private readonly tokens: Repository<RefreshToken>,
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly signer: TokenSigner,
    @Inject(tokensConfig.KEY) private readonly config: TokensConfig,
    @Inject(sessionsConfig.KEY) private readonly sessionsConfig: SessionsConfig,
  ) {}

  async startSession(user: User, client: ClientContext): Promise<IssuedRefreshToken> {
    const session = await this.sessions.start(randomUUID(), user.id, client);
    const refresh = this.signer.signRefreshToken(user.id, session.id, endOf(session));
    await this.insert(refresh, { userId: user.id, sessionId: session.id, parentId: null }, client);
    return { user, sessionId: session.id, refresh };
  }

  async rotate(presented: PresentedRefreshToken, client: ClientContext): Promise<IssuedRefreshToken> {
    const row = await this.findOwnRow(presented);
    const session = await this.liveSession(row.sessionId);
    const now = new Date();
    const verdict = judgeRefreshToken(row, row.usedAt ? await this.successorOf(row) : null, now, this.config.reuseGraceSeconds);
    return verdict === 'rotate'
      ? this.rotateUnspent(row, session, presented, client, now)
      : this.refuseOrReplay(verdict, row, session, presented);
  }

  /** Logout: end the session the token belongs to. Unknown or already revoked tokens are fine. */
  async revokeSessionOf(presented: PresentedRefreshToken, reason: RevocationReason): Promise<void> {
    const row = await this.tokens.findOneBy({ tokenHash: hashToken(presented.token) });
    if (row) await this.sessions.revoke(row.sessionId, reason);
  }

  /**
   * Whether a verified refresh token could be exchanged right now: its row unspent, unrevoked and unexpired,
   * its session live. Read-only, unlike rotate(): asking about a token (introspection) must not end its session.
   */
  async isLive(presented: PresentedRefreshToken, now = new Date()): Promise<boolean> {
    const row = await this.tokens.findOneBy({ tokenHash: hashToken(presented.token) });
    if (!row || row.userId !== presented.claims.sub || row.sessionId !== presented.claims.sid) return false;
    if (judgeRefreshToken(row, null, now, this.config.reuseGraceSeconds) !== 'rotate') return false;
    const session = await this.sessions.find(row.sessionId);
    return session !== null && judgeSession(session, now, this.sessionsConfig.idleTimeoutSeconds) === 'live';
  }

  private async rotateUnspent(
    row: RefreshToken,
    session: Session,
    presented: PresentedRefreshToken,
    client: ClientContext,
    now: Date,
  ): Promise<IssuedRefreshToken> {
    const user = await this.liveUser(row);
    // The successor's iat is the second the parent was spent, so a replay within grace re-derives it exactly.
    const spentAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
    const swapped = await this.tokens.update({ id: row.id, usedAt: IsNull(), revokedAt: IsNull() }, { usedAt: spentAt });
    if (swapped.affected !== 1) {
      // Lost the race to a concurrent reissue with the same token: judge it again as the spent token it now is.
      const spent = await this.tokens.findOneByOrFail({ id: row.id });
      const verdict = judgeRefreshToken(spent, await this.successorOf(spent), new Date(), this.config.reuseGraceSeconds);
      // A spent row is never judged 'rotate' again.
      return this.refuseOrReplay(verdict === 'rotate' ? 'revoked' : verdict, spent, session, presented);
    }
    const refresh = this.successor(presented, row, session, spentAt);
    await this.insert(refresh, { userId: row.userId, sessionId: row.sessionId, parentId: row.id }, client);
    await this.sessions.touch(session.id, now, client);
    return { user, sessionId: row.sessionId, refresh };
  }

  private async refuseOrReplay(
    verdict: Exclude<RefreshVerdict, 'rotate'>,
    row: RefreshToken,
    session: Session,
    presented: PresentedRefreshToken,
  ): Promise<IssuedRefreshToken> {
    switch (verdict) {
      case 'grace':
        return { user: await this.liveUser(row), sessionId: row.sessionId, refresh: this.successor(presented, row, session, row.usedAt!) };
      case 'reuse':
        await this.sessions.revoke(row.sessionId, 'reuse');
        throw new ApiException('refresh_token_reused');
      case 'expired':
        throw new ApiException('refresh_token_expired');
      case 'revoked':
        throw new ApiException('refresh_token_revoked');
    }
  }

  private successor(presented: PresentedRefreshToken, parent: RefreshToken, session: Session, spentAt: Date): SignedRefreshToken {
    return this.signer.signSuccessor(presented.token, parent.userId, parent.sessionId, spentAt.getTime() / 1000, endOf(session));
  }

  /** The row of a presented token, which must belong to the user and session its claims name. */
  private async findOwnRow(presented: PresentedRefreshToken): Promise<RefreshToken> {
    const row = await this.tokens.findOneBy({ tokenHash: hashToken(presented.token) });
    if (!row || row.userId !== presented.claims.sub || row.sessionId !== presented.claims.sid) {
      throw new ApiException('refresh_token_revoked');
    }
    return row;
  }

  /** The token's session, which must be neither revoked nor idle too long nor past its absolute end. */
  private async liveSession(sessionId: string): Promise<Session> {
    const session = await this.sessions.find(sessionId);
    const verdict = session ? judgeSession(session, new Date(), this.sessionsConfig.idleTimeoutSeconds) : 'revoked';
    if (verdict === 'live') return session!;
    if (verdict === 'revoked') throw new ApiException('refresh_token_revoked');
    await this.sessions.revoke(sessionId, 'expired');
    throw new ApiException('session_expired');
  }

  private successorOf(row: RefreshToken): Promise<RefreshToken | null> {
    return this.tokens.findOneBy({ parentId: row.id });
  }

  /** The token's user as it is now; a deleted or disabled user ends the session. */
  private async liveUser(row: RefreshToken): Promise<User> {
    const user = await this.users.findById(row.userId);
    if (user && !user.disabled) return user;
    await this.sessions.revoke(row.sessionId, 'user_disabled');
    throw new ApiException('refresh_token_revoked');
  }

  private async insert(
    refresh: SignedRefreshToken,
    family: { userId: string; sessionId: string; parentId: string | null },
    client: ClientContext,
  ): Promise<void> {
    await this.tokens.insert({
      ...family,
      tokenHash: hashToken(refresh.token),
      createdAt: new Date(refresh.issuedAt * 1000),
      expiresAt: new Date(refresh.expiresAt * 1000),
      usedAt: null,
      revokedAt: null,
      revokedReason: null,
      userAgent: client.userAgent?.slice(0, 255) ?? null,
      ip: client.ip?.slice(0, 45) ?? null,
    });
  }
}

/** A session's absolute end, in JWT seconds. */
function endOf(session: Session): number {
  return Math.floor(session.expiresAt.getTime() / 1000);
}
