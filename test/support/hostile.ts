import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { ERROR_CODES } from '../../src/common/error-codes.js';
import { onMysql, type TestApp } from './test-app.js';

/** The keys of every error body; `details` is optional. */
export const ERROR_KEYS = ['code', 'error', 'message', 'statusCode'];

/**
 * Asserts a client error (4xx, never 5xx) answered in the one error shape {statusCode, error, code, message, details?}
 * with a known code. `label` names the case in the failure message.
 */
export function expectClientError(res: { status: number; body: unknown }, label = ''): void {
  expect(res.status, `${label}: status`).toBeGreaterThanOrEqual(400);
  expect(res.status, `${label}: status`).toBeLessThan(500);
  expectErrorShape(res, label);
}

export function expectErrorShape(res: { status: number; body: unknown }, label = ''): void {
  const body = res.body as Record<string, unknown> | null;
  expect(typeof body === 'object' && body !== null && !Array.isArray(body), `${label}: body is an object`).toBe(true);
  const keys = Object.keys(body!).filter((key) => key !== 'details').sort();
  expect(keys, `${label}: error keys`).toEqual(ERROR_KEYS);
  expect(body!.statusCode, `${label}: statusCode`).toBe(res.status);
  expect(typeof body!.error, `${label}: error`).toBe('string');
  expect(typeof body!.message, `${label}: message`).toBe('string');
  expect(ERROR_CODES, `${label}: code`).toContain(body!.code);
}

/**
 * A per-test-file prefix for usernames and emails: on MariaDB every test file shares one database,
 * so "nothing was written" is checked on the rows this prefix marks; on SQLite the whole tables are compared.
 */
export function newPrefix(): string {
  return `hz${randomBytes(3).toString('hex')}`;
}

/** A valid signup body whose username and email both carry `prefix`. */
export function prefixedUser(prefix: string, overrides: Partial<Record<'email' | 'username' | 'name' | 'password', string>> = {}) {
  const tag = randomUUID().slice(0, 8);
  return {
    email: `${prefix}-${tag}@example.com`,
    username: `${prefix}_${tag}`,
    name: `Hostile Test ${tag}`,
    password: `pw-${randomUUID()}`,
    ...overrides,
  };
}

export interface DbSnapshot {
  counts: { users: number; sessions: number; refreshTokens: number };
  /** The rows (the columns a write could change), to catch updates as well as inserts and deletes. */
  rows: { users: unknown[]; sessions: unknown[]; refreshTokens: unknown[] };
}

/**
 * Counts and rows of users, sessions and refresh_tokens. On SQLite (one database per app) the whole tables;
 * on MariaDB (shared by the test files running in parallel) the users whose username or email starts with
 * `prefix`, and their sessions and refresh tokens.
 */
export async function dbSnapshot(t: TestApp, prefix: string): Promise<DbSnapshot> {
  const scoped = onMysql;
  const like = `${prefix}%`;
  const userWhere = scoped ? ' WHERE (username_key LIKE ? OR email LIKE ?)' : '';
  const ownedWhere = scoped ? ' WHERE user_id IN (SELECT id FROM users WHERE username_key LIKE ? OR email LIKE ?)' : '';
  const params = scoped ? [like, like] : [];
  const count = async (sql: string) => Number((await t.dataSource.query<Array<{ n: unknown }>>(sql, params))[0].n);
  return {
    counts: {
      users: await count(`SELECT COUNT(*) AS n FROM users${userWhere}`),
      sessions: await count(`SELECT COUNT(*) AS n FROM sessions${ownedWhere}`),
      refreshTokens: await count(`SELECT COUNT(*) AS n FROM refresh_tokens${ownedWhere}`),
    },
    rows: {
      users: await t.dataSource.query(
        `SELECT id, email, username_key, name, password_hash, roles, disabled, password_changed_at FROM users${userWhere} ORDER BY id`,
        params,
      ),
      sessions: await t.dataSource.query(`SELECT id, user_id, revoked_at, revoked_reason FROM sessions${ownedWhere} ORDER BY id`, params),
      refreshTokens: await t.dataSource.query(
        `SELECT id, session_id, used_at, revoked_at, revoked_reason FROM refresh_tokens${ownedWhere} ORDER BY id`,
        params,
      ),
    },
  };
}

