import { formatInstant, html, render, type RenderedMail } from './render.js';

export interface PasswordChangedMail {
  name: string;
  at: Date;
}

export function passwordChangedMail({ name, at }: PasswordChangedMail): RenderedMail {
  const when = formatInstant(at);
  return render({
    subject: 'Your password was changed',
    text: [
      `Hello ${name},`,
      `The password of your account was changed on ${when}.`,
      'If this was you, there is nothing to do. If it was not, reset your password at once with "Forgot password" and check the sessions of your account.',
    ],
    html: [
      html`Hello ${name},`,
      html`The password of your account was changed on ${when}.`,
      html`If this was you, there is nothing to do. If it was not, reset your password at once with “Forgot password” and check the sessions of your account.`,
    ],
  });
}
