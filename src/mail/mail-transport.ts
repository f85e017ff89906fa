import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { MailConfig } from '../config/mail.config.js';

export interface OutgoingMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

/** Where MailSender hands a message; `send` resolves once the message is accepted, and throws otherwise. */
export abstract class MailTransport {
  abstract send(mail: OutgoingMail): Promise<void>;
  close(): void {}
}

/**
 * Bounded SMTP waits: a hung server costs the sender at most these, never a request (requests never wait on SMTP),
 * and together they stay well inside the sender's lease.
 */
const SMTP_TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export class SmtpMailTransport extends MailTransport {
  private readonly transporter: Transporter;

  /** `smtp://` upgrades with STARTTLS when offered, `smtps://` is TLS from the start; nodemailer reads the URL. */
  constructor(url: string) {
    super();
    this.transporter = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS_MS });
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail(message(mail));
  }

  override close(): void {
    this.transporter.close();
  }
}

/**
 * Outside production without MAIL_URL: each message becomes one .eml file in DATA_DIR/mail/ (mode 0600: it may hold a
 * link with a token), and one log line names the file — never the link, so logs stay free of tokens.
 */
export class FolderMailTransport extends MailTransport {
  private readonly logger = new Logger('MailOutboxFolder');
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly directory: string) {
    super();
  }

  async send(mail: OutgoingMail): Promise<void> {
    const info = await this.composer.sendMail(message(mail));
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    const file = resolve(join(this.directory, `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.id}.eml`));
    writeFileSync(file, info.message as Buffer, { mode: 0o600 });
    chmodSync(file, 0o600);
    this.logger.log({ file }, 'mail written to the outbox folder');
  }
}

export function createMailTransport(config: MailConfig): MailTransport {
  return config.transport.kind === 'smtp' ? new SmtpMailTransport(config.transport.url) : new FolderMailTransport(config.transport.directory);
}

function message(mail: OutgoingMail) {
  return {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    ...(mail.html === null ? {} : { html: mail.html }),
    // One Message-ID per outbox row: a message sent twice (a lease lost mid-send) is recognisably the same one.
    messageId: `<${mail.id}@${domainOf(mail.from)}>`,
  };
}

function domainOf(from: string): string {
  return /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
}
