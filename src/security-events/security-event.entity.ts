import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const SECURITY_EVENT_TYPES = [
  'login_succeeded',
  'login_failed',
  'login_blocked',
  'refresh_reuse_detected',
  'session_ended',
  'password_changed',
  'account_deleted',
  'user_disabled',
  'user_enabled',
  'roles_changed',
  'access_key_rotated',
  'email_verified',
  'password_reset_requested',
  'password_reset_completed',
  'email_changed',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/**
 * One security-relevant thing that happened: who, what, when, from where. Never a secret, token, password or
 * attempted password. No foreign key: an account's trail outlives the account (`account_deleted` must stay).
 */
@Entity('security_events')
@Index(['userId', 'occurredAt', 'id'])
@Index(['type', 'occurredAt'])
@Index(['occurredAt', 'id'])
export class SecurityEvent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 6 })
  occurredAt: Date;

  @Column({ type: 'varchar', length: 32 })
  type: SecurityEventType;

  /** Null when no account is known (a failed login for an unknown name). */
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @Column({ name: 'session_id', type: 'varchar', length: 36, nullable: true })
  sessionId: string | null;

  /** `user`, `admin:<id>`, `system` or `cli`. */
  @Column({ type: 'varchar', length: 48 })
  actor: string;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true })
  userAgent: string | null;

  /** A few non-secret facts as JSON (a reason, the roles now, a login name's kind); never a token or a password. */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  detail: string | null;
}
