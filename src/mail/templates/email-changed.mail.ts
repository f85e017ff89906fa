import { formatInstant, html, render, type RenderedMail } from './render.js';

export interface EmailChangedMail {
  name: string;
  /** The address the account had before; this notice goes to it. */
  oldEmail: string;
  newEmail: string;
  at: Date;
}

export function emailChangedMail({ name, oldEmail, newEmail, at }: EmailChangedMail): RenderedMail {
  const when = formatInstant(at);
  return render({
    subject: 'Your email address was changed',
    text: [
      `Hello ${name},`,
      `On ${when} the email address of your account was changed from ${oldEmail} to ${newEmail}. Mail about your account now goes to the new address.`,
      'If this was not you, someone else may control your account: contact support, and do not use links from messages you did not expect.',
    ],
    html: [
      html`Hello ${name},`,
      html`On ${when} the email address of your account was changed from <strong>${oldEmail}</strong> to <strong>${newEmail}</strong>. Mail about your account now goes to the new address.`,
      html`If this was not you, someone else may control your account: contact support, and do not use links from messages you did not expect.`,
    ],
  });
}
