import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { ApiException } from '../common/api-exception.js';
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

/** Emails and usernames are compared in this form everywhere: NFKC, trimmed, lower-cased. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** The seam between the application and the users table. */
@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async create(input: NewUser): Promise<User> {
    const user = this.users.create({
      email: normalizeEmail(input.email),
      username: input.username,
      usernameKey: usernameKey(input.username),
      name: input.name,
      passwordHash: input.passwordHash,
      roles: [...DEFAULT_ROLES],
      disabled: false,
      passwordChangedAt: new Date(),
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
    const count = await this.users.count({
      where: [{ email: normalizeEmail(email) }, { usernameKey: usernameKey(username) }],
    });
    return count > 0;
  }

  /** `login` is a username or an email address. */
  findByLogin(login: string): Promise<User | null> {
    return login.includes('@')
      ? this.users.findOneBy({ email: normalizeEmail(login) })
      : this.users.findOneBy({ usernameKey: usernameKey(login) });
  }

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  /** One page of users, oldest first; the id orders users created in the same instant, so pages never overlap. */
  listPage(page: number, limit: number): Promise<[User[], number]> {
    return this.users.findAndCount({ order: { createdAt: 'ASC', id: 'ASC' }, skip: (page - 1) * limit, take: limit });
  }

  /** Changes what a user may do: their roles, and whether they may log in at all. Null when there is no such user. */
  async updateAccess(id: string, changes: UserAccess): Promise<User | null> {
    const { roles, disabled } = changes;
    await this.users.update({ id }, { ...(roles ? { roles } : {}), ...(disabled !== undefined ? { disabled } : {}) });
    return this.users.findOneBy({ id });
  }

  /** Same password, stronger hash (argon2 parameters changed). */
  async updatePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  /** A new password: new hash and a new password-changed timestamp. */
  async changePassword(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash, passwordChangedAt: new Date() });
  }

  /** Deletes the user; its sessions and refresh tokens go with it (ON DELETE CASCADE). */
  async delete(id: string): Promise<void> {
    await this.users.delete({ id });
  }
}

function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const code = (error.driverError as { code?: string } | undefined)?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
