import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/decorators/public.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ApiException } from '../common/api-exception.js';
import { GracefulShutdown } from '../common/graceful-shutdown.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly shutdown: GracefulShutdown,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers (no I/O)' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: the database answers a ping and the instance is not shutting down' })
  @ApiErrors('service_unavailable', 'shutting_down')
  ready(): Promise<HealthCheckResult> {
    // From the first moment of shutdown, so a load balancer stops sending before the instance stops listening.
    if (this.shutdown.stopping) throw new ApiException('shutting_down');
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
  }
}
