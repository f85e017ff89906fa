/**
 * What makes two spellings the same account. Emails and usernames are compared in these forms everywhere
 * (lookups, unique keys, failed-login counters, the password policy): NFKC, then lower case; emails trimmed.
 */
export function emailKey(email: string): string {
  return email.normalize('NFKC').trim().toLowerCase();
}

export function usernameKey(username: string): string {
  return username.normalize('NFKC').toLowerCase();
}

/** A login names an account by email when it contains `@` (usernames cannot), otherwise by username. */
export type LoginKey = { by: 'email'; key: string } | { by: 'username'; key: string };

export function loginKey(login: string): LoginKey {
  return login.includes('@') ? { by: 'email', key: emailKey(login) } : { by: 'username', key: usernameKey(login) };
}
