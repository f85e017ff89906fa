import { registerAs } from '@nestjs/config';
import { IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';
import { EnvInt, readEnv } from './env.js';

export class MetricsEnv {
  /** Serve Prometheus metrics at http://METRICS_HOST:METRICS_PORT/metrics; unset = no metrics server. */
  @IsOptional() @EnvInt() @IsInt() @Min(0) @Max(65535)
  METRICS_PORT?: number = undefined;

  /** Interface of the metrics server; keep it private (loopback or a cluster-internal address). */
  @IsString()
  METRICS_HOST = '127.0.0.1';

  /** When set, GET /metrics on the main port answers to `Authorization: Bearer <METRICS_TOKEN>` (and is 404 otherwise). */
  @IsOptional() @IsString() @MinLength(32)
  METRICS_TOKEN?: string = undefined;
}

export const metricsConfig = registerAs('metrics', () => {
  const env = readEnv(MetricsEnv);
  return { port: env.METRICS_PORT, host: env.METRICS_HOST, token: env.METRICS_TOKEN };
});
export type MetricsConfig = ReturnType<typeof metricsConfig>;
