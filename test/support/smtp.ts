import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO), lower-cased. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string | undefined;
  parsed: ParsedMail;
}

/**
 * A real SMTP server in the test process (no TLS, authentication optional), keeping every message it accepts,
 * parsed. `stop()` and `start()` again on the same port act out an SMTP outage.
 */
export class TestSmtpServer {
  readonly messages: ReceivedMail[] = [];
  private readonly arrivals = new EventEmitter();
  private server?: SMTPServer;
  private port = 0;

  static async start(): Promise<TestSmtpServer> {
    const smtp = new TestSmtpServer();
    await smtp.start();
    return smtp;
  }

  /** The MAIL_URL that reaches this server. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Listens (again, on the same port after a stop); does nothing while listening. */
  async start(): Promise<void> {
    if (this.server) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 100,
      onData: (stream, session, callback) => {
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase());
        simpleParser(stream)
          .then((parsed) => {
            this.receive(to, parsed);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    const listener = server.listen(this.port, '127.0.0.1');
    await Promise.race([once(listener, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error as Error))]);
    this.port = (listener.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops accepting connections: senders then get ECONNREFUSED until start(). */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Messages received so far for the address. */
  sentTo(address: string): ReceivedMail[] {
    return this.messages.filter((mail) => mail.to.includes(address.toLowerCase()));
  }

  /** The first message for the address (already received or still to come) that matches, within the timeout. */
  async waitFor(address: string, options: { subject?: RegExp; timeoutMs?: number } = {}): Promise<ReceivedMail> {
    const matches = (mail: ReceivedMail) =>
      mail.to.includes(address.toLowerCase()) && (!options.subject || options.subject.test(mail.subject));
    const found = this.messages.find(matches);
    if (found) return found;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.arrivals.off('mail', onMail);
        reject(new Error(`no mail to ${address} within ${options.timeoutMs ?? 10_000} ms (received: ${this.messages.length})`));
      }, options.timeoutMs ?? 10_000);
      const onMail = (mail: ReceivedMail) => {
        if (!matches(mail)) return;
        clearTimeout(timer);
        this.arrivals.off('mail', onMail);
        resolve(mail);
      };
      this.arrivals.on('mail', onMail);
    });
  }

  private receive(to: string[], parsed: ParsedMail): void {
    const mail: ReceivedMail = {
      to,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      messageId: parsed.messageId,
      parsed,
    };
    this.messages.push(mail);
    this.arrivals.emit('mail', mail);
  }
}

/** The account link in a mail's text part, and the token in its fragment; throws when there is none. */
export function extractLink(mail: Pick<ReceivedMail, 'text'>): { url: string; token: string } {
  const url = /https?:\/\/\S+#token=[\w-]+/.exec(mail.text)?.[0];
  if (!url) throw new Error(`no link with #token= in the mail:\n${mail.text}`);
  return { url, token: new URL(url).hash.slice('#token='.length) };
}
