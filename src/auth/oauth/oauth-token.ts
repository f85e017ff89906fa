import type { AccessTokenClaims, RefreshTokenClaims, TokenUse } from '../../tokens/token-claims.js';
import type { TokenSigner } from '../../tokens/token-signer.service.js';

/** RFC 7009 §2.1 / RFC 7662 §2.1 names for our two kinds of token. */
export const TOKEN_TYPE_HINTS = ['access_token', 'refresh_token'] as const;
export type TokenTypeHint = (typeof TOKEN_TYPE_HINTS)[number];

export const TOKEN_TYPE_OF: Record<TokenUse, TokenTypeHint> = { access: 'access_token', refresh: 'refresh_token' };

/** A token sent to an OAuth endpoint that turned out to be one of ours, with its verified claims. */
export type VerifiedOAuthToken = { use: 'access'; claims: AccessTokenClaims } | { use: 'refresh'; claims: RefreshTokenClaims };

/**
 * Which of our tokens `token` is, or undefined. The hint only decides which kind is tried first: both RFCs
 * require trying the other kinds when the hint is wrong, and an unknown hint is ignored rather than refused.
 * Each try is cheap, since the key ring rejects a token of the other kind by its header before any HMAC.
 */
export function verifyOAuthToken(
  signer: TokenSigner,
  token: string,
  hint: string | undefined,
  options: { ignoreExpiration?: boolean } = {},
): VerifiedOAuthToken | undefined {
  const order: TokenUse[] = hint === 'refresh_token' ? ['refresh', 'access'] : ['access', 'refresh'];
  for (const use of order) {
    if (use === 'access') {
      const claims = signer.verify('access', token, options);
      if (claims) return { use, claims };
    } else {
      const claims = signer.verify('refresh', token, options);
      if (claims) return { use, claims };
    }
  }
  return undefined;
}
