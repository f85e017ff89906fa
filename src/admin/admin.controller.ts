import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '../auth/decorators/auth.decorator.js';
import { CurrentClaims } from '../auth/decorators/current-user.decorator.js';
import type { AccessTokenClaims } from '../tokens/token-claims.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { UuidParam } from '../common/uuid-param.pipe.js';
import { AdminSecurityEventPageView } from '../security-events/dto/security-event.view.js';
import { AdminSecurityEventsQuery } from '../security-events/dto/security-events.query.js';
import { SecurityEvents } from '../security-events/security-events.service.js';
import { ADMIN_ROLE } from './admin-role.js';
import { AdminUsersService } from './admin-users.service.js';
import { AdminUserPageView } from './dto/admin-user-page.view.js';
import { AdminUserView } from './dto/admin-user.view.js';
import { ListUsersQuery } from './dto/list-users.query.js';
import { UpdateUserDto } from './dto/update-user.dto.js';

@ApiTags('admin')
@RequireRoles(ADMIN_ROLE)
@Controller('admin')
export class AdminController {
  constructor(
    private readonly adminUsers: AdminUsersService,
    private readonly events: SecurityEvents,
  ) {}

  @Get('users')
  @ApiOperation({
    operationId: 'listUsers',
    summary: 'All users, oldest first, one page at a time',
    description: '`total` counts every user, so a client can compute the number of pages.',
  })
  @ApiOkResponse({ type: AdminUserPageView })
  @ApiErrors('validation_failed')
  list(@Query() query: ListUsersQuery): Promise<AdminUserPageView> {
    return this.adminUsers.list(query.page, query.limit);
  }

  @Get('security-events')
  @ApiOperation({ operationId: 'listSecurityEvents', summary: 'The security event trail, newest first, filtered by user, type and time', description: 'Keyset pagination: pass `nextCursor` back as `cursor`.' })
  @ApiOkResponse({ type: AdminSecurityEventPageView })
  @ApiErrors('validation_failed')
  async securityEvents(@Query() query: AdminSecurityEventsQuery): Promise<AdminSecurityEventPageView> {
    const { userId, type, from, to, limit, cursor } = query;
    return AdminSecurityEventPageView.from(await this.events.page({ userId, type, from, to }, limit, cursor));
  }

  @Patch('users/:id')
  @ApiOperation({
    operationId: 'updateUser',
    summary: "Change a user's roles or disable them",
    description:
      'Give `roles`, `disabled` or both. Disabling ends every session of the user at once. ' +
      'New roles reach the user with their next access token (login or reissue). ' +
      'An administrator cannot remove their own admin role or disable themselves (`400 validation_failed`).',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AdminUserView })
  @ApiErrors('validation_failed', 'invalid_json', 'unsupported_media_type', 'payload_too_large', 'not_found')
  update(@CurrentClaims() claims: AccessTokenClaims, @Param('id', new UuidParam('user')) id: string, @Body() body: UpdateUserDto): Promise<AdminUserView> {
    return this.adminUsers.update(claims.sub, id, body);
  }

  @Delete('users/:id/sessions')
  @HttpCode(204)
  @ApiOperation({
    operationId: 'endUserSessions',
    summary: 'End every session of a user: their access and refresh tokens stop working at once',
    description: 'The user can log in again; to keep them out, disable them with updateUser.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse()
  @ApiErrors('not_found')
  endSessions(@CurrentClaims() claims: AccessTokenClaims, @Param('id', new UuidParam('user')) id: string): Promise<void> {
    return this.adminUsers.endSessions(claims.sub, id);
  }
}
