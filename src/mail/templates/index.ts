export { emailChangeMail, type EmailChangeMail } from './email-change.mail.js';
export { emailChangedMail, type EmailChangedMail } from './email-changed.mail.js';
export { emailTakenMail, type EmailTakenMail } from './email-taken.mail.js';
export { noAccountMail, type NoAccountMail } from './no-account.mail.js';
export { passwordChangedMail, type PasswordChangedMail } from './password-changed.mail.js';
export { passwordResetMail, type PasswordResetMail } from './password-reset.mail.js';
export { refreshTokenReuseMail, type RefreshTokenReuseMail } from './refresh-token-reuse.mail.js';
export type { RenderedMail } from './render.js';
export { verifyEmailMail, type VerifyEmailMail } from './verify-email.mail.js';
