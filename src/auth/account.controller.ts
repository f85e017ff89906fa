import { Body, Controller, Delete, HttpCode, Inject, Patch, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import { AccountService } from './account.service.js';
import { Auth } from './decorators/auth.decorator.js';
import { CurrentClaims } from './decorators/current-user.decorator.js';
import { ChangePasswordDto, DeleteAccountDto } from './dto/change-password.dto.js';
import { clearRefreshCookie } from './refresh-cookie.js';
import type { AccessTokenClaims } from './tokens/token-claims.js';

@ApiTags('users')
@Auth()
@Controller('users/me')
export class AccountController {
  constructor(
    private readonly account: AccountService,
    @Inject(tokensConfig.KEY) private readonly config: TokensConfig,
  ) {}

  @Patch('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change your password; every other session ends, this one stays' })
  @ApiNoContentResponse()
  @ApiErrors('validation_failed', 'invalid_credentials')
  changePassword(@CurrentClaims() claims: AccessTokenClaims, @Body() body: ChangePasswordDto): Promise<void> {
    return this.account.changePassword(claims.sub, claims.sid, body.currentPassword, body.newPassword);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete your account and all its sessions' })
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
