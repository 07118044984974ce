import { Type, type StringOptions } from '@sinclair/typebox';
import { textPattern, type TextShape } from '../domain/text';

/**
 * Every text field of every body, command, query and header schema is one of these two: a NUL or an unpaired
 * surrogate accepted here would be refused by PostgreSQL later, where no client hears of it (domain/text.ts says
 * why). They live beside the messages the API and the workflow share, so that a command sent to Temporal directly
 * meets the same lengths and characters as one sent through the API (messages/ticket-actions.ts).
 */
const textOf =
  (shape: TextShape) =>
  (maxLength: number, options: StringOptions = {}) =>
    Type.String({ minLength: 1, maxLength, pattern: textPattern(shape), ...options });

/** E-mail addresses, ids, a street, a filter: no line break nor any other control character. */
export const Line = textOf('line');

/** A ticket's title: a line, and not white space alone. */
export const Title = textOf('title');

/**
 * A person's name (a ticket's contact, a contract's contacts, an agent, a person who signs in): a title's rule, so that
 * the API and the workflow's command checks (domain/ticket/commands.ts) refuse the same names. A name of white space
 * alone greets nobody in a mail and tells no one who is to be called.
 */
export const Name = textOf('title');

/** Descriptions, messages, notes: tab, LF and CRLF allowed, no other control character. */
export const Text = textOf('multiline');

/** An e-mail address: a line, of the longest length an address may have. */
export const Email = Line(320, { format: 'email' });
