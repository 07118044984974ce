import { Type, type StringOptions } from '@sinclair/typebox';
import { TEXT_RULE, textPattern, type TextShape } from '../../domain/text';

/**
 * Every text field of every body, query and header schema is one of these two: a NUL or an unpaired surrogate
 * accepted here would be refused by PostgreSQL later, where no client hears of it (domain/text.ts says why).
 */
const textOf = (shape: TextShape) => (maxLength: number, options: StringOptions = {}) =>
  Type.String({ minLength: 1, maxLength, pattern: textPattern(shape), ...options });

/** Titles, names, agents, e-mail addresses, ids: no line break nor any other control character. */
export const Line = textOf('line');

/** Descriptions, messages, notes: tab, LF and CRLF allowed, no other control character. */
export const Text = textOf('multiline');

const MESSAGES = new Map<string, string>((['line', 'multiline'] as const).map((shape) => [textPattern(shape), `must be ${TEXT_RULE[shape]}`]));

/** What a refusal of a text field says, in place of Ajv's "must match pattern" and the regular expression itself. */
export function textPatternMessage(pattern: unknown): string | undefined {
  return typeof pattern === 'string' ? MESSAGES.get(pattern) : undefined;
}
