import type { Pool, PoolClient } from 'pg';
import { Policy, PolicyLookupError, type PolicyDocument, type PolicySummary } from '../domain/policy';
import type { PolicyCatalog } from '../policies/catalog';
import { presetDocuments } from '../policies/registry';

/** A published version as the admin API and CLI list it. */
export interface PolicyVersionRecord {
  policyId: string;
  version: number;
  title: string;
  /** ISO-8601 with offset: tickets registered from then on pin this version. */
  effectiveFrom: string;
  publishedAt: string;
  publishedBy: string;
}

export interface PublishedPolicyVersion extends PolicyVersionRecord {
  document: PolicyDocument;
}

export const RECORD_COLUMNS = `policy_id, version, document ->> 'title' AS title, effective_from, published_at, published_by`;

export interface RecordRow {
  policy_id: string;
  version: number;
  title: string;
  effective_from: Date;
  published_at: Date;
  published_by: string;
}

export const toRecord = (row: RecordRow): PolicyVersionRecord => ({
  policyId: row.policy_id,
  version: row.version,
  title: row.title,
  effectiveFrom: row.effective_from.toISOString(),
  publishedAt: row.published_at.toISOString(),
  publishedBy: row.published_by,
});

/** The policy versions in PostgreSQL (migration 0012): what tickets, billing, invoicing and contracts run under. */
export interface PgPolicyCatalog extends PolicyCatalog {
  find(id: string, version?: number): Promise<Policy>;
  inForce(id: string, at: number): Promise<Policy>;
  list(): Promise<PolicySummary[]>;
  /** Every published version, oldest first per policy, without their documents. */
  versions(): Promise<PolicyVersionRecord[]>;
  /** One published version with its document, as it was published. */
  version(id: string, version: number): Promise<PublishedPolicyVersion | undefined>;
  /** The same catalog, its cache shared, reading on `client`: inside a transaction, what it has written too. */
  within(client: PoolClient): PgPolicyCatalog;
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

/**
 * Serialises, per policy, publishing a version and saving a contract that follows it: each checks the contract's
 * terms against the versions the other may be writing, so neither commits unseen by the other. Until COMMIT.
 */
export async function lockPolicy(client: PoolClient, policyId: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock(hashtext('policy:' || $1))", [policyId]);
}

// A version is never edited once published (the table refuses it), so a parsed one is kept for the process's life.
const catalogs = new WeakMap<Pool, PgPolicyCatalog>();

/** The catalog of `db`'s policy versions; one per pool, so every caller shares what was already parsed. */
export function pgPolicyCatalog(db: Pool): PgPolicyCatalog {
  const known = catalogs.get(db);
  if (known) return known;
  const catalog = createCatalog(db, new Map());
  catalogs.set(db, catalog);
  return catalog;
}

function createCatalog(db: Queryable, parsed: Map<string, Policy>): PgPolicyCatalog {
  const keyOf = (id: string, version: number) => `${id}\u0000${version}`;

  async function missing(id: string, version?: number): Promise<never> {
    const { rows } = await db.query<{ versions: number[] }>(
      'SELECT array_agg(version ORDER BY version) AS versions FROM policy_versions WHERE policy_id = $1',
      [id],
    );
    const versions = rows[0]?.versions;
    if (!versions) {
      const { rows: ids } = await db.query<{ ids: string[] | null }>(
        'SELECT array_agg(DISTINCT policy_id ORDER BY policy_id) AS ids FROM policy_versions',
      );
      throw new PolicyLookupError(
        'POLICY_UNKNOWN',
        `unknown policy "${id}" (known: ${(ids[0]?.ids ?? []).join(', ')})`,
      );
    }
    throw new PolicyLookupError(
      'POLICY_VERSION_UNKNOWN',
      `policy "${id}" has no version ${version} (versions: ${versions.join(', ')})`,
    );
  }

  async function find(id: string, version?: number): Promise<Policy> {
    const cached = version === undefined ? undefined : parsed.get(keyOf(id, version));
    if (cached) return cached;
    const { rows } =
      version === undefined
        ? await db.query<{ document: unknown; version: number }>(
            'SELECT document, version FROM policy_versions WHERE policy_id = $1 ORDER BY version DESC LIMIT 1',
            [id],
          )
        : await db.query<{ document: unknown; version: number }>(
            'SELECT document, version FROM policy_versions WHERE policy_id = $1 AND version = $2',
            [id, version],
          );
    const row = rows[0];
    if (!row) return missing(id, version);
    const policy =
      parsed.get(keyOf(id, row.version)) ?? Policy.parse(row.document, `policy_versions ${id} v${row.version}`);
    parsed.set(keyOf(id, row.version), policy);
    return policy;
  }

  return {
    find,

    async inForce(id, at) {
      const { rows } = await db.query<{ version: number }>(
        'SELECT version FROM policy_versions WHERE policy_id = $1 AND effective_from <= $2::timestamptz ORDER BY effective_from DESC LIMIT 1',
        [id, new Date(at).toISOString()],
      );
      if (rows[0]) return find(id, rows[0].version);
      await find(id);
      throw new PolicyLookupError(
        'POLICY_NOT_IN_FORCE',
        `policy "${id}" was not yet in force at ${new Date(at).toISOString()}`,
      );
    },

    async list() {
      const { rows } = await db.query<{ policy_id: string; versions: number[] }>(
        'SELECT policy_id, array_agg(version ORDER BY version) AS versions FROM policy_versions GROUP BY policy_id ORDER BY policy_id',
      );
      return rows.map((row) => ({ id: row.policy_id, versions: row.versions }));
    },

    async versions() {
      const { rows } = await db.query<RecordRow>(
        `SELECT ${RECORD_COLUMNS} FROM policy_versions ORDER BY policy_id, version`,
      );
      return rows.map(toRecord);
    },

    async version(id, version) {
      const { rows } = await db.query<RecordRow & { document: PolicyDocument }>(
        `SELECT ${RECORD_COLUMNS}, document FROM policy_versions WHERE policy_id = $1 AND version = $2`,
        [id, version],
      );
      return rows[0] && { ...toRecord(rows[0]), document: rows[0].document };
    },

    within: (client) => createCatalog(client, parsed),
  };
}

/**
 * Loads the presets (policies/presets/) as published versions, once: a version already in the table stays as it was
 * published, since tickets pinned it. A preset file edited under a version number already loaded is reported, not
 * applied; its change needs a new version. Run by db/migrate.ts on its locked connection.
 */
export async function loadPresetPolicies(
  client: PoolClient,
  warn: (message: string) => void = console.warn,
): Promise<void> {
  for (const [document, file] of presetDocuments) {
    const { id, version, effectiveFrom } = document as PolicyDocument;
    const { rows } = await client.query<{ same: boolean; published_by: string }>(
      `WITH loaded AS (
         INSERT INTO policy_versions (policy_id, version, effective_from, document, published_by)
         VALUES ($1, $2, $3::timestamptz, $4::jsonb, $5) ON CONFLICT DO NOTHING RETURNING true AS same, published_by)
       SELECT same, published_by FROM loaded
       UNION ALL
       SELECT document = $4::jsonb, published_by FROM policy_versions WHERE policy_id = $1 AND version = $2 AND NOT EXISTS (SELECT FROM loaded)`,
      [id, version, effectiveFrom, JSON.stringify(document), `preset ${file}`],
    );
    const stored = rows[0];
    if (!stored) {
      warn(
        `${file}: not loaded: "${id}" already has a version taking effect at ${effectiveFrom}; give the preset another effective date`,
      );
    } else if (!stored.same) {
      warn(
        `${file}: differs from "${id}" v${version} as published (${stored.published_by}); the published version stays in force: publish the change as v${version + 1}`,
      );
    }
  }
}
