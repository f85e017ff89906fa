import type { ErrorBody, ErrorCode } from './types.js';

/** The service answered with an error: `code` is the stable string to switch on. */
export class AuthApiError extends Error {
  override readonly name = 'AuthApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'unknown_error',
    readonly body: ErrorBody | undefined,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }
}

/** The service could not be reached (or kept answering 429/5xx) while reissuing; the session is kept. */
export class AuthUnavailableError extends Error {
  override readonly name = 'AuthUnavailableError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}

/** Reads the service's error shape from a response, without consuming the caller's copy. */
export async function errorBodyOf(response: Response): Promise<ErrorBody | undefined> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return undefined;
  try {
    const body = (await response.clone().json()) as Partial<ErrorBody> | null;
    return body && typeof body.code === 'string' ? (body as ErrorBody) : undefined;
  } catch {
    return undefined;
  }
}

export async function apiError(response: Response): Promise<AuthApiError> {
  const body = await errorBodyOf(response);
  return new AuthApiError(response.status, body?.code ?? 'unknown_error', body);
}
