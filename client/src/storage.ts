/**
 * Where token mode keeps the refresh token (cookie mode never sees it: it stays in the HttpOnly cookie).
 * Methods may be synchronous or return promises, so a keychain, a file or a secure store fits.
 */
export interface TokenStorage {
  get(): string | null | undefined | Promise<string | null | undefined>;
  set(refreshToken: string): void | Promise<void>;
  clear(): void | Promise<void>;
}

/** The default: the refresh token lives as long as the process (or the page) does. */
export function memoryStorage(initial?: string): TokenStorage {
  let token: string | null = initial ?? null;
  return {
    get: () => token,
    set: (value) => {
      token = value;
    },
    clear: () => {
      token = null;
    },
  };
}
