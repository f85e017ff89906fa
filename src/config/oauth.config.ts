import { registerAs } from '@nestjs/config';
import { IsArray, IsOptional, IsString, IsUrl } from 'class-validator';
import { AppEnv } from './app.config.js';
import { EnvList, InvalidConfigError, readEnv } from './env.js';

export class OAuthEnv {
  /**
   * Resource servers allowed to call /oauth/introspect with HTTP Basic, as comma-separated `id:secret` pairs.
   * None by default: introspection then refuses every caller.
   */
  @EnvList() @IsArray() @IsString({ each: true })
  OAUTH_INTROSPECTION_CLIENTS: string[] = [];

  /** The URL clients reach this service at; the endpoints in the RFC 8414 metadata are built from it. */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  PUBLIC_BASE_URL?: string = undefined;
}

export interface IntrospectionClient {
  id: string;
  secret: string;
}

/** Short shared secrets could be guessed online; 32 characters is what `openssl rand -base64 24` prints. */
const MIN_CLIENT_SECRET_LENGTH = 32;

export const oauthConfig = registerAs('oauth', () => {
  const env = readEnv(OAuthEnv);
  return {
    introspectionClients: parseClients(env.OAUTH_INTROSPECTION_CLIENTS),
    publicBaseUrl: publicBaseUrl(),
  };
});
export type OAuthConfig = ReturnType<typeof oauthConfig>;

/** PUBLIC_BASE_URL without a trailing slash, or this instance's own address when unset. */
export function publicBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (readEnv(OAuthEnv, env).PUBLIC_BASE_URL ?? `http://127.0.0.1:${readEnv(AppEnv, env).PORT}`).replace(/\/+$/, '');
}

function parseClients(entries: string[]): IntrospectionClient[] {
  const problems: string[] = [];
  const clients = entries.map((entry) => {
    const colon = entry.indexOf(':');
    const client = { id: entry.slice(0, colon), secret: entry.slice(colon + 1) };
    if (colon <= 0) problems.push('OAUTH_INTROSPECTION_CLIENTS: every entry must be `id:secret`');
    else if (client.secret.length < MIN_CLIENT_SECRET_LENGTH) {
      problems.push(`OAUTH_INTROSPECTION_CLIENTS: the secret of "${client.id}" must be at least ${MIN_CLIENT_SECRET_LENGTH} characters`);
    }
    return client;
  });
  const ids = clients.map((client) => client.id);
  if (new Set(ids).size !== ids.length) problems.push('OAUTH_INTROSPECTION_CLIENTS: client ids must be unique');
  if (problems.length > 0) throw new InvalidConfigError(problems);
  return clients;
}
