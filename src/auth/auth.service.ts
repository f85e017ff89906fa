import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApiException } from '../common/api-exception.js';
import { Clock } from '../common/clock.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import type { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import type { LoginDto } from './dto/login.dto.js';
import type { SignupDto } from './dto/signup.dto.js';
import type { TokenPairView } from './dto/token-pair.view.js';
import { LoginThrottle } from './abuse/login-throttle.service.js';
import { PasswordHasher } from './password-hasher.service.js';
import { PasswordPolicy } from './password-policy.js';
import type { ClientContext } from '../sessions/sessions.service.js';
import { type IssuedRefreshToken, RefreshTokensService } from '../sessions/refresh-tokens.service.js';
import type { PresentedRefreshToken } from '../tokens/token-claims.js';
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
    private readonly passwordPolicy: PasswordPolicy,
    private readonly clock: Clock,
    @Inject(tokensConfig.KEY) private readonly config: TokensConfig,
  ) {}

  /** Made at boot, so even the first unknown-user login costs exactly one verification, like every other. */
  onModuleInit(): void {
    this.dummyHash = this.passwords.hash(randomBytes(16).toString('base64url'));
  }

  async signup(input: SignupDto): Promise<User> {
    this.passwordPolicy.check(input.password, input);
    // Cheap check first so a taken name does not cost an argon2 hash; the unique index still decides races.
    if (await this.users.exists(input.email, input.username)) throw new ApiException('user_exists');
    const passwordHash = await this.passwords.hash(input.password);
    return this.users.create({ email: input.email, username: input.username, name: input.name, passwordHash });
  }

  async login(input: LoginDto, client: ClientContext): Promise<TokenPairView> {
    this.passwords.refuseWhenFull();
    const ip = client.ip ?? 'unknown';
    await this.throttle.beforeAttempt(input.login, ip);
    const user = await this.users.findByLogin(input.login);
    // An unknown user still costs one argon2 verification, so response time does not tell whether the account exists.
    const valid = await this.passwords.verify(user?.passwordHash ?? (await this.dummyHash), input.password);
    if (!user || !valid || user.disabled) {
      await this.throttle.recordFailure(input.login, ip);
      throw new ApiException('invalid_credentials');
    }
    await this.throttle.recordSuccess(input.login, ip);
    if (this.passwords.needsRehash(user.passwordHash)) {
      await this.users.updatePasswordHash(user.id, await this.passwords.hash(input.password));
    }
    return this.pair(await this.refreshTokens.startSession(user, client));
  }

  async reissue(presented: PresentedRefreshToken, client: ClientContext): Promise<TokenPairView> {
    if (presented.pairedAccessToken !== undefined) await this.checkPair(presented);
    return this.pair(await this.refreshTokens.rotate(presented, client));
  }

  logout(presented: PresentedRefreshToken): Promise<void> {
    return this.refreshTokens.endSessionOf(presented, 'logout');
  }

  /** The access token sent with a reissue must belong to the same session (and, by policy, have expired). */
  private async checkPair(presented: PresentedRefreshToken): Promise<void> {
    const access = this.signer.verifyAccessTokenIgnoringExpiry(presented.pairedAccessToken!);
    if (!access || access.sid !== presented.claims.sid || access.sub !== presented.claims.sub) {
      throw new ApiException('token_mismatch');
    }
    if (this.config.requireExpiredAccess && access.exp > this.clock.nowSeconds()) {
      await this.refreshTokens.endSessionOf(presented, 'premature_refresh');
      throw new ApiException('premature_refresh');
    }
  }

  private pair({ user, sessionId, refresh }: IssuedRefreshToken): TokenPairView {
    const access = this.signer.signAccessToken(user, sessionId);
    const now = this.clock.nowSeconds();
    return {
      tokenType: 'Bearer',
      accessToken: access.token,
      expiresIn: access.expiresAt - now,
      refreshToken: refresh.token,
      refreshExpiresIn: Math.max(0, refresh.expiresAt - now),
    };
  }
}
