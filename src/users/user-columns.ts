import { dateOf, type RawRow } from '../database/raw-reads.js';

/**
 * The user columns that hot-path raw reads join in (a reissue mints an access token from them): one line per
 * column, naming the SQL column and how its raw value becomes the property. Adding a claim's column is one line here.
 */
const TOKEN_USER_COLUMNS = {
  id: { column: 'id', read: (value: unknown) => value as string },
  username: { column: 'username', read: (value: unknown) => value as string },
  name: { column: 'name', read: (value: unknown) => value as string },
  email: { column: 'email', read: (value: unknown) => value as string },
  // simple-json: the entity stores the array as JSON text.
  roles: { column: 'roles', read: (value: unknown) => JSON.parse(value as string) as string[] },
  // SQLite and MySQL both store a boolean as 0/1.
  disabled: { column: 'disabled', read: (value: unknown) => Number(value) === 1 || value === true },
  emailVerifiedAt: { column: 'email_verified_at', read: dateOf },
} as const;

type Columns = typeof TOKEN_USER_COLUMNS;

/** A user as a token is minted from it, read without hydrating the entity. */
export type TokenUser = { [K in keyof Columns]: ReturnType<Columns[K]['read']> };

const NAMES = Object.keys(TOKEN_USER_COLUMNS) as Array<keyof Columns>;

/** `alias.column AS prefixproperty, …` for a SELECT that joins `users` as `alias`. */
export function tokenUserSelect(alias: string, prefix: string): string {
  return NAMES.map((name) => `${alias}.${TOKEN_USER_COLUMNS[name].column} AS ${prefix}${name}`).join(', ');
}

/** The user in a row selected with tokenUserSelect, or null when the join found none. */
export function tokenUserOf(row: RawRow, prefix: string): TokenUser | null {
  if (row[`${prefix}id`] === null || row[`${prefix}id`] === undefined) return null;
  const user: Record<string, unknown> = {};
  for (const name of NAMES) user[name] = TOKEN_USER_COLUMNS[name].read(row[`${prefix}${name}`]);
  return user as TokenUser;
}
