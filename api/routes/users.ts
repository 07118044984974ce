import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AccountStore } from '../../messages/accounts';
import type { SessionStore } from '../../db/sessions';
import type { SignInPurpose } from '../../db/sign-in-tokens';
import { UserError, type User, type UserStore } from '../../db/users';
import type { IdempotencyStore } from '../../db/idempotency';
import { requireRoles } from '../auth';
import { createOnce, sendCreated } from '../idempotent-creations';
import { HttpProblem, invalidField, notFound, problemType } from '../problems';
import { LINK_MINUTES, LinkRefused, sendLinkTo, type LinkMailer } from '../web/sign-in-mail';
import { NewUserBody, SentLinkView, UserIdParams, UserListQuery, UserPatchBody, UserView } from '../schemas/users';
import { problemResponses as problems } from '../schemas/problem';
import { IdempotencyHeaders } from '../schemas/ticket';

export interface UserRoutesDeps {
  users: UserStore;
  sessions: SessionStore;
  /** The links an admin sends: their tokens, the outbox, the console's public address (api/web/sign-in-mail.ts). */
  links: LinkMailer;
  /** A customer's language, for the mails to its contacts who chose none. */
  accounts: AccountStore;
  /** The Idempotency-Keys of the people added and the links mailed, kept as the ticket actions' (api/idempotent-creations.ts). */
  idempotency: IdempotencyStore;
}

const userView = (user: User) => {
  const self = `/v1/admin/users/${user.id}`;
  return {
    ...user,
    links: {
      self,
      disable: `${self}/disable`,
      enable: `${self}/enable`,
      passwordReset: `${self}/password-reset`,
      ...(user.role === 'customer' ? { signInLink: `${self}/sign-in-link` } : {}),
    },
  };
};

function problemOf(error: UserError): HttpProblem {
  if (error.code === 'USER_EXISTS') {
    return new HttpProblem({
      type: problemType('user-exists'),
      title: 'User already exists',
      status: 409,
      detail: `body.${error.field}: ${error.message}`,
      errors: [{ field: `body.${error.field}`, message: error.message }],
    });
  }
  return invalidField(`body.${error.field}`, error.message);
}

/** People who sign in to the console, for admin keys and admins signed in; mount under /v1/admin. */
export const userRoutes: FastifyPluginCallbackTypebox<UserRoutesDeps> = (
  app,
  { users, sessions, links, accounts, idempotency },
  done,
) => {
  app.addHook('onRequest', requireRoles('admin'));

  const refusing = <T>(work: Promise<T>) =>
    work.catch((error: unknown) => {
      throw error instanceof UserError ? problemOf(error) : error;
    });

  async function existing(id: string): Promise<User> {
    const user = await users.get(id);
    if (!user) throw notFound(`no user ${id}`);
    return user;
  }

  /**
   * One link, mailed to the person; the answer says where and until when, never the link itself. Run as a creation
   * (api/idempotent-creations.ts): a double click or a retry under the same Idempotency-Key mails one link, and gets
   * the first answer again.
   */
  async function sendLink(request: FastifyRequest, reply: FastifyReply, purpose: SignInPurpose, id: string) {
    const create = async () =>
      sendLinkTo(links, accounts, purpose, await existing(id)).catch((error: unknown) => {
        throw error instanceof LinkRefused
          ? new HttpProblem({ type: problemType(error.slug), title: error.title, status: 409, detail: error.message })
          : error;
      });
    return sendCreated(reply, await createOnce(idempotency, request, { create, status: 202, what: 'link' }));
  }

  app.post(
    '/users',
    {
      schema: {
        summary: 'Add a person who signs in to the console',
        headers: IdempotencyHeaders,
        body: NewUserBody,
        response: { 201: UserView, ...problems(401, 403, 409, 422, 500) },
      },
    },
    async (request, reply) => {
      const created = await createOnce(idempotency, request, {
        create: async () => userView(await refusing(users.create(request.body))),
      });
      return sendCreated(reply, created);
    },
  );

  app.get(
    '/users',
    {
      schema: {
        summary: "Every person, disabled ones included (never a password); or one customer's contacts",
        querystring: UserListQuery,
        response: { 200: Type.Object({ users: Type.Array(UserView) }), ...problems(401, 403, 422, 500) },
      },
    },
    async (request) => {
      const { customer } = request.query;
      return {
        users: (await users.list())
          .filter((user) => customer === undefined || user.customerId === customer)
          .map(userView),
      };
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        summary: 'A person',
        params: UserIdParams,
        response: { 200: UserView, ...problems(401, 403, 404, 422, 500) },
      },
    },
    async (request) => userView(await existing(request.params.id)),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        summary:
          "Change a person's name, role, company or language; a new role or company applies to their next request",
        params: UserIdParams,
        body: UserPatchBody,
        response: { 200: UserView, ...problems(401, 403, 404, 422, 500) },
      },
    },
    async (request) => {
      const user = await refusing(users.update(request.params.id, request.body));
      if (!user) throw notFound(`no user ${request.params.id}`);
      return userView(user);
    },
  );

  app.post(
    '/users/:id/disable',
    {
      schema: {
        summary: 'Disable a person at once: every session of theirs ends',
        params: UserIdParams,
        response: { 200: UserView, ...problems(401, 403, 404, 422, 500) },
      },
    },
    async (request) => {
      const user = await users.disable(request.params.id);
      if (!user) throw notFound(`no user ${request.params.id}`);
      await sessions.destroyAll(user.id);
      return userView(user);
    },
  );

  app.post(
    '/users/:id/enable',
    {
      schema: {
        summary: 'Let a disabled person sign in again; enabling again changes nothing',
        params: UserIdParams,
        response: { 200: UserView, ...problems(401, 403, 404, 422, 500) },
      },
    },
    async (request) => {
      const user = await users.enable(request.params.id);
      if (!user) throw notFound(`no user ${request.params.id}`);
      return userView(user);
    },
  );

  app.post(
    '/users/:id/password-reset',
    {
      schema: {
        summary: `Mail the person a link to choose a new password (valid ${LINK_MINUTES.reset} minutes, once); the link is never in the answer`,
        params: UserIdParams,
        headers: IdempotencyHeaders,
        response: { 202: SentLinkView, ...problems(401, 403, 404, 409, 422, 500) },
      },
    },
    async (request, reply) => sendLink(request, reply, 'reset', request.params.id),
  );

  app.post(
    '/users/:id/sign-in-link',
    {
      schema: {
        summary: `Mail a customer's contact a one-time sign-in link (valid ${LINK_MINUTES['sign-in']} minutes); the link is never in the answer`,
        params: UserIdParams,
        headers: IdempotencyHeaders,
        response: { 202: SentLinkView, ...problems(401, 403, 404, 409, 422, 500) },
      },
    },
    async (request, reply) => sendLink(request, reply, 'sign-in', request.params.id),
  );

  done();
};
