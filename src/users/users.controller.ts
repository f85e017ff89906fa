import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../auth/decorators/auth.decorator.js';
import { CurrentClaims } from '../auth/decorators/current-user.decorator.js';
import type { AccessTokenClaims } from '../auth/tokens/token-claims.js';
import { ApiException } from '../common/api-exception.js';
import { UserView } from './dto/user.view.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Auth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: "The caller's profile, read from the database" })
  @ApiOkResponse({ type: UserView })
  async me(@CurrentClaims() claims: AccessTokenClaims): Promise<UserView> {
    const user = await this.users.findById(claims.sub);
    if (!user) throw new ApiException('invalid_token', 'The user of this token no longer exists');
    return UserView.from(user);
  }
}
