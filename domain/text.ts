/**
 * What text Vigil takes in, and what it may store or put in an e-mail header: one definition, from which the API's
 * schema pattern, the workflow's command checks, the CLI and the writers to PostgreSQL all derive.
 *
 * Why: PostgreSQL refuses NUL in text and jsonb, and an unpaired UTF-16 surrogate in jsonb (`\ud800` names no
 * character). A ticket holding either made the activity writing its read model fail and retry forever. A line
 * break in a one-line field (a title) ends up in an e-mail header, where it starts a header of its own, and in lists
 * and pages that show the field as one line: the Unicode line and paragraph separators and NEL break it as CR and LF do.
 */

/**
 * `line`: e-mail addresses, ids, a street, a filter. `title`: a line with something to read in it: a ticket's title, which lists
 * and mail subjects show alone, and a person's name, which mails greet (messages/text-fields.ts Name). `multiline`:
 * descriptions, messages, notes.
 */
export type TextShape = 'line' | 'title' | 'multiline';

export const TEXT_SHAPES: readonly TextShape[] = ['line', 'title', 'multiline'];

// C0 controls but tab, LF and CR, DEL and the C1 controls: never typed on purpose, and not all harmless downstream.
const CONTROLS = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F';
// The bidirectional embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069): they reorder what follows
// them as it is displayed, so that a title, a name or a file name quoted in a description reads as another
// ("invoice<U+202E>fdp.exe" shows as "invoiceexe.pdf"). The marks (U+200E, U+200F, U+061C), which right-to-left
// text does use, reorder nothing and stay.
const BIDI_CONTROLS = '\\u202A-\\u202E\\u2066-\\u2069';
// Written to mean the same with or without the `u` flag (ajv compiles patterns with it, TypeBox's Value without it):
// a high half not followed by a low one, or a low half not preceded by a high one.
const LONE_SURROGATE = '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';

// Every line break a reader may honour: CR, LF, NEL (U+0085, a C1 control as well) and the line and paragraph
// separators (U+2028, U+2029), which browsers, editors and JSON-in-JavaScript readers break a line at.
const LINE_BREAKS = '\\n\\r\\u0085\\u2028\\u2029';
// What shows nothing where it stands: Unicode's Default_Ignorable_Code_Point characters of the BMP (zero-width space,
// joiners and non-joiner, word joiner, soft hyphen, byte order mark, variation selectors, the Hangul fillers, ...;
// test/domain/text.test.ts holds the list to that property) and the blank Braille pattern (U+2800), which renders as a
// space without being one. Those beyond the BMP (tags, U+E0000-U+E0FFF) cannot be named in a class that means the
// same with and without the `u` flag: they count as something to read, in both, rather than differently in each.
const INVISIBLE =
  '\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\u2800\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFF8';
// One character with something to read in it: neither white space (`\s`, what String.prototype.trim takes off) nor
// invisible. A title of zero-width spaces is as blank to the desk as one of spaces.
const VISIBLE = `[^\\s${INVISIBLE}]`;

const LINE = `[\\t${LINE_BREAKS}${CONTROLS}${BIDI_CONTROLS}]|${LONE_SURROGATE}`;
/** One character (or an unpaired surrogate) that the shape refuses, as a regular expression source. */
const REFUSED: Readonly<Record<TextShape, string>> = {
  line: LINE,
  title: LINE,
  // A CR only as the first half of a CRLF: a lone CR is a line break some readers see and others do not.
  multiline: `[${CONTROLS}${BIDI_CONTROLS}]|\\r(?!\\n)|${LONE_SURROGATE}`,
};

/** What each shape accepts, in words: the `expected` of a refusal. */
export const TEXT_RULE: Readonly<Record<TextShape, string>> = {
  line: 'one line of text, without control characters, bidirectional controls or unpaired surrogates',
  title:
    'one line of text other than white space and invisible characters alone, without control characters, bidirectional controls or unpaired surrogates',
  multiline:
    'text without control characters (tab and line breaks aside), bidirectional controls or unpaired surrogates',
};

/**
 * The JSON Schema `pattern` of a text field of this shape: no refused character anywhere, and for a title one
 * character at least with something to read in it (VISIBLE).
 */
export function textPattern(shape: TextShape): string {
  return `^${shape === 'title' ? `(?=[\\s\\S]*?${VISIBLE})` : ''}(?:(?!${REFUSED[shape]})[\\s\\S])*$`;
}

