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
