import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCookieAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import { REFRESH_BEARER_SCHEME } from '../swagger.js';
import { RateLimited } from './abuse/rate-limit.js';
import { AuthService } from './auth.service.js';
import { Authenticated } from './decorators/auth.decorator.js';
import { CurrentClaims, PresentedToken } from './decorators/current-user.decorator.js';
import { Public } from './decorators/public.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { RefreshTokenDto } from './dto/refresh-token.dto.js';
import { TokenPairView } from './dto/token-pair.view.js';
import { RefreshTokenGuard } from './guards/refresh-token.guard.js';
import { clearRefreshCookie, setRefreshCookie } from './refresh-cookie.js';
import { REFRESH_COOKIE } from './strategies/refresh-token.strategy.js';
import type { AccessTokenClaims, PresentedRefreshToken } from '../tokens/token-claims.js';
import { clientOf } from '../common/client-context.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(tokensConfig.KEY) private readonly config: TokensConfig,
  ) {}

  @Public()
  @RateLimited('login')
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in with username or email; sets the refresh_token cookie' })
  @ApiOkResponse({ type: TokenPairView })
  @ApiErrors('validation_failed', 'invalid_json', 'invalid_credentials', 'email_not_verified')
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenPairView> {
    return this.sendPair(reply, await this.auth.login(body, clientOf(request)));
  }

  @Public()
  @UseGuards(RefreshTokenGuard)
  @RateLimited('refresh') // below, so it runs first: garbage tokens count against the limit too
  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reissue: exchange a refresh token for a new pair (the refresh token rotates)',
    description: `The refresh token comes from the JSON body, the \`${REFRESH_COOKIE}\` cookie, or \`Authorization: Bearer\`. ` +
      'An expired access token may accompany it in `Authorization`; it must belong to the same session.',
  })
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiBearerAuth(REFRESH_BEARER_SCHEME)
  @ApiBody({ type: RefreshTokenDto, required: false })
  @ApiOkResponse({ type: TokenPairView })
  @ApiErrors(
    'missing_refresh_token',
    'invalid_token',
    'refresh_token_expired',
    'refresh_token_revoked',
    'refresh_token_reused',
    'session_expired',
    'token_mismatch',
    'premature_refresh',
  )
  async refresh(
    @Body() _body: RefreshTokenDto,
    @PresentedToken() presented: PresentedRefreshToken,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenPairView> {
    return this.sendPair(reply, await this.auth.reissue(presented, clientOf(request)));
  }

  @Public()
  @UseGuards(RefreshTokenGuard)
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: "Log out: revoke the refresh token's session and clear the cookie (idempotent)" })
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiBearerAuth(REFRESH_BEARER_SCHEME)
  @ApiBody({ type: RefreshTokenDto, required: false })
  @ApiNoContentResponse()
  @ApiErrors('missing_refresh_token', 'invalid_token', 'refresh_token_expired')
  async logout(
    @Body() _body: RefreshTokenDto,
    @PresentedToken() presented: PresentedRefreshToken,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.auth.logout(presented);
    clearRefreshCookie(reply, this.config.cookieSecure);
  }

  @Get('whoami')
  @Authenticated()
  @ApiOperation({ summary: "The verified access token's claims (no database read)" })
  whoami(@CurrentClaims() claims: AccessTokenClaims): AccessTokenClaims {
    return claims;
  }

  private sendPair(reply: FastifyReply, pair: TokenPairView): TokenPairView {
    setRefreshCookie(reply, pair.refreshToken, pair.refreshExpiresIn, this.config.cookieSecure);
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return pair;
  }
}
