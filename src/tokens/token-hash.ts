import { createHash } from 'node:crypto';

/** What the database keeps of a refresh token: its SHA-256, never the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
