import { TEXT_RULE, TEXT_SHAPES, textPattern } from '../../domain/text';

// One definition of text fields, shared with the workflow's command schemas.
export { Email, Line, Text, Title } from '../../messages/text-fields';

const MESSAGES = new Map<string, string>(
  TEXT_SHAPES.map((shape) => [textPattern(shape), `must be ${TEXT_RULE[shape]}`]),
);

/** What a refusal of a text field says, in place of Ajv's "must match pattern" and the regular expression itself. */
export function textPatternMessage(pattern: unknown): string | undefined {
  return typeof pattern === 'string' ? MESSAGES.get(pattern) : undefined;
}
