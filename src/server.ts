import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, configureApp, createAdapter } from './bootstrap.js';
import { appConfig } from './config/app.config.js';

/** Builds the application and listens; main.ts calls it once the environment (and tracing, if any) is set up. */
export async function startServer(tracing?: { shutdown: () => Promise<void> }): Promise<void> {
  const config = appConfig();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(config), APP_OPTIONS);
  configureApp(app, config);
  // The last spans are flushed once the application has shut down.
  if (tracing) app.getHttpServer().once('close', () => void tracing.shutdown());
  await app.listen(config.port, config.host);
}
