import { createSecretKey, randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { compactJws, signHs256 } from './compact-jws.js';

const NOW = Math.floor(Date.UTC(2026, 11, 7, 12, 0, 0) / 1000);
const HEADER = { typ: 'at+jwt', kid: 'at-kid-1' };
const claims = {
  iss: 'nest-token-auth',
  aud: 'nest-token-auth-api',
  sub: '0193a3b2-0000-7000-8000-000000000001',
  sid: '0193a3b2-0000-7000-8000-000000000002',
  jti: randomBytes(16).toString('base64url'),
  iat: NOW,
  exp: NOW + 900,
  roles: ['user', 'admin'],
  username: 'ada',
  name: 'Ada «Lovelace» 🧮',
  email_verified: true,
};

describe('signHs256', () => {
  const secret = createSecretKey(randomBytes(48));

  it('writes the very bytes jsonwebtoken writes for the same header, claims and key', () => {
    const expected = jwt.sign(claims, secret, { algorithm: 'HS256', header: { alg: 'HS256', ...HEADER } });
    expect(signHs256(claims, HEADER, secret)).toBe(expected);
  });

  it('makes a token jsonwebtoken verifies, with the header members in order', () => {
    const token = signHs256(claims, HEADER, secret);
    const verified = jwt.verify(token, secret, { algorithms: ['HS256'], complete: true, clockTimestamp: NOW });
    expect(verified.header).toEqual({ alg: 'HS256', ...HEADER });
    expect(Object.keys(verified.header)).toEqual(['alg', 'typ', 'kid']);
    expect(verified.payload).toEqual(claims);
  });

  it('signs with the key it is given: another key refuses the token', () => {
    const token = signHs256(claims, HEADER, secret);
    expect(() => jwt.verify(token, createSecretKey(randomBytes(48)), { algorithms: ['HS256'], clockTimestamp: NOW })).toThrow('invalid signature');
  });
});

describe('compactJws', () => {
  it('refuses a payload that is not a JSON object', () => {
    for (const payload of [null, [1, 2], 'text'] as unknown as object[]) {
      expect(() => compactJws('EdDSA', HEADER, payload, () => Buffer.alloc(64))).toThrow(TypeError);
    }
  });

  it('signs the ASCII signing input, header then payload', () => {
    let signed = '';
    const token = compactJws('HS256', HEADER, { a: 1 }, (input) => {
      signed = input.toString('ascii');
      return Buffer.from([1, 2, 3]);
    });
    const [header, payload, signature] = token.split('.');
    expect(signed).toBe(`${header}.${payload}`);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', ...HEADER });
    expect(signature).toBe(Buffer.from([1, 2, 3]).toString('base64url'));
  });
});
