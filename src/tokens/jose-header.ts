import { isUtf8 } from 'node:buffer';

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
  if (!isCanonicalBase64Url(segment)) return undefined;
  const bytes = Buffer.from(segment, 'base64url');
  // One decoder would replace malformed UTF-8 and another refuse it: only well-formed text is a spelling of ours.
  if (!isUtf8(bytes)) return undefined;
  const text = bytes.toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    return JSON.stringify(value) === text ? value : undefined;
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
  return isCanonicalBase64Url(segment) ? Buffer.from(segment, 'base64url') : undefined;
}

/**
 * Whether `Buffer.from(segment, 'base64url').toString('base64url') === segment`, decided without encoding again:
 * the alphabet only, no padding, a length that whole bytes can have, and zero in the last character's unused bits.
 */
function isCanonicalBase64Url(segment: string): boolean {
  const tail = segment.length % 4; // characters after the last whole group: 2 carry one byte, 3 carry two
  if (tail === 1 || !BASE64URL_ALPHABET.test(segment)) return false;
  if (tail === 0) return true;
  const unusedBits = tail === 2 ? 0b1111 : 0b11;
  return (sextet(segment.charCodeAt(segment.length - 1)) & unusedBits) === 0;
}

/** The value of a base64url character (already known to be in the alphabet). */
function sextet(code: number): number {
  if (code >= 97) return code - 71; // a-z: 26..51
  if (code >= 65) return code === 95 ? 63 : code - 65; // A-Z: 0..25, _: 63
  return code === 45 ? 62 : code + 4; // 0-9: 52..61, -: 62
}
