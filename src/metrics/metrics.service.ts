import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricsConfig, type MetricsConfig } from '../config/metrics.config.js';

export type LoginResult = 'success' | 'invalid_credentials' | 'blocked' | 'rate_limited' | 'email_not_verified';
export type RefreshResult = 'rotated' | 'grace' | 'reused' | 'expired' | 'revoked' | 'session_expired' | 'mismatch' | 'premature';
export type AccessTokenResult = 'valid' | 'missing' | 'invalid' | 'expired' | 'revoked';

/** A value read when Prometheus scrapes (the revoked-set size, the pool, the outbox depth…). */
export type GaugeSource = () => number | undefined | Promise<number | undefined>;

/**
 * The service's Prometheus metrics, in a registry of its own (one per app, so two apps in one test process never
 * share counters). Counting is a few property writes; the per-request HTTP histogram is recorded only when metrics
 * are served at all (METRICS_PORT or METRICS_TOKEN), see HttpMetrics.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly enabled: boolean;

  private readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly logins = new Counter({ name: 'auth_logins_total', help: 'Login attempts by result', labelNames: ['result'] as const, registers: [this.registry] });
  private readonly refreshes = new Counter({ name: 'auth_refreshes_total', help: 'Reissues by result', labelNames: ['result'] as const, registers: [this.registry] });
  private readonly verifications = new Counter({
    name: 'auth_access_token_verifications_total',
    help: 'Access tokens checked on protected routes, by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly sessionsEnded = new Counter({
    name: 'auth_sessions_ended_total',
    help: 'Sessions ended by this instance, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly passwordHashing = new Histogram({
    name: 'auth_password_hash_seconds',
    help: 'argon2id hash and verify durations',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(@Inject(metricsConfig.KEY) config: MetricsConfig) {
    this.enabled = config.port !== undefined || config.token !== undefined;
    // Only when served: the default metrics include the event-loop lag, which a timer samples every 10 ms, waking
    // the event loop a hundred times a second (on a core argon2 shares, each wake-up finds the caches cold).
    if (this.enabled) collectDefaultMetrics({ register: this.registry });
  }

  // Children per label value, made once: prom-client hashes the label set on every labelled call otherwise.
  private readonly loginsBy = children(this.logins);
  private readonly refreshesBy = children(this.refreshes);
  private readonly verificationsBy = children(this.verifications);
  private readonly requestDurations = new Map<string, { observe: (seconds: number) => void }>();

  login(result: LoginResult): void {
    this.loginsBy(result).inc();
  }

  refresh(result: RefreshResult): void {
    this.refreshesBy(result).inc();
  }

  accessToken(result: AccessTokenResult): void {
    this.verificationsBy(result).inc();
  }

  /** One request's duration, by route template and status class. */
  request(method: string, route: string, status: number, seconds: number): void {
    const statusClass = `${Math.floor(status / 100)}xx`;
    const key = `${method} ${route} ${statusClass}`;
    let child = this.requestDurations.get(key);
    if (!child) this.requestDurations.set(key, (child = this.httpDuration.labels(method, route, statusClass)));
    child.observe(seconds);
  }

  sessionEnded(reason: string, count = 1): void {
    this.sessionsEnded.inc({ reason }, count);
  }

  /** Times an argon2 operation. */
  async passwordHash<T>(operation: 'hash' | 'verify', work: () => Promise<T>): Promise<T> {
    const stop = this.passwordHashing.startTimer({ operation });
    try {
      return await work();
    } finally {
      stop();
    }
  }

  /** A gauge whose value is read at each scrape; a source that answers undefined leaves it out. */
  gauge(name: string, help: string, source: GaugeSource): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        const value = await source();
        if (value === undefined) this.reset();
        else this.set(value);
      },
    });
  }

  /** A gauge with one label, all of whose values are read at each scrape. */
  labelledGauge(name: string, help: string, label: string, source: () => Record<string, number> | undefined): void {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [value, count] of Object.entries(source() ?? {})) this.set({ [label]: value }, count);
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The counter's child for one value of its only label, made on first use and kept. */
function children(counter: Counter<'result'>): (value: string) => { inc: () => void } {
  const made = new Map<string, { inc: () => void }>();
  return (value) => {
    let child = made.get(value);
    if (!child) made.set(value, (child = counter.labels(value)));
    return child;
  };
}
