import type { FastifyRequest } from 'fastify';

/** Where a request came from, as recorded with sessions and security events. */
export interface ClientContext {
  userAgent?: string;
  /** The IP Fastify resolved (honouring TRUST_PROXY). */
  ip?: string;
}

export function clientOf(request: FastifyRequest): ClientContext {
  const userAgent = request.headers['user-agent'];
  return { userAgent: typeof userAgent === 'string' ? userAgent : undefined, ip: request.ip };
}

/** The client's IP for counters keyed by it; Fastify always resolves one, the fallback is for callers without a request. */
export function ipOf(client: ClientContext): string {
  return client.ip ?? 'unknown';
}
