import type { DataSource } from 'typeorm';
import { SystemClock } from '../common/clock.js';
import { AtomicWrites } from '../database/atomic-writes.js';
import { RawReads } from '../database/raw-reads.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { ADMIN_ROLE } from './admin-role.js';

export interface Promotion {
  user: User;
  /** False when the user already had the role. */
  changed: boolean;
}

/**
 * Grants the admin role to the user with this email (idempotent); null when there is no such user.
 * The core of `npm run user:promote`, which makes the first administrator without SQL.
 */
export async function promoteUser(dataSource: DataSource, email: string): Promise<Promotion | null> {
  const users = new UsersService(dataSource.getRepository(User), new RawReads(dataSource), new SystemClock());
  const user = await users.findByEmail(email);
  if (!user) return null;
  if (user.roles.includes(ADMIN_ROLE)) return { user, changed: false };
  await new AtomicWrites(dataSource).run([users.accessChange(user.id, { roles: [...user.roles, ADMIN_ROLE] })]);
  const promoted = await users.findById(user.id);
  return promoted ? { user: promoted, changed: true } : null;
}
