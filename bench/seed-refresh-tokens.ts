/**
 * Fills a migrated database with `count` refresh tokens (ten per session, one seed user), with SQL in bounded
 * batches, so the reissue benchmark can compare a small table with a large one. Rows are spent, unexpired chains,
 * as real traffic leaves them: each token's parent is the one before it in its session; token and session ids are
 * time-ordered (UUIDv7) and created_at is the issue second, like the service's.
 *
 *   tsx bench/seed-refresh-tokens.ts 1000000 /path/to/auth.sqlite
 *   tsx bench/seed-refresh-tokens.ts 1000000 mysql://root@127.0.0.1:3306/bench
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import mysql from 'mysql2/promise';
import { uuidV7 } from '../src/common/uuid-v7.js';
import { toSqlite } from '../src/database/sqlite-statements.js';
import { refreshTokenKey } from '../src/sessions/refresh-token-key.js';

/** The part of better-sqlite3 used here (the package ships no types). */
interface SqliteDatabase {
  pragma(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown };
  transaction<A>(work: (arg: A) => void): (arg: A) => void;
  close(): void;
}
const Database = createRequire(import.meta.url)('better-sqlite3') as new (file: string) => SqliteDatabase;

const TOKENS_PER_SESSION = 10;
/** Rows per INSERT statement (and per transaction on SQLite): bounded memory and packet size whatever `count` is. */
const BATCH = 2000;

type Row = unknown[];

/** The rows to insert, one batch at a time. */
function* batches(count: number): Generator<{ users: Row[]; sessions: Row[]; tokens: Row[] }> {
  const now = new Date();
  // As TypeORM stores a datetime (UTC text with milliseconds), which MySQL/MariaDB accept as well.
  const at = (offsetSeconds: number) => toSqlite(new Date(now.getTime() + offsetSeconds * 1000));
  const userId = randomUUID();
  const username = `seed_${userId.slice(0, 8)}`;
  const users: Row[] = [[userId, `${username}@example.com`, username, username, 'Seed', '$argon2id$v=19$m=19456,t=2,p=1$c2VlZA$c2VlZA', '["user"]', 0, at(0), at(0), at(0)]];
  let sessions: Row[] = [];
  let tokens: Row[] = [];
  let sessionId = '';
  let parentId: string | null = null;
  for (let i = 0; i < count; i++) {
    // Issued over the past month; ids (and created_at, a token's iat) time-ordered as the service makes them.
    const issuedAt = now.getTime() - 30 * 86400_000 + Math.floor((i / count) * 30 * 86400_000);
    if (i % TOKENS_PER_SESSION === 0) {
      sessionId = uuidV7(issuedAt);
      parentId = null;
      sessions.push([sessionId, userId, toSqlite(new Date(issuedAt)), at(-60), at(86400 * 30), null, null, 'seed', '127.0.0.1']);
    }
    const id = uuidV7(issuedAt);
    const key = refreshTokenKey(`seed-token-${id}`, Math.floor(issuedAt / 1000));
    tokens.push([id, userId, sessionId, key.hash, parentId, toSqlite(key.createdAt), at(86400 * 30), at(-60), null, null, 'seed', '127.0.0.1']);
    parentId = id;
    if (tokens.length === BATCH || i === count - 1) {
      yield { users: i < BATCH ? users : [], sessions, tokens };
      sessions = [];
      tokens = [];
    }
  }
}

const USER_COLUMNS = 'id, email, username, username_key, name, password_hash, roles, disabled, created_at, updated_at, password_changed_at';
const SESSION_COLUMNS = 'id, user_id, created_at, last_used_at, expires_at, revoked_at, revoked_reason, user_agent, ip';
const TOKEN_COLUMNS = 'id, user_id, session_id, token_hash, parent_id, created_at, expires_at, used_at, revoked_at, revoked_reason, user_agent, ip';

function insert(table: string, columns: string, rows: Row[]): { sql: string; params: unknown[] } {
  const placeholders = `(${columns.split(',').map(() => '?').join(', ')})`;
  return { sql: `INSERT INTO ${table} (${columns}) VALUES ${rows.map(() => placeholders).join(', ')}`, params: rows.flat() };
}

export async function seedRefreshTokens(count: number, target: string): Promise<void> {
  if (target.startsWith('mysql://') || target.startsWith('mariadb://')) {
    const connection = await mysql.createConnection({ uri: target.replace(/^mariadb:/, 'mysql:'), timezone: 'Z' });
    try {
      for (const batch of batches(count)) {
        await connection.beginTransaction();
        for (const [table, columns, rows] of [['users', USER_COLUMNS, batch.users], ['sessions', SESSION_COLUMNS, batch.sessions], ['refresh_tokens', TOKEN_COLUMNS, batch.tokens]] as const) {
          if (rows.length === 0) continue;
          const { sql, params } = insert(table, columns, rows);
          await connection.query(sql, params);
        }
        await connection.commit();
      }
    } finally {
      await connection.end();
    }
    return;
  }
  const db = new Database(target);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('cache_size = -262144'); // 256 MiB: each batch's sessions and users land at random places in their tables
    const write = db.transaction((batch: { users: Row[]; sessions: Row[]; tokens: Row[] }) => {
      for (const [table, columns, rows] of [['users', USER_COLUMNS, batch.users], ['sessions', SESSION_COLUMNS, batch.sessions], ['refresh_tokens', TOKEN_COLUMNS, batch.tokens]] as const) {
        if (rows.length === 0) continue;
        const { sql, params } = insert(table, columns, rows);
        db.prepare(sql).run(...params);
      }
    });
    for (const batch of batches(count)) write(batch);
  } finally {
    db.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [count, target] = [Number(process.argv[2]), process.argv[3]];
  if (!Number.isInteger(count) || !target) throw new Error('usage: tsx bench/seed-refresh-tokens.ts <count> <sqlite file | mysql url>');
  const started = Date.now();
  await seedRefreshTokens(count, target);
  console.log(`seeded ${count} refresh tokens into ${target.replace(/\/\/[^@]*@/, '//')} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
