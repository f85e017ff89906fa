/**
 * The one rule for "the database is unavailable" (as opposed to "this statement is wrong"): such errors are answered
 * `503 database_unavailable` and drive the circuit breaker; every other database error stays a bug (500).
 */

/** `Retry-After` of a 503 database_unavailable: the circuit lets a trial through every 0.5 s. */
export const DATABASE_RETRY_AFTER_SECONDS = 1;

/** Raised by us rather than the driver: the circuit is open, or no pooled connection came in time. */
export class DatabaseUnavailableError extends Error {
  constructor(
    readonly code: 'DATABASE_CIRCUIT_OPEN' | 'POOL_ACQUIRE_TIMEOUT',
    message: string,
  ) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Driver error codes that mean the server is down, hung, overloaded or unreachable. */
const UNAVAILABLE_CODES = new Set([
  // the network or the server process
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // mysql2
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT', // a statement outlived DATABASE_QUERY_TIMEOUT_MS
  // the server refuses more work
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  // ours
  'DATABASE_CIRCUIT_OPEN',
  'POOL_ACQUIRE_TIMEOUT',
]);

/** SQLite: another writer holds the lock past busy_timeout (SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED…). */
const SQLITE_CONTENTION = /^SQLITE_(BUSY|LOCKED)/;

/**
 * The short reason (an error code) when `error` means the database is unavailable, otherwise undefined.
 * TypeORM wraps driver errors in QueryFailedError (`driverError`); mysql2 marks errors that killed the connection
 * `fatal`, e.g. "Can't add new command when connection is in closed state", which has no code.
 */
export function databaseUnavailableReason(error: unknown): string | undefined {
  for (let current = error, depth = 0; isObject(current) && depth < 3; current = current.driverError ?? current.cause, depth++) {
    const code = typeof current.code === 'string' ? current.code : undefined;
    if (code && (UNAVAILABLE_CODES.has(code) || SQLITE_CONTENTION.test(code))) return code;
    if (current.fatal === true) return code ?? 'connection closed';
  }
  return undefined;
}

function isObject(value: unknown): value is { code?: unknown; fatal?: unknown; driverError?: unknown; cause?: unknown } {
  return typeof value === 'object' && value !== null;
}
