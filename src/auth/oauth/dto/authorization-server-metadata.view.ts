import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OAuthConfig } from '../../../config/oauth.config.js';

/**
 * RFC 8414 metadata, listing only what exists. There is no authorization or token endpoint (login and reissue
 * are this service's own JSON API, not OAuth grants), so no grant types, token-endpoint auth methods or scopes
 * are claimed. `jwks_uri` appears only with an asymmetric ACCESS_TOKEN_ALG: HMAC secrets are never published.
 */
export class AuthorizationServerMetadataView {
  @ApiProperty({ description: 'PUBLIC_BASE_URL' })
  issuer: string;

  @ApiProperty()
  revocation_endpoint: string;

  @ApiProperty({ type: [String], example: ['none'] })
  revocation_endpoint_auth_methods_supported: string[];

  @ApiProperty()
  introspection_endpoint: string;

  @ApiProperty({ type: [String], example: ['client_secret_basic'] })
  introspection_endpoint_auth_methods_supported: string[];

  @ApiProperty({ type: [String], description: 'Empty: there is no authorization endpoint (the field is REQUIRED by RFC 8414)' })
  response_types_supported: string[];

  @ApiPropertyOptional({ description: 'Public keys of access tokens; only when they are signed with an asymmetric algorithm' })
  jwks_uri?: string;

  @ApiProperty({
    type: [String],
    example: ['ES256'],
    description: 'Algorithms of the access-token keys in use (next, active, previous). An extension: RFC 8414 has no standard field for it',
  })
  access_token_signing_alg_values_supported: string[];

  @ApiPropertyOptional({ description: 'Swagger UI, when enabled' })
  service_documentation?: string;

  static from(config: OAuthConfig, swaggerEnabled: boolean, keys: { published: boolean; algorithms: string[] }): AuthorizationServerMetadataView {
    const base = config.publicBaseUrl;
    return {
      issuer: base,
      revocation_endpoint: `${base}/oauth/revoke`,
      // Anyone holding a token may revoke it; no client authentication exists for it to require.
      revocation_endpoint_auth_methods_supported: ['none'],
      introspection_endpoint: `${base}/oauth/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
      response_types_supported: [],
      ...(keys.published ? { jwks_uri: `${base}/.well-known/jwks.json` } : {}),
      access_token_signing_alg_values_supported: keys.algorithms,
      ...(swaggerEnabled ? { service_documentation: `${base}/docs` } : {}),
    };
  }
}
