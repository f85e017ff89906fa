import { DatabaseUnavailableError } from './database-unavailable.js';

/** The parts of mysql2's callback pool and connection that the guard wraps. */
interface Command {
  /** Query and Execute commands: mysql2's per-statement deadline in ms, armed when the command starts. */
  timeout?: number;
  onResult?: (error: Error | null, ...results: unknown[]) => void;
}
interface PooledConnection {
  addCommand(command: Command): unknown;
  destroy(): void;
  release(): void;
}
type Acquired = (error: Error | null, connection?: PooledConnection) => void;
export interface MysqlPool {
  getConnection(callback: Acquired): void;
}

/** What the guard reports to and asks of (DatabaseAvailability). */
export interface AvailabilityGate {
  allowAttempt(): boolean;
  failed(error: unknown): void;
  succeeded(): void;
}

const GUARDED = Symbol('guarded');

/**
 * Adds to mysql2's pool what it lacks, in the one place every TypeORM query passes (`pool.getConnection`):
 * - fail fast while the circuit is open;
 * - an acquire timeout (mysql2 queues waiters forever; its `acquireTimeout` option is ignored);
 * - a deadline on every statement (mysql2's `timeout` query option, which TypeORM sets only with a slow-query log);
 * - a connection whose statement timed out is destroyed: mysql2 only rejects the caller, and the connection, back in
 *   the pool, would run the next caller's statement after the hung one, with no deadline while it waits;
 * - every statement's outcome tells the breaker whether the database answers.
 */
export interface PoolDeadlines {
  acquireTimeoutMs: number;
  queryTimeoutMs: number;
}

export function guardMysqlPool(pool: MysqlPool, gate: AvailabilityGate, { acquireTimeoutMs, queryTimeoutMs }: PoolDeadlines): void {
  const getConnection = pool.getConnection.bind(pool);
  pool.getConnection = (callback: Acquired) => {
    if (!gate.allowAttempt()) {
      process.nextTick(callback, new DatabaseUnavailableError('DATABASE_CIRCUIT_OPEN', 'the database is unavailable'));
      return;
    }
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      const error = new DatabaseUnavailableError('POOL_ACQUIRE_TIMEOUT', `no database connection within ${acquireTimeoutMs} ms`);
      gate.failed(error);
      callback(error);
    }, acquireTimeoutMs);
    getConnection((error, connection) => {
      if (settled) {
        connection?.release(); // came too late for its caller; the next one may use it
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (error || !connection) {
        gate.failed(error);
        callback(error);
        return;
      }
      watch(connection, gate, queryTimeoutMs);
      callback(null, connection);
    });
  };
}

function watch(connection: PooledConnection & { [GUARDED]?: true }, gate: AvailabilityGate, queryTimeoutMs: number): void {
  if (connection[GUARDED]) return;
  connection[GUARDED] = true;
  const addCommand = connection.addCommand.bind(connection);
  connection.addCommand = (command: Command) => {
    if ('timeout' in command && command.timeout === undefined) command.timeout = queryTimeoutMs;
    const onResult = command.onResult;
    if (onResult) {
      command.onResult = (error, ...results) => {
        if (error) gate.failed(error);
        else gate.succeeded();
        if ((error as { code?: unknown } | null)?.code === 'PROTOCOL_SEQUENCE_TIMEOUT') connection.destroy();
        onResult.call(command, error, ...results);
      };
    }
    return addCommand(command);
  };
}
