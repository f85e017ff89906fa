import { backoffDelay, DEFAULT_RETRY, type RetryOptions, sleep } from './backoff.js';
import { browserTabCoordinator, type TabCoordinator, type TabMessage } from './cross-tab.js';
import { apiError, AuthApiError, AuthUnavailableError, errorBodyOf } from './errors.js';
import { memoryStorage, type TokenStorage } from './storage.js';
import type { AccessTokenClaims, LoginInput, LogoutAllScope, Session, SignupInput, TokenPair, User } from './types.js';

export interface AuthClientOptions {
  /** Where the service answers, e.g. `https://auth.example.com` (a path prefix is kept). */
  baseUrl: string;
  /**
   * `cookie` (browsers): the refresh token stays in the service's HttpOnly cookie, the access token in memory.
   * `token` (Node, mobile, CLI): the refresh token goes to `storage`.
   */
  mode: 'cookie' | 'token';
  /** Token mode only: where the refresh token is kept. Default: memory. */
  storage?: TokenStorage;
  /**
   * Reissue this long before the access token expires (at most a quarter of its lifetime), counted from when it
   * arrived plus `expiresIn`, so a skewed local clock does not matter. 0 turns proactive reissue off: then only a
   * `401 token_expired` triggers one. Default 30.
   */
  refreshAheadSeconds?: number;
  /** Retries of a reissue that met a network error, 429 or 5xx. Never ends the session. */
  retry?: RetryOptions;
  /** Cookie mode in browsers: one reissue for all tabs of the origin (Web Locks + BroadcastChannel). Default true. */
  crossTab?: boolean;
  /** Default: the global fetch. */
  fetch?: typeof globalThis.fetch;
}

export interface ReissueEvent {
  /** `server`: this client called /auth/refresh; `peer`: another tab did and shared the new access token. */
  source: 'server' | 'peer';
}

export interface AuthClient {
  signup(input: SignupInput): Promise<User>;
  login(input: LoginInput): Promise<void>;
  /** Ends this session on the server and forgets the tokens here (also when the session had already ended). */
  logout(): Promise<void>;
  /** Ends all the user's sessions, or all but this one (`others`). */
  logoutAll(scope?: LogoutAllScope): Promise<void>;
  sessions(): Promise<Session[]>;
  endSession(id: string): Promise<void>;
  me(): Promise<User>;
  whoami(): Promise<AccessTokenClaims>;
  /** `fetch` with `Authorization: Bearer` added, reissuing on `401 token_expired` (once) and retrying (once). */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Cookie mode: picks up the session of another tab or of the cookie after a reload. True when there is one. */
  restore(): Promise<boolean>;
  /** The server ended the session; `reason` is its code (`refresh_token_reused`, `token_revoked`, …). */
  onSessionEnd(listener: (reason: string) => void): () => void;
  onReissue(listener: (event: ReissueEvent) => void): () => void;
  readonly authenticated: boolean;
  /** Stops the proactive timer and leaves the tab channel. */
  close(): void;
}

interface Access {
  token: string;
  /** Local clock: arrival time plus expiresIn. */
  expiresAt: number;
  lifetimeMs: number;
}

/** How long a tab waits for another tab that announced a reissue, and for answers to "who has a token?". */
const PEER_REISSUE_WAIT_MS = 5000;
const PEER_HELLO_WAIT_MS = 150;

