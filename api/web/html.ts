/**
 * HTML built by a tagged template that escapes every interpolated value unless it is itself `Html` (built by this
 * template): a title holding `<script>` prints as text, a value can never end an attribute early. Text is made
 * printable first: NUL and lone surrogates (which PostgreSQL's text and UTF-8 cannot hold, and browsers render
 * inconsistently) become U+FFFD; CR and LF stay, harmless in text and escaped as entities inside attributes.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\r': '&#13;',
  '\n': '&#10;',
  '\0': '\uFFFD',
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `value` as HTML text, safe in element content and in quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD').replace(/[&<>"'\r\n\0]/g, (char) => ENTITIES[char]!);
}

type Interpolated = Html | string | number | boolean | null | undefined | readonly Interpolated[];

function render(value: Interpolated): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  // false, null and undefined print nothing, so that `${condition && html`...`}` reads naturally.
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolated[]): Html {
  let out = strings[0]!;
  values.forEach((value, index) => {
    out += render(value) + strings[index + 1]!;
  });
  return new Html(out);
}

/**
 * What a `<textarea>` holds, written after a line feed of its own: the HTML parser drops one line feed right after the
 * opening tag (the standard's authoring convenience; a `&#10;` too, being the same character once parsed), so a text
 * that starts with a line break would lose it each time its form is shown again. The line feed written here is the one
 * dropped.
 */
export const textareaText = (value: string): Html => html`\n${value}`;

/** Text a template must keep as HTML (from a file of this repository, never from a request or the database). */
export const trusted = (text: string): Html => new Html(text);
