import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqliteStatements, toSqlite } from './sqlite-statements.js';

export { dateOf } from './sqlite-statements.js';

/** A row as the driver returns it: SQLite gives datetimes as UTC text, MySQL/MariaDB as Dates (timezone 'Z'). */
export type RawRow = Record<string, unknown>;

/**
 * Reads for hot paths, where TypeORM building the query and hydrating entities costs more than the database:
 * the SQL is written out once, and on SQLite it is prepared once and run synchronously on better-sqlite3's
 * connection (the same connection TypeORM and AtomicWrites use). On MySQL/MariaDB it goes through the pool like
 * every other query, so the pool's deadlines and the circuit breaker apply.
 */
@Injectable()
export class RawReads {
  private readonly sqlite: SqliteStatements;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sqlite = new SqliteStatements(dataSource);
  }

  /** The first row of a SELECT, or undefined. */
  async first(sql: string, params: unknown[]): Promise<RawRow | undefined> {
    if (this.dataSource.options.type === 'mysql') {
      const rows = await this.dataSource.query<RawRow[]>(sql, params);
      return rows[0];
    }
    return this.sqlite.prepare(sql).get(...params.map(toSqlite)) as RawRow | undefined;
  }
}
