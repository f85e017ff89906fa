import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

/** Why a session ended; stored in `revoked_reason` of the session and its refresh tokens. */
export type RevocationReason =
  | 'logout'
  /** The user ended all their sessions (or all but the current one). */
  | 'logout_all'
  /** An administrator ended all the user's sessions. */
  | 'ended_by_admin'
  /** The user ended this one session from their session list. */
  | 'deleted'
  | 'reuse'
  | 'user_disabled'
  | 'user_deleted'
  | 'password_changed'
  /** The password was reset by mail: every session ends. */
  | 'password_reset'
  | 'premature_refresh'
  | 'expired'
  /** A client revoked one of the session's tokens at /oauth/revoke (RFC 7009). */
  | 'token_revoked_by_client';

/** One login: the family of refresh tokens it produced, and what a user sees as a "device". */
@Entity('sessions')
export class Session {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Null once the user is deleted: the revoked row stays until purged, so every instance learns of it. */
  @Index()
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  /** Last login or reissue; the idle timeout counts from here. */
  @Column({ name: 'last_used_at', type: 'datetime', precision: 6 })
  lastUsedAt: Date;

  /** Absolute end (login + SESSION_MAX_LIFETIME_SECONDS); no refresh token outlives it. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 6 })
  expiresAt: Date;

  @Index()
  @Column({ name: 'revoked_at', type: 'datetime', precision: 6, nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason: RevocationReason | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;
}
