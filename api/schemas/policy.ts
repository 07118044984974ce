import { Type } from '@sinclair/typebox';

const Instant = Type.String({ format: 'date-time', description: 'ISO-8601 instant with offset' });

export const PolicyVersionParams = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 100, description: 'a policy id, e.g. econnect' }),
  version: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'a published version, e.g. 1' }),
});

// The document is checked by domain/policy (Policy.parse), whose issues name each wrong field by its path under
// `body`: a schema here would answer in Ajv's words, before the policy rules could be told.
export const PolicyDocumentBody = Type.Object(
  {},
  {
    additionalProperties: true,
    description:
      'a policy document, as the files in policies/presets/: id, version (the next one), effectiveFrom (not in the past), title, calendars…',
  },
);

const VersionLinks = Type.Object({ self: Type.String() });

export const PolicyVersionView = Type.Object({
  policyId: Type.String(),
  version: Type.Integer(),
  title: Type.String(),
  effectiveFrom: Instant,
  publishedAt: Instant,
  publishedBy: Type.String({ description: "'preset policies/presets/<file>' or who published it" }),
  links: VersionLinks,
});

export const PublishedPolicyView = Type.Composite([
  Type.Omit(PolicyVersionView, ['links']),
  Type.Object({ document: Type.Object({}, { additionalProperties: true }), links: VersionLinks }),
]);

export const PolicyList = Type.Object({
  policies: Type.Array(Type.Object({ id: Type.String(), versions: Type.Array(PolicyVersionView) })),
});
