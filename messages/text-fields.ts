import { FormatRegistry, Kind, Type, TypeRegistry, type StringOptions, type TUnsafe } from '@sinclair/typebox';
import { textLength, textPattern, type TextShape } from '../domain/text';

/**
 * Every text field of every body, command, query and header schema is one of these two: a NUL or an unpaired
 * surrogate accepted here would be refused by PostgreSQL later, where no client hears of it (domain/text.ts says
 * why). They live beside the messages the API and the workflow share, so that a command sent to Temporal directly
 * meets the same lengths and characters as one sent through the API (messages/ticket-actions.ts).
 */

/** A text field's schema: a JSON Schema string, with the bounds every text field has. */
export type TextSchema = TUnsafe<string> & { minLength: number; maxLength: number; pattern: string; format?: string };

/**
 * The kind TypeBox checks text fields by (the workflow's command checks, domain/ticket/commands.ts). Its own String
 * kind counts a text's length in UTF-16 units, where ajv (the API's validator) and domain/text.ts count characters
 * (code points): a question of 10 001 emoji would pass the API and be refused by the workflow. This kind checks what
 * TypeBox's String checks, counting as ajv does; ajv reads the same schema as a plain string with its keywords.
 */
const TEXT_KIND = 'Text';

const patterns = new Map<string, RegExp>();
const compiled = (pattern: string): RegExp => {
  let regExp = patterns.get(pattern);
  if (!regExp) patterns.set(pattern, (regExp = new RegExp(pattern)));
  return regExp;
};

TypeRegistry.Set<TextSchema>(TEXT_KIND, (schema, value) => {
  if (typeof value !== 'string') return false;
  const length = textLength(value);
  if (length < schema.minLength || length > schema.maxLength || !compiled(schema.pattern).test(value)) return false;
  if (schema.format === undefined) return true;
  // As TypeBox's String does: a format no one registered refuses every value rather than pass it unchecked.
  const format = FormatRegistry.Get(schema.format);
  return format !== undefined && format(value);
});

const textOf =
  (shape: TextShape) =>
  (maxLength: number, options: StringOptions = {}): TextSchema =>
    Type.Unsafe<string>({
      [Kind]: TEXT_KIND,
      type: 'string',
      minLength: 1,
      maxLength,
      pattern: textPattern(shape),
      ...options,
    }) as TextSchema;

/** E-mail addresses, ids, a street, a filter: no line break nor any other control character. */
export const Line = textOf('line');

/**
 * A ticket's title, and any other line a person reads alone (a credit note's reason, what a prepaid purchase's invoice
 * says): a line with something to read in it, not white space and invisible characters alone (domain/text.ts).
 */
export const Title = textOf('title');

/**
 * A person's or a company's name (a ticket's contact, a contract's contacts, an agent, a person who signs in, a
 * customer and the legal name its invoices are addressed to): a title's rule, so that the API and the workflow's
 * command checks (domain/ticket/commands.ts) refuse the same names. A name of white space or zero-width characters
 * alone greets nobody in a mail and tells no one who is to be called.
 */
export const Name = textOf('title');

/** Descriptions, messages, notes: tab, LF and CRLF allowed, no other control character. */
export const Text = textOf('multiline');

/** An e-mail address: a line, of the longest length an address may have. */
export const Email = Line(320, { format: 'email' });
