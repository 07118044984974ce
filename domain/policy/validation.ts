import { Value } from '@sinclair/typebox/value';
import type { ValueError } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { findUnsafeText } from '../text';
import type { PolicyIssue } from './errors';

/** What a schema node accepts, in words a policy author can act on. */
function describe(schema: TSchema): string {
  if (typeof schema.description === 'string') return schema.description;
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) return `one of ${(schema.anyOf as TSchema[]).map(describe).join(', ')}`;
  if (schema.type === 'null') return 'null';
  if (schema.type === 'object' && Array.isArray(schema.required))
    return `an object with ${(schema.required as string[]).join(', ')}`;
  return typeof schema.type === 'string' ? `a value of type ${schema.type}` : 'a valid value';
}

function messageOf(error: ValueError): string {
  const schema = error.schema;
  const phrased = Array.isArray(schema.anyOf) || 'const' in schema || typeof schema.description === 'string';
  if (error.value === undefined)
    return phrased ? `missing, expected ${describe(schema)}` : 'missing, expected a value here';
  return phrased
    ? `expected ${describe(schema)}, got ${JSON.stringify(error.value)}`
    : error.message.charAt(0).toLowerCase() + error.message.slice(1);
}

/** Schema violations, one per JSON path (the first found), outermost first. */
export function schemaIssues(schema: TSchema, value: unknown): PolicyIssue[] {
  const byPath = new Map<string, PolicyIssue>();
  for (const error of Value.Errors(schema, value)) {
    const path = error.path === '' ? '/' : error.path;
    if (!byPath.has(path)) byPath.set(path, { path, message: messageOf(error) });
  }
  return [...byPath.values()];
}

const pointerPart = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/**
 * Text a policy cannot hold (domain/text.ts: NUL, other controls, unpaired surrogates; line breaks are allowed, in
 * notes), in values and keys alike: PostgreSQL's jsonb refuses some of it, and the rest would reach mails and bills.
 */
export function unsafeTextIssues(value: unknown, path = ''): PolicyIssue[] {
  if (typeof value === 'string') {
    const unsafe = findUnsafeText(value, 'multiline');
    return unsafe ? [{ path: path || '/', message: `not acceptable text: ${unsafe}` }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => unsafeTextIssues(item, `${path}/${index}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const at = `${path}/${pointerPart(key)}`;
    const unsafeKey = findUnsafeText(key);
    return unsafeKey ? [{ path: at, message: `not acceptable as a name: ${unsafeKey}` }] : unsafeTextIssues(item, at);
  });
}
