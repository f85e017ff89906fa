import { formatDuration, html, linkParagraph, render, type RenderedMail } from './render.js';

export interface VerifyEmailMail {
  name: string;
  link: string;
  expiresInSeconds: number;
}

export function verifyEmailMail({ name, link, expiresInSeconds }: VerifyEmailMail): RenderedMail {
  const expires = formatDuration(expiresInSeconds);
  return render({
    subject: 'Confirm your email address',
    text: [
      `Hello ${name},`,
      'Please confirm that this email address belongs to you by opening this link:',
      link,
      `The link works once and expires in ${expires}. If you did not create an account, ignore this message.`,
    ],
    html: [
      html`Hello ${name},`,
      html`Please confirm that this email address belongs to you.`,
      linkParagraph('Confirm my email address', link),
      html`The link works once and expires in ${expires}. If you did not create an account, ignore this message.`,
    ],
  });
}
