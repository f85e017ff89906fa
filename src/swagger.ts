import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorBody } from './common/error-body.js';

/** Security scheme names: what a person sees in Swagger UI's "Authorize" dialog and what generators name things after. */
export const BEARER_SCHEME = 'accessToken';
export const REFRESH_BEARER_SCHEME = 'refreshTokenBearer';
export const INTROSPECTION_CLIENT_SCHEME = 'introspectionClient';

/** The order Swagger UI shows the groups in: the flow a newcomer follows first. */
const TAGS: [name: string, description: string][] = [
  ['auth', 'Sign up, log in, reissue (rotating refresh tokens) and log out'],
  ['sessions', "The caller's sessions (one per login, i.e. per device)"],
  ['users', "The caller's own account"],
  ['admin', 'User administration (role `admin`)'],
  ['oauth', 'Standard endpoints for resource servers: revocation (RFC 7009), introspection (RFC 7662), metadata, JWKS'],
  ['health', 'Liveness and readiness probes'],
];

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The OpenAPI document of every route of `app`, as /docs-json serves it. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Token authentication service')
    .setDescription(
      'Access tokens (short-lived JWT, `Authorization: Bearer …`) and rotating refresh tokens. ' +
        'Every error is `{ statusCode, error, code, message, details? }`; clients switch on `code`.\n\n' +
        '**Trying it here:** log in, copy `accessToken` into "Authorize → accessToken", and call the protected routes. ' +
        'Reissue and logout work with an empty body: the browser sends the HttpOnly `refresh_token` cookie that login set. ' +
        'To use the body flow instead, paste a `refreshToken` into the body: the body wins over the cookie.',
    )
    .setVersion('1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'The host serving this document')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The `accessToken` from login or reissue' },
      BEARER_SCHEME,
    )
    // No cookie scheme on purpose: Swagger UI would write a second, script-readable `refresh_token` cookie through
    // document.cookie. The browser's own HttpOnly cookie, set by login, already travels with reissue and logout.
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'The `refreshToken`, for clients without cookies (mobile, CLI). Only reissue and logout accept it.',
      },
      REFRESH_BEARER_SCHEME,
    )
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'Resource-server client id and secret (OAUTH_INTROSPECTION_CLIENTS)' },
      INTROSPECTION_CLIENT_SCHEME,
    );
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ErrorBody],
    // Every route names its operationId in @ApiOperation; the method name is the fallback, never `Controller_method`.
    operationIdFactory: (_controller, method) => method,
  });
  return finishDocument(document);
}

/**
 * What decorators cannot say per route: a route without a scheme is public (`security: []`, not "undefined"), and
 * any route can meet the errors Fastify and the database layer answer before or after its handler.
 */
function finishDocument(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = path[method];
      if (!operation) continue;
      operation.security ??= [];
      operation.responses['4XX'] ??= {
        description: 'Any other client error, same shape (e.g. `request_timeout`, `headers_too_large`)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      };
      operation.responses['5XX'] ??= {
        description: '`internal_error`, `database_unavailable`, `service_unavailable` or `shutting_down`; retry later',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
      };
    }
  }
  return document;
}

/** Swagger UI at /docs, the OpenAPI document at /docs-json. */
export function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    // persistAuthorization stays off: it would keep the pasted access token in localStorage.
    swaggerOptions: { persistAuthorization: false, withCredentials: true },
  });
}
