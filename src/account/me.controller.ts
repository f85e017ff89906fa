import { Body, Controller, Delete, Get, HttpCode, Inject, Patch, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Authenticated } from '../auth/decorators/auth.decorator.js';
import { CurrentClaims } from '../auth/decorators/current-user.decorator.js';
import { clearRefreshCookie } from '../auth/refresh-cookie.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import type { AccessTokenClaims } from '../tokens/token-claims.js';
import { UserView } from '../users/dto/user.view.js';
import { AccountService } from './account.service.js';
import { ChangePasswordDto, DeleteAccountDto } from './dto/change-password.dto.js';

/** `/users/me…`: the caller's own account. */
@ApiTags('users')
@Authenticated()
@Controller('users/me')
export class MeController {
  constructor(
    private readonly account: AccountService,
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

  @Patch('password')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'changePassword',
    summary: 'Change your password; every other session ends, this one stays',
    description: 'Needs the current password as well as the access token.',
  })
  @ApiNoContentResponse()
  @ApiErrors('validation_failed', 'invalid_credentials')
  changePassword(@CurrentClaims() claims: AccessTokenClaims, @Body() body: ChangePasswordDto): Promise<void> {
    return this.account.changePassword(claims.sub, claims.sid, body.currentPassword, body.newPassword);
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
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.account.deleteAccount(claims.sub, body.password);
    clearRefreshCookie(reply, this.config.cookieSecure);
  }
}
