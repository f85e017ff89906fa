import { describe, expect, it } from 'vitest';
import {
  emailChangedMail,
  emailChangeMail,
  passwordChangedMail,
  passwordResetMail,
  refreshTokenReuseMail,
  verifyEmailMail,
} from './index.js';
import { escapeHtml, formatDuration, formatInstant } from './render.js';

const hostile = `<script>alert("x")</script> & 'Bob'`;
const link = 'https://auth.example.test/account/reset-password#token=abc_DEF-123';
const at = new Date('2026-12-01T04:37:00Z');

const all = {
  verifyEmail: verifyEmailMail({ name: hostile, link, expiresInSeconds: 86400 }),
  passwordReset: passwordResetMail({ name: hostile, link, expiresInSeconds: 1800 }),
  emailChange: emailChangeMail({ name: hostile, newEmail: `x"><img src=x>@example.com`, link, expiresInSeconds: 86400 }),
  passwordChanged: passwordChangedMail({ name: hostile, at }),
  emailChanged: emailChangedMail({ name: hostile, oldEmail: 'old@example.com', newEmail: '<new@example.com>', at }),
  refreshTokenReuse: refreshTokenReuseMail({ name: hostile, at }),
};

describe('mail templates', () => {
  it.each(Object.entries(all))('%s: English subject, text and HTML parts, values escaped in HTML only', (_name, mail) => {
    expect(mail.subject).toMatch(/^[A-Z][\w ]+$/);
    expect(mail.text).toContain(hostile);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain(escapeHtml(hostile));
    expect(mail.html).toMatch(/^<!doctype html>/);
  });

  it('puts the link in both parts of the link mails, and nowhere in the notices', () => {
    for (const mail of [all.verifyEmail, all.passwordReset, all.emailChange]) {
      expect(mail.text).toContain(link);
      expect(mail.html).toContain(`href="${link}"`);
    }
    for (const mail of [all.passwordChanged, all.emailChanged, all.refreshTokenReuse]) {
      expect(mail.text).not.toMatch(/https?:\/\//);
      expect(mail.text).toContain('1 December 2026, 04:37 UTC');
    }
  });

  it('says how long a link lives', () => {
    expect(all.passwordReset.text).toContain('expires in 30 minutes');
    expect(all.verifyEmail.text).toContain('expires in 24 hours');
    expect([formatDuration(60), formatDuration(3600), formatDuration(2 * 86400), formatDuration(90)]).toEqual([
      '1 minute',
      '1 hour',
      '2 days',
      '2 minutes',
    ]);
    expect(formatInstant(new Date('2026-01-05T23:05:00Z'))).toBe('5 January 2026, 23:05 UTC');
  });

  it('tells the old address both addresses when the email changed', () => {
    expect(all.emailChanged.text).toContain('from old@example.com to <new@example.com>');
    expect(all.emailChanged.html).toContain('&lt;new@example.com&gt;');
  });
});
