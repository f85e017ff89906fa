import { join } from 'node:path';
import { registerAs } from '@nestjs/config';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { EnvInt, InvalidConfigError, isProduction, readEnv } from './env.js';
import { publicBaseUrl } from './oauth.config.js';

export const EMAIL_VERIFICATION_MODES = ['off', 'optional', 'required'] as const;
export type EmailVerificationMode = (typeof EMAIL_VERIFICATION_MODES)[number];

export class MailEnv {
  /** smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465; unset = the outbox folder. */
  @IsOptional()
  @Matches(/^smtps?:\/\/[^/?#]+/, { message: 'must look like smtp://user:pass@host:587 or smtps://user:pass@host:465' })
  MAIL_URL?: string = undefined;

  /** The From header of every message: an address, optionally with a display name. */
  @IsString() @MinLength(3)
  MAIL_FROM = 'nest-token-auth <no-reply@localhost>';

  /** Delivery attempts of one message before the sender gives up on it (and erases its body). */
  @EnvInt() @IsInt() @Min(1) @Max(100)
  MAIL_MAX_ATTEMPTS = 8;

  /** How often each instance looks for messages due in the outbox. */
  @EnvInt() @IsInt() @Min(1) @Max(3600)
  MAIL_POLL_INTERVAL_SECONDS = 2;

  /** Delay before the first retry; each further retry waits twice as long as the one before (at most an hour). */
  @EnvInt() @IsInt() @Min(1) @Max(3600)
  MAIL_RETRY_BASE_SECONDS = 30;

  @IsIn(EMAIL_VERIFICATION_MODES)
  EMAIL_VERIFICATION: EmailVerificationMode = 'optional';

  @EnvInt() @IsInt() @Min(60) @Max(30 * 24 * 3600)
  EMAIL_VERIFICATION_TTL_SECONDS = 24 * 3600;

  @EnvInt() @IsInt() @Min(60) @Max(24 * 3600)
  PASSWORD_RESET_TTL_SECONDS = 30 * 60;

  @EnvInt() @IsInt() @Min(60) @Max(30 * 24 * 3600)
  EMAIL_CHANGE_TTL_SECONDS = 24 * 3600;

  /** Where links in mails point (token in the fragment); default PUBLIC_BASE_URL + /account, the pages this service serves. */
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  ACCOUNT_LINK_BASE_URL?: string = undefined;

  @IsString()
  DATA_DIR = './data';
}

export type MailTransportConfig = { kind: 'smtp'; url: string } | { kind: 'folder'; directory: string };

export function loadMailConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = readEnv(MailEnv, env);
  // Password reset and the security notices are always on, so production always needs a way to send them.
  if (!parsed.MAIL_URL && isProduction(env)) {
    throw new InvalidConfigError([
      'MAIL_URL: is required in production (verification, password-reset and security mails need an SMTP server)',
    ]);
  }
  const transport: MailTransportConfig = parsed.MAIL_URL
    ? { kind: 'smtp', url: parsed.MAIL_URL }
    : { kind: 'folder', directory: join(parsed.DATA_DIR, 'mail') };
  return {
    transport,
    from: parsed.MAIL_FROM,
    maxAttempts: parsed.MAIL_MAX_ATTEMPTS,
    pollIntervalSeconds: parsed.MAIL_POLL_INTERVAL_SECONDS,
    retryBaseSeconds: parsed.MAIL_RETRY_BASE_SECONDS,
    emailVerification: parsed.EMAIL_VERIFICATION,
    /** Keyed by link purpose (see LinkToken). */
    linkTtlSeconds: {
      verify_email: parsed.EMAIL_VERIFICATION_TTL_SECONDS,
      reset_password: parsed.PASSWORD_RESET_TTL_SECONDS,
      change_email: parsed.EMAIL_CHANGE_TTL_SECONDS,
    },
    accountLinkBaseUrl: (parsed.ACCOUNT_LINK_BASE_URL ?? `${publicBaseUrl(env)}/account`).replace(/\/+$/, ''),
  };
}

export const mailConfig = registerAs('mail', () => loadMailConfig());
export type MailConfig = ReturnType<typeof loadMailConfig>;
