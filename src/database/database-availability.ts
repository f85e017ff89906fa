import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { databaseConfig, type DatabaseConfig } from '../config/database.config.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { Metrics } from '../metrics/metrics.service.js';
import { databaseUnavailableReason } from './database-unavailable.js';
import { guardMysqlPool, type AvailabilityGate, type MysqlPool } from './mysql-pool-guard.js';

/** While the circuit is open, one request per this interval goes through to see whether the database is back. */
const RETRY_EVERY_MS = 500;
/** At most one summary line per this interval, however many requests were answered 503. */
const SUMMARY_EVERY_MS = 10_000;

/**
 * Whether the database answers, as seen by the queries themselves: logs one line when it goes away and one when it
 * comes back, plus a summary of the requests answered 503 at most every 10 s, instead of a stack trace per request.
 * On MySQL it also holds the circuit breaker that makes requests fail fast during an outage (guardMysqlPool).
 * SQLite is a local file: lock contention (SQLITE_BUSY) is answered 503 and summarised, and there is no circuit.
 */
@Injectable()
export class DatabaseAvailability implements AvailabilityGate, OnModuleInit {
  private readonly logger = new Logger('Database');
  private readonly breaker = new CircuitBreaker(RETRY_EVERY_MS);
  private rejectedInOutage = 0;
  private rejectedSinceSummary = 0;
  private lastSummaryAt = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
    @Inject(databaseConfig.KEY) private readonly config: DatabaseConfig,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('database_available', '1 while the database answers, 0 while it is known to be down', () => (this.breaker.isOpen ? 0 : 1));
    if (this.config.driver !== 'mysql') return;
    const pool = (this.dataSource.driver as unknown as { pool: MysqlPool }).pool;
    guardMysqlPool(pool, this, this.config.limits);
    this.metrics.labelledGauge('database_pool_connections', 'Connections of the MySQL pool by state', 'state', () => poolState(pool));
  }

  allowAttempt(): boolean {
    return this.breaker.allow();
  }

  failed(error: unknown): void {
    const reason = databaseUnavailableReason(error);
    if (!reason) return this.succeeded(); // the server answered (a constraint, a syntax error): it is up
    const transition = this.breaker.failure(reason);
    if (transition && 'opened' in transition) this.logger.warn(`database unavailable: ${reason}`);
  }

  succeeded(): void {
    const transition = this.breaker.success();
    if (!transition || !('closedAfterMs' in transition)) return;
    const seconds = (transition.closedAfterMs / 1000).toFixed(1);
    this.logger.log(`database back after ${seconds} s (${this.rejectedInOutage} request(s) answered 503)`);
    this.rejectedInOutage = 0;
  }

  /** A request was answered 503 database_unavailable (called by the exception filter instead of logging a stack). */
  rejected(reason: string): void {
    this.rejectedInOutage++;
    this.rejectedSinceSummary++;
    const now = Date.now();
    if (now - this.lastSummaryAt < SUMMARY_EVERY_MS) return;
    this.logger.warn(`database unavailable (${reason}): ${this.rejectedSinceSummary} request(s) answered 503 since the last summary`);
    this.lastSummaryAt = now;
    this.rejectedSinceSummary = 0;
  }
}

/** mysql2 keeps its pool's connections and waiting requests in these (undocumented) lists; absent, nothing is reported. */
function poolState(pool: unknown): Record<string, number> | undefined {
  const lists = pool as { _allConnections?: { length: number }; _freeConnections?: { length: number }; _connectionQueue?: { length: number } };
  if (!lists._allConnections || !lists._freeConnections || !lists._connectionQueue) return undefined;
  const idle = lists._freeConnections.length;
  return { in_use: lists._allConnections.length - idle, idle, waiting: lists._connectionQueue.length };
}
