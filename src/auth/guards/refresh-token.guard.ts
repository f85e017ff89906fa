import { Inject, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { tokensConfig, type TokensConfig } from '../../config/tokens.config.js';
import { REFRESH_TOKEN_STRATEGY } from '../strategies/refresh-token.strategy.js';
import type { PresentedRefreshToken } from '../../tokens/token-claims.js';
import { tokenError } from './token-errors.js';

/** Only on reissue and logout: a verified refresh token from the body, the cookie or the Authorization header. */
@Injectable()
export class RefreshTokenGuard extends AuthGuard(REFRESH_TOKEN_STRATEGY) {
  constructor(@Inject(tokensConfig.KEY) private readonly config: TokensConfig) {
    super();
  }

  override handleRequest<T = PresentedRefreshToken>(error: unknown, presented: T | false, info: unknown): T {
    if (presented) return presented;
    throw tokenError(error ?? info, { missing: 'missing_refresh_token', expired: 'refresh_token_expired' }, this.config.issuer);
  }
}
