import { randomBytes } from 'node:crypto';

let lastMs = -1;
let sequence = 0;

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made one after another sort one
 * after another, so a B-tree keyed by them (InnoDB's clustered primary key, SQLite's indexes) takes each new row at
 * its end, in pages already cached, instead of at a random place among millions. Within one millisecond the 12 bits
 * after the version are a counter (RFC 9562 6.2, method 1), so ids made later in this process sort later: the
 * security events of one instant keep the order they happened in.
 */
export function uuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  if (now === lastMs && sequence < 0xfff) sequence++;
  else sequence = bytes.readUInt16BE(6) & 0x7ff; // a random start in the lower half leaves room to count up
  lastMs = now;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8); // version 7
  bytes[7] = sequence & 0xff;
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
