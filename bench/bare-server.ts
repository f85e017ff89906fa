/**
 * The reference the whoami benchmark compares against: bare Fastify (no Nest, no Passport, no logger) with the
 * same two routes, `GET /health` and `GET /auth/whoami`, the latter checking an HS256 access token with node:crypto
 * alone — header, one HMAC in constant time, expiry, issuer, audience. What a framework-free server can do on
 * one core is the ceiling our figures are divided by.
 *
 *   ACCESS_TOKEN_SECRET=… PORT=3997 node --import tsx bench/bare-server.ts
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';

const secret = process.env.ACCESS_TOKEN_SECRET;
if (!secret) throw new Error('ACCESS_TOKEN_SECRET is required');
const key = Buffer.from(secret, 'utf8');
const kid = `at-${createHash('sha256').update(secret).digest('base64url').slice(0, 16)}`;
const issuer = process.env.JWT_ISSUER ?? 'nest-token-auth';
const audience = process.env.JWT_AUDIENCE ?? 'nest-token-auth-api';

function verify(authorization: string | undefined): Record<string, unknown> | undefined {
  if (!authorization?.startsWith('Bearer ')) return undefined;
  const token = authorization.slice(7);
  const [headerSegment, payloadSegment, signatureSegment, extra] = token.split('.');
  if (extra !== undefined || !signatureSegment) return undefined;
  const header = JSON.parse(Buffer.from(headerSegment, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (header.alg !== 'HS256' || header.typ !== 'at+jwt' || header.kid !== kid) return undefined;
  const mac = createHmac('sha256', key).update(`${headerSegment}.${payloadSegment}`).digest();
  const signature = Buffer.from(signatureSegment, 'base64url');
  if (signature.length !== mac.length || !timingSafeEqual(mac, signature)) return undefined;
  const payload = JSON.parse(Buffer.from(payloadSegment, 'base64url').toString('utf8')) as Record<string, unknown>;
  if (typeof payload.exp !== 'number' || payload.exp <= Date.now() / 1000) return undefined;
  return payload.iss === issuer && payload.aud === audience ? payload : undefined;
}

const app = Fastify({ logger: false });
app.get('/health', () => ({ status: 'ok' }));
app.get('/auth/whoami', async (request, reply) => {
  try {
    const claims = verify(request.headers.authorization);
    if (claims) return claims;
  } catch {
    // malformed: refused below
  }
  return reply.code(401).send({ statusCode: 401, code: 'invalid_token' });
});
await app.listen({ port: Number(process.env.PORT ?? 3997), host: '127.0.0.1' });
