import { Type } from '@sinclair/typebox';

/** RFC 9457 problem details as every error response carries them. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'a stable URI per kind of error, to branch on' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
  },
  { additionalProperties: true },
);

/** The response schemas of the error statuses a route may answer. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, ProblemSchema]));
