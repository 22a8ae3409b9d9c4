import { describe, expect, it } from 'vitest';
import { escapeHtml, linkMail } from '../../src/modules/mail/content.ts';
import { retryDelayMs } from '../../src/modules/mail/sender.ts';

describe('mail content', () => {
  it('escapes every value put into the HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const mail = linkMail(
      'Subject <b>',
      { before: 'Hello <script>alert(1)</script>', after: ['"quoted" & more'] },
      { label: 'Open <it>', url: 'https://example.com/a?b=1&c="2"#token=x' },
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Hello &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('<a href="https://example.com/a?b=1&amp;c=&quot;2&quot;#token=x">Open &lt;it&gt;</a>');
    expect(mail.html).toContain('<title>Subject &lt;b&gt;</title>');
    expect(mail.html).toContain('<p>&quot;quoted&quot; &amp; more</p>');
    // The plain text carries the same words and the link as it is.
    expect(mail.text).toBe('Hello <script>alert(1)</script>\n\nOpen <it>:\nhttps://example.com/a?b=1&c="2"#token=x\n\n"quoted" & more\n');
  });
});

describe('mail retries', () => {
  it('wait twice as long after each try, capped at an hour, shortened by at most half at random', () => {
    expect([1, 2, 3, 4].map((attempts) => retryDelayMs(1000, attempts, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(1000, 3, () => 0)).toBe(2000);
    expect(retryDelayMs(30_000, 20, () => 1)).toBe(3_600_000);
  });
});
