import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { InvalidResourceServerConfigError, loadResourceServerConfig, type ResourceServerConfig } from './resource-server.config.js';

// npm run example:resource-server — see README.md beside this file.
let config: ResourceServerConfig;
try {
  config = loadResourceServerConfig(process.env);
} catch (error) {
  if (!(error instanceof InvalidResourceServerConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}

const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter());
app.enableShutdownHooks();
await app.listen(config.port, config.host);
new Logger('ResourceServer').log(
  `http://${config.host}:${config.port}: trusting ${config.issuer} (keys from ${config.jwksUrl}), ` +
    `introspection ${config.introspection ? `at ${config.introspection.url}` : 'off'}`,
);
