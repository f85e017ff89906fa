import { formatDuration, html, linkParagraph, render, type RenderedMail } from './render.js';

export interface PasswordResetMail {
  name: string;
  link: string;
  expiresInSeconds: number;
}

export function passwordResetMail({ name, link, expiresInSeconds }: PasswordResetMail): RenderedMail {
  const expires = formatDuration(expiresInSeconds);
  return render({
    subject: 'Reset your password',
    text: [
      `Hello ${name},`,
      'Someone asked to reset the password of your account. To choose a new password, open this link:',
      link,
      `The link works once and expires in ${expires}. Setting a new password ends every session of your account.`,
      'If you did not ask for this, ignore this message: your password stays as it is.',
    ],
    html: [
      html`Hello ${name},`,
      html`Someone asked to reset the password of your account. To choose a new password, use this link:`,
      linkParagraph('Choose a new password', link),
      html`The link works once and expires in ${expires}. Setting a new password ends every session of your account.`,
      html`If you did not ask for this, ignore this message: your password stays as it is.`,
    ],
  });
}
