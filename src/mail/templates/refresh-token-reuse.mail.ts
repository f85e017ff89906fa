import { formatInstant, html, render, type RenderedMail } from './render.js';

export interface RefreshTokenReuseMail {
  name: string;
  at: Date;
}

export function refreshTokenReuseMail({ name, at }: RefreshTokenReuseMail): RenderedMail {
  const when = formatInstant(at);
  return render({
    subject: 'A session of your account was ended for safety',
    text: [
      `Hello ${name},`,
      `On ${when} a session of your account was ended because its token was used twice, which can mean that someone copied it.`,
      'You may have to log in again on that device. If this was not you, change your password.',
    ],
    html: [
      html`Hello ${name},`,
      html`On ${when} a session of your account was ended because its token was used twice, which can mean that someone copied it.`,
      html`You may have to log in again on that device. If this was not you, change your password.`,
    ],
  });
}
