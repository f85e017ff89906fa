import { QueryFailedError } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, databaseUnavailableReason } from './database-unavailable.js';

const driverError = (fields: Record<string, unknown>) => Object.assign(new Error('driver'), fields);

describe('databaseUnavailableReason', () => {
  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'PROTOCOL_CONNECTION_LOST',
    'PROTOCOL_SEQUENCE_TIMEOUT',
    'ER_CON_COUNT_ERROR',
    'SQLITE_BUSY',
    'SQLITE_BUSY_SNAPSHOT',
    'SQLITE_LOCKED',
  ])('treats %s as an outage, raw or wrapped by TypeORM', (code) => {
    expect(databaseUnavailableReason(driverError({ code }))).toBe(code);
    expect(databaseUnavailableReason(new QueryFailedError('SELECT 1', [], driverError({ code })))).toBe(code);
  });

  it('treats our own fail-fast and acquire-timeout errors as an outage', () => {
    expect(databaseUnavailableReason(new DatabaseUnavailableError('DATABASE_CIRCUIT_OPEN', 'down'))).toBe('DATABASE_CIRCUIT_OPEN');
    expect(databaseUnavailableReason(new DatabaseUnavailableError('POOL_ACQUIRE_TIMEOUT', 'slow'))).toBe('POOL_ACQUIRE_TIMEOUT');
  });

  it('treats an error mysql2 marks fatal (the connection is gone) as an outage, even without a code', () => {
    expect(databaseUnavailableReason(driverError({ fatal: true }))).toBe('connection closed');
    expect(databaseUnavailableReason(driverError({ fatal: true, code: 'ER_ACCESS_DENIED_ERROR' }))).toBe('ER_ACCESS_DENIED_ERROR');
  });

  it('leaves errors the server answered with, and anything else, to be bugs', () => {
    expect(databaseUnavailableReason(driverError({ code: 'ER_DUP_ENTRY', errno: 1062 }))).toBeUndefined();
    expect(databaseUnavailableReason(driverError({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBeUndefined();
    expect(databaseUnavailableReason(new QueryFailedError('SELEC 1', [], driverError({ code: 'ER_PARSE_ERROR' })))).toBeUndefined();
    expect(databaseUnavailableReason(new TypeError('x is undefined'))).toBeUndefined();
    expect(databaseUnavailableReason(undefined)).toBeUndefined();
    expect(databaseUnavailableReason('ECONNREFUSED')).toBeUndefined();
  });
});