export function createAuthClient(options: AuthClientOptions): AuthClient {
  const { mode } = options;
  const root = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`, globalThis.location?.href);
  const storage = options.storage ?? memoryStorage();
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const aheadMs = Math.max(0, options.refreshAheadSeconds ?? 30) * 1000;
  const credentials: RequestCredentials = mode === 'cookie' ? 'include' : 'omit';
  const tabs: TabCoordinator | undefined =
    mode === 'cookie' && options.crossTab !== false ? browserTabCoordinator(`nest-token-auth ${root.href}`) : undefined;

  let access: Access | null = null;
  /** No reissue is tried any more (logout, or the server ended the session) until the next login. */
  let ended = false;
  /** This client held a session: only then does its end reach onSessionEnd (a visitor who never logged in is no news). */
  let active = false;
  let inflight: Promise<Access> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let peerReissuing = false;
  const peerWaiters = new Set<() => void>();
  const endListeners = new Set<(reason: string) => void>();
  const reissueListeners = new Set<(event: ReissueEvent) => void>();

  const url = (path: string) => new URL(path.replace(/^\/+/, ''), root);
  const leadMs = (a: Access) => Math.min(aheadMs, a.lifetimeMs / 4);
  const dueForReissue = (a: Access) => aheadMs > 0 && Date.now() >= a.expiresAt - leadMs(a);

  function adopt(next: Access, source: ReissueEvent['source'] | null): void {
    access = next;
    ended = false;
    active = true;
    schedule();
    if (source) for (const listener of reissueListeners) listener({ source });
  }

  function fromPair(pair: TokenPair): Access {
    return { token: pair.accessToken, expiresAt: Date.now() + pair.expiresIn * 1000, lifetimeMs: pair.expiresIn * 1000 };
  }

  function share(a: Access): void {
    tabs?.post({ type: 'token', accessToken: a.token, expiresAt: a.expiresAt, lifetimeMs: a.lifetimeMs });
  }

  function finish(reason: string, tellOtherTabs: boolean): void {
    const wasActive = active;
    access = null;
    ended = true;
    active = false;
    clearTimeout(timer);
    if (mode === 'token') void storage.clear();
    if (tellOtherTabs) tabs?.post({ type: 'session-end', reason });
    if (wasActive) for (const listener of endListeners) listener(reason);
  }

  function schedule(): void {
    clearTimeout(timer);
    if (!access || aheadMs === 0) return;
    const current = access;
    timer = setTimeout(() => {
      // Only while the app is in use: a hidden tab reissues when it is next shown or called.
      if (globalThis.document?.visibilityState === 'hidden' || access !== current) return;
      reissue(current.token).catch(() => undefined);
    }, Math.max(0, current.expiresAt - leadMs(current) - Date.now()));
    (timer as { unref?: () => void }).unref?.();
  }

  const onVisible = () => {
    if (globalThis.document?.visibilityState === 'visible' && access && dueForReissue(access)) reissue(access.token).catch(() => undefined);
  };
  globalThis.document?.addEventListener?.('visibilitychange', onVisible);

  tabs?.onMessage((message: TabMessage) => {
    switch (message.type) {
      case 'token':
        if (!access || message.expiresAt > access.expiresAt) {
          adopt({ token: message.accessToken, expiresAt: message.expiresAt, lifetimeMs: message.lifetimeMs }, access ? 'peer' : null);
        }
        peerDone();
        break;
      case 'refreshing':
        peerReissuing = true;
        break;
      case 'refresh-failed':
        peerDone();
        break;
      case 'session-end':
        peerDone();
        finish(message.reason, false);
        break;
      case 'hello':
        if (access && Date.now() < access.expiresAt) share(access);
        break;
    }
  });

  function peerDone(): void {
    peerReissuing = false;
    for (const wake of peerWaiters) wake();
    peerWaiters.clear();
  }

  function waitForPeer(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timeout);
        peerWaiters.delete(done);
        resolve();
      };
      const timeout = setTimeout(done, ms);
      peerWaiters.add(done);
    });
  }

  /**
   * Single-flight: every caller holding the same stale token shares one reissue; across tabs the lock makes the
   * others wait, and they find the token the first one shared instead of presenting the spent refresh token again.
   */
  function reissue(stale: string | null): Promise<Access> {
    inflight ??= (async () => {
      try {
        return tabs ? await tabs.exclusive(() => reissueAlone(stale)) : await reissueAlone(stale);
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  }

  const replacedSince = (stale: string | null) => access !== null && access.token !== stale && Date.now() < access.expiresAt;

  async function reissueAlone(stale: string | null): Promise<Access> {
    if (replacedSince(stale)) return access!;
    if (tabs && peerReissuing) await waitForPeer(PEER_REISSUE_WAIT_MS);
    if (tabs && !access && stale === null) {
      tabs.post({ type: 'hello' });
      await waitForPeer(PEER_HELLO_WAIT_MS);
    }
    if (replacedSince(stale)) return access!;
    tabs?.post({ type: 'refreshing' });
    try {
      const next = fromPair(await refreshWithRetry());
      adopt(next, 'server');
      share(next);
      return next;
    } catch (error) {
      if (error instanceof AuthApiError) finish(error.code, true);
      else tabs?.post({ type: 'refresh-failed' });
      throw error;
    }
  }

  async function refreshWithRetry(): Promise<TokenPair> {
    let lastProblem: unknown;
    for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
      let retryAfter: number | undefined;
      try {
        const refreshToken = mode === 'token' ? await storage.get() : undefined;
        if (mode === 'token' && !refreshToken) throw new AuthApiError(401, 'missing_refresh_token', undefined);
        const response = await send(url('/auth/refresh'), {
          method: 'POST',
          credentials,
          ...(mode === 'token' ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) } : {}),
        });
        if (response.ok) {
          const pair = (await response.json()) as TokenPair;
          if (mode === 'token') await storage.set(pair.refreshToken);
          return pair;
        }
        if (response.status !== 429 && response.status < 500) throw await apiError(response);
        lastProblem = await apiError(response);
        const header = response.headers.get('retry-after');
        retryAfter = header === null ? undefined : Number(header);
      } catch (error) {
        if (error instanceof AuthApiError && error.status !== 429 && error.status < 500) throw error;
        lastProblem = error;
      }
      if (attempt < retry.attempts) await sleep(backoffDelay(attempt, retry, retryAfter));
    }
    throw new AuthUnavailableError(`Reissue failed after ${retry.attempts} attempts; the session is kept`, lastProblem);
  }

  /** A usable access token: the current one, or one reissued first when it is about to expire (or none is held). */
  async function currentToken(): Promise<string | null> {
    if (access && !dueForReissue(access)) return access.token;
    if (!access && (ended || (mode === 'token' && !(await storage.get())))) return null;
    try {
      return (await reissue(access?.token ?? null)).token;
    } catch (error) {
      if (error instanceof AuthUnavailableError && access && Date.now() < access.expiresAt) return access.token;
      if (error instanceof AuthApiError) return null;
      throw error;
    }
  }

  function withBearer(request: Request, token: string | null): Request {
    if (!token) return request;
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${token}`);
    return new Request(request, { headers });
  }

  async function authFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const target = typeof input === 'string' && !/^[a-z][a-z\d+.-]*:/i.test(input) ? url(input) : input;
    const request = new Request(target, init);
    const token = await currentToken();
    const first = await send(withBearer(request.clone(), token));
    if (first.status !== 401 || !token) return first;
    const code = (await errorBodyOf(first))?.code ?? 'unauthorized';
    if (code !== 'token_expired') {
      finish(code, true);
      return first;
    }
    let fresh: Access;
    try {
      fresh = await reissue(token);
    } catch (error) {
      if (error instanceof AuthApiError) return first;
      throw error;
    }
    const second = await send(withBearer(request.clone(), fresh.token));
    if (second.status === 401) {
      const again = (await errorBodyOf(second))?.code ?? 'unauthorized';
      if (again !== 'token_expired') finish(again, true);
    }
    return second;
  }

  async function publicJson<T>(path: string, body: unknown): Promise<T> {
    const response = await send(url(path), {
      method: 'POST',
      credentials,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await apiError(response);
    return (await response.json()) as T;
  }

  async function authedJson<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await authFetch(path, { credentials, ...init });
    if (!response.ok) throw await apiError(response);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  return {
    signup: (input) => publicJson<User>('/auth/signup', input),

    async login(input) {
      const pair = await publicJson<TokenPair>('/auth/login', input);
      // Cookie mode drops pair.refreshToken here: the HttpOnly cookie the same answer set is its only copy.
      if (mode === 'token') await storage.set(pair.refreshToken);
      const next = fromPair(pair);
      adopt(next, null);
      share(next);
    },

    async logout() {
      const refreshToken = mode === 'token' ? await storage.get() : undefined;
      try {
        const response = await send(url('/auth/logout'), {
          method: 'POST',
          credentials,
          ...(refreshToken ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) } : {}),
        });
        // 401: the session had already ended, which is what logging out wants.
        if (!response.ok && response.status !== 401) throw await apiError(response);
      } finally {
        access = null;
        ended = true;
        active = false;
        clearTimeout(timer);
        if (mode === 'token') await storage.clear();
      }
    },

    async logoutAll(scope: LogoutAllScope = 'all') {
      await authedJson<void>('/auth/logout-all', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scope }),
      });
      if (scope === 'all') finish('logout_all', true);
    },

    sessions: () => authedJson<Session[]>('/auth/sessions'),
    endSession: (id) => authedJson<void>(`/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    me: () => authedJson<User>('/users/me'),
    whoami: () => authedJson<AccessTokenClaims>('/auth/whoami'),
    fetch: authFetch,

    async restore() {
      return (await currentToken()) !== null;
    },

    onSessionEnd(listener) {
      endListeners.add(listener);
      return () => endListeners.delete(listener);
    },
    onReissue(listener) {
      reissueListeners.add(listener);
      return () => reissueListeners.delete(listener);
    },
    get authenticated() {
      return access !== null;
    },
    close() {
      clearTimeout(timer);
      globalThis.document?.removeEventListener?.('visibilitychange', onVisible);
      tabs?.close();
    },
  };
}
