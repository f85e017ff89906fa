import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { ApiException } from '../common/api-exception.js';
import { Clock } from '../common/clock.js';
import type { Statement } from '../database/atomic-writes.js';
import { emailKey, loginKey, usernameKey } from './identity.js';
import { DEFAULT_ROLES, User } from './user.entity.js';

export interface UserAccess {
  roles?: string[];
  disabled?: boolean;
}

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
    private readonly clock: Clock,
  ) {}

  async create(input: NewUser): Promise<User> {
    const user = this.users.create({
      email: emailKey(input.email),
      username: input.username,
      usernameKey: usernameKey(input.username),
      name: input.name,
      passwordHash: input.passwordHash,
      roles: [...DEFAULT_ROLES],
      disabled: false,
      passwordChangedAt: this.clock.now(),
    });
    try {
      return await this.users.save(user);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ApiException('user_exists');
      throw error;
    }
  }

  /** Whether the email or the username is taken, in any letter case. */
  async exists(email: string, username: string): Promise<boolean> {
    const count = await this.users.count({ where: [{ email: emailKey(email) }, { usernameKey: usernameKey(username) }] });
    return count > 0;
  }

  /** `login` is a username or an email address. */
  findByLogin(login: string): Promise<User | null> {
    const account = loginKey(login);
    return account.by === 'email' ? this.users.findOneBy({ email: account.key }) : this.users.findOneBy({ usernameKey: account.key });
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

  /** A new name and/or username; a username taken in any letter case is `409 user_exists`. Null when there is no such user. */
  async updateProfile(id: string, changes: { name?: string; username?: string }): Promise<User | null> {
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
    return this.findById(id);
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

  /** Same password, stronger hash (argon2 parameters changed). */
  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  /** A new password: new hash and a new password-changed timestamp (run with AtomicWrites). */
  passwordChange(id: string, passwordHash: string): Statement {
    const now = this.clock.now();
    return { sql: 'UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?', params: [passwordHash, now, now, id] };
  }

  /**
   * Deletes the user (run with AtomicWrites). Their refresh tokens go with them (ON DELETE CASCADE); their sessions
   * stay, revoked, with user_id set to NULL (ON DELETE SET NULL) until purged, so every instance learns of the revocation.
   */
  deletion(id: string): Statement {
    return { sql: 'DELETE FROM users WHERE id = ?', params: [id] };
  }
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
