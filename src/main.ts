import 'reflect-metadata';
import { loadEnvFile } from './config/load-env-file.js';
import { tracingConfig } from './config/tracing.config.js';

loadEnvFile();
// Tracing patches http, mysql2 and ioredis as they load, so it starts before the application is imported; without
// OTEL_EXPORTER_OTLP_ENDPOINT no OpenTelemetry code is loaded at all.
const tracingOptions = tracingConfig();
const tracing = tracingOptions.endpoint ? (await import('./tracing.js')).startTracing(tracingOptions.serviceName) : undefined;
const { startServer } = await import('./server.js');
await startServer(tracing);
