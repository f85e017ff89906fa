import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MysqlStatements } from './mysql-statements.js';
import { SqliteStatements, toSqlite } from './sqlite-statements.js';

export { dateOf } from './sqlite-statements.js';

/** A row as the driver returns it: SQLite gives datetimes as UTC text, MySQL/MariaDB as Dates (timezone 'Z'). */
export type RawRow = Record<string, unknown>;

/**
 * Reads for hot paths, where TypeORM building the query and hydrating entities costs more than the database:
 * the SQL is written out once, and on SQLite it is prepared once and run synchronously on better-sqlite3's
 * connection (the same connection TypeORM and AtomicWrites use). On MySQL/MariaDB it goes to mysql2's pool without
 * TypeORM's query runner (MysqlStatements), so the pool's deadlines and the circuit breaker apply.
 */
@Injectable()
export class RawReads {
  private readonly sqlite: SqliteStatements;
  private readonly mysql: MysqlStatements;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sqlite = new SqliteStatements(dataSource);
    this.mysql = new MysqlStatements(dataSource);
  }

  /** The first row of a SELECT, or undefined. */
  async first(sql: string, params: unknown[]): Promise<RawRow | undefined> {
    if (this.dataSource.options.type === 'mysql') return (await this.all(sql, params))[0];
    return this.sqlite.prepare(sql).get(...params.map(toSqlite)) as RawRow | undefined;
  }

  /** Every row of a SELECT. */
  async all(sql: string, params: unknown[]): Promise<RawRow[]> {
    if (this.dataSource.options.type === 'mysql') return this.mysql.query<RawRow[]>(sql, params);
    return this.sqlite.prepare(sql).all(...params.map(toSqlite)) as RawRow[];
  }
}
