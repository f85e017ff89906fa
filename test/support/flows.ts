import { expect } from 'vitest';
import type { TestApp } from './test-app.js';
import { newUser } from './test-app.js';

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

/** Signs a new user up and logs in; returns the signup body, the user id and the first token pair. */
export async function signupAndLogin(t: TestApp, overrides: Parameters<typeof newUser>[0] = {}) {
  const body = newUser(overrides);
  const signup = await t.http().post('/auth/signup').send(body);
  expect(signup.status).toBe(201);
  const login = await t.http().post('/auth/login').send({ login: body.username, password: body.password });
  expect(login.status).toBe(200);
  return { body, userId: signup.body.id as string, pair: login.body as TokenPair, cookies: setCookies(login.headers) };
}

export function refreshWithBody(t: TestApp, refreshToken: string) {
  return t.http().post('/auth/refresh').send({ refreshToken });
}

export function setCookies(headers: Record<string, unknown>): string[] {
  const raw = headers['set-cookie'];
  return Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
}

export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

export function headerOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8'));
}
