import { html, render, type RenderedMail } from './render.js';

export interface NoAccountMail {
  /** What was asked for: 'reset a password'. */
  request: string;
}

/**
 * The answer to a password reset asked for an address no account uses. Only the mailbox's owner reads it, so it
 * tells them what the API answer (the same 202 as for any address) cannot.
 */
export function noAccountMail({ request }: NoAccountMail): RenderedMail {
  return render({
    subject: 'No account uses this address',
    text: [
      'Hello,',
      `Someone asked to ${request} for an account with this email address, but no account uses it.`,
      'If it was you, you may have signed up with another address. If it was not you, ignore this message.',
    ],
    html: [
      html`Hello,`,
      html`Someone asked to ${request} for an account with this email address, but no account uses it.`,
      html`If it was you, you may have signed up with another address. If it was not you, ignore this message.`,
    ],
  });
}
