import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApiException } from '../common/api-exception.js';
import { type ClientContext, ipOf } from '../common/client-context.js';
import { Clock } from '../common/clock.js';
import { mailConfig, type MailConfig } from '../config/mail.config.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import { UsersService } from '../users/users.service.js';
import type { LoginDto } from './dto/login.dto.js';
import type { TokenPairView } from './dto/token-pair.view.js';
import { LoginThrottle } from './abuse/login-throttle.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { type IssuedRefreshToken, RefreshTokensService } from '../sessions/refresh-tokens.service.js';
import type { PresentedRefreshToken } from '../tokens/token-claims.js';
import { Metrics } from '../metrics/metrics.service.js';
import { SecurityEvents } from '../security-events/security-events.service.js';
import { TokenSigner } from '../tokens/token-signer.service.js';

/** Credentials in, token pairs out. */
@Injectable()
export class AuthService implements OnModuleInit {
  private dummyHash: Promise<string>;

  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
    private readonly refreshTokens: RefreshTokensService,
    private readonly signer: TokenSigner,
    private readonly throttle: LoginThrottle,
    private readonly clock: Clock,
    private readonly events: SecurityEvents,
    private readonly metrics: Metrics,
    @Inject(tokensConfig.KEY) private readonly config: TokensConfig,
    @Inject(mailConfig.KEY) private readonly mail: Pick<MailConfig, 'emailVerification'>,
  ) {}

  /** Made at boot, so even the first unknown-user login costs exactly one verification, like every other. */
  onModuleInit(): void {
    this.dummyHash = this.passwords.hash(randomBytes(16).toString('base64url'));
  }

  async login(input: LoginDto, client: ClientContext): Promise<TokenPairView> {
    this.passwords.refuseWhenFull();
    const ip = ipOf(client);
    const pairFailures = await this.throttle.beforeAttempt(input.login, ip).catch(async (error: unknown) => {
      if (error instanceof ApiException && error.code === 'login_blocked') {
        this.metrics.login('blocked');
        const user = await this.users.findByLogin(input.login);
        await this.events.record({ type: 'login_blocked', userId: user?.id ?? null, client });
      }
      throw error;
    });
    const user = await this.users.findByLogin(input.login);
    // An unknown user still costs one argon2 verification, so response time does not tell whether the account exists.
    const valid = await this.passwords.verify(user?.passwordHash ?? (await this.dummyHash), input.password);
    if (!user || !valid || user.disabled) {
      await this.throttle.recordFailure(input.login, ip);
      // One insert whether or not the account exists: the event must not change the timing of either answer.
      const reason = !user ? 'unknown_login' : !valid ? 'wrong_password' : 'disabled';
      await this.events.record({ type: 'login_failed', userId: user?.id ?? null, client, detail: { reason } });
      this.metrics.login('invalid_credentials');
      throw new ApiException('invalid_credentials');
    }
    await this.throttle.recordSuccess(input.login, ip, pairFailures);
    // Only after the password check: to anyone without the password, an unverified account looks like any other.
    if (this.mail.emailVerification === 'required' && !user.emailVerifiedAt) {
      await this.events.record({ type: 'login_failed', userId: user.id, client, detail: { reason: 'email_not_verified' } });
      this.metrics.login('email_not_verified');
      throw new ApiException('email_not_verified');
    }
    if (this.passwords.needsRehash(user.passwordHash)) {
      await this.users.updatePasswordHash(user.id, await this.passwords.hash(input.password));
    }
    const now = this.clock.now(); // one reading for the whole pair, so both lifetimes count from the same instant
    const pair = this.pair(await this.refreshTokens.startSession(user, client, now), now);
    this.metrics.login('success');
    return pair;
  }

  async reissue(presented: PresentedRefreshToken, client: ClientContext): Promise<TokenPairView> {
    const now = this.clock.now();
    if (presented.pairedAccessToken !== undefined) await this.checkPair(presented, now);
    return this.pair(await this.refreshTokens.rotate(presented, client, now), now);
  }

  logout(presented: PresentedRefreshToken): Promise<void> {
    return this.refreshTokens.endSessionOf(presented, 'logout');
  }

  /** The access token sent with a reissue must belong to the same session (and, by policy, have expired). */
  private async checkPair(presented: PresentedRefreshToken, now: Date): Promise<void> {
    const access = this.signer.verifyAccessTokenIgnoringExpiry(presented.pairedAccessToken!);
    if (!access || access.sid !== presented.claims.sid || access.sub !== presented.claims.sub) {
      this.metrics.refresh('mismatch');
      throw new ApiException('token_mismatch');
    }
    if (this.config.requireExpiredAccess && access.exp > now.getTime() / 1000) {
      this.metrics.refresh('premature');
      await this.refreshTokens.endSessionOf(presented, 'premature_refresh', 'system');
      throw new ApiException('premature_refresh');
    }
  }

  private pair({ user, sessionId, refresh }: IssuedRefreshToken, at: Date): TokenPairView {
    const now = Math.floor(at.getTime() / 1000);
    const access = this.signer.signAccessToken(user, sessionId, now);
    return {
      tokenType: 'Bearer',
      accessToken: access.token,
      expiresIn: access.expiresAt - now,
      refreshToken: refresh.token,
      refreshExpiresIn: Math.max(0, refresh.expiresAt - now),
    };
  }
}
