import { IsOptional, IsString, Matches } from 'class-validator';
import { readEnv } from './env.js';

export class TracingEnv {
  /** OTLP/HTTP collector (`http://collector:4318`); set, the service exports traces; unset, no OpenTelemetry code loads. */
  @IsOptional() @Matches(/^https?:\/\/.+/, { message: 'must look like http://collector:4318' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string = undefined;

  /** `service.name` of the exported spans. */
  @IsString()
  OTEL_SERVICE_NAME = 'nest-token-auth';
}

/** Read by main.ts before anything else (not a Nest config: tracing must start before the application loads). */
export function tracingConfig(env: NodeJS.ProcessEnv = process.env): { endpoint?: string; serviceName: string } {
  const parsed = readEnv(TracingEnv, env);
  return { endpoint: parsed.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: parsed.OTEL_SERVICE_NAME };
}
