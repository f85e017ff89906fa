import type { DataSource } from 'typeorm';

/** What mysql2 answers: rows for a SELECT, a result header (`affectedRows`) for a write. */
export type MysqlAnswer = Record<string, unknown>[] | { affectedRows: number };

type Answered = (error: Error | null, answer?: MysqlAnswer) => void;

/** The part of mysql2's callback pool and its connections used here. */
interface MysqlConnection {
  query(sql: string, params: unknown[], answered: Answered): unknown;
  release(): void;
}
interface MysqlPool extends Pick<MysqlConnection, 'query'> {
  getConnection(acquired: (error: Error | null, connection?: MysqlConnection) => void): void;
}

export type Query = <T extends MysqlAnswer>(sql: string, params?: unknown[]) => Promise<T>;

/**
 * mysql2's pool under TypeORM (the one DataSource made, with guardMysqlPool's deadlines and circuit breaker), used
 * without TypeORM's query runner for the statements of the hot paths: the runner wraps every statement in a fresh
 * promise connection that re-registers its events, logs and broadcasts to subscribers, which cost a reissue more CPU
 * than mysql2 itself. The statements and their parameters go to mysql2 exactly as TypeORM would pass them; errors
 * are mysql2's own (with their `code`), not wrapped in QueryFailedError. AtomicWrites and RawReads build on it.
 */
export class MysqlStatements {
  constructor(private readonly dataSource: DataSource) {}

  private get pool(): MysqlPool {
    return (this.dataSource.driver as unknown as { pool: MysqlPool }).pool;
  }

  /** One statement on whichever pooled connection is free. */
  readonly query: Query = (sql, params = []) => answer(this.pool, sql, params);

  /**
   * `work` in one transaction on a connection of its own: committed when it resolves, rolled back when it throws
   * (a connection that is gone has rolled back already: its ROLLBACK failing changes nothing).
   */
  async transaction<T>(work: (query: Query) => Promise<T>): Promise<T> {
    const connection = await new Promise<MysqlConnection>((resolve, reject) =>
      this.pool.getConnection((error, acquired) => (acquired && !error ? resolve(acquired) : reject(error ?? new Error('the pool gave no connection')))),
    );
    const query: Query = (sql, params = []) => answer(connection, sql, params);
    try {
      await query('START TRANSACTION');
      const result = await work(query);
      await query('COMMIT');
      return result;
    } catch (error) {
      await query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }
}

function answer<T extends MysqlAnswer>(on: Pick<MysqlConnection, 'query'>, sql: string, params: unknown[]): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    on.query(sql, params, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}
