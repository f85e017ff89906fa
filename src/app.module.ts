import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { ScheduleModule } from '@nestjs/schedule';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountModule } from './account/account.module.js';
import { AdminModule } from './admin/admin.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AllExceptionsFilter } from './common/all-exceptions.filter.js';
import { ClockModule } from './common/clock.js';
import { ShutdownModule } from './common/shutdown.module.js';
import { StrictValidationPipe } from './common/validation.pipe.js';
import { appConfig } from './config/app.config.js';
import { databaseConfig, type DatabaseConfig } from './config/database.config.js';
import { mailConfig } from './config/mail.config.js';
import { metricsConfig } from './config/metrics.config.js';
import { securityEventsConfig } from './config/security-events.config.js';
import { oauthConfig } from './config/oauth.config.js';
import { passwordConfig } from './config/password.config.js';
import { redisConfig } from './config/redis.config.js';
import { securityConfig } from './config/security.config.js';
import { sessionsConfig } from './config/sessions.config.js';
import { tokensConfig } from './config/tokens.config.js';
import { dataSourceOptions } from './database/data-source-options.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { MailModule } from './mail/mail.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { UsersModule } from './users/users.module.js';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true, // main.ts and ormconfig.ts load .env themselves, before anything reads the environment
      load: [appConfig, databaseConfig, redisConfig, passwordConfig, tokensConfig, sessionsConfig, securityConfig, oauthConfig, mailConfig, securityEventsConfig, metricsConfig],
    }),
    TypeOrmModule.forRootAsync({
      inject: [databaseConfig.KEY],
      useFactory: (database: DatabaseConfig) => dataSourceOptions(database),
    }),
    ClockModule,
    MetricsModule,
    DatabaseModule,
    ShutdownModule,
    ScheduleModule.forRoot(),
    UsersModule,
    AuthModule,
    AccountModule,
    AdminModule,
    HealthModule,
    MailModule,
  ],
  providers: [
    // Registered here rather than in main.ts so that apps built by Test.createTestingModule behave the same.
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    { provide: APP_PIPE, useClass: StrictValidationPipe },
  ],
})
export class AppModule {}
