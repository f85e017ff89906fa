import { register } from 'node:module';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * OpenTelemetry traces of HTTP requests, MySQL/MariaDB queries and Redis commands, exported over OTLP/HTTP to
 * OTEL_EXPORTER_OTLP_ENDPOINT (the exporter reads the standard OTEL_* variables itself). main.ts imports this file
 * only when that variable is set, and before the application, so the instrumentations patch http, mysql2 and ioredis
 * as they load; without it no OpenTelemetry code is loaded at all.
 */
export function startTracing(serviceName: string): { shutdown: () => Promise<void> } {
  // The application imports ioredis (and more) as ES modules, which only this loader hook lets the instrumentations patch.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // Probes would drown the traces that matter.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => request.url?.startsWith('/health') === true }),
      new MySQL2Instrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  return { shutdown: () => provider.shutdown() };
}
