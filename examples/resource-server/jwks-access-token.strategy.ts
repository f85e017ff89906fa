import { Inject, Injectable, Optional } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import type { Algorithm } from 'jsonwebtoken';
import { passportJwtSecret } from 'jwks-rsa';
import { ExtractJwt, type SecretOrKeyProvider, Strategy } from 'passport-jwt';
import { type AccessTokenPrincipal, principalOf } from './access-token-principal.js';
import { AuthServerUnavailableError, TokenInactiveError } from './bearer-refusal.js';
import { RESOURCE_SERVER_CONFIG, type ResourceServerConfig } from './resource-server.config.js';
import { TokenIntrospectionClient } from './token-introspection.client.js';

/** Not the authorization server's own 'access-token': passport's registry of names is process-wide. */
export const JWKS_ACCESS_TOKEN_STRATEGY = 'jwks-access-token';

export const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/**
 * Asymmetric only. With an HS* algorithm allowed, a token MACed with the *public* key text (which anyone can
 * download) would be checked against that same text and pass.
 */
const ALGORITHMS: Algorithm[] = ['ES256', 'RS256'];

/** RFC 9068 §4: a JWT access token says so in `typ`; any other JWT of the issuer (an ID or refresh token) is refused. */
const ACCESS_TOKEN_TYP = /^(application\/)?at\+jwt$/i;

/** The JWKS Cache-Control max-age of the authorization server: a key it withdraws is forgotten here as soon. */
const KEY_CACHE_MS = 300_000;

/**
 * Verifies the authorization server's access tokens with its published public keys: signature (key chosen by
 * `kid` from the JWKS), algorithm, `typ`, `iss`, `aud`, `exp`; then, when introspection is configured, asks
 * whether the token's session is still alive.
 */
@Injectable()
export class JwksAccessTokenStrategy extends PassportStrategy(Strategy, JWKS_ACCESS_TOKEN_STRATEGY) {
  // Explicit @Inject tokens: tsx (npm run example:resource-server) runs esbuild, which emits no design:paramtypes.
  constructor(
    @Inject(RESOURCE_SERVER_CONFIG) config: ResourceServerConfig,
    @Optional() @Inject(TokenIntrospectionClient) private readonly introspection?: TokenIntrospectionClient,
  ) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKeyProvider: accessTokensOnly(
        passportJwtSecret({
          jwksUri: config.jwksUrl,
          cache: true,
          cacheMaxAge: KEY_CACHE_MS,
          // An unknown kid refetches the JWKS (so newly published keys are found), at most 10 times a minute,
          // so tokens with made-up kids cannot turn this service into a flood against the JWKS endpoint.
          rateLimit: true,
          jwksRequestsPerMinute: 10,
          timeout: config.authServerTimeoutMs,
          handleSigningKeyError: (error, done) =>
            done(isEndpointUnavailable(error) ? new AuthServerUnavailableError('JWKS unavailable', { cause: error }) : error),
        }),
      ),
      algorithms: ALGORITHMS,
      issuer: config.issuer,
      audience: config.audience,
      passReqToCallback: true,
    });
  }

  async validate(request: FastifyRequest, payload: Record<string, unknown>): Promise<AccessTokenPrincipal | null> {
    const principal = principalOf(payload);
    const token = bearerToken(request);
    if (!principal || !token) return null;
    if (this.introspection && !(await this.introspection.isActive(token))) throw new TokenInactiveError();
    return principal;
  }
}

/** Refuses any token whose header does not say at+jwt before a key is even looked up. */
function accessTokensOnly(keyProvider: SecretOrKeyProvider): SecretOrKeyProvider {
  return (request: unknown, rawToken: string, done) => {
    if (ACCESS_TOKEN_TYP.test(headerTyp(rawToken))) keyProvider(request, rawToken, done);
    else done(new Error('not an access token (typ)'));
  };
}

function headerTyp(rawToken: string): string {
  try {
    const header: unknown = JSON.parse(Buffer.from(rawToken.split('.')[0], 'base64url').toString('utf8'));
    const typ = typeof header === 'object' && header !== null ? (header as { typ?: unknown }).typ : undefined;
    return typeof typ === 'string' ? typ : '';
  } catch {
    return '';
  }
}

/** jwks-rsa marks failures to fetch the key set (network, timeout, HTTP error) this way. */
function isEndpointUnavailable(error: Error | null): boolean {
  return (error as { isEndpointUnavailable?: unknown } | null)?.isEndpointUnavailable === true;
}
