import { Type } from '@sinclair/typebox';
import { Line, Title } from './text';

export const PrepaidPurchaseBody = Type.Object(
  {
    minutes: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'minutes bought (600 for 10 hours)' }),
    description: Title(500, { description: 'what the invoice of the purchase says, e.g. "40 h for 2027"' }),
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
  expiredMinutes: Type.Integer({ description: 'minutes left unused at the end of their year, expired' }),
  balanceMinutes: Type.Integer({
    description:
      "what tickets may draw now: this year's purchases less this year's draws; never negative (work beyond it is billed), never an earlier year's hours",
  }),
  balanceYear: Type.Integer({
    description: 'the calendar year (Europe/Luxembourg) of the balance: what is left of it expires at its end',
  }),
  movements: Type.Array(
    Type.Object({
      kind: Type.Union([Type.Literal('purchase'), Type.Literal('draw'), Type.Literal('expiry')]),
      minutes: Type.Integer({
        description: 'positive when bought, negative when a ticket drew on them or they expired',
      }),
      year: Type.Integer({ description: 'the calendar year the minutes count in: hours bought are valid for it only' }),
      ticketNumber: Type.Union([Type.String(), Type.Null()]),
      description: Type.String(),
      at: Type.String({ format: 'date-time', description: "when it took effect; an expiry's is the end of its year" }),
      invoiceNumber: Type.Union([Type.String(), Type.Null()], {
        description: 'the invoice that billed a purchase or reported an expiry',
      }),
    }),
  ),
});
