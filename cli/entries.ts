import { Type } from '@sinclair/typebox';
import { schemaIssues } from '../domain/policy/validation';
import { requestOfTimeEntries } from '../domain/pricing';
import type { PricedTimeEntry, PricingRequest } from '../domain/pricing';
import { InterventionFactProperties } from '../domain/pricing/entry-schema';
import { readJsonFile } from '../policies/json-file';
import { UsageError } from './args';
import { parseInstant } from './instant';

const strict = { additionalProperties: false } as const;
const Flag = Type.Optional(Type.Boolean());

const ItemSchema = Type.Object(
  {
    start: Type.String(),
    end: Type.String(),
    role: Type.Optional(Type.String()),
    service: Type.Optional(Type.String()),
    travelMinutes: Type.Optional(Type.Integer({ minimum: 0 })),
    // The same flags, by the same definition, as a ticket's time entry: what the CLI prices, billing prices.
    ...InterventionFactProperties,
  },
  strict,
);

/**
 * The `--entries` file of `vigil price`: one request, each item one time entry of it (the request's minimum is
 * billed once over them all); `prepaidMinutes` is the balance where the policy draws on prepaid hours.
 */
const EntriesSchema = Type.Object(
  {
    emergency: Flag,
    travelCents: Type.Optional(Type.Integer({ minimum: 0 })),
    prepaidMinutes: Type.Optional(Type.Integer({ minimum: 0 })),
    items: Type.Array(ItemSchema),
  },
  strict,
);

type ItemEntry = (typeof ItemSchema)['static'];

function entryOf(file: string, { start, end, ...facts }: ItemEntry, index: number): PricedTimeEntry {
  return {
    ...facts,
    start: parseInstant(start, `${file}: /items/${index}/start`),
    end: parseInstant(end, `${file}: /items/${index}/end`),
  };
}

/** Reads a pricing request; every failure names the file and the field, as JSON pointers do. */
export function readEntries(file: string): PricingRequest {
  const raw = readJsonFile(file, (message) => new UsageError(`${file}: /: ${message}`));
  const [issue] = schemaIssues(EntriesSchema, raw);
  if (issue) throw new UsageError(`${file}: ${issue.path}: ${issue.message}`);
  const { items, ...facts } = raw as (typeof EntriesSchema)['static'];
  // The request the billing activity would build from a ticket with these time entries.
  return requestOfTimeEntries(
    items.map((item, index) => entryOf(file, item, index)),
    facts,
  );
}
