/**
 * What text Vigil takes in, and what it may store or put in an e-mail header: one definition, from which the API's
 * schema pattern, the workflow's command checks, the CLI and the writers to PostgreSQL all derive.
 *
 * Why: PostgreSQL refuses NUL in text and jsonb, and an unpaired UTF-16 surrogate in jsonb (`\ud800` names no
 * character). A ticket holding either made the activity writing its read model fail and retry forever. A line
 * break in a one-line field (a title) ends up in an e-mail header, where it starts a header of its own.
 */

/** `line`: titles, names, agents, e-mail addresses. `multiline`: descriptions, messages, notes. */
export type TextShape = 'line' | 'multiline';

// C0 controls but tab, LF and CR, DEL and the C1 controls: never typed on purpose, and not all harmless downstream.
const CONTROLS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';
// Written to mean the same with or without the `u` flag (ajv compiles patterns with it, TypeBox's Value without it):
// a high half not followed by a low one, or a low half not preceded by a high one.
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';

/** One character (or an unpaired surrogate) that the shape refuses, as a regular expression source. */
const REFUSED: Readonly<Record<TextShape, string>> = {
  line: `[\\t\\n\\r${CONTROLS}]|${LONE_SURROGATE}`,
  // A CR only as the first half of a CRLF: a lone CR is a line break some readers see and others do not.
  multiline: `[${CONTROLS}]|\\r(?!\\n)|${LONE_SURROGATE}`,
};

/** What each shape accepts, in words: the `expected` of a refusal. */
export const TEXT_RULE: Readonly<Record<TextShape, string>> = {
  line: 'one line of text, without control characters or unpaired surrogates',
  multiline: 'text without control characters (tab and line breaks aside) or unpaired surrogates',
};

/** The JSON Schema `pattern` of a text field of this shape: no refused character anywhere. */
export function textPattern(shape: TextShape): string {
  return `^(?:(?!${REFUSED[shape]})[\\s\\S])*$`;
}

const FIRST_REFUSED: Readonly<Record<TextShape, RegExp>> = {
  line: new RegExp(REFUSED.line, 'u'),
  multiline: new RegExp(REFUSED.multiline, 'u'),
};

const codePoint = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

function kindOf(unit: number): string {
  if (unit >= 0xd800 && unit <= 0xdfff) return 'an unpaired surrogate';
  if (unit === 0x0a || unit === 0x0d) return 'a line break';
  return 'a control character';
}

/**
 * Why `value` is not acceptable text of this shape, naming the first character at fault and its UTF-16 offset;
 * `undefined` when it is.
 */
export function findUnsafeText(value: string, { multiline = false }: { multiline?: boolean } = {}): string | undefined {
  const found = FIRST_REFUSED[multiline ? 'multiline' : 'line'].exec(value);
  if (!found) return undefined;
  const unit = found[0].charCodeAt(0);
  return `it holds ${kindOf(unit)} (${codePoint(unit)}) at offset ${found.index}`;
}

// What PostgreSQL cannot hold, whatever the shape: anything else a caller let through is stored as it came.
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE}`, 'gu');

/** `value` with each NUL and unpaired surrogate replaced by U+FFFD, the character that says "something was here". */
export function toStorableText(value: string): string {
  return value.replace(UNSTORABLE, '\uFFFD');
}

/**
 * A copy of `value` with every string in it (object keys included) made storable: what goes to a text or jsonb
 * column from ticket content, so that no input can make the write fail, however it got past the checks.
 */
export function toStorable<T>(value: T): T {
  if (typeof value === 'string') return toStorableText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => toStorable(item)) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [toStorableText(key), toStorable(item)])) as T;
  }
  return value;
}

// Every run of controls, CR and LF included, becomes one space.
const HEADER_BREAKS = new RegExp(`[\\t\\n\\r${CONTROLS}]+`, 'g');

/** `value` as an e-mail header may carry it: on one line, so that it cannot start a header of its own (`Bcc:`). */
export function toHeaderText(value: string): string {
  return toStorableText(value.replace(HEADER_BREAKS, ' '));
}

/**
 * An e-mail address as Vigil takes one, wherever it comes in: the API's schemas (the `email` format of
 * messages/text-fields.ts Email, which api/app.ts has Fastify's Ajv check with this expression) and the stores the
 * command line writes through (db/users.ts, db/account-input.ts). One definition, so that an address the CLI saves for a
 * person or a contract's contact is one the API takes back: a contact's own address is the `contact.email` the portal
 * opens their tickets with. The expression is ajv-formats' `full` one, the API's before it was named here.
 */
export const EMAIL_ADDRESS =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
