import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const DEFAULT_ROLES = ['user'];

// Column types are spelled out: the TypeORM CLI loads entities without decorator metadata.
@Entity('users')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Trimmed, NFKC-normalised and lower-cased before it is stored. */
  @Column({ type: 'varchar', length: 254, unique: true })
  email: string;

  /** As the user typed it, for display. */
  @Column({ type: 'varchar', length: 32 })
  username: string;

  /** Lower-cased username; the unique index that makes usernames case-insensitive. */
  @Column({ name: 'username_key', type: 'varchar', length: 32, unique: true })
  usernameKey: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'simple-json' })
  roles: string[];

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 6 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 6 })
  updatedAt: Date;

  @Column({ name: 'password_changed_at', type: 'datetime', precision: 6 })
  passwordChangedAt: Date;

  /** When the user proved they read mail at `email` (a verification link, a password reset, an email change). */
  @Column({ name: 'email_verified_at', type: 'datetime', precision: 6, nullable: true })
  emailVerifiedAt: Date | null;
}
