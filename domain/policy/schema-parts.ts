import { Type } from '@sinclair/typebox';
import type { TObject, TOptional, TSchema } from '@sinclair/typebox';
import { literals } from '../../messages/schema-parts';
import { WEEKDAY_NAMES } from '../calendar';

/** The building blocks shared by the policy schema and its billing part. */

export const strict = { additionalProperties: false } as const;

/** An object with at most these keys, each holding `value`. */
export function partialRecordOf<K extends string, S extends TSchema>(
  keys: readonly K[],
  value: S,
): TObject<{ [P in K]: TOptional<S> }> {
  // fromEntries forgets the keys; they are exactly `keys`.
  const properties = Object.fromEntries(keys.map((key) => [key, Type.Optional(value)])) as unknown;
  return Type.Object(properties as { [P in K]: TOptional<S> }, strict);
}

export const TimeOfDay = Type.String({
  pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
  description: 'a time of day HH:MM (24:00 allowed)',
});

export const Name = Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'a lower-case kebab-case name' });

export const Zone = Type.String({ minLength: 1, description: 'an IANA time zone such as Europe/Luxembourg' });

export const WeeklyWindowSchema = Type.Object(
  { days: Type.Array(literals(WEEKDAY_NAMES), { minItems: 1, uniqueItems: true }), from: TimeOfDay, to: TimeOfDay },
  strict,
);

export const HolidaysSchema = Type.Object(
  {
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'an ISO 3166 country code such as LU' }),
    region: Type.Optional(Type.String({ minLength: 1 })),
  },
  strict,
);

export const LocalDate = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
  description: 'a local date YYYY-MM-DD',
});
