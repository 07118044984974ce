import { Type } from '@sinclair/typebox';
import { LANGUAGES } from '../../messages/accounts';
import { ROLES } from '../../messages/principal';
import { literals } from '../../messages/schema-parts';
import { Line } from './text';

// People who sign in to the console (api/routes/users.ts). The bodies are the store's commands, defined once beside
// its other accounts (messages/accounts.ts); the console's own forms are built from them (api/web/admin-forms.ts).
export { NewUser as NewUserBody, UserPatch as UserPatchBody } from '../../messages/accounts';

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
