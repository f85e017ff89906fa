export { createAuthClient, type AuthClient, type AuthClientOptions, type ReissueEvent } from './client.js';
export { AuthApiError, AuthUnavailableError } from './errors.js';
export { memoryStorage, type TokenStorage } from './storage.js';
export type { RetryOptions } from './backoff.js';
export type * from './types.js';
export type { components, operations, paths } from './openapi.js';
