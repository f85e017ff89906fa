import { type DynamicModule, Module } from '@nestjs/common';
import { BearerTokenGuard } from './bearer-token.guard.js';
import { JwksAccessTokenStrategy } from './jwks-access-token.strategy.js';
import { ReportsController } from './reports.controller.js';
import { RESOURCE_SERVER_CONFIG, type ResourceServerConfig } from './resource-server.config.js';
import { TokenIntrospectionClient } from './token-introspection.client.js';

/** A resource server: verifies the authorization server's access tokens with its public keys only. */
@Module({})
export class AppModule {
  static forRoot(config: ResourceServerConfig): DynamicModule {
    const introspection = config.introspection
      ? [{ provide: TokenIntrospectionClient, useValue: new TokenIntrospectionClient(config.introspection, config.authServerTimeoutMs) }]
      : [];
    return {
      module: AppModule,
      controllers: [ReportsController],
      providers: [{ provide: RESOURCE_SERVER_CONFIG, useValue: config }, ...introspection, JwksAccessTokenStrategy, BearerTokenGuard],
    };
  }
}