/** Starts the app's HTTP server on an ephemeral port of 127.0.0.1 (supertest then uses it as it is). */
export async function listen(t: TestApp): Promise<number> {
  const server: Server = t.app.getHttpServer();
  if (!server.listening) {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
  return (server.address() as AddressInfo).port;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
}

export interface RawResult {
  responses: RawResponse[];
  /** Everything the server sent. */
  raw: string;
  /** Whether the server closed the connection before `waitMs` ran out. */
  closedByServer: boolean;
}

/**
 * Writes `payload` byte for byte to a fresh TCP connection and collects what comes back until the server closes
 * the connection or `waitMs` pass. `halfClose` ends our side after writing (the server sees EOF).
 */
export function rawHttp(port: number, payload: string | Buffer, options: { waitMs?: number; halfClose?: boolean } = {}): Promise<RawResult> {
  const { waitMs = 3000, halfClose = false } = options;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    const finish = (closedByServer: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString('latin1');
      resolve({ responses: parseResponses(Buffer.concat(chunks)), raw, closedByServer });
    };
    const timer = setTimeout(() => finish(false), waitMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may reset the connection after answering (clientErrorHandler destroys the socket).
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') finish(true);
      else if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.on('connect', () => {
      socket.write(payload, () => {
        if (halfClose) socket.end();
      });
    });
  });
}

/** Splits a byte stream into HTTP/1.1 responses (Content-Length or chunked bodies). */
export function parseResponses(data: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let offset = 0;
  while (offset < data.length) {
    const headerEnd = data.indexOf('\r\n\r\n', offset, 'latin1');
    if (headerEnd < 0) break;
    const head = data.subarray(offset, headerEnd).toString('latin1').split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
    if (!status) break;
    const headers: Record<string, string> = {};
    for (const line of head.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let bodyStart = headerEnd + 4;
    let body: Buffer;
    if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = data.indexOf('\r\n', bodyStart, 'latin1');
        if (lineEnd < 0) break;
        const size = parseInt(data.subarray(bodyStart, lineEnd).toString('latin1'), 16);
        bodyStart = lineEnd + 2;
        if (!Number.isFinite(size) || size === 0) {
          bodyStart += 2;
          break;
        }
        parts.push(data.subarray(bodyStart, bodyStart + size));
        bodyStart += size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      const length = Number(headers['content-length'] ?? 0);
      body = data.subarray(bodyStart, bodyStart + length);
      bodyStart += length;
    }
    const text = body.toString('utf8');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    responses.push({ status: Number(status[1]), headers, text, body: json });
    offset = bodyStart;
  }
  return responses;
}

/** A raw HTTP/1.1 request; Content-Length is computed unless a header of that name is given. */
export function rawRequest(method: string, path: string, headers: Array<[string, string]>, body: string | Buffer = ''): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const all: Array<[string, string]> = [['Host', '127.0.0.1'], ...headers];
  const hasLength = headers.some(([name]) => name.toLowerCase() === 'content-length' || name.toLowerCase() === 'transfer-encoding');
  if (!hasLength && (bytes.length > 0 || method === 'POST' || method === 'PATCH')) all.push(['Content-Length', String(bytes.length)]);
  const head = `${method} ${path} HTTP/1.1\r\n${all.map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes]);
}

/** Every status the server answered on a raw connection: none of them may be a 5xx. */
export function expectNoServerError(result: RawResult, label: string): void {
  for (const response of result.responses) {
    expect(response.status, `${label}: ${response.text}`).toBeLessThan(500);
  }
  expect(result.raw, label).not.toMatch(/HTTP\/1\.[01] 5\d\d/);
}

/** The fullwidth form (U+FF01..U+FF5E) of every printable ASCII character; NFKC maps it back. */
export function fullwidth(text: string): string {
  return [...text].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
}
