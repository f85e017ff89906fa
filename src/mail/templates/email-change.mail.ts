import { formatDuration, html, linkParagraph, render, type RenderedMail } from './render.js';

export interface EmailChangeMail {
  name: string;
  /** The address being confirmed; this mail goes to it. */
  newEmail: string;
  link: string;
  expiresInSeconds: number;
}

export function emailChangeMail({ name, newEmail, link, expiresInSeconds }: EmailChangeMail): RenderedMail {
  const expires = formatDuration(expiresInSeconds);
  return render({
    subject: 'Confirm your new email address',
    text: [
      `Hello ${name},`,
      `You asked to change the email address of your account to ${newEmail}. To confirm, open this link:`,
      link,
      `The link works once and expires in ${expires}. Until you confirm, your account keeps its current address.`,
      'If you did not ask for this, ignore this message.',
    ],
    html: [
      html`Hello ${name},`,
      html`You asked to change the email address of your account to <strong>${newEmail}</strong>. To confirm, use this link:`,
      linkParagraph('Confirm my new address', link),
      html`The link works once and expires in ${expires}. Until you confirm, your account keeps its current address.`,
      html`If you did not ask for this, ignore this message.`,
    ],
  });
}
