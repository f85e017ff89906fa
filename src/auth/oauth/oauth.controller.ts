import { Body, Controller, Get, Header, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/api-errors.decorator.js';
import { appConfig, type AppConfig } from '../../config/app.config.js';
import { oauthConfig, type OAuthConfig } from '../../config/oauth.config.js';
import { Public } from '../decorators/public.decorator.js';
import { KeyRing } from '../../tokens/key-ring.service.js';
import { AuthorizationServerMetadataView } from './dto/authorization-server-metadata.view.js';
import { IntrospectionView } from './dto/introspection.view.js';
import { JwksView } from './dto/jwks.view.js';
import { TokenRequestDto } from './dto/token-request.dto.js';
import { IntrospectionClientAuth } from './introspection-client.guard.js';
import { TokenIntrospection } from './token-introspection.service.js';
import { TokenRevocation } from './token-revocation.service.js';

const FORM_OR_JSON = ['application/x-www-form-urlencoded', 'application/json'];
const BODY_ERRORS = ['validation_failed', 'invalid_json', 'unsupported_media_type', 'payload_too_large'] as const;

/** The standard OAuth endpoints: revocation (RFC 7009), introspection (RFC 7662), metadata (RFC 8414) and the JWKS (RFC 7517). */
@ApiTags('oauth')
@Controller()
export class OAuthController {
  constructor(
    private readonly revocation: TokenRevocation,
    private readonly introspection: TokenIntrospection,
    private readonly keys: KeyRing,
    @Inject(oauthConfig.KEY) private readonly oauth: OAuthConfig,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  @Public()
  @Post('oauth/revoke')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'revokeToken',
    summary: "Revoke an access or refresh token: ends the token's session (RFC 7009)",
    description: 'Answers 200 with an empty body whether or not the token was known, live, expired or already revoked.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ description: 'Empty body' })
  @ApiErrors(...BODY_ERRORS)
  async revoke(@Body() body: TokenRequestDto): Promise<void> {
    await this.revocation.revoke(body.token, body.token_type_hint);
  }

  @IntrospectionClientAuth()
  @Post('oauth/introspect')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiOperation({
    operationId: 'introspectToken',
    summary: 'Introspect a token, for resource servers (RFC 7662)',
    description: 'A live token answers with its claims; anything else (expired, revoked, spent, foreign, garbage) is exactly `{ "active": false }`.',
  })
  @ApiConsumes(...FORM_OR_JSON)
  @ApiBody({ type: TokenRequestDto })
  @ApiOkResponse({ type: IntrospectionView })
  @ApiErrors(...BODY_ERRORS)
  introspect(@Body() body: TokenRequestDto): Promise<IntrospectionView> {
    return this.introspection.introspect(body.token, body.token_type_hint);
  }

  @Public()
  @Get('.well-known/oauth-authorization-server')
  @Header('cache-control', 'public, max-age=3600')
  @ApiOperation({
    operationId: 'authorizationServerMetadata',
    summary: 'Authorization server metadata (RFC 8414)',
    description: 'Where the issuer publishes its keys, revocation and introspection endpoints, and which algorithms it signs with.',
  })
  @ApiOkResponse({ type: AuthorizationServerMetadataView })
  metadata(): AuthorizationServerMetadataView {
    return AuthorizationServerMetadataView.from(this.oauth, this.app.swaggerEnabled, {
      published: this.keys.publicJwks().length > 0,
      algorithms: this.keys.accessAlgorithmsInUse(),
    });
  }

  @Public()
  @Get('.well-known/jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({
    operationId: 'jwks',
    summary: 'Public keys that verify our access tokens (RFC 7517)',
    description: 'Empty with ACCESS_TOKEN_ALG=HS256: an HMAC secret is never published.',
  })
  @ApiOkResponse({ type: JwksView })
  jwks(): JwksView {
    return { keys: this.keys.publicJwks() };
  }
}
