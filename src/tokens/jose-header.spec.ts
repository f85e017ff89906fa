import { describe, expect, it } from 'vitest';
import { canonicalJson, decodeBase64Url } from './jose-header.js';

const segment = (text: string | Buffer) => Buffer.from(text).toString('base64url');

describe('canonicalJson', () => {
  it('parses what JSON.stringify and base64url produce', () => {
    expect(canonicalJson(segment('{"alg":"HS256","typ":"at+jwt"}'))).toEqual({ alg: 'HS256', typ: 'at+jwt' });
    expect(canonicalJson(segment('{"name":"Zoë"}'))).toEqual({ name: 'Zoë' });
  });

  it('refuses other spellings of the same JSON: whitespace, duplicate keys, escapes', () => {
    expect(canonicalJson(segment('{"a": 1}'))).toBeUndefined();
    expect(canonicalJson(segment('{"a":1,"a":2}'))).toBeUndefined();
    expect(canonicalJson(segment('{"a":"\\u0041"}'))).toBeUndefined();
  });

  it('refuses malformed UTF-8, which decoders disagree about', () => {
    const bytes = Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xf0, 0x90, 0x80]), Buffer.from('"}')]);
    expect(canonicalJson(segment(bytes))).toBeUndefined();
  });

  it('refuses other spellings of the same bytes: padding, spare bits, characters outside the alphabet', () => {
    const text = '{"a":1}'; // 7 bytes: the last character carries 2 spare bits
    const canonical = segment(text);
    expect(canonicalJson(canonical)).toEqual({ a: 1 });
    expect(canonicalJson(`${canonical}=`)).toBeUndefined();
    expect(canonicalJson(`${canonical.slice(0, -1)}${String.fromCharCode(canonical.charCodeAt(canonical.length - 1) + 1)}`)).toBeUndefined();
    expect(canonicalJson(`${canonical.slice(0, 2)}.${canonical.slice(2)}`)).toBeUndefined();
  });
});

describe('decodeBase64Url', () => {
  it('takes exactly the one spelling Buffer#toString("base64url") gives, for every length', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + length) & 0xff));
      const spelled = bytes.toString('base64url');
      expect(decodeBase64Url(spelled)).toEqual(bytes);
      if (spelled.length % 4 !== 0) {
        // Every other last character decodes to the same bytes, leniently: each is refused.
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
        for (const last of alphabet) {
          const other = spelled.slice(0, -1) + last;
          const lenient = Buffer.from(other, 'base64url').equals(bytes);
          if (other !== spelled && lenient) expect(decodeBase64Url(other)).toBeUndefined();
        }
      }
    }
    expect(decodeBase64Url('A')).toBeUndefined();
  });
});
