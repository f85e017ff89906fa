import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { securityConfig, type SecurityConfig } from '../config/security.config.js';
import { FailureCounter } from './abuse/failure-counter.js';
import { LoginFailure } from './abuse/login-failure.entity.js';
import { LoginThrottle } from './abuse/login-throttle.service.js';
import { throttlerOptions } from './abuse/rate-limit.js';
import { UsersModule } from '../users/users.module.js';
import { AccountController } from './account.controller.js';
import { AccountService } from './account.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { AccessTokenGuard } from './guards/access-token.guard.js';
import { RefreshTokenGuard } from './guards/refresh-token.guard.js';
import { RolesGuard } from './guards/roles.guard.js';
import { OAuthController } from './oauth/oauth.controller.js';
import { IntrospectionClientGuard } from './oauth/introspection-client.guard.js';
import { TokenIntrospection } from './oauth/token-introspection.service.js';
import { TokenRevocation } from './oauth/token-revocation.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { PasswordPolicy } from './password-policy.js';
import { AccessTokenStrategy } from './strategies/access-token.strategy.js';
import { RefreshTokenStrategy } from './strategies/refresh-token.strategy.js';
import { KeyRing } from './tokens/key-ring.service.js';
import { RefreshToken } from './tokens/refresh-token.entity.js';
import { RefreshTokensService } from './tokens/refresh-tokens.service.js';
import { PurgeExpiredJob } from './sessions/purge-expired.job.js';
import { RevocationFeed } from './sessions/revocation-feed.js';
import { RevokedSessions } from './sessions/revoked-sessions.js';
import { Session } from './sessions/session.entity.js';
import { SessionsController } from './sessions/sessions.controller.js';
import { SessionsService } from './sessions/sessions.service.js';
import { TokenSigner } from './tokens/token-signer.service.js';

@Module({
  imports: [
    UsersModule,
    PassportModule,
    JwtModule.register({}),
    TypeOrmModule.forFeature([RefreshToken, Session, LoginFailure]),
    ThrottlerModule.forRootAsync({ inject: [securityConfig.KEY], useFactory: (config: SecurityConfig) => throttlerOptions(config) }),
  ],
  controllers: [AuthController, SessionsController, AccountController, OAuthController],
  providers: [
    AuthService,
    AccountService,
    LoginThrottle,
    PasswordPolicy,
    FailureCounter,
    PasswordHasher,
    KeyRing,
    TokenSigner,
    RefreshTokensService,
    SessionsService,
    RevokedSessions,
    RevocationFeed,
    PurgeExpiredJob,
    AccessTokenStrategy,
    RefreshTokenStrategy,
    RefreshTokenGuard,
    TokenRevocation,
    TokenIntrospection,
    IntrospectionClientGuard,
    // Registered in the module, not in main.ts, so every app built from AuthModule (tests included) is protected.
    { provide: APP_GUARD, useClass: AccessTokenGuard },
    // After the access-token check, so it sees verified claims (guards run in the order they are registered).
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [SessionsService, PasswordHasher],
})
export class AuthModule {}
