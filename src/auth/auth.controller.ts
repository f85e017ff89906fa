import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBody,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { OptionalBody } from '../common/optional-body.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import { REFRESH_BEARER_SCHEME } from '../swagger.js';
import { RateLimited } from './abuse/rate-limit.js';
import { AuthService } from './auth.service.js';
import { Authenticated } from './decorators/auth.decorator.js';
import { claimsOf, PresentedToken } from './decorators/current-user.decorator.js';
import { Public } from './decorators/public.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { AccessTokenClaimsView } from './dto/access-token-claims.view.js';
import { REFRESH_BODY_EXAMPLES, RefreshTokenDto } from './dto/refresh-token.dto.js';
import { TokenPairView } from './dto/token-pair.view.js';
import { RefreshTokenGuard } from './guards/refresh-token.guard.js';
import { clearRefreshCookie, REFRESH_COOKIE, setRefreshCookie } from './refresh-cookie.js';
import type { AccessTokenClaims, PresentedRefreshToken } from '../tokens/token-claims.js';
import { clientOf } from '../common/client-context.js';

const REFRESH_SOURCES =
  `The refresh token comes from the JSON body's \`refreshToken\`, else the HttpOnly \`${REFRESH_COOKIE}\` cookie, ` +
  'else `Authorization: Bearer`: the first one present wins. An empty body, `{}` or no body at all means "use the cookie".';

const SET_REFRESH_COOKIE = {
  'Set-Cookie': {
    description: `The refresh token as \`${REFRESH_COOKIE}\`: HttpOnly, SameSite=Strict, Path=/auth, Secure (unless COOKIE_SECURE=false)`,
    schema: { type: 'string', example: `${REFRESH_COOKIE}=eyJhbGciOi…; Max-Age=1209600; Path=/auth; HttpOnly; Secure; SameSite=Strict` },
  },
};

const CLEAR_REFRESH_COOKIE = {
  'Set-Cookie': {
    description: `Clears the \`${REFRESH_COOKIE}\` cookie`,
    schema: { type: 'string', example: `${REFRESH_COOKIE}=; Path=/auth; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; SameSite=Strict` },
  },
};

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
  @ApiOperation({
    operationId: 'login',
    summary: 'Log in with username or email; sets the refresh_token cookie',
    description:
      'Starts a session and answers a token pair. The refresh token also comes as an HttpOnly cookie scoped to ' +
      '`/auth`, which browsers use; clients without cookies keep `refreshToken` from the body.',
  })
  @ApiOkResponse({ type: TokenPairView, headers: SET_REFRESH_COOKIE })
  @ApiErrors('validation_failed', 'invalid_json', 'invalid_credentials', 'login_blocked', 'email_not_verified')
  async login(@Body() body: LoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenPairView> {
    return this.sendPair(reply, await this.auth.login(body, clientOf(request)));
  }

  @Public()
  @UseGuards(RefreshTokenGuard)
  @RateLimited('refresh') // below, so it runs first: garbage tokens count against the limit too
  @Post('refresh')
  @HttpCode(200)
  @OptionalBody()
  @ApiOperation({
    operationId: 'refresh',
    summary: 'Reissue: exchange a refresh token for a new pair (the refresh token rotates)',
    description: REFRESH_SOURCES +
      ' An expired access token may accompany the cookie or body in `Authorization`; it must belong to the same session. ' +
      'Each refresh token works once: present it twice (outside a short grace window) and the session ends ' +
      'with `refresh_token_reused`.',
  })
  @ApiSecurity({})
  @ApiSecurity(REFRESH_BEARER_SCHEME)
  @ApiBody({ type: RefreshTokenDto, required: false, examples: REFRESH_BODY_EXAMPLES })
  @ApiOkResponse({ type: TokenPairView, headers: SET_REFRESH_COOKIE })
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
  @OptionalBody()
  @ApiOperation({
    operationId: 'logout',
    summary: "Log out: revoke the refresh token's session and clear the cookie (idempotent)",
    description: `${REFRESH_SOURCES} The session's access tokens stop working at once.`,
  })
  @ApiSecurity({})
  @ApiSecurity(REFRESH_BEARER_SCHEME)
  @ApiBody({ type: RefreshTokenDto, required: false, examples: REFRESH_BODY_EXAMPLES })
  @ApiNoContentResponse({ headers: CLEAR_REFRESH_COOKIE })
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
  @ApiOperation({
    operationId: 'whoami',
    summary: "The verified access token's claims (no database read)",
    description: 'Cheap way to check a token: the claims as signed, once the signature, expiry and session are verified.',
  })
  @ApiOkResponse({ type: AccessTokenClaimsView })
  whoami(@Req() request: FastifyRequest): AccessTokenClaims {
    return claimsOf(request);
  }

  private sendPair(reply: FastifyReply, pair: TokenPairView): TokenPairView {
    setRefreshCookie(reply, pair.refreshToken, pair.refreshExpiresIn, this.config.cookieSecure);
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    return pair;
  }
}
