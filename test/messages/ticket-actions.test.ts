import fs from 'node:fs';
import path from 'node:path';
import { Kind, type TSchema } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';
import * as shared from '../../messages/ticket';
import { ACTION_TABLE, TICKET_ACTION_NAMES } from '../../messages/ticket-actions';
import { TICKET_ROLES } from '../../api/ticket-access';
import { apiHarness } from '../support/api/harness';

// The action table (messages/ticket-actions.ts) is the one place an action is defined: whatever the API serves, the
// role matrix holds, the workflow answers or the README lists must be an entry of it, and every entry must be there.

const paths = TICKET_ACTION_NAMES.map((name) => ACTION_TABLE[name].path).sort();

describe('the action table is the single source of the ticket actions', () => {
  it('has one action route per entry, and no other', async () => {
    const harness = await apiHarness();
    const actionRoutes: string[] = [];
    harness.app.addHook('onRoute', (route: RouteOptions) => {
      if ([route.method].flat().includes('POST') && route.url.startsWith('/v1/tickets/:number/'))
        actionRoutes.push(route.url.slice('/v1/tickets/:number/'.length));
    });
    await harness.app.ready();
    expect(actionRoutes.sort()).toEqual(paths);
  });

  it('has one row of the role matrix per entry, beside opening and reading', () => {
    expect(Object.keys(TICKET_ROLES).sort()).toEqual(['open', 'read', ...paths].sort());
    for (const name of TICKET_ACTION_NAMES)
      expect(TICKET_ROLES[ACTION_TABLE[name].path]).toBe(ACTION_TABLE[name].roles);
  });

  it('defines one Update per entry, named after it, and no Update outside the table', () => {
    expect(Object.keys(shared.TICKET_UPDATES).sort()).toEqual([...TICKET_ACTION_NAMES].sort());
    for (const name of TICKET_ACTION_NAMES) expect(shared.TICKET_UPDATES[name].name).toBe(name);
    const updates = Object.values(shared as Record<string, unknown>).filter(
      (value): value is { type: 'update'; name: string } =>
        typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'update',
    );
    // Beside them, only the opening's Update, which answers the registered ticket and changes nothing.
    for (const update of updates)
      expect([...Object.values(shared.TICKET_UPDATES), shared.registeredUpdate]).toContain(update);
  });

  it('registers no Update in the workflow but those of the table', () => {
    const source = fs.readFileSync(path.join(__dirname, '../../workflows/ticket.ts'), 'utf8');
    expect(source.match(/setHandler\(/g)).toHaveLength(3);
    expect(source).toContain('for (const action of TICKET_ACTION_NAMES)');
    expect(source).not.toMatch(/defineUpdate/);
  });

  it("lists every entry in the README's action table, with its body's fields, and nothing else", () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| action | body | effect |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
    const listed = Object.fromEntries(
      rows.map((row) => {
        const [, action, body] = row.split('|').map((cell) => cell.trim().replaceAll('`', ''));
        return [action!, body!.split(', ').filter(Boolean).sort()];
      }),
    );
    const expected = Object.fromEntries(
      TICKET_ACTION_NAMES.map((name) => {
        const body = ACTION_TABLE[name].body as TSchema & { properties: Record<string, TSchema>; required?: string[] };
        const required = new Set(body.required ?? []);
        // A field kept only not to break clients (the actor a body once named) is not the README's to list.
        const fields = Object.keys(body.properties).filter((field) => body.properties[field]!.deprecated !== true);
        return [ACTION_TABLE[name].path, fields.map((field) => (required.has(field) ? field : `${field}?`)).sort()];
      }),
    );
    expect(listed).toEqual(expected);
  });

  // TypeBox's own String counts UTF-16 units where the API's ajv counts characters: a free text of a command written
  // as Type.String would be refused by the workflow after the API let it through (messages/text-fields.ts).
  it('writes every free text of every command as a text field, read alike by the API and the workflow', () => {
    const plainStrings = (schema: TSchema, at: string): string[] => {
      if (schema.type === 'object')
        return Object.entries((schema.properties ?? {}) as Record<string, TSchema>).flatMap(([name, field]) =>
          plainStrings(field, `${at}.${name}`),
        );
      if (schema.type === 'array') return plainStrings(schema.items as TSchema, `${at}[]`);
      if (Array.isArray(schema.anyOf)) return (schema.anyOf as TSchema[]).flatMap((option) => plainStrings(option, at));
      const free = schema.type === 'string' && schema.const === undefined && schema.format === undefined;
      return free && schema[Kind] !== 'Text' ? [at] : [];
    };
    expect(TICKET_ACTION_NAMES.flatMap((name) => plainStrings(ACTION_TABLE[name].command, name))).toEqual([]);
  });
});
