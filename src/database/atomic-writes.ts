import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MysqlStatements } from './mysql-statements.js';
import { SqliteStatements, toSqlite } from './sqlite-statements.js';

/** One write of a multi-statement change; its table's owner builds it, the caller runs them together. */
export interface Statement {
  sql: string;
  params: unknown[];
  /** The change is void unless this statement changes exactly one row: everything rolls back, `run` returns null. */
  mustChangeOne?: boolean;
  /** Runs once the transaction has committed, with the rows this statement changed (a log line about it, say). */
  afterCommit?: (changed: number) => void;
}

class Abandoned extends Error {}

const MYSQL_ATTEMPTS = 3;

function isDeadlock(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'ER_LOCK_DEADLOCK';
}

/**
 * Runs statements from different owners as one transaction: all commit or none does, so a crash at any instant
 * leaves the database before or after the change, never half-way.
 *
 * On SQLite the transaction runs synchronously on better-sqlite3's one connection, the one TypeORM shares
 * between requests: an `await` inside it would let another request's statements join (and roll back with) it.
 * On MySQL/MariaDB it runs on a connection of its own from the pool (MysqlStatements).
 */
@Injectable()
export class AtomicWrites {
  private readonly sqlite: SqliteStatements;
  private readonly mysql: MysqlStatements;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    this.sqlite = new SqliteStatements(dataSource);
    this.mysql = new MysqlStatements(dataSource);
  }

  /** The number of rows each statement changed, or null when a `mustChangeOne` statement changed none. */
  async run(statements: Statement[]): Promise<number[] | null> {
    const changed = this.dataSource.options.type === 'mysql' ? await this.runOnMysql(statements) : this.runOnSqlite(statements);
    if (changed) statements.forEach((statement, index) => statement.afterCommit?.(changed[index]));
    return changed;
  }

  private runOnSqlite(statements: Statement[]): number[] | null {
    const transaction = this.sqlite.connection.transaction(() =>
      statements.map((statement) => {
        const changes = this.sqlite.prepare(statement.sql).run(...statement.params.map(toSqlite)).changes;
        if (statement.mustChangeOne && changes !== 1) throw new Abandoned();
        return changes;
      }),
    );
    try {
      return transaction.immediate();
    } catch (error) {
      if (error instanceof Abandoned) return null;
      throw error;
    }
  }

  private async runOnMysql(statements: Statement[], attempt = 1): Promise<number[] | null> {
    try {
      return await this.mysql.transaction(async (query) => {
        const changed: number[] = [];
        for (const statement of statements) {
          const result = await query<{ affectedRows: number }>(statement.sql, statement.params);
          if (statement.mustChangeOne && result.affectedRows !== 1) throw new Abandoned();
          changed.push(result.affectedRows);
        }
        return changed;
      });
    } catch (error) {
      if (error instanceof Abandoned) return null;
      // InnoDB rolled the whole transaction back to break a lock cycle with a concurrent one: running it again is safe.
      if (isDeadlock(error) && attempt < MYSQL_ATTEMPTS) return this.runOnMysql(statements, attempt + 1);
      throw error;
    }
  }
}
