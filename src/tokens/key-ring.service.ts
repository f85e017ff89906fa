import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Algorithm } from 'jsonwebtoken';
import { Clock } from '../common/clock.js';
import { InvalidConfigError } from '../config/env.js';
import { tokensConfig, type TokensConfig } from '../config/tokens.config.js';
import { InspectedToken, rememberInspected } from './inspected-token.js';
import { canonicalJson, decodeBase64Url, type JoseHeader } from './jose-header.js';
import { activeKey, isRetired, keyState, type KeyState, type ScheduledKey } from './keys/access-key-set.js';
import { keySetFileStatus, readKeySetFile } from './keys/access-key-set-file.js';
import { ACCESS_TOKEN_ALGORITHMS, type AccessTokenAlgorithm } from './keys/key-material.js';
import { type PublicJwk, type TokenKey, tokenKey } from './keys/token-key.js';
import { type AccessKeySource, loadKeySources } from './key-sources.js';
import { ACCESS_TOKEN_TYPE, REFRESH_TOKEN_TYPE, type TokenUse } from './token-claims.js';

export type { PublicJwk, TokenKey } from './keys/token-key.js';

/** Our tokens are well under 1 KiB; anything this large is not one of them. */
const MAX_TOKEN_LENGTH = 8192;
const MAX_HEADER_LENGTH = 1024;
/** Each key issues one header, so a handful of segments is every header a real client sends. */
const MAX_JUDGED_HEADERS = 64;

const TYPE_OF: Record<TokenUse, string> = { access: ACCESS_TOKEN_TYPE, refresh: REFRESH_TOKEN_TYPE };

interface AccessKey {
  schedule: ScheduledKey;
  key: TokenKey;
}

/**
 * Every key we sign or verify with, addressed by `kid`. Verification picks the key from this ring only,
 * never from a token's `jwk`, `jku` or `x5u` header, and each key is pinned to one algorithm and one use.
 *
 * Access keys come either fixed from config or from the rotating key set file, which is reloaded when it
 * changes; which of its keys signs, and which still verify, follows from their timestamps at each call.
 */
@Injectable()
export class KeyRing implements OnApplicationShutdown {
  private readonly logger = new Logger(KeyRing.name);
  private readonly refreshKey: TokenKey;
  /** The refresh key and the earlier ones that still verify (REFRESH_TOKEN_PREVIOUS_SECRETS), by kid. */
  private readonly refreshKeys: Map<string, TokenKey>;
  private accessKeys = new Map<string, AccessKey>();
  /**
   * Header segments found canonical with a kid of ours and its algorithm, and their JSON: the next token with the same
   * header is not decoded or parsed again. Only facts about the string are kept; the key is looked up, and its
   * liveness judged, on every token.
   */
  private readonly judgedHeaders = new Map<string, JoseHeader>();
  private keySetVersion?: string;
  private readonly reloadTimer?: NodeJS.Timeout;
  private readonly source: AccessKeySource;

