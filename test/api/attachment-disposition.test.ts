import { attachmentDisposition } from '../../api/routes/inbound';

/** RFC 5987's ext-value: a charset, a language, then attr-char or %XX only. */
const EXT_VALUE = /^UTF-8''((?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})*)$/;

describe("an attachment's Content-Disposition", () => {
  it.each([
    "it's (final)*.txt",
    'étage 2 "plan".html',
    '../../etc/passwd',
    'a\ufffdb X-Injected: 1.txt',
    '\u{1f5a8} rapport.pdf',
  ])('names %j in filename* as RFC 5987 reads it, and in a quoted ASCII filename', (filename) => {
    const header = attachmentDisposition(filename);
    const [, quoted, extended] = /^attachment; filename="([\x20-\x7e]*)"; filename\*=(.*)$/.exec(header) ?? [];
    expect(quoted).not.toMatch(/["\\]/);
    const value = EXT_VALUE.exec(extended ?? '')?.[1];
    expect(value).toBeDefined();
    expect(decodeURIComponent(value!)).toBe(filename);
  });
});
