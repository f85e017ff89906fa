import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { ApiException } from '../common/api-exception.js';
import { Clock } from '../common/clock.js';
import type { Statement } from '../database/atomic-writes.js';
import { RawReads } from '../database/raw-reads.js';
import { emailKey, loginKey, usernameKey } from './identity.js';
import { tokenUserOf, tokenUserSelect, type TokenUser } from './user-columns.js';
import { DEFAULT_ROLES, User } from './user.entity.js';

export interface UserAccess {
  roles?: string[];
  disabled?: boolean;
}

/** What a login checks and mints its tokens from. */
export type LoginCandidate = TokenUser & { passwordHash: string };

/** A login's read, by either key: raw columns, no entity (every login pays for it, whatever its outcome). */
const CANDIDATE_COLUMNS = `${tokenUserSelect('u', '')}, u.password_hash AS password_hash FROM users u`;
const CANDIDATE_BY = {
  email: `SELECT ${CANDIDATE_COLUMNS} WHERE u.email = ?`,
  username: `SELECT ${CANDIDATE_COLUMNS} WHERE u.username_key = ?`,
} as const;

export interface NewUser {
  email: string;
  username: string;
  name: string;
  passwordHash: string;
}

/** The one owner of the users table. */
@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly raw: RawReads,
    private readonly clock: Clock,
  ) {}

  /**
   * A new user's row and its id, to run with AtomicWrites together with what signup writes beside it (the
   * verification link and mail). A taken email or username fails the whole transaction: see `isUniqueViolation`.
   */
  creation(input: NewUser): Statement & { id: string } {
    const now = this.clock.now();
    const id = randomUUID();
    return {
      id,
      sql:
        'INSERT INTO users (id, email, username, username_key, name, password_hash, roles, disabled, created_at, updated_at, password_changed_at, email_verified_at) ' +
        'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
      params: [id, emailKey(input.email), input.username, usernameKey(input.username), input.name, input.passwordHash, JSON.stringify(DEFAULT_ROLES), false, now, now, now],
    };
  }

  /** Whether the email or the username is taken, in any letter case. */
  async exists(email: string, username: string): Promise<boolean> {
    const count = await this.users.count({ where: [{ email: emailKey(email) }, { usernameKey: usernameKey(username) }] });
    return count > 0;
  }

  /** `login` is a username or an email address. */
  async findByLogin(login: string): Promise<LoginCandidate | null> {
    const account = loginKey(login);
    const row = await this.raw.first(CANDIDATE_BY[account.by], [account.key]);
    if (!row) return null;
    const user = tokenUserOf(row, '');
    return user && { ...user, passwordHash: row.password_hash as string };
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: emailKey(email) });
  }

  /** One page of users, oldest first; the id orders users created in the same instant, so pages never overlap. */
  listPage(page: number, limit: number): Promise<[User[], number]> {
    return this.users.findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, skip: (page - 1) * limit, take: limit });
  }

  /** A new name and/or username; a username taken in any letter case is `409 user_exists`. */
  async updateProfile(id: string, changes: { name?: string; username?: string }): Promise<void> {
    const { name, username } = changes;
    const update = { ...(name !== undefined ? { name } : {}), ...(username !== undefined ? { username, usernameKey: usernameKey(username) } : {}) };
    if (Object.keys(update).length > 0) {
      try {
        await this.users.update({ id }, update);
      } catch (error) {
        if (isUniqueViolation(error)) throw new ApiException('user_exists', 'A user with this username already exists');
        throw error;
      }
    }
  }

  /** Changes what a user may do: their roles, and whether they may log in at all (run with AtomicWrites). */
  accessChange(id: string, changes: UserAccess): Statement {
    const sets = [
      ...(changes.roles ? [['roles', JSON.stringify(changes.roles)] as const] : []),
      ...(changes.disabled !== undefined ? [['disabled', changes.disabled] as const] : []),
      ['updated_at', this.clock.now()] as const,
    ];
    return { sql: `UPDATE users SET ${sets.map(([column]) => `${column} = ?`).join(', ')} WHERE id = ?`, params: [...sets.map(([, value]) => value), id] };
  }

  /** Marks the address the user has now as proved; changes no row if the user's address is another one by then. */
  emailVerification(id: string, email: string): Statement {
    const now = this.clock.now();
    return { sql: 'UPDATE users SET email_verified_at = ?, updated_at = ? WHERE id = ? AND email = ?', params: [now, now, id, emailKey(email)], mustChangeOne: true };
  }

  /** A new address, proved by the link sent to it. A taken address fails the transaction (`isUniqueViolation`). */
  emailChange(id: string, newEmail: string): Statement {
    const now = this.clock.now();
    return { sql: 'UPDATE users SET email = ?, email_verified_at = ?, updated_at = ? WHERE id = ?', params: [emailKey(newEmail), now, now, id], mustChangeOne: true };
  }

  /** Same password, stronger hash (argon2 parameters changed). */
  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  /**
   * A new password: new hash and a new password-changed timestamp (run with AtomicWrites). A reset by mail also
   * proves the address (`provesEmail`): the user read the link.
   */
  passwordChange(id: string, passwordHash: string, options: { provesEmail?: boolean } = {}): Statement {
    const now = this.clock.now();
    const verified = options.provesEmail ? ', email_verified_at = COALESCE(email_verified_at, ?)' : '';
    return {
      sql: `UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ?${verified} WHERE id = ?`,
      params: [passwordHash, now, now, ...(options.provesEmail ? [now] : []), id],
    };
  }

  /**
   * Deletes the user (run with AtomicWrites). Their refresh tokens go with them (ON DELETE CASCADE); their sessions
   * stay, revoked, with user_id set to NULL (ON DELETE SET NULL) until purged, so every instance learns of the revocation.
   */
  deletion(id: string): Statement {
    return { sql: 'DELETE FROM users WHERE id = ?', params: [id] };
  }
}

/** A unique key refused the write: from TypeORM (QueryFailedError) or straight from a driver (AtomicWrites on SQLite). */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  const code = (driverError as { code?: unknown } | null)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
