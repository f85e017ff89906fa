import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Measured } from './load.js';
import { cpuSeconds } from './proc.js';

const run = promisify(execFile);

/**
 * wrk (Debian's package) as the load generator where the server is fast enough that autocannon, a Node.js program on
 * one core, would be the ceiling: against bench/bare-server.ts autocannon tops out near 40k req/s on this machine,
 * wrk near 47k, and with a new header on every request autocannon rebuilds each request in JavaScript.
 */
export function requireWrk(): void {
  // `wrk -v` prints its version and exits 1, so only "not found" counts.
  const probe = spawnSync('wrk', ['-v']);
  if (probe.error && 'code' in probe.error && probe.error.code === 'ENOENT') throw new Error('wrk is not installed: apt-get install -y wrk');
}

export interface WrkMeasured extends Measured {
  /** CPU microseconds (user + system) the server spent per answered request, from /proc. */
  cpuMicros: number;
}

/** The Lua of one run: bearer tokens from a file, one per request in turn, and a JSON summary on stdout at the end. */
function script(tokensFile?: string): string {
  const pick = tokensFile
    ? `local tokens, n, i = {}, 0, 0
for line in io.lines(${JSON.stringify(tokensFile)}) do n = n + 1; tokens[n] = "Bearer " .. line end
request = function()
  i = i % n + 1
  return wrk.format(nil, nil, { Authorization = tokens[i] })
end`
    : '';
  return `${pick}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write("WRK-JSON ", string.format('{"requests":%d,"micros":%d,"non2xx":%d,"errors":%d,"p99":%.3f}',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout, latency:percentile(99) / 1000), "\\n")
end
`;
}

const folder = mkdtempSync(join(tmpdir(), 'bench-wrk-'));
let scripts = 0;

/** Writes the tokens one per line for `measureWrk` (the Lua reads them at start, so the load spends no HMAC). */
export function tokensFile(tokens: string[]): string {
  const file = join(folder, `tokens-${scripts++}.txt`);
  writeFileSync(file, tokens.join('\n') + '\n');
  return file;
}

/**
 * One wrk run of `seconds` against `url` with `connections` on one thread (this process is pinned to the load core),
 * and the CPU the server `pid` used meanwhile.
 */
export async function measureWrk(
  name: string,
  url: string,
  options: { seconds: number; connections: number; pid: number; tokensFile?: string },
): Promise<WrkMeasured> {
  const file = join(folder, `script-${scripts++}.lua`);
  writeFileSync(file, script(options.tokensFile));
  const cpuBefore = cpuSeconds(options.pid);
  const { stdout } = await run('wrk', ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '-s', file, url], { maxBuffer: 1 << 20 });
  const cpu = cpuSeconds(options.pid) - cpuBefore;
  const line = stdout.split('\n').find((text) => text.startsWith('WRK-JSON '));
  if (!line) throw new Error(`${name}: wrk printed no summary:\n${stdout}`);
  const summary = JSON.parse(line.slice('WRK-JSON '.length)) as { requests: number; micros: number; non2xx: number; errors: number; p99: number };
  return {
    name,
    rps: summary.requests / (summary.micros / 1e6),
    p99: summary.p99,
    non2xx: summary.non2xx + summary.errors,
    cpuMicros: summary.requests > 0 ? (cpu * 1e6) / summary.requests : NaN,
  };
}
