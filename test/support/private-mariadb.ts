import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createConnection } from 'mysql2/promise';

const MARIADBD = '/usr/sbin/mariadbd';

/**
 * Whether the fault suites can start a MariaDB of their own: always required in CI (a missing server must fail
 * them, not skip them), elsewhere only when the binaries are installed.
 */
export function privateMariadbAvailable(): boolean {
  if (process.env.CI) return true;
  const onPath = (process.env.PATH ?? '').split(':').some((dir) => existsSync(join(dir, 'mariadb-install-db')));
  return onPath && existsSync(MARIADBD);
}

/**
 * A MariaDB server that belongs to one test: its own data folder and free port, so the test may freeze, kill and
 * restart it without touching the shared server on 3306. Root without a password (grant tables skipped).
 */
export class PrivateMariadb {
  private process?: ChildProcess;

  private constructor(
    private readonly dir: string,
    readonly port: number,
    readonly database: string,
  ) {}

  static async start(database = 'auth'): Promise<PrivateMariadb> {
    const dir = mkdtempSync(join(tmpdir(), 'auth-mariadb-'));
    execFileSync(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${dir}/data`, '--auth-root-authentication-method=normal', '--skip-test-db', `--user=${userName()}`],
      { stdio: 'ignore' },
    );
    const server = new PrivateMariadb(dir, await freePort(), database);
    await server.launch();
    await server.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`, '');
    return server;
  }

  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}/${this.database}`;
  }

  get pid(): number {
    return this.process!.pid!;
  }

  /** The server hangs: connections stay open, nothing answers (SIGSTOP). */
  freeze(): void {
    process.kill(this.pid, 'SIGSTOP');
  }

  thaw(): void {
    process.kill(this.pid, 'SIGCONT');
  }

  /** The server dies at once (SIGKILL): connections are reset, new ones refused. */
  async kill(): Promise<void> {
    const exited = new Promise((resolve) => this.process!.once('exit', resolve));
    process.kill(this.pid, 'SIGKILL');
    await exited;
    this.process = undefined;
  }

  /** Starts the server again on the same data and port, and resolves once it accepts queries. */
  async launch(): Promise<void> {
    this.process = spawn(
      MARIADBD,
      [
        '--no-defaults',
        `--datadir=${this.dir}/data`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${this.dir}/sock`,
        `--pid-file=${this.dir}/pid`,
        `--log-error=${this.dir}/error.log`,
        `--user=${userName()}`,
        '--skip-grant-tables',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=16M',
      ],
      { stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 300; attempt++) {
      try {
        await this.query('SELECT 1', '');
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`the private MariaDB did not start; see ${this.dir}/error.log`);
  }

  /** Runs one statement on a connection of its own (never the app's pool). */
  async query<T = Record<string, unknown>>(sql: string, database = this.database): Promise<T[]> {
    const connection = await createConnection({ host: '127.0.0.1', port: this.port, user: 'root', database, connectTimeout: 2000 });
    try {
      const [rows] = await connection.query(sql);
      return rows as T[];
    } finally {
      await connection.end();
    }
  }

  async stop(): Promise<void> {
    if (this.process) {
      this.thaw();
      await this.kill();
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function userName(): string {
  return process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'root');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
