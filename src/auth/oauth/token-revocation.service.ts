import { Injectable } from '@nestjs/common';
import type { RevocationReason } from '../../sessions/session.entity.js';
import { SessionsService } from '../../sessions/sessions.service.js';
import { RefreshTokensService } from '../../sessions/refresh-tokens.service.js';
import type { AccessTokenClaims } from '../../tokens/token-claims.js';
import { TokenSigner } from '../../tokens/token-signer.service.js';
import { verifyOAuthToken } from './oauth-token.js';

const REASON: RevocationReason = 'token_revoked_by_client';

/**
 * RFC 7009 revocation: a token of ours ends its whole session, so the session's refresh tokens stop rotating
 * and its access tokens are refused at once (RevokedSessions). Revoking one token of a session and leaving
 * its sibling alive would give the client a false sense of having logged out.
 */
@Injectable()
export class TokenRevocation {
  constructor(
    private readonly signer: TokenSigner,
    private readonly refreshTokens: RefreshTokensService,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * Resolves the same way whether or not anything was revoked (RFC 7009 §2.2): the caller learns nothing about
   * tokens it sends. The signature is always checked — a forged token naming someone else's session must not
   * end it — but expiry is not: a client cleaning up after itself should not have to race the clock.
   */
  async revoke(token: string, hint: string | undefined): Promise<void> {
    const verified = verifyOAuthToken(this.signer, token, hint, { ignoreExpiration: true });
    if (verified?.use === 'refresh') await this.refreshTokens.endSessionOf({ token, claims: verified.claims }, REASON);
    else if (verified?.use === 'access') await this.endSessionOf(verified.claims);
  }

  private async endSessionOf(claims: AccessTokenClaims): Promise<void> {
    const session = await this.sessions.find(claims.sid);
    if (session && session.userId === claims.sub) await this.sessions.end({ ids: [session.id] }, REASON);
  }
}
