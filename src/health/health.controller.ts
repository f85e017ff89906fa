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
  @ApiOperation({
    operationId: 'liveness',
    summary: 'Liveness: the process answers (no I/O)',
    description: 'For a container orchestrator: restart the instance when this stops answering.',
  })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  // Terminus would document its own 503 shape; ours (the error filter's) is what clients get.
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    operationId: 'readiness',
    summary: 'Readiness: the database answers a ping and the instance is not shutting down',
    description: 'For a load balancer: send traffic only while this answers 200.',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: ['ok'] },
        info: { type: 'object' },
        error: { type: 'object' },
        details: { type: 'object' },
      },
      example: { status: 'ok', info: { database: { status: 'up' } }, error: {}, details: { database: { status: 'up' } } },
    },
  })
  @ApiErrors('service_unavailable', 'shutting_down')
  ready(): Promise<HealthCheckResult> {
    // From the first moment of shutdown, so a load balancer stops sending before the instance stops listening.
    if (this.shutdown.stopping) throw new ApiException('shutting_down');
    return this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
  }
}
