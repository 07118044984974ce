import { DateTime } from 'luxon';
import type { Pool, PoolClient } from 'pg';
import { AccountError } from '../messages/accounts';
import { DESK_ZONE } from '../messages/desk-zone';
import { Policy, PolicyPublishError, PolicyValidationError, type PolicyIssue } from '../domain/policy';
import { termsUnder } from './account-input';
import { contractsFollowing } from './accounts';
import { lockPolicy, RECORD_COLUMNS, toRecord, type PolicyVersionRecord, type RecordRow } from './policy-versions';
import { withTransaction } from './transaction';

export interface PublishOutcome {
  published: PolicyVersionRecord;
  /** False when this very document was published already under its version: a retry, answered as the first time. */
  created: boolean;
}

// The policy_versions table's CHECK on the id, said in words before it is reached.
const MAX_ID_LENGTH = 100;

const iso = (epochMs: number) => DateTime.fromMillis(epochMs, { zone: DESK_ZONE }).toISO()!;

/**
 * Where a contract would break under `policy`: the first refusal of its policy-bound terms (db/account-input.ts),
 * named by the contract's id and field, e.g. `/contracts/12/rates/hourlyCentsByRole/technician`.
 */
function contractIssues(contracts: Awaited<ReturnType<typeof contractsFollowing>>, policy: Policy): PolicyIssue[] {
  return contracts.flatMap((contract) => {
    try {
      termsUnder(contract, [policy]);
      return [];
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      return [
        {
          path: `/contracts/${contract.id}/${error.field.replaceAll('.', '/')}`,
          message: `contract ${contract.id} of customer "${contract.customerId}": ${error.message}`,
        },
      ];
    }
  });
}

/** The checks a new version must pass against the versions before it, in the transaction that holds the policy's lock. */
async function refusalOf(client: PoolClient, policy: Policy): Promise<PolicyPublishError | undefined> {
  const { rows } = await client.query<{ version: number; effective_from: Date; now: Date }>(
    'SELECT version, effective_from, now() FROM policy_versions WHERE policy_id = $1 ORDER BY version DESC LIMIT 1',
    [policy.id],
  );
  const latest = rows[0];
  const next = (latest?.version ?? 0) + 1;
  if (policy.version !== next) {
    const already = latest ? `the latest is v${latest.version}` : 'it has none yet';
    return new PolicyPublishError('POLICY_VERSION_NOT_NEXT', [
      { path: '/version', message: `must be ${next}, the next version of "${policy.id}" (${already})` },
    ]);
  }
  const now = latest?.now.getTime() ?? (await client.query<{ now: Date }>('SELECT now()')).rows[0]!.now.getTime();
  if (policy.effectiveFrom < now) {
    const message = `must not be in the past (it is ${iso(now)}): tickets already registered keep the version they pinned, so a version takes effect from now on`;
    return new PolicyPublishError('POLICY_EFFECTIVE_DATE', [{ path: '/effectiveFrom', message }]);
  }
  if (latest && policy.effectiveFrom <= latest.effective_from.getTime()) {
    const message = `must be after v${latest.version}'s (${iso(latest.effective_from.getTime())}), which it supersedes`;
    return new PolicyPublishError('POLICY_EFFECTIVE_DATE', [{ path: '/effectiveFrom', message }]);
  }
  const fromDate = DateTime.fromMillis(policy.effectiveFrom, { zone: DESK_ZONE }).toISODate()!;
  const broken = contractIssues(await contractsFollowing(client, policy.id, fromDate), policy);
  return broken.length > 0 ? new PolicyPublishError('POLICY_BREAKS_CONTRACTS', broken) : undefined;
}

/**
 * Publishes a policy version: validated like a preset (every wrong field named by its path), numbered next after the
 * published ones, taking effect from now on and after the version it supersedes, and refused while a contract
 * following the policy would break under it. Publishing the same document again answers what was published (a
 * client's retry); another document under a published version is refused: a version is never edited.
 */
export async function publishPolicyVersion(db: Pool, document: unknown, publishedBy: string): Promise<PublishOutcome> {
  const policy = Policy.parse(document, 'policy');
  if (policy.id.length > MAX_ID_LENGTH)
    throw new PolicyValidationError('policy', [
      { path: '/id', message: `must be at most ${MAX_ID_LENGTH} characters` },
    ]);
  return withTransaction(db, async (client) => {
    await lockPolicy(client, policy.id);
    const { rows: same } = await client.query<RecordRow & { identical: boolean }>(
      `SELECT ${RECORD_COLUMNS}, document = $3::jsonb AS identical FROM policy_versions WHERE policy_id = $1 AND version = $2`,
      [policy.id, policy.version, JSON.stringify(policy.document)],
    );
    const existing = same[0];
    if (existing?.identical) return { published: toRecord(existing), created: false };
    if (existing) {
      const message = `"${policy.id}" v${policy.version} was published on ${existing.published_at.toISOString()} (${existing.published_by}) with other terms; a published version is never edited: publish the change as a new version`;
      throw new PolicyPublishError('POLICY_VERSION_EXISTS', [{ path: '/version', message }]);
    }
    const refusal = await refusalOf(client, policy);
    if (refusal) throw refusal;
    const { rows } = await client.query<RecordRow>(
      `INSERT INTO policy_versions (policy_id, version, effective_from, document, published_by)
       VALUES ($1, $2, $3::timestamptz, $4::jsonb, $5) RETURNING ${RECORD_COLUMNS}`,
      [
        policy.id,
        policy.version,
        new Date(policy.effectiveFrom).toISOString(),
        JSON.stringify(policy.document),
        publishedBy,
      ],
    );
    return { published: toRecord(rows[0]!), created: true };
  });
}
