/** What every template produces: English subject, a plain-text part and an HTML part. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ENTITIES[char]);
}

/** Marks text as already-safe HTML, so `html` inserts it as is (layout pieces only, never user data). */
export class SafeHtml {
  constructor(readonly value: string) {}
}

/** Tagged template for HTML: every interpolated value is escaped unless it is SafeHtml (or a list of them). */
export function html(strings: TemplateStringsArray, ...values: Array<string | number | SafeHtml | SafeHtml[]>): SafeHtml {
  const piece = (value: string | number | SafeHtml | SafeHtml[]): string =>
    Array.isArray(value) ? value.map(piece).join('') : value instanceof SafeHtml ? value.value : escapeHtml(String(value));
  return new SafeHtml(strings.reduce((out, text, i) => out + text + (i < values.length ? piece(values[i]) : ''), ''));
}

/** "30 minutes", "24 hours", "2 days": how long a link lives, for the sentence under it. */
export function formatDuration(seconds: number): string {
  const [amount, unit] =
    seconds % 86400 === 0 && seconds >= 2 * 86400
      ? [seconds / 86400, 'day']
      : seconds % 3600 === 0
        ? [seconds / 3600, 'hour']
        : [Math.max(1, Math.round(seconds / 60)), 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

/** "1 December 2026, 04:37 UTC": instants in notices, the same for every reader whatever their time zone. */
export function formatInstant(at: Date): string {
  const date = at.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const time = at.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' });
  return `${date}, ${time} UTC`;
}

export interface MailBody {
  subject: string;
  /** Paragraphs of the plain-text part. */
  text: string[];
  /** Paragraphs of the HTML part, each built with `html`. */
  html: SafeHtml[];
}

const SIGNATURE = 'This message was sent automatically; replies are not read.';

/** Wraps a template's paragraphs in the one layout every message shares. */
export function render(body: MailBody): RenderedMail {
  const text = [...body.text, '--', SIGNATURE].join('\n\n') + '\n';
  const page = html`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${body.subject}</title></head>
<body style="font-family: sans-serif; line-height: 1.5; color: #222; max-width: 36em; margin: 0 auto; padding: 1em;">
${body.html.map((paragraph) => html`<p>${paragraph}</p>\n`)}<hr>
<p style="color: #666; font-size: 0.9em;">${SIGNATURE}</p>
</body>
</html>
`;
  return { subject: body.subject, text, html: page.value };
}

/** A link as a button-like anchor, with the address also written out for clients that strip links. */
export function linkParagraph(label: string, url: string): SafeHtml {
  return html`<a href="${url}" style="display: inline-block; padding: 0.6em 1.2em; background: #1a56db; color: #fff; text-decoration: none; border-radius: 4px;">${label}</a><br><span style="font-size: 0.85em; color: #666; word-break: break-all;">${url}</span>`;
}
