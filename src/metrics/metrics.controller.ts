import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators/public.decorator.js';
import { ApiException } from '../common/api-exception.js';
import { metricsConfig, type MetricsConfig } from '../config/metrics.config.js';
import { Metrics } from './metrics.service.js';

/** GET /metrics on the main port, only with METRICS_TOKEN set and presented; otherwise it does not exist (404). */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly expected?: Buffer;

  constructor(
    private readonly metrics: Metrics,
    @Inject(metricsConfig.KEY) config: MetricsConfig,
  ) {
    this.expected = config.token === undefined ? undefined : Buffer.from(`Bearer ${config.token}`);
  }

  @Get()
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const presented = Buffer.from(authorization ?? '');
    const allowed = this.expected !== undefined && presented.length === this.expected.length && timingSafeEqual(presented, this.expected);
    if (!allowed) throw new ApiException('not_found');
    void reply.header('content-type', this.metrics.contentType).header('cache-control', 'no-store').send(await this.metrics.text());
  }
}
