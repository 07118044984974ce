import { Type, type SchemaOptions, type TSchema } from '@sinclair/typebox';

/** The building blocks of the shared schemas (messages/) and the API's (api/schemas/). */

/** An object that takes these properties and no other. */
export const strictObject = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });

/** One of these strings. */
export const literals = <T extends string>(values: readonly T[], options: SchemaOptions = {}) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    options,
  );

/** A schema's options as a flat list: a union's members, a union within it flattened (a language or null). */
export const unionOptions = (schema: TSchema): TSchema[] =>
  ((schema.anyOf as TSchema[] | undefined) ?? [schema]).flatMap((option) =>
    option.anyOf ? unionOptions(option) : [option],
  );
