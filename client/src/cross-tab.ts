/** What one tab tells the others of the same origin about the one session they share (cookie mode). */
export type TabMessage =
  | { type: 'token'; accessToken: string; expiresAt: number; lifetimeMs: number }
  | { type: 'refreshing' }
  | { type: 'refresh-failed' }
  | { type: 'session-end'; reason: string }
  | { type: 'hello' };

export interface TabCoordinator {
  /** Runs `task` while no other tab runs one under the same name (Web Locks): one reissue at a time per origin. */
  exclusive<T>(task: () => Promise<T>): Promise<T>;
  post(message: TabMessage): void;
  onMessage(listener: (message: TabMessage) => void): void;
  close(): void;
}

interface LockManagerLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

/**
 * Web Locks + BroadcastChannel, or undefined where either is missing (Node, old browsers): the client then
 * coordinates the calls of its own process only.
 */
export function browserTabCoordinator(name: string): TabCoordinator | undefined {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (!locks || typeof BroadcastChannel !== 'function') return undefined;
  const channel = new BroadcastChannel(name);
  return {
    exclusive: (task) => locks.request(name, task),
    post: (message) => channel.postMessage(message),
    onMessage: (listener) => {
      channel.onmessage = (event: MessageEvent<TabMessage>) => listener(event.data);
    },
    close: () => channel.close(),
  };
}
