import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorBody } from './common/error-body.js';

export const BEARER_SCHEME = 'access-token';
export const REFRESH_BEARER_SCHEME = 'refresh-token';
export const INTROSPECTION_CLIENT_SCHEME = 'introspection-client';

/** Swagger UI at /docs, the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Token authentication service')
    .setDescription(
      'Access tokens (short-lived JWT, `Authorization: Bearer …`) and rotating refresh tokens. ' +
        'Every error is `{ statusCode, error, code, message, details? }`; clients switch on `code`.',
    )
    .setVersion('1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token' }, BEARER_SCHEME)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Refresh token (mobile clients)' }, REFRESH_BEARER_SCHEME)
    .addCookieAuth('refresh_token', { type: 'apiKey', in: 'cookie', name: 'refresh_token', description: 'Set by login and refresh' }, 'refresh_token')
    .addBasicAuth({ type: 'http', scheme: 'basic', description: 'Resource-server client id and secret (OAUTH_INTROSPECTION_CLIENTS)' }, INTROSPECTION_CLIENT_SCHEME)
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorBody] });
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true, withCredentials: true },
  });
}
