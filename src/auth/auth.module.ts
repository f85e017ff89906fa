import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '../common/clock.js';
import { securityConfig, type SecurityConfig } from '../config/security.config.js';
import { SecurityEventsModule } from '../security-events/security-events.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { FailureCounter } from './abuse/failure-counter.js';
import { FixedWindowStore } from './abuse/fixed-window-store.js';
import { LoginFailure } from './abuse/login-failure.entity.js';
import { LoginThrottle } from './abuse/login-throttle.service.js';
import { throttlerOptions } from './abuse/rate-limit.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AccessTokenGuard } from './guards/access-token.guard.js';
import { RefreshTokenGuard } from './guards/refresh-token.guard.js';
import { IntrospectionClientGuard } from './oauth/introspection-client.guard.js';
import { OAuthController } from './oauth/oauth.controller.js';
import { TokenIntrospection } from './oauth/token-introspection.service.js';
import { TokenRevocation } from './oauth/token-revocation.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { PasswordPolicy } from './password-policy.js';
import { SessionsController } from './sessions.controller.js';
import { AccessTokenStrategy } from './strategies/access-token.strategy.js';
import { RefreshTokenStrategy } from './strategies/refresh-token.strategy.js';

/** Credentials and tokens over HTTP: signup, login, reissue, logout, the caller's sessions, the OAuth endpoints, and the guards. */
@Module({
  imports: [
    UsersModule,
    TokensModule,
    SessionsModule,
    SecurityEventsModule,
    PassportModule,
    TypeOrmModule.forFeature([LoginFailure]),
    ThrottlerModule.forRootAsync({
      inject: [securityConfig.KEY, Clock],
      useFactory: (config: SecurityConfig, clock: Clock) => ({ ...throttlerOptions(config), storage: new FixedWindowStore(clock) }),
    }),
  ],
  controllers: [AuthController, SessionsController, OAuthController],
  providers: [
    AuthService,
    LoginThrottle,
    PasswordPolicy,
    FailureCounter,
    PasswordHasher,
    AccessTokenStrategy,
    RefreshTokenStrategy,
    RefreshTokenGuard,
    TokenRevocation,
    TokenIntrospection,
    IntrospectionClientGuard,
    // Registered in the module, not in main.ts, so every app built from AuthModule (tests included) is protected.
    { provide: APP_GUARD, useClass: AccessTokenGuard },
  ],
  exports: [PasswordHasher, PasswordPolicy, LoginThrottle, FailureCounter],
})
export class AuthModule {}
