import type { DataSource } from 'typeorm';

/** The part of better-sqlite3 used here (the package ships no types). */
export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  transaction<T>(work: () => T): { immediate(): T };
}

/**
 * better-sqlite3's one connection — the one TypeORM shares between requests — and statements prepared on it once
 * each, run synchronously. AtomicWrites and RawReads build on it.
 */
export class SqliteStatements {
  private readonly prepared = new Map<string, SqliteStatement>();

  constructor(private readonly dataSource: DataSource) {}

  get connection(): SqliteDatabase {
    return (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
  }

  prepare(sql: string): SqliteStatement {
    let statement = this.prepared.get(sql);
    if (!statement) this.prepared.set(sql, (statement = this.connection.prepare(sql)));
    return statement;
  }
}

/** Values as TypeORM stores them in SQLite: datetimes as UTC text with milliseconds, booleans as 0/1. */
export function toSqlite(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** A datetime column's value as a Date (null stays null): SQLite gives UTC text, MySQL/MariaDB a Date (timezone 'Z'). */
export function dateOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  return new Date(`${(value as string).replace(' ', 'T')}Z`);
}