const FIRST_REFUSED = Object.fromEntries(
  TEXT_SHAPES.map((shape) => [shape, new RegExp(REFUSED[shape], 'u')]),
) as Readonly<Record<TextShape, RegExp>>;

const LINE_BREAK = new RegExp(`[${LINE_BREAKS}]`);
// The combining characters among the invisible ones (U+034F, the variation selectors) are listed each alone, on
// purpose: each is one character of the class, combined with nothing.
// eslint-disable-next-line no-misleading-character-class
const HAS_VISIBLE = new RegExp(VISIBLE);
// eslint-disable-next-line no-misleading-character-class
const FIRST_INVISIBLE = new RegExp(`[${INVISIBLE}]`);

/**
 * Whether `value` has something to read in it: a character that is neither white space nor invisible. What a title
 * and a name must have (textPattern), and what a mail's subject must have to be a title (mail/inbound/fields.ts).
 */
export const hasSomethingToRead = (value: string): boolean => HAS_VISIBLE.test(value);

const codePoint = (unit: number) => `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;

function kindOf(unit: number): string {
  if (unit >= 0xd800 && unit <= 0xdfff) return 'an unpaired surrogate';
  if (LINE_BREAK.test(String.fromCharCode(unit))) return 'a line break';
  if ((unit >= 0x202a && unit <= 0x202e) || (unit >= 0x2066 && unit <= 0x2069)) return 'a bidirectional control';
  return 'a control character';
}

/**
 * Why `value` is not acceptable text of this shape, naming the first character at fault and its UTF-16 offset (or a
 * title's lack of anything to read); `undefined` when it is.
 */
export function findUnsafeText(value: string, shape: TextShape = 'line'): string | undefined {
  const found = FIRST_REFUSED[shape].exec(value);
  if (found) {
    const unit = found[0].charCodeAt(0);
    return `it holds ${kindOf(unit)} (${codePoint(unit)}) at offset ${found.index}`;
  }
  if (shape === 'title' && !hasSomethingToRead(value)) {
    const invisible = FIRST_INVISIBLE.exec(value);
    return invisible
      ? `it holds nothing but white space and invisible characters (${codePoint(invisible[0].charCodeAt(0))} at offset ${invisible.index})`
      : 'it holds nothing but white space';
  }
  return undefined;
}

// What every shape refuses wherever it stands, tab and line breaks aside.
const STRAY_CHARACTERS = new RegExp(`[${CONTROLS}${BIDI_CONTROLS}]`, 'g');

/**
 * `value` without the control and bidirectional control characters every shape refuses (tab and line breaks are
 * kept): text from elsewhere, a mail, made into a field rather than refused (mail/inbound/fields.ts).
 */
export function withoutControls(value: string): string {
  return value.replace(STRAY_CHARACTERS, '');
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

const LINE_BREAK_RUNS = new RegExp(`[${LINE_BREAKS}]+`, 'g');

/**
 * `value` on one line: each run of the line breaks a one-line text refuses made one space. For names stored before the
 * line and paragraph separators counted as line breaks (an API key's label, a person's name), which still name who acts
 * (messages/principal.ts actingOf).
 */
export const onOneLine = (value: string): string => value.replace(LINE_BREAK_RUNS, ' ');

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

/**
 * A text's length as the API's schemas count it (ajv: code points, a surrogate pair one character), where JavaScript's
 * `length` and TypeBox count UTF-16 units, two for a character beyond the BMP.
 */
export const textLength = (text: string): number => Array.from(text).length;

/** The text's first `max` characters as textLength counts them: a cut never splits a surrogate pair. */
export const firstCharacters = (text: string, max: number | undefined): string =>
  max === undefined ? text : Array.from(text).slice(0, max).join('');

/**
 * Whether two e-mail addresses name the same mailbox, as Vigil compares them wherever one is matched against another (a
 * ticket's contact against the contract's authorized contacts, domain/ticket/steps.ts registrationRefusal; a person
 * signed in against them, api/opening-terms.ts): regardless of case, the local part's as well as the domain's. RFC 5321
 * lets a mail server tell the local part's capitals apart, but a person or a mail client writing Ana@ACME.lu means the
 * contract's ana@acme.lu. toLowerCase, not toLocaleLowerCase: the same answer on every machine, as a workflow needs.
 */
export const sameEmailAddress = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