  constructor(
    @Inject(tokensConfig.KEY) config: TokensConfig,
    private readonly clock: Clock,
  ) {
    const sources = loadKeySources(config, clock.now());
    this.refreshKey = tokenKey('refresh', { algorithm: 'HS256', secret: sources.refreshSecret });
    const previous = config.previousRefreshSecrets.map((secret) => tokenKey('refresh', { algorithm: 'HS256', secret }));
    this.refreshKeys = new Map([...previous, this.refreshKey].map((key) => [key.kid, key]));
    const source = (this.source = sources.access);
    if (source.source === 'static') {
      const key = tokenKey('access', source.material);
      this.install([{ kid: key.kid, material: source.material, createdAt: 0, activatesAt: 0 }]);
      return;
    }
    try {
      this.reloadKeySet();
    } catch (error) {
      throw new InvalidConfigError([`ACCESS_TOKEN_KEYSET_FILE: ${(error as Error).message}`]);
    }
    this.reloadTimer = setInterval(() => this.reloadKeySetSafely(), source.reloadSeconds * 1000).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.reloadTimer);
  }

  signingKey(use: TokenUse): TokenKey {
    if (use === 'refresh') return this.refreshKey;
    const active = activeKey(this.schedules(), this.clock.nowSeconds());
    // Unreachable: a key set loads only if its newest key never retires, and a newer key only ever takes over.
    if (!active) throw new Error('no active access-token key');
    return (this.accessKeys.get(active.kid) as AccessKey).key;
  }

  /** The public keys for /.well-known/jwks.json (next, active, previous): never an HMAC secret, never a retired key. */
  publicJwks(): PublicJwk[] {
    const now = this.clock.nowSeconds();
    return [...this.accessKeys.values()].flatMap(({ schedule, key }) => (key.jwk && !isRetired(schedule, now) ? [key.jwk] : []));
  }

  /** The algorithms of the access keys that are not retired, for the RFC 8414 metadata. */
  accessAlgorithmsInUse(): AccessTokenAlgorithm[] {
    return [...new Set(this.accessKeyStates().filter((key) => key.state !== 'retired').map((key) => key.algorithm))];
  }

  /** Each access key with its state now, for operators and tests. */
  accessKeyStates(): Array<{ kid: string; algorithm: AccessTokenAlgorithm; state: KeyState }> {
    const now = this.clock.nowSeconds();
    const schedules = this.schedules();
    return schedules.map((schedule) => ({ kid: schedule.kid, algorithm: schedule.material.algorithm, state: keyState(schedule, schedules, now) }));
  }

  /**
   * What passport-jwt may accept at all; the kid then pins each token to its key's one algorithm. The key set
   * can change at run time (a rotation may even change the algorithm), so this is every one we support.
   * 'EdDSA' is not in jsonwebtoken's type: those tokens are verified by the EdDSA verifier installed into passport-jwt.
   */
  passportAlgorithms(use: TokenUse): Algorithm[] {
    return (use === 'refresh' ? ['HS256'] : [...ACCESS_TOKEN_ALGORITHMS]) as Algorithm[];
  }

  /**
   * The key that may verify this raw token as a token of `use`, judged from its header alone:
   * right `typ`, a live `kid` we own for that use, and exactly that key's algorithm. Undefined otherwise.
   */
  keyFor(use: TokenUse, rawToken: string): TokenKey | undefined {
    return this.inspect(use, rawToken)?.key;
  }

  /**
   * keyFor's judgement, keeping what it parsed: three canonical segments (one spelling per token), a header with the
   * right `typ`, no `crit`, a live `kid` we own for that use and exactly that key's `alg`. Each segment is decoded once.
   */
  inspect(use: TokenUse, rawToken: string): InspectedToken | undefined {
    if (rawToken.length > MAX_TOKEN_LENGTH) return undefined;
    const headerEnd = rawToken.indexOf('.');
    const payloadEnd = rawToken.indexOf('.', headerEnd + 1);
    // Exactly three segments; a header longer than any of ours is not parsed at all.
    if (headerEnd <= 0 || headerEnd > MAX_HEADER_LENGTH || payloadEnd < 0 || rawToken.includes('.', payloadEnd + 1)) return undefined;
    const headerSegment = rawToken.slice(0, headerEnd);
    const judged = this.judgedHeaders.get(headerSegment);
    const header = judged ?? (canonicalJson(headerSegment) as JoseHeader | undefined);
    // RFC 7515 4.1.11: `crit` names extensions the recipient must understand, and we understand none.
    if (typeof header !== 'object' || header === null || header.typ !== TYPE_OF[use] || typeof header.kid !== 'string' || header.crit !== undefined) {
      return undefined;
    }
    const key = use === 'refresh' ? this.refreshKeys.get(header.kid) : this.liveAccessKey(header.kid);
    if (!key || header.alg !== key.algorithm) return undefined;
    if (!judged && this.judgedHeaders.size < MAX_JUDGED_HEADERS) this.judgedHeaders.set(headerSegment, Object.freeze(header));
    const payload = canonicalJson(rawToken.slice(headerEnd + 1, payloadEnd));
    if (payload === undefined) return undefined;
    // The verifiers decode signatures leniently (spare low bits, stray characters): one signature, one spelling.
    const signature = decodeBase64Url(rawToken.slice(payloadEnd + 1));
    if (signature === undefined) return undefined;
    return new InspectedToken(rawToken, key, header.kid, payload, payloadEnd, signature);
  }

  /** Whether tokens of this access kid may still be accepted: the key is ours and not retired. */
  isLiveAccessKey(kid: string): boolean {
    return this.liveAccessKey(kid) !== undefined;
  }

  /**
   * passport-jwt's `secretOrKeyProvider`: the inspected token (its key from our ring, its segments parsed) for the
   * verifier installed by installInspectedTokenVerifier, also remembered on the request for `validate()`; or a refusal.
   */
  passportKeyProvider(use: TokenUse) {
    return (request: unknown, rawToken: string, done: (error: Error | null, key?: Buffer | string) => void): void => {
      const inspected = this.inspect(use, rawToken);
      if (!inspected) return done(new Error(`not an ${use} token of ours`));
      rememberInspected(request, inspected);
      // passport-jwt's types say string | Buffer; its verifier hook receives whatever we pass.
      done(null, inspected as unknown as Buffer);
    };
  }

  /** Reads the key set file again if it changed since the last read. Throws when the new contents are unusable. */
  reloadKeySet(): void {
    if (this.source.source !== 'keyset') return;
    const { file } = this.source;
    const status = keySetFileStatus(file);
    if (status !== undefined && status.version === this.keySetVersion) return;
    const schedules = readKeySetFile(file);
    if (!activeKey(schedules, this.clock.nowSeconds())) throw new Error(`${file} has no key that is active now; run \`npm run keys:rotate\``);
    const last = newestKey(schedules);
    if (last?.retiresAt !== undefined) {
      // Once it retired nothing could sign: every login would fail. keys:rotate never writes such a set; a hand edit can.
      throw new Error(`${file}: key ${last.kid} is the newest key but has a retiresAt; remove it or run \`npm run keys:rotate\``);
    }
    this.install(schedules);
    this.keySetVersion = status?.version;
    // A warning, not a refusal: a Kubernetes secret volume, for one, mounts files 0644 unless told otherwise.
    if (status?.readableByOthers) this.logger.warn(`${file} holds private keys but other users may read it: chmod 600`);
  }

  private reloadKeySetSafely(): void {
    try {
      this.reloadKeySet();
    } catch (error) {
      // Keep verifying and signing with the keys we have; a half-edited file must not take the service down.
      this.logger.error(`Key set not reloaded, keeping the previous keys: ${(error as Error).message}`);
    }
  }

  private install(schedules: ScheduledKey[]): void {
    const known = this.accessKeys;
    this.accessKeys = new Map(
      schedules.map((schedule) => [schedule.kid, { schedule, key: known.get(schedule.kid)?.key ?? tokenKey('access', schedule.material) }]),
    );
  }

  private schedules(): ScheduledKey[] {
    return [...this.accessKeys.values()].map(({ schedule }) => schedule);
  }

  private liveAccessKey(kid: string): TokenKey | undefined {
    const entry = this.accessKeys.get(kid);
    return entry && !isRetired(entry.schedule, this.clock.nowSeconds()) ? entry.key : undefined;
  }
}

/** The key that signs last (latest activatesAt; on a tie, the one added last). */
function newestKey(keys: readonly ScheduledKey[]): ScheduledKey | undefined {
  return keys.reduce<ScheduledKey | undefined>((newest, key) => (!newest || key.activatesAt >= newest.activatesAt ? key : newest), undefined);
}
