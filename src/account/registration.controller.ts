import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { RateLimited } from '../auth/abuse/rate-limit.js';
import { Authenticated } from '../auth/decorators/auth.decorator.js';
import { CurrentClaims } from '../auth/decorators/current-user.decorator.js';
import { Public } from '../auth/decorators/public.decorator.js';
import { SignupDto } from '../auth/dto/signup.dto.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { clientOf } from '../common/client-context.js';
import type { AccessTokenClaims } from '../tokens/token-claims.js';
import { UserView } from '../users/dto/user.view.js';
import { EmailAddressDto, LinkTokenDto, ResetPasswordDto } from './dto/account-links.dto.js';
import { EmailChangeService } from './email-change.service.js';
import { PasswordResetService } from './password-reset.service.js';
import { RegistrationService } from './registration.service.js';

/** Signup, beside login in the API's `auth` section. */
@ApiTags('auth')
@Controller('auth')
export class SignupController {
  constructor(private readonly registration: RegistrationService) {}

  @Public()
  @RateLimited('signup')
  @Post('signup')
  @HttpCode(201)
  @ApiOperation({
    operationId: 'signup',
    summary: 'Create an account',
    description: 'The email and username must be unused. Unless EMAIL_VERIFICATION=off, a verification link goes to the address. Signing up does not log in: call login next.',
  })
  @ApiCreatedResponse({ type: UserView })
  @ApiErrors('validation_failed', 'invalid_json', 'user_exists', 'payload_too_large', 'unsupported_media_type')
  async signup(@Body() body: SignupDto): Promise<UserView> {
    return UserView.from(await this.registration.signup(body));
  }
}

/** The links account mails carry: verify the address, reset the password, confirm a new address; and asking for them. */
@ApiTags('account')
@Controller('auth')
export class RegistrationController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly passwordReset: PasswordResetService,
    private readonly emailChange: EmailChangeService,
  ) {}

  @Public()
  @Post('email/verify')
  @HttpCode(204)
  @ApiOperation({ summary: 'Verify your email address with the token of the link we mailed', description: 'Access tokens carry `email_verified: true` from their next issue on.' })
  @ApiNoContentResponse()
  @ApiErrors('validation_failed', 'link_invalid')
  verify(@Body() body: LinkTokenDto, @Req() request: FastifyRequest): Promise<void> {
    return this.registration.verify(body.token, clientOf(request));
  }

  @Authenticated()
  @Post('email/verification')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send yourself a new verification link', description: 'Nothing is sent once the address is verified.' })
  @ApiAcceptedResponse()
  @ApiErrors('rate_limited')
  resend(@CurrentClaims() claims: AccessTokenClaims, @Req() request: FastifyRequest): Promise<void> {
    return this.registration.resendTo(claims.sub, clientOf(request));
  }

  @Public()
  @Post('email/verification/request')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Ask for a new verification link by address (no login needed)',
    description: 'The answer is the same whether or not an account uses the address; only an unverified account gets a link.',
  })
  @ApiAcceptedResponse()
  @ApiErrors('validation_failed', 'rate_limited')
  resendToAddress(@Body() body: EmailAddressDto, @Req() request: FastifyRequest): Promise<void> {
    return this.registration.resendToAddress(body.email, clientOf(request));
  }

  @Public()
  @Post('password/forgot')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Forgot your password: a reset link goes to the address',
    description: 'The answer is the same, and takes as long, whether or not an account uses the address.',
  })
  @ApiAcceptedResponse()
  @ApiErrors('validation_failed', 'rate_limited')
  forgot(@Body() body: EmailAddressDto, @Req() request: FastifyRequest): Promise<void> {
    return this.passwordReset.forgot(body.email, clientOf(request));
  }

  @Public()
  @Post('password/reset')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the token of the reset link',
    description: 'Every session of the account ends at once; the address counts as verified; a notice goes to it.',
  })
  @ApiNoContentResponse()
  @ApiErrors('validation_failed', 'link_invalid')
  reset(@Body() body: ResetPasswordDto, @Req() request: FastifyRequest): Promise<void> {
    return this.passwordReset.reset(body.token, body.newPassword, clientOf(request));
  }

  @Public()
  @Post('email/change')
  @HttpCode(204)
  @ApiOperation({ summary: 'Confirm a new email address with the token of the link mailed to it', description: 'A notice goes to the old address.' })
  @ApiNoContentResponse()
  @ApiErrors('validation_failed', 'link_invalid', 'user_exists')
  confirmEmailChange(@Body() body: LinkTokenDto, @Req() request: FastifyRequest): Promise<void> {
    return this.emailChange.confirm(body.token, clientOf(request));
  }
}
