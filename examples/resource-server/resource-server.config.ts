/**
 * Everything this service needs to trust the authorization server's access tokens: where its public keys are and
 * which `iss` / `aud` to require. No signing secret: it verifies with public keys only. The introspection client
 * credential is its own (issued to it by the authorization server), not one the authorization server signs with.
 */
export interface ResourceServerConfig {
  host: string;
  port: number;
  issuer: string;
  audience: string;
  jwksUrl: string;
  /** Applies to every call to the authorization server: the JWKS fetch and introspection. */
  authServerTimeoutMs: number;
  introspection: IntrospectionConfig | null;
}

export interface IntrospectionConfig {
  url: string;
  clientId: string;
  clientSecret: string;
}

export const RESOURCE_SERVER_CONFIG = Symbol('RESOURCE_SERVER_CONFIG');

export class InvalidResourceServerConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidResourceServerConfigError';
  }
}

const INTROSPECTION_VARIABLES = ['AUTH_INTROSPECTION_URL', 'AUTH_INTROSPECTION_CLIENT_ID', 'AUTH_INTROSPECTION_CLIENT_SECRET'] as const;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Reads and validates the variables of `env` (only those: nothing else of the environment is looked at).
 * Throws once with every problem, each naming its variable.
 */
export function loadResourceServerConfig(env: Record<string, string | undefined>): ResourceServerConfig {
  const problems: string[] = [];
  // An empty variable means "not set", as in the authorization server.
  const read = (name: string) => (env[name] === '' ? undefined : env[name]);
  const required = (name: string) => {
    const value = read(name);
    if (value === undefined) problems.push(`${name}: is required`);
    return value ?? '';
  };
  const url = (name: string, value: string) => {
    if (value !== '') problems.push(...urlProblems(name, value));
    return value;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const value = read(name);
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) problems.push(`${name}: must be an integer from ${min} to ${max} (got "${value}")`);
    return number;
  };

  const config: ResourceServerConfig = {
    host: read('HOST') ?? '127.0.0.1',
    port: integer('PORT', 3100, 0, 65535),
    issuer: required('AUTH_ISSUER'),
    audience: required('AUTH_AUDIENCE'),
    jwksUrl: url('AUTH_JWKS_URL', required('AUTH_JWKS_URL')),
    authServerTimeoutMs: integer('AUTH_SERVER_TIMEOUT_MS', 2000, 100, 30_000),
    introspection: null,
  };

  const introspection = INTROSPECTION_VARIABLES.map((name) => read(name));
  const given = introspection.filter((value) => value !== undefined).length;
  if (given === INTROSPECTION_VARIABLES.length) {
    const [introspectionUrl, clientId, clientSecret] = introspection as string[];
    config.introspection = { url: url('AUTH_INTROSPECTION_URL', introspectionUrl), clientId, clientSecret };
  } else if (given > 0) {
    const missing = INTROSPECTION_VARIABLES.filter((_name, index) => introspection[index] === undefined);
    problems.push(`${missing.join(', ')}: required with the other AUTH_INTROSPECTION_* variables (set all three or none)`);
  }

  if (problems.length > 0) throw new InvalidResourceServerConfigError(problems);
  return config;
}

/**
 * Plain http only to this machine: whoever can alter the key set in transit can mint tokens this service
 * accepts, and the introspection call carries this service's client secret.
 */
function urlProblems(name: string, value: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return [`${name}: must be an absolute URL (got "${value}")`];
  }
  if (parsed.protocol === 'https:') return [];
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return [];
  return [`${name}: must be an https URL (plain http only to localhost) (got "${value}")`];
}
