/**
 * What a mail says, as plain text and as simple HTML. Wording is plain and language-neutral (no
 * idioms, no names); every value placed in the HTML is escaped, so nothing a person typed can add
 * markup to a mail.
 */

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A mail of paragraphs with one link (an action) after the first. */
export function linkMail(
  subject: string,
  paragraphs: { before: string; after: string[] },
  link: { label: string; url: string },
): MailContent {
  const text = [paragraphs.before, '', `${link.label}:`, link.url, '', ...paragraphs.after.flatMap((p) => [p, ''])].join('\n').trimEnd();
  const p = (value: string) => `<p>${escapeHtml(value)}</p>`;
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    p(paragraphs.before),
    `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`,
    `<p style="font-size: 0.9em">${escapeHtml(link.url)}</p>`,
    ...paragraphs.after.map(p),
    '</body></html>',
  ].join('\n');
  return { subject, text: `${text}\n`, html };
}
