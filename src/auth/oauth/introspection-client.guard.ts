import { createHash, timingSafeEqual } from 'node:crypto';
import { applyDecorators, type CanActivate, type ExecutionContext, Inject, Injectable, UseGuards } from '@nestjs/common';
import { ApiBasicAuth } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiErrors } from '../../common/api-errors.decorator.js';
import { ApiException } from '../../common/api-exception.js';
import { oauthConfig, type OAuthConfig } from '../../config/oauth.config.js';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { INTROSPECTION_CLIENT_SCHEME } from '../../swagger.js';
import { Public } from '../decorators/public.decorator.js';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Compared against when the client id is unknown, so an unknown id costs the same time as a wrong secret. */
const NO_CLIENT_DIGEST = sha256('');

/** Admits only the resource servers of OAUTH_INTROSPECTION_CLIENTS, authenticated with HTTP Basic (RFC 7662 §2.1). */
@Injectable()
export class IntrospectionClientGuard implements CanActivate {
  private readonly secretDigests: Map<string, Buffer>;
  private readonly challenge: string;

  constructor(@Inject(oauthConfig.KEY) config: OAuthConfig, @Inject(tokensConfig.KEY) tokens: TokensConfig) {
    this.secretDigests = new Map(config.introspectionClients.map((client) => [client.id, sha256(client.secret)]));
    this.challenge = `Basic realm="${tokens.issuer}", charset="UTF-8"`;
  }

  canActivate(context: ExecutionContext): boolean {
    const credentials = basicCredentials(context.switchToHttp().getRequest<FastifyRequest>().headers.authorization);
    if (credentials && this.knows(credentials.id, credentials.secret)) return true;
    throw new ApiException('invalid_client', undefined, undefined, { 'www-authenticate': this.challenge });
  }

  private knows(id: string, secret: string): boolean {
    const expected = this.secretDigests.get(id);
    // Digests, not the secrets: equal lengths for timingSafeEqual, and the time taken says nothing about the secret.
    const matches = timingSafeEqual(sha256(secret), expected ?? NO_CLIENT_DIGEST);
    return matches && expected !== undefined;
  }
}

/**
 * The client id and secret of an `Authorization: Basic` header. RFC 6749 §2.3.1 form-encodes both before
 * base64, so they are decoded here; a malformed header is no credentials at all.
 */
function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const encoded = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  try {
    const formDecode = (text: string) => decodeURIComponent(text.replace(/\+/g, ' '));
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    return undefined;
  }
}

/**
 * The route needs a resource server's client credentials instead of an access token: skips the global
 * access-token guard, applies the Basic check, and documents both.
 */
export const IntrospectionClientAuth = () =>
  applyDecorators(Public(), UseGuards(IntrospectionClientGuard), ApiBasicAuth(INTROSPECTION_CLIENT_SCHEME), ApiErrors('invalid_client'));
