// The demo's static server: another origin (port) than the service, as a real browser app would be.
//   npm run build --prefix client && node examples/web/serve.mjs [--port 8080] [--api http://127.0.0.1:3000]
// The service must list this origin in CORS_ORIGINS (e.g. CORS_ORIGINS=http://127.0.0.1:8080).
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const ROOTS = { '/client/': resolve(here, '../../client/dist'), '/': resolve(here, 'public') };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json' };

/** Starts the demo server; `apiUrl` may change later (the tests learn the service's port after the demo's). */
export async function startDemoServer({ port = 0, host = '127.0.0.1', apiUrl = 'http://127.0.0.1:3000' } = {}) {
  let api = apiUrl;
  const server = createServer((request, response) => {
    void serve(request.url ?? '/', api).then(
      ({ status, type, body }) => {
        response.writeHead(status, {
          'content-type': type,
          'cache-control': 'no-store',
          // The demo holds itself to the rules it shows: no inline script, and it talks to the service only.
          'content-security-policy': `default-src 'self'; connect-src 'self' ${api}; style-src 'self'; base-uri 'none'; form-action 'none'`,
        });
        response.end(body);
      },
      () => {
        response.writeHead(500).end();
      },
    );
  });
  await new Promise((done) => server.listen(port, host, done));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    setApiUrl: (next) => {
      api = next;
    },
    close: () => new Promise((done) => server.close(done)),
  };
}

async function serve(rawUrl, api) {
  const path = decodeURIComponent(new URL(rawUrl, 'http://demo').pathname);
  if (path === '/config.js') return { status: 200, type: TYPES['.js'], body: `export const apiUrl = ${JSON.stringify(api)};\n` };
  const [prefix, root] = Object.entries(ROOTS).find(([p]) => path.startsWith(p));
  const file = normalize(join(root, path.slice(prefix.length) || 'index.html'));
  if (!file.startsWith(root)) return { status: 404, type: 'text/plain', body: 'not found' };
  try {
    return { status: 200, type: TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) };
  } catch {
    return { status: 404, type: 'text/plain', body: 'not found' };
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const option = (name, fallback) => {
    const index = process.argv.indexOf(`--${name}`);
    return index > 0 ? process.argv[index + 1] : fallback;
  };
  const demo = await startDemoServer({ port: Number(option('port', '8080')), apiUrl: option('api', 'http://127.0.0.1:3000') });
  process.stdout.write(`demo on ${demo.url} (service: ${option('api', 'http://127.0.0.1:3000')})\n`);
}
