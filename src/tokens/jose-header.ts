export interface JoseHeader {
  alg?: unknown;
  crit?: unknown;
  typ?: unknown;
  kid?: unknown;
}

const MAX_HEADER_LENGTH = 1024;
const BASE64URL_ALPHABET = /^[A-Za-z0-9_-]*$/;

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

/**
 * Whether a token segment is exactly what we would have produced: base64url of `JSON.stringify` output.
 * Every token we issue passes; duplicate keys, whitespace, reordered escapes or loose base64 do not —
 * so no two JSON parsers can ever disagree about what one of our tokens says.
 */
export function isCanonicalSegment(segment: string): boolean {
  return canonicalJson(segment) !== undefined;
}

/** The JSON value of a canonical segment (see isCanonicalSegment), parsed once; undefined when it is not one. */
export function canonicalJson(segment: string): unknown {
  try {
    const text = Buffer.from(segment, 'base64url').toString('utf8');
    const value: unknown = JSON.parse(text);
    return JSON.stringify(value) === text && Buffer.from(text, 'utf8').toString('base64url') === segment ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The bytes of an unpadded base64url string, or undefined unless it is the one canonical encoding of them.
 * `Buffer.from(x, 'base64url')` alone is lenient: it skips characters outside the alphabet, accepts
 * padding and ignores the unused low bits of the last character, so many strings decode to one signature.
 */
export function decodeBase64Url(segment: string): Buffer | undefined {
  if (!BASE64URL_ALPHABET.test(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  return bytes.toString('base64url') === segment ? bytes : undefined;
}
