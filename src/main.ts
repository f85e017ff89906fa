import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { APP_OPTIONS, configureApp, createAdapter } from './bootstrap.js';
import { appConfig } from './config/app.config.js';
import { loadEnvFile } from './config/load-env-file.js';

async function bootstrap(): Promise<void> {
  loadEnvFile();
  const config = appConfig();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(config), APP_OPTIONS);
  await configureApp(app, config);
  await app.listen(config.port, config.host);
}

await bootstrap();
