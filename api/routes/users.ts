import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from '@sinclair/typebox';
import { LANGUAGES } from '../../messages/accounts';
import { ROLES } from '../../messages/principal';
import type { SessionStore } from '../../db/sessions';
import { UserError, type User, type UserStore } from '../../db/users';
import { requireRoles } from '../auth';
import { HttpProblem, invalidField, notFound } from '../problems';
import { Line } from '../schemas/text';
import { problemResponses as problems } from '../schemas/problem';

export interface UserRoutesDeps {
  users: UserStore;
  sessions: SessionStore;
}

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));
const strictObject = <P extends Record<string, TSchema>>(properties: P) => Type.Object(properties, { additionalProperties: false });

const NewUserBody = strictObject({
  email: Line(320, { format: 'email' }),
  name: Line(200),
  role: literals(ROLES),
  customerId: Type.Optional(Line(100, { description: "a customer contact's company; only for the role customer" })),
  language: Type.Optional(literals(LANGUAGES)),
  password: Type.Optional(Type.String({ minLength: 12, maxLength: 256, description: 'optional: without one, the person signs in by a link sent by e-mail or sets one by a reset' })),
});
const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: literals(ROLES),
  customerId: Type.Optional(Type.String()),
  language: Type.Optional(literals(LANGUAGES)),
  hasPassword: Type.Boolean(),
  disabledAt: Type.Optional(Type.String({ format: 'date-time' })),
  createdAt: Type.String({ format: 'date-time' }),
  links: Type.Object({ disable: Type.String() }),
});
const UserIdParams = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$', description: 'user id, e.g. 7' }) });

const userView = (user: User) => ({ ...user, links: { disable: `/v1/admin/users/${user.id}/disable` } });

function problemOf(error: UserError): HttpProblem {
  if (error.code === 'USER_EXISTS') return new HttpProblem({ type: 'https://vigil.dev/problems/user-exists', title: 'User already exists', status: 409, detail: error.message });
  return invalidField(`body.${error.field}`, error.message);
}

/** People who sign in to the console, for admin keys and admins signed in; mount under /v1/admin. */
export const userRoutes: FastifyPluginCallbackTypebox<UserRoutesDeps> = (app, { users, sessions }, done) => {
  app.addHook('onRequest', requireRoles('admin'));

  app.post(
    '/users',
    { schema: { summary: 'Add a person who signs in to the console', body: NewUserBody, response: { 201: UserView, ...problems(401, 403, 409, 422, 500) } } },
    async (request, reply) => {
      const user = await users.create(request.body).catch((error: unknown) => {
        throw error instanceof UserError ? problemOf(error) : error;
      });
      return reply.status(201).send(userView(user));
    },
  );

  app.get('/users', { schema: { summary: 'Every person, disabled ones included (never a password)', response: { 200: Type.Object({ users: Type.Array(UserView) }), ...problems(401, 403, 500) } } }, async () => ({
    users: (await users.list()).map(userView),
  }));

  app.post(
    '/users/:id/disable',
    { schema: { summary: 'Disable a person at once: every session of theirs ends', params: UserIdParams, response: { 200: UserView, ...problems(401, 403, 404, 422, 500) } } },
    async (request) => {
      const user = await users.disable(request.params.id);
      if (!user) throw notFound(`no user ${request.params.id}`);
      await sessions.destroyAll(user.id);
      return userView(user);
    },
  );

  done();
};
