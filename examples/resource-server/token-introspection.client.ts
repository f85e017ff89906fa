import { AuthServerUnavailableError } from './bearer-refusal.js';
import type { IntrospectionConfig } from './resource-server.config.js';

/**
 * Asks the authorization server whether a token is still active (RFC 7662), authenticated as this service
 * with HTTP Basic. Every answer other than a well-formed one is AuthServerUnavailableError: never "active".
 */
export class TokenIntrospectionClient {
  private readonly authorization: string;

  constructor(
    private readonly config: IntrospectionConfig,
    private readonly timeoutMs: number,
  ) {
    // RFC 6749 §2.3.1: the client id and secret are form-encoded before they are joined and base64-encoded.
    const credentials = `${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`;
    this.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  }

  async isActive(token: string): Promise<boolean> {
    let body: unknown;
    try {
      const response = await fetch(this.config.url, {
        method: 'POST',
        headers: { authorization: this.authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        redirect: 'error',
        // Covers reading the body too, not only the connection.
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      // A 401 here means this service's own client credentials are wrong: an outage of ours, not the caller's fault.
      if (!response.ok) throw new AuthServerUnavailableError(`introspection answered ${response.status}`);
      body = await response.json();
    } catch (error) {
      if (error instanceof AuthServerUnavailableError) throw error;
      throw new AuthServerUnavailableError('introspection failed', { cause: error });
    }
    const active = typeof body === 'object' && body !== null ? (body as { active?: unknown }).active : undefined;
    if (typeof active !== 'boolean') throw new AuthServerUnavailableError('introspection answered without a boolean "active"');
    return active;
  }
}
