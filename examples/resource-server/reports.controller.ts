import { Controller, Get, UseGuards } from '@nestjs/common';
import { type AccessTokenPrincipal, CurrentPrincipal } from './access-token-principal.js';
import { BearerTokenGuard } from './bearer-token.guard.js';

@Controller()
export class ReportsController {
  /** The one protected route: shows who the verified token says the caller is. */
  @Get('reports')
  @UseGuards(BearerTokenGuard)
  reports(@CurrentPrincipal() principal: AccessTokenPrincipal) {
    return { subject: principal.subject, roles: principal.roles, session: principal.session };
  }

  /** Public: no token, no call to the authorization server. */
  @Get('health')
  health() {
    return { status: 'ok' };
  }
}
