import { plainToInstance, Transform } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Parses an integer variable. */
export const EnvInt = () =>
  Transform(({ value }: { value: unknown }) =>
    value === undefined ? undefined : Number(value),
  );

/** Parses `true/false/1/0/yes/no/on/off`; anything else stays a string and fails `@IsBoolean`. */
export const EnvBool = () =>
  Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const text = value.toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    return value;
  });

/** Splits a comma-separated list. */
export const EnvList = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
      : value,
  );

export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidConfigError';
  }
}

/**
 * Reads one concern's variables from the environment into a typed object.
 * Property names are the variable names, so every message names the variable to fix.
 */
export function readEnv<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv = process.env,
): T {
  const known = Object.keys(new schema());
  // An empty variable means "not set": it takes the default rather than failing validation.
  const raw = Object.fromEntries(known.map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = plainToInstance(schema, raw, { exposeDefaultValues: true });
  const errors = validateSync(parsed, { forbidUnknownValues: true });
  if (errors.length > 0) throw new InvalidConfigError(errors.flatMap(describe));
  return parsed;
}

function describe(error: ValidationError): string[] {
  return Object.values(error.constraints ?? {}).map(
    (message) => `${error.property}: ${message} (got ${JSON.stringify(error.value)})`,
  );
}

export function isProduction(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NODE_ENV === 'production';
}
