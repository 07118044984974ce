import { Type, type TSchema } from '@sinclair/typebox';
import { LANGUAGES } from '../../messages/accounts';
import { ROLES } from '../../messages/principal';
import { Line } from './text';

// People who sign in to the console (api/routes/users.ts); the console's own forms are built from these (api/web/admin-forms.ts).
const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));
const strictObject = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });

export const NewUserBody = strictObject({
  email: Line(320, { format: 'email' }),
  name: Line(200),
  role: literals(ROLES),
  customerId: Type.Optional(Line(100, { description: "a customer contact's company; only for the role customer" })),
  language: Type.Optional(literals(LANGUAGES)),
  password: Type.Optional(
    Type.String({
      minLength: 12,
      maxLength: 256,
      description: 'optional: without one, the person signs in by a link sent by e-mail or sets one by a reset',
    }),
  ),
});
export const UserPatchBody = Type.Object(
  {
    name: Type.Optional(Line(200)),
    role: Type.Optional(literals(ROLES)),
    customerId: Type.Optional(
      Type.Union([Line(100), Type.Null()], {
        description: "a customer contact's company; null, or a staff role given alone, takes it away",
      }),
    ),
    language: Type.Optional(
      Type.Union([literals(LANGUAGES), Type.Null({ description: "back to the customer's language, else English" })]),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
export const UserListQuery = Type.Object(
  { customer: Type.Optional(Line(100, { description: "only this customer's contacts" })) },
  { additionalProperties: false },
);
export const SentLinkView = Type.Object({
  userId: Type.String(),
  sentTo: Type.String({ description: 'the address the link was mailed to, through the outbox' }),
  expiresAt: Type.String({ format: 'date-time' }),
});
export const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: literals(ROLES),
  customerId: Type.Optional(Type.String()),
  language: Type.Optional(literals(LANGUAGES)),
  hasPassword: Type.Boolean(),
  disabledAt: Type.Optional(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  links: Type.Object({
    self: Type.String(),
    disable: Type.String(),
    enable: Type.String(),
    passwordReset: Type.String(),
    signInLink: Type.Optional(Type.String()),
  }),
});
export const UserIdParams = Type.Object({
  id: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'user id, e.g. 7' }),
});
