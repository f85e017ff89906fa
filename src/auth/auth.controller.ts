import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { UserView } from '../users/dto/user.view.js';
import { AuthService } from './auth.service.js';
import { SignupDto } from './dto/signup.dto.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('signup')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an account' })
  @ApiCreatedResponse({ type: UserView })
  @ApiErrors('validation_failed', 'invalid_json', 'user_exists', 'payload_too_large', 'unsupported_media_type')
  async signup(@Body() body: SignupDto): Promise<UserView> {
    return UserView.from(await this.auth.signup(body));
  }
}
