import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { InspectedToken, verifyInspectedHs256 } from './inspected-token.js';
import { canonicalJson, decodeBase64Url } from './jose-header.js';
import { tokenKey } from './keys/token-key.js';

const key = tokenKey('access', { algorithm: 'HS256', secret: 'a-secret-of-at-least-thirty-two-characters!' });
const OPTIONS = { algorithms: ['HS256'], issuer: 'iss', audience: 'aud' };
const now = () => Math.floor(Date.now() / 1000);

/** A token as KeyRing.inspect would hand it over (segments split, header and payload parsed once). */
function inspected(payload: unknown, sign: (input: string) => string = (input) => createHmac('sha256', key.verifyKey).update(input).digest('base64url')) {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt', kid: key.kid })).toString('base64url');
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const input = `${header}.${body}`;
  const raw = `${input}.${sign(input)}`;
  return new InspectedToken(raw, key, key.kid, canonicalJson(body), input.length, decodeBase64Url(raw.slice(input.length + 1))!);
}

const claims = () => ({ iss: 'iss', aud: 'aud', sub: 's', exp: now() + 60, iat: now() });

function refusal(token: InspectedToken, options: Parameters<typeof verifyInspectedHs256>[1] = OPTIONS): Error {
  try {
    verifyInspectedHs256(token, options);
  } catch (error) {
    return error as Error;
  }
  throw new Error('the token was accepted');
}

describe('verifyInspectedHs256', () => {
  it('returns the payload of a token whose one HMAC matches, and agrees with jsonwebtoken', () => {
    const token = inspected(claims());
    expect(verifyInspectedHs256(token, OPTIONS)).toEqual(jwt.verify(token.raw, key.verifyKey, { ...OPTIONS, algorithms: ['HS256'] }));
  });

  it('refuses a wrong signature, a missing one, and another key', () => {
    expect(refusal(inspected(claims(), (input) => createHmac('sha256', 'other').update(input).digest('base64url'))).message).toBe('invalid signature');
    expect(refusal(inspected(claims(), () => '')).message).toBe('jwt signature is required');
    expect(refusal(inspected(claims(), () => 'AAAA')).message).toBe('invalid signature');
  });

  it('refuses when HS256 is not among the allowed algorithms', () => {
    expect(refusal(inspected(claims()), { ...OPTIONS, algorithms: ['RS256'] }).message).toBe('invalid algorithm');
  });

  it('checks the registered claims with jsonwebtoken’s error classes', () => {
    expect(refusal(inspected({ ...claims(), exp: now() - 1 }))).toBeInstanceOf(jwt.TokenExpiredError);
    expect(refusal(inspected({ ...claims(), nbf: now() + 60 }))).toBeInstanceOf(jwt.NotBeforeError);
    expect(refusal(inspected({ ...claims(), iss: 'someone-else' })).message).toMatch(/jwt issuer invalid/);
    expect(refusal(inspected({ ...claims(), aud: 'another-api' })).message).toMatch(/jwt audience invalid/);
    expect(refusal(inspected({ ...claims(), exp: 'tomorrow' })).message).toBe('invalid exp value');
  });

  it('refuses a signed payload that is not a JSON object', () => {
    expect(refusal(inspected([1, 2, 3])).message).toBe('invalid token');
    expect(refusal(inspected('claims')).message).toBe('invalid token');
  });
});
