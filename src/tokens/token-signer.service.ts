import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import jwt from 'jsonwebtoken';
import { Clock } from '../common/clock.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import { signHs256 } from './compact-jws.js';
import { signEdDsa, verifyEdDsa } from './eddsa-jws.js';
import { verifyInspectedHs256 } from './inspected-token.js';
import { KeyRing, type TokenKey } from './key-ring.service.js';
import {
  ACCESS_TOKEN_TYPE,
  accessClaimsOf,
  type AccessTokenClaims,
  REFRESH_TOKEN_TYPE,
  refreshClaimsOf,
  type RefreshTokenClaims,
  type TokenUse,
} from './token-claims.js';

export interface TokenSubject {
  id: string;
  roles: string[];
  username: string;
  name: string;
  emailVerifiedAt: Date | null;
}

export interface SignedAccessToken {
  token: string;
  expiresAt: number;
}

export interface SignedRefreshToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/** Mints access and refresh tokens; the only place that knows their claims and headers. */
@Injectable()
export class TokenSigner {
  readonly refreshAudience: string;

  constructor(
    private readonly jwt: JwtService,
    private readonly keys: KeyRing,
    private readonly clock: Clock,
    @Inject(tokensConfig.KEY) private readonly config: TokensConfig,
  ) {
    // Refresh tokens are for us alone: their audience is never the API's.
    this.refreshAudience = `${config.issuer}#refresh`;
  }

  signAccessToken(subject: TokenSubject, sessionId: string, now = this.clock.nowSeconds()): SignedAccessToken {
    const claims: AccessTokenClaims = {
      iss: this.config.issuer,
      aud: this.config.audience,
      sub: subject.id,
      sid: sessionId,
      jti: randomBytes(16).toString('base64url'),
      iat: now,
      exp: now + this.config.accessTtlSeconds,
      roles: subject.roles,
      username: subject.username,
      name: subject.name,
      email_verified: subject.emailVerifiedAt !== null,
    };
    return { token: this.sign(claims, this.keys.signingKey('access'), ACCESS_TOKEN_TYPE), expiresAt: claims.exp };
  }

  /** A new refresh token with 128 random bits of `jti`, for a new session ending at `notAfter` (seconds). */
  signRefreshToken(userId: string, sessionId: string, notAfter: number, now = this.clock.nowSeconds()): SignedRefreshToken {
    return this.signRefresh(userId, sessionId, randomBytes(16).toString('base64url'), now, notAfter);
  }

  /**
   * The successor of a refresh token, derived from the parent token and the second it was spent.
   * Deterministic on purpose: a client that lost the response, or a second tab, gets the very same
   * successor within the grace window, although the database keeps only hashes.
   */
  signSuccessor(parentToken: string, userId: string, sessionId: string, spentAt: number, notAfter: number): SignedRefreshToken {
    const jti = createHmac('sha256', this.keys.signingKey('refresh').signKey)
      .update(`successor:${parentToken}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
    return this.signRefresh(userId, sessionId, jti, spentAt, notAfter);
  }

  /**
   * Verifies an access token's signature, type, issuer and audience but not its expiry:
   * used only to check that an (expired) access token belongs to the session being refreshed.
   */
  verifyAccessTokenIgnoringExpiry(token: string): AccessTokenClaims | undefined {
    return this.verify('access', token, { ignoreExpiration: true });
  }

  /**
   * A token of ours of the given use — signature, `typ`, issuer, audience, claim types and (unless told
   * otherwise) expiry all checked — or undefined. For callers that must not throw, such as the OAuth endpoints.
   */
  verify(use: 'access', token: string, options?: { ignoreExpiration?: boolean }): AccessTokenClaims | undefined;
  verify(use: 'refresh', token: string, options?: { ignoreExpiration?: boolean }): RefreshTokenClaims | undefined;
  verify(use: TokenUse, token: string, options: { ignoreExpiration?: boolean } = {}): AccessTokenClaims | RefreshTokenClaims | undefined {
    const inspected = this.keys.inspect(use, token);
    if (!inspected) return undefined;
    const { key } = inspected;
    try {
      const checks = {
        issuer: this.config.issuer,
        audience: use === 'access' ? this.config.audience : this.refreshAudience,
        ignoreExpiration: options.ignoreExpiration ?? false,
      };
      const payload =
        key.algorithm === 'HS256'
          ? verifyInspectedHs256(inspected, { ...checks, algorithms: ['HS256'] })
          : key.algorithm === 'EdDSA'
            ? verifyEdDsa(token, key.verifyKey, { ...checks, algorithms: ['EdDSA'] })
            : jwt.verify(token, key.verifyKey, { ...checks, algorithms: [key.algorithm] });
      if (typeof payload !== 'object') return undefined;
      return (use === 'access' ? accessClaimsOf(payload) : refreshClaimsOf(payload)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  /** Rotation never stretches a session: a refresh token expires at the latest when its session does. */
  private signRefresh(userId: string, sessionId: string, jti: string, now: number, notAfter: number): SignedRefreshToken {
    const claims: RefreshTokenClaims = {
      iss: this.config.issuer,
      aud: this.refreshAudience,
      sub: userId,
      sid: sessionId,
      jti,
      iat: now,
      exp: Math.min(now + this.config.refreshTtlSeconds, notAfter),
    };
    const token = this.sign(claims, this.keys.signingKey('refresh'), REFRESH_TOKEN_TYPE);
    return { token, issuedAt: claims.iat, expiresAt: claims.exp };
  }

  private sign(claims: AccessTokenClaims | RefreshTokenClaims, key: TokenKey, typ: string): string {
    // jsonwebtoken (under @nestjs/jwt) has no EdDSA; node:crypto signs Ed25519 natively. HS256, the default, in
    // one HMAC; the other algorithms through @nestjs/jwt.
    if (key.algorithm === 'EdDSA') return signEdDsa(claims, { typ, kid: key.kid }, key.signKey);
    if (key.algorithm === 'HS256') return signHs256(claims, { typ, kid: key.kid }, key.signKey);
    return this.jwt.sign(claims, {
      privateKey: key.signKey,
      algorithm: key.algorithm,
      header: { alg: key.algorithm, typ, kid: key.kid },
    });
  }
}
