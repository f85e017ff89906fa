export interface JoseHeader {
  alg?: unknown;
  typ?: unknown;
  kid?: unknown;
}

const MAX_HEADER_LENGTH = 1024;

/** The decoded (unverified) header of a compact JWT, or undefined when it is not one. */
export function decodeHeader(rawToken: string): JoseHeader | undefined {
  const end = rawToken.indexOf('.');
  if (end <= 0 || end > MAX_HEADER_LENGTH) return undefined;
  try {
    const header: unknown = JSON.parse(Buffer.from(rawToken.slice(0, end), 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && !Array.isArray(header) ? (header) : undefined;
  } catch {
    return undefined;
  }
}
