import { Global, Injectable, Module } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs work in one database transaction: what a flow writes together (a spent link token, a new password, the mail
 * telling about it) commits or rolls back together.
 *
 * On SQLite every request shares one connection, and TypeORM refuses a second BEGIN while a transaction is open
 * ("cannot start a transaction within a transaction"), so there transactions are queued and run one at a time.
 * A plain query issued by another request while one is open still runs inside it: keep transactions short and free
 * of anything but database work (no hashing, no network).
 */
@Injectable()
export class Transactions {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type !== 'better-sqlite3') return this.dataSource.transaction(work);
    const result = this.tail.then(() => this.dataSource.transaction(work));
    this.tail = result.catch(() => undefined);
    return result;
  }
}

@Global()
@Module({ providers: [Transactions], exports: [Transactions] })
export class TransactionsModule {}
