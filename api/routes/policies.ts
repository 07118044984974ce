import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { PublishOutcome } from '../../db/policy-publishing';
import type { PolicyVersionRecord, PublishedPolicyVersion } from '../../db/policy-versions';
import { requireRoles } from '../auth';
import { HttpProblem, notFound } from '../problems';
import { principalOf } from '../request-principal';
import {
  PolicyDocumentBody,
  PolicyList,
  PolicyVersionParams,
  PolicyVersionView,
  PublishedPolicyView,
} from '../schemas/policy';
import { problemResponses as problems } from '../schemas/problem';

/** What the policy routes need of the store (db/policy-versions.ts, db/policy-publishing.ts). */
export interface PolicyVersionStore {
  versions(): Promise<PolicyVersionRecord[]>;
  version(id: string, version: number): Promise<PublishedPolicyVersion | undefined>;
  publish(document: unknown, publishedBy: string): Promise<PublishOutcome>;
}

export interface PolicyRoutesDeps {
  policyVersions: PolicyVersionStore;
}

const refusals = problems(401, 403, 500, 503);

// The links assume app.ts mounts these routes under /v1/admin.
const selfOf = ({ policyId, version }: PolicyVersionRecord) => `/v1/admin/policies/${policyId}/versions/${version}`;
const versionView = <R extends PolicyVersionRecord>(record: R) => ({ ...record, links: { self: selfOf(record) } });

/** Published policy versions, for admin keys only: list, read, publish; never edit. Mount under /v1/admin. */
export const policyRoutes: FastifyPluginCallbackTypebox<PolicyRoutesDeps> = (app, { policyVersions }, done) => {
  app.addHook('onRequest', requireRoles('admin'));

  app.get(
    '/policies',
    {
      schema: {
        summary: 'Every published policy version, oldest first per policy',
        response: { 200: PolicyList, ...refusals },
      },
    },
    async () => {
      const byId = new Map<string, ReturnType<typeof versionView<PolicyVersionRecord>>[]>();
      for (const record of await policyVersions.versions())
        byId.set(record.policyId, [...(byId.get(record.policyId) ?? []), versionView(record)]);
      return { policies: [...byId].map(([id, versions]) => ({ id, versions })) };
    },
  );

  app.get(
    '/policies/:id/versions/:version',
    {
      schema: {
        summary: 'A published policy version and its document',
        params: PolicyVersionParams,
        response: { 200: PublishedPolicyView, ...problems(404, 422), ...refusals },
      },
    },
    async (request) => {
      const found = await policyVersions.version(request.params.id, request.params.version);
      if (!found) throw notFound(`policy "${request.params.id}" has no version ${request.params.version}`);
      return versionView(found);
    },
  );

  app.post(
    '/policies',
    {
      schema: {
        summary:
          'Publish a policy version (a new policy, or the next version of one), taking effect at its effectiveFrom; sending the same document again answers 200',
        body: PolicyDocumentBody,
        response: { 200: PolicyVersionView, 201: PolicyVersionView, ...problems(409, 422), ...refusals },
      },
    },
    async (request, reply) => {
      const { keyId, label } = principalOf(request);
      const { published, created } = await policyVersions.publish(request.body, `admin key "${label}" (${keyId})`);
      const view = versionView(published);
      return reply
        .status(created ? 201 : 200)
        .header('location', view.links.self)
        .send(view);
    },
  );

  // A published version is never edited nor withdrawn: said as such, rather than as a route that does not exist.
  app.route({
    method: ['PUT', 'PATCH', 'DELETE'],
    url: '/policies/:id/versions/:version',
    schema: { hide: true },
    handler: () => {
      const detail =
        'a published policy version is never edited nor removed, since tickets pinned it: publish the next version to supersede it';
      throw new HttpProblem(
        {
          type: 'https://vigil.dev/problems/policy-version-immutable',
          title: 'Policy versions are immutable',
          status: 405,
          detail,
        },
        { allow: 'GET' },
      );
    },
  });

  done();
};
