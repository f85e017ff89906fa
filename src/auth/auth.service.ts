import { Injectable } from '@nestjs/common';
import { ApiException } from '../common/api-exception.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { SignupDto } from './dto/signup.dto.js';
import { PasswordHasher } from './password-hasher.service.js';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
  ) {}

  async signup(input: SignupDto): Promise<User> {
    // Cheap check first so a taken name does not cost an argon2 hash; the unique index still decides races.
    if (await this.users.exists(input.email, input.username)) throw new ApiException('user_exists');
    const passwordHash = await this.passwords.hash(input.password);
    return this.users.create({ email: input.email, username: input.username, name: input.name, passwordHash });
  }
}
