import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ACTION_TABLE, type TicketActionName } from '../../messages/ticket-actions';
import { InvalidArgumentError } from '../errors';
import { findUnsafeText, TEXT_RULE, TEXT_SHAPES, textLength, textPattern, type TextShape } from '../text';

/**
 * The shape of a command, checked against its schema in the action table: the same lengths, characters and types the
 * API's body schema holds, for every caller of the workflow (the API, a script sending Updates to Temporal). Checked by
 * the Update validators only, never on replay: a history keeps the commands accepted under the rules of their day.
 */

const SHAPES = new Map<string, TextShape>(TEXT_SHAPES.map((shape) => [textPattern(shape), shape]));

function integerExpectation(schema: TSchema): string {
  const minimum = schema.minimum as number | undefined;
  const maximum = schema.maximum as number | undefined;
  if (minimum === 0)
    return maximum === undefined || maximum >= Number.MAX_SAFE_INTEGER
      ? 'a non-negative integer'
      : `a non-negative integer up to ${maximum}`;
  return 'an integer';
}

/** What the schema expects of a value, in words a caller can act on, given what it got. */
function expectation(schema: TSchema, value: unknown): string {
  if (Array.isArray(schema.anyOf))
    return `one of ${(schema.anyOf as TSchema[]).map((option) => String(option.const)).join(', ')}`;
  if (schema.type === 'boolean') return 'a boolean';
  if (schema.type === 'integer') return integerExpectation(schema);
  if (schema.type === 'string') {
    const shape = SHAPES.get(schema.pattern as string);
    const unsafe = shape !== undefined && typeof value === 'string' ? findUnsafeText(value, shape) : undefined;
    if (unsafe && shape) return `${TEXT_RULE[shape]}: ${unsafe}`;
    if (typeof value === 'string' && typeof schema.maxLength === 'number' && textLength(value) > schema.maxLength)
      return `at most ${schema.maxLength} characters`;
    return (schema.minLength as number | undefined) === 0 ? 'a string' : 'a non-empty string';
  }
  if (schema.type === 'object') return 'an object';
  return 'a valid value';
}

/** Refuses a command its action's schema does not accept, naming the first field at fault. */
export function checkCommand(action: TicketActionName, command: unknown): void {
  const schema: TSchema = ACTION_TABLE[action].command;
  if (typeof command !== 'object' || command === null || Array.isArray(command))
    throw new InvalidArgumentError('command', 'an object');
  const known = Object.keys(schema.properties as object);
  const unknown = Object.keys(command).find((field) => !known.includes(field));
  if (unknown !== undefined)
    throw new InvalidArgumentError(unknown, `absent: this command takes only ${known.join(', ')}`);
  const first = Value.Errors(schema, command).First();
  if (!first) return;
  const field = first.path.replace(/^\//, '').replaceAll('/', '.') || 'command';
  throw new InvalidArgumentError(field, expectation(first.schema, first.value));
}
