import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiException } from '../common/api-exception.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { OptionalBody } from '../common/optional-body.js';
import { UuidParam } from '../common/uuid-param.pipe.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import { SessionsService } from '../sessions/sessions.service.js';
import type { AccessTokenClaims } from '../tokens/token-claims.js';
import { Authenticated } from './decorators/auth.decorator.js';
import { CurrentClaims } from './decorators/current-user.decorator.js';
import { LogoutAllDto } from './dto/logout-all.dto.js';
import { SessionView } from './dto/session.view.js';
import { clearRefreshCookie } from './refresh-cookie.js';

@ApiTags('sessions')
@Authenticated()
@Controller('auth')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    @Inject(tokensConfig.KEY) private readonly config: TokensConfig,
  ) {}

  @Get('sessions')
  @ApiOperation({
    operationId: 'listSessions',
    summary: "The caller's active sessions (devices), the current one marked",
    description: 'One entry per login that has not ended, most recently used first.',
  })
  @ApiOkResponse({ type: [SessionView] })
  async list(@CurrentClaims() claims: AccessTokenClaims): Promise<SessionView[]> {
    const sessions = await this.sessions.listActive(claims.sub);
    return sessions.map((session) => SessionView.from(session, claims.sid));
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'endSession',
    summary: 'End one of your sessions; its access and refresh tokens stop working at once',
    description: "Another user's session id answers 404, like an unknown one.",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiErrors('not_found')
  async end(@CurrentClaims() claims: AccessTokenClaims, @Param('id', new UuidParam('session')) id: string): Promise<void> {
    // Someone else's session id looks exactly like an unknown one.
    const session = await this.sessions.findOwn(claims.sub, id);
    if (!session) throw new ApiException('not_found', 'No such session');
    await this.sessions.end({ ids: [session.id] }, 'deleted');
  }

  @Post('logout-all')
  @HttpCode(204)
  @OptionalBody()
  @ApiOperation({
    operationId: 'logoutAll',
    summary: 'End all your sessions, or all but this one (`scope: "others"`)',
    description: 'Without a body (or with `scope: "all"`) the calling session ends too and the refresh cookie is cleared.',
  })
  @ApiBody({ type: LogoutAllDto, required: false })
  @ApiNoContentResponse()
  @ApiErrors('validation_failed')
  async logoutAll(
    @CurrentClaims() claims: AccessTokenClaims,
    @Body() body: LogoutAllDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    const keepCurrent = body.scope === 'others';
    await this.sessions.end({ userId: claims.sub, except: keepCurrent ? claims.sid : undefined }, 'logout_all');
    if (!keepCurrent) clearRefreshCookie(reply, this.config.cookieSecure);
  }
}
