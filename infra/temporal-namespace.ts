import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { VIGIL_SEARCH_ATTRIBUTES } from '../messages/search-attributes';
import { waitUntil } from './managed-process';
import type { TemporalConnectionOptions } from './temporal-connection';

const { IndexedValueType } = temporal.api.enums.v1;
const INDEXED_VALUE_TYPES: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.TEXT]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.KEYWORD]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Vigil's search attributes (messages/search-attributes.ts) as the operator service's AddSearchAttributes takes them. */
export const VIGIL_INDEXED_SEARCH_ATTRIBUTES: Record<string, temporal.api.enums.v1.IndexedValueType> =
  Object.fromEntries(VIGIL_SEARCH_ATTRIBUTES.map((key) => [key.name, INDEXED_VALUE_TYPES[key.type]]));

/**
 * How long a closed ticket's history stays in Temporal: a week to look at a billed ticket in the Web UI. What Vigil
 * keeps for good (the ticket, its events, its bill) is in its own PostgreSQL, not here.
 */
export const NAMESPACE_RETENTION = '7 days';

/**
 * How often each service of the full server reads its namespaces again (Temporal v1.29.1's default for
 * system.namespaceCacheRefreshInterval, which infra/temporal/dynamic-config.yaml leaves as it is).
 */
const NAMESPACE_REFRESH_MS = 2_000;

/**
 * Whether a Temporal frontend answers (a server that is starting refuses, or fails the call): at an address in plain
 * gRPC, or through the connection options of infra/temporal-connection.ts (TLS, Temporal Cloud's credentials).
 */
export async function frontendAnswers(target: string | TemporalConnectionOptions): Promise<boolean> {
  const options = typeof target === 'string' ? { address: target } : target;
  const connection = await Connection.connect({ ...options, connectTimeout: 1_000 });
  try {
    await connection.workflowService.getSystemInfo({});
    return true;
  } finally {
    await connection.close();
  }
}

const isNotFound = (error: unknown) => (error as { code?: number }).code === 5;
// PERMISSION_DENIED or UNIMPLEMENTED: what Temporal Cloud answers to registering a namespace or adding search
// attributes through the API, which it does in its own web UI and tcld.
const isRefusedHere = (error: unknown) => [7, 12].includes((error as { code?: number }).code ?? 0);

/**
 * Makes `namespace` usable by Vigil on a server that has only its system namespace (the full server on a new
 * database): registers it, adds Vigil's search attributes through the operator service (on SQL visibility they are
 * aliases of pre-allocated columns, kept in the namespace's own metadata) and waits until the frontend answers a
 * query on them. Each step is skipped when already done, so it runs at every start. Resolves with whether anything
 * had to be done.
 */
export async function ensureVigilNamespace(connection: Connection, namespace: string): Promise<boolean> {
  const { workflowService, operatorService } = connection;
  let changed = false;
  try {
    await workflowService.describeNamespace({ namespace });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    await workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(NAMESPACE_RETENTION) })
      .catch((refusal: unknown) => {
        if (!isRefusedHere(refusal)) throw refusal;
        throw new Error(
          `namespace ${namespace} does not exist and this server does not let Vigil register it (on Temporal Cloud, create it in the Cloud UI or with tcld)`,
          { cause: refusal },
        );
      });
    changed = true;
  }
  // A namespace just registered is unknown to the frontend until its cache is next refreshed.
  let customAttributes: Record<string, unknown> | null | undefined;
  await waitUntil(`namespace ${namespace} on the frontend`, async () => {
    ({ customAttributes } = await operatorService.listSearchAttributes({ namespace }));
    return true;
  });
  const missing = Object.entries(VIGIL_INDEXED_SEARCH_ATTRIBUTES).filter(
    ([name]) => !(name in (customAttributes ?? {})),
  );
  if (missing.length > 0) {
    await operatorService
      .addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing) })
      .catch((refusal: unknown) => {
        if (!isRefusedHere(refusal)) throw refusal;
        const wanted = VIGIL_SEARCH_ATTRIBUTES.filter((key) => missing.some(([name]) => name === key.name)).map(
          (key) => `${key.name} (${key.type})`,
        );
        throw new Error(
          `namespace ${namespace} lacks Vigil's search attributes ${wanted.join(', ')}, and this server does not let Vigil add them (on Temporal Cloud, add them in the Cloud UI or with tcld namespace search-attributes add)`,
          { cause: refusal },
        );
      });
    changed = true;
  }
  if (!changed) return false;
  // A query naming every attribute: it succeeds once the frontend's namespace cache holds the namespace and its
  // aliases. Each name is quoted, as a list query must quote `Status` (on the dev server too): its parser takes the bare
  // word for its own keyword, lower-cased, which is no attribute. The history service, which checks the attributes a workflow upserts, reads the same metadata on the same
  // refresh period but on a timer of its own, so one more period is waited for it.
  const query = Object.keys(VIGIL_INDEXED_SEARCH_ATTRIBUTES)
    .map((name) => `\`${name}\` IS NULL`)
    .join(' AND ');
  await waitUntil(`namespace ${namespace} with Vigil's search attributes`, async () => {
    await workflowService.countWorkflowExecutions({ namespace, query });
    return true;
  });
  await new Promise((resolve) => setTimeout(resolve, NAMESPACE_REFRESH_MS));
  return true;
}
