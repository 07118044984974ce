import { Type } from '@sinclair/typebox';
import { Line } from './text';

export const PrepaidPurchaseBody = Type.Object(
  {
    minutes: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'minutes bought (600 for 10 hours)' }),
    description: Line(500, { description: 'what the invoice of the purchase says, e.g. "40 h for 2027"' }),
  },
  { additionalProperties: false },
);

export const PrepaidPurchaseHeaders = Type.Object({
  'idempotency-key': Type.Optional(Line(200, { description: 'a retried purchase with the same key is recorded once' })),
});

export const PrepaidAccountView = Type.Object({
  contractId: Type.String(),
  boughtMinutes: Type.Integer(),
  usedMinutes: Type.Integer(),
  balanceMinutes: Type.Integer({ description: 'what tickets may still draw; never negative: work beyond it is billed' }),
  movements: Type.Array(
    Type.Object({
      minutes: Type.Integer({ description: 'positive when bought, negative when a ticket drew on them' }),
      ticketNumber: Type.Union([Type.String(), Type.Null()]),
      description: Type.String(),
      at: Type.String({ format: 'date-time' }),
    }),
  ),
});
