import { Body, Controller, Delete, Get, HttpCode, Inject, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/decorators/auth.decorator.js';
import { CurrentClaims } from '../auth/decorators/current-user.decorator.js';
import { clearRefreshCookie } from '../auth/refresh-cookie.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { clientOf } from '../common/client-context.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import { SecurityEventPageView } from '../security-events/dto/security-event.view.js';
import { SecurityEventsQuery } from '../security-events/dto/security-events.query.js';
import { SecurityEvents } from '../security-events/security-events.service.js';
import type { AccessTokenClaims } from '../tokens/token-claims.js';
import { UserView } from '../users/dto/user.view.js';
import { AccountService } from './account.service.js';
import { ChangeEmailDto } from './dto/account-links.dto.js';
import { EmailChangeService } from './email-change.service.js';
import { ChangePasswordDto, DeleteAccountDto } from './dto/change-password.dto.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';

/** `/users/me…`: the caller's own account. */
@ApiTags('users')
@Authenticated()
@Controller('users/me')
export class MeController {
  constructor(
    private readonly account: AccountService,
    private readonly emailChange: EmailChangeService,
    private readonly events: SecurityEvents,
    @Inject(tokensConfig.KEY) private readonly config: TokensConfig,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'getMe',
    summary: "The caller's profile, read from the database",
    description: 'Unlike whoami, this reads the user row: it shows changes made since the access token was issued.',
  })
  @ApiOkResponse({ type: UserView })
  async me(@CurrentClaims() claims: AccessTokenClaims): Promise<UserView> {
    return UserView.from(await this.account.profile(claims.sub));
  }

  @Patch()
  @ApiOperation({
    summary: 'Change your name or username',
    description: 'Give `name`, `username` or both. The access token carries the new values from its next issue (login or reissue).',
  })
  @ApiOkResponse({ type: UserView })
  @ApiErrors('validation_failed', 'invalid_json', 'user_exists')
  async updateProfile(@CurrentClaims() claims: AccessTokenClaims, @Body() body: UpdateProfileDto): Promise<UserView> {
    return UserView.from(await this.account.updateProfile(claims.sub, body));
  }

  @Post('email')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Change your email address: a confirmation link goes to the new one',
    description: 'The address changes when the link is used (`POST /auth/email/change`). The answer is the same whether or not another account uses it.',
  })
  @ApiAcceptedResponse()
  @ApiErrors('validation_failed', 'invalid_credentials', 'rate_limited')
  requestEmailChange(@CurrentClaims() claims: AccessTokenClaims, @Body() body: ChangeEmailDto, @Req() request: FastifyRequest): Promise<void> {
    return this.emailChange.request(claims.sub, body.newEmail, body.password, clientOf(request));
  }

  @Get('security-events')
  @ApiOperation({ operationId: 'listMySecurityEvents', summary: 'Your recent account activity (logins, sessions ended, changes), newest first', description: 'Keyset pagination: pass `nextCursor` back as `cursor`.' })
  @ApiOkResponse({ type: SecurityEventPageView })
  @ApiErrors('validation_failed')
  async securityEvents(@CurrentClaims() claims: AccessTokenClaims, @Query() query: SecurityEventsQuery): Promise<SecurityEventPageView> {
    return SecurityEventPageView.from(await this.events.page({ userId: claims.sub }, query.limit, query.cursor));
  }

  @Patch('password')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'changePassword',
    summary: 'Change your password; every other session ends, this one stays',
    description: 'Needs the current password as well as the access token.',
  })
  @ApiNoContentResponse()
  @ApiErrors('validation_failed', 'invalid_credentials')
  changePassword(@CurrentClaims() claims: AccessTokenClaims, @Body() body: ChangePasswordDto, @Req() request: FastifyRequest): Promise<void> {
    return this.account.changePassword(claims.sub, claims.sid, body.currentPassword, body.newPassword, clientOf(request));
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({
    operationId: 'deleteMe',
    summary: 'Delete your account and all its sessions',
    description: 'Needs the password; clears the refresh cookie.',
  })
  @ApiNoContentResponse()
  @ApiErrors('validation_failed', 'invalid_credentials')
  async deleteAccount(
    @CurrentClaims() claims: AccessTokenClaims,
    @Body() body: DeleteAccountDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.account.deleteAccount(claims.sub, body.password, clientOf(request));
    clearRefreshCookie(reply, this.config.cookieSecure);
  }
}
