import { Injectable } from '@nestjs/common';
import { RevokedSessions } from '../../sessions/revoked-sessions.js';
import { SessionsService } from '../../sessions/sessions.service.js';
import { RefreshTokensService } from '../../sessions/refresh-tokens.service.js';
import type { AccessTokenClaims } from '../../tokens/token-claims.js';
import { TokenSigner } from '../../tokens/token-signer.service.js';
import { IntrospectionView } from './dto/introspection.view.js';
import { verifyOAuthToken } from './oauth-token.js';

/** RFC 7662 introspection: is this token live right now, and whose is it. Never changes any state. */
@Injectable()
export class TokenIntrospection {
  constructor(
    private readonly signer: TokenSigner,
    private readonly refreshTokens: RefreshTokensService,
    private readonly sessions: SessionsService,
    private readonly revoked: RevokedSessions,
  ) {}

  async introspect(token: string, hint: string | undefined): Promise<IntrospectionView> {
    const verified = verifyOAuthToken(this.signer, token, hint);
    if (!verified) return IntrospectionView.inactive();
    const live =
      verified.use === 'access'
        ? await this.isLiveAccessToken(verified.claims)
        : await this.refreshTokens.isLive({ token, claims: verified.claims });
    return live ? IntrospectionView.of(verified) : IntrospectionView.inactive();
  }

  /**
   * What the API accepts (signature, expiry, the in-memory revocation set) plus the session row, which the API
   * skips for speed but introspection can afford: it also catches a revocation made on another instance that
   * has not reached this one yet.
   */
  private async isLiveAccessToken(claims: AccessTokenClaims): Promise<boolean> {
    if (this.revoked.has(claims.sid)) return false;
    const session = await this.sessions.find(claims.sid);
    return session !== null && session.userId === claims.sub && session.revokedAt === null;
  }
}
