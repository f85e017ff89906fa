import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../user.entity.js';

/** What the API shows of a user: never the password hash. */
export class UserView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'ada@example.com' })
  email: string;

  @ApiProperty({ example: 'ada' })
  username: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ example: ['user'] })
  roles: string[];

  @ApiProperty({ description: 'Whether the user proved they read mail at `email` (verification link, password reset or email change)' })
  emailVerified: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  static from(user: User): UserView {
    const { id, email, username, name, roles, createdAt } = user;
    return { id, email, username, name, roles, emailVerified: user.emailVerifiedAt !== null, createdAt };
  }
}
