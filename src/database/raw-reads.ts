import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** The part of better-sqlite3 used here (the package ships no types). */
interface SqliteDatabase {
  prepare(sql: string): { get(...params: unknown[]): unknown };
}

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
  private readonly prepared = new Map<string, ReturnType<SqliteDatabase['prepare']>>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The first row of a SELECT, or undefined. */
  async first(sql: string, params: unknown[]): Promise<RawRow | undefined> {
    if (this.dataSource.options.type === 'mysql') {
      const rows = await this.dataSource.query<RawRow[]>(sql, params);
      return rows[0];
    }
    return this.statement(sql).get(...params) as RawRow | undefined;
  }

  private statement(sql: string) {
    let statement = this.prepared.get(sql);
    if (!statement) {
      const db = (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
      this.prepared.set(sql, (statement = db.prepare(sql)));
    }
    return statement;
  }
}

/** A datetime column's value as a Date (null stays null). */
export function dateOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  // SQLite: 'YYYY-MM-DD HH:MM:SS.sss', in UTC, as TypeORM and AtomicWrites store it.
  return new Date(`${(value as string).replace(' ', 'T')}Z`);
}
