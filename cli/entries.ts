import { Type } from '@sinclair/typebox';
import { schemaIssues } from '../domain/policy/validation';
import type { PricingItem, PricingRequest } from '../domain/pricing';
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
    onSite: Flag,
    remoteToolMissing: Flag,
    outOfHoursRequested: Flag,
    urgent: Flag,
  },
  strict,
);

/** The `--entries` file of `vigil price`; `prepaidMinutes` is the balance where the policy draws on prepaid hours. */
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

function itemOf(file: string, { start, end, ...facts }: ItemEntry, index: number): PricingItem {
  return { ...facts, start: parseInstant(start, `${file}: /items/${index}/start`), end: parseInstant(end, `${file}: /items/${index}/end`) };
}

/** Reads a pricing request; every failure names the file and the field, as JSON pointers do. */
export function readEntries(file: string): PricingRequest {
  const raw = readJsonFile(file, (message) => new UsageError(`${file}: /: ${message}`));
  const [issue] = schemaIssues(EntriesSchema, raw);
  if (issue) throw new UsageError(`${file}: ${issue.path}: ${issue.message}`);
  const entries = raw as (typeof EntriesSchema)['static'];
  return { ...entries, items: entries.items.map((item, index) => itemOf(file, item, index)) };
}
