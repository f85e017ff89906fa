import { ApiException } from '../common/api-exception.js';
import type { User } from '../users/user.entity.js';
import type { UsersService } from '../users/users.service.js';

/** The user an access token names; one deleted since the token was issued makes the token invalid. */
export async function signedInUser(users: UsersService, userId: string): Promise<User> {
  const user = await users.findById(userId);
  if (!user) throw new ApiException('invalid_token', 'The user of this token no longer exists');
  return user;
}
