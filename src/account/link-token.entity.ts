import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

export const LINK_PURPOSES = ['verify_email', 'reset_password', 'change_email'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/**
 * A single-use token sent by mail as a link. Only its SHA-256 is stored; the raw token exists in the mail alone.
 * Usable while used_at and superseded_at are null and expires_at is ahead.
 */
@Entity('link_tokens')
@Index(['userId', 'purpose'])
export class LinkToken {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 36 })
  userId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 16 })
  purpose: LinkPurpose;

  /** Hex SHA-256 of the token. */
  @Column({ name: 'token_hash', type: 'varchar', length: 64, unique: true })
  tokenHash: string;

  /** What the link confirms besides the user, e.g. the new address of change_email. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  payload: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'datetime', precision: 6 })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'datetime', precision: 6, nullable: true })
  usedAt: Date | null;

  /** A newer link of the same purpose was issued, or the links were revoked (e.g. the password changed). */
  @Column({ name: 'superseded_at', type: 'datetime', precision: 6, nullable: true })
  supersededAt: Date | null;
}
