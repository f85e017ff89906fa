import { html, render, type RenderedMail } from './render.js';

export interface EmailTakenMail {
  name: string;
}

/** The answer to an email change towards an address another account already uses: no link, nothing changes. */
export function emailTakenMail({ name }: EmailTakenMail): RenderedMail {
  return render({
    subject: 'This address already has an account',
    text: [
      `Hello ${name},`,
      'You asked to use this email address for your account, but another account already uses it, so nothing was changed.',
      'If you did not ask for this, ignore this message.',
    ],
    html: [
      html`Hello ${name},`,
      html`You asked to use this email address for your account, but another account already uses it, so nothing was changed.`,
      html`If you did not ask for this, ignore this message.`,
    ],
  });
}
