import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import { DateTime } from 'luxon';
import { Pool } from 'pg';
import { buildApp, type ApiDeps } from '../../../api/app';
import { ticketQueueBackPressure } from '../../../api/back-pressure';
import { busyBoundsFromEnv } from '../../../infra/config';
import type { AccountStore } from '../../../messages/accounts';
import type { Role } from '../../../messages/principal';
import { createTicketWorkers, type TicketWorkerDeps, type VigilWorkers } from '../../../worker/create-worker';
import { apiStores } from '../../../db/api-stores';
import { migrate } from '../../../db/migrate';
import { ticketNumberAllocator } from '../../../db/ticket-numbers';
import { ticketWorkflowId, type OpenTicketInput, type TicketState } from '../../../messages/ticket';
import { registeredTicket } from '../ticket-state';

export function e2eEnv(): { temporalAddress: string; databaseUrl: string } {
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  const databaseUrl = process.env.DATABASE_URL;
  if (!temporalAddress || !databaseUrl)
    throw new Error('TEMPORAL_ADDRESS and DATABASE_URL are set by test/e2e/global-setup.ts');
  return { temporalAddress, databaseUrl };
}

export async function migratedPool(): Promise<Pool> {
  const db = new Pool({ connectionString: e2eEnv().databaseUrl });
  await migrate(db);
  return db;
}

// Here for the e2e files that import it with the stack; test/support/eventually.ts serves the other projects too.
export { eventually } from '../eventually';

export interface ApiAnswer {
  status: number;
  headers: Headers;
  type: string | null;
  body: Record<string, any>;
}

export interface Stack {
  db: Pool;
  temporal: Client;
  taskQueue: string;
  baseUrl: string;
  accounts: AccountStore;
  /** A customer of its own with an e-connect contract in force, so that stacks never share one. */
  customerId: string;
  /** Bearer tokens: one per staff role, and `customer` for the stack's customer. */
  tokens: Record<Role, string>;
  /** The inbound mail process's key (an agent key made with mailRelay): it acts for each mail's sender. */
  mailRelayToken: string;
  /** Headers that authenticate as `role`. */
  auth(role: Role): { authorization: string };
  /** A JSON call on the API's real socket, as `as`: a role of the stack's keys (the desk's agent unless told otherwise), or a token of its own. */
  call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    as?: Role | { token: string },
    headers?: Record<string, string>,
  ): Promise<ApiAnswer>;
  /** Shuts the stack's worker down, as a worker that went away: the API and the servers stay up. */
  stopWorker(): Promise<void>;
  /**
   * Starts the stack's worker again after stopWorker: a new worker on the same task queue, serving all three queues
   * unless told to leave some to nobody (createWorkerGroup's `without`).
   */
  startWorker(options?: Pick<TicketWorkerDeps, 'without'>): Promise<void>;
  /**
   * A second API on the same servers and task queue, as a second API process would be: its own PostgreSQL pool and
   * Temporal connection, its own port, the same keys. Closed with the stack.
   */
  addApi(appDeps?: Partial<ApiDeps>): Promise<ApiInstance>;
  stop(): Promise<void>;
}

/** An API listening on a real socket, and a JSON call on it (Stack['call']). */
export interface ApiInstance {
  baseUrl: string;
  call: Stack['call'];
}

export interface StackOptions {
  /**
   * VIGIL_BUSY_* as an API process's environment gives them (infra/config.ts): with it, the stack's APIs refuse new
   * tickets while its task queue's backlog is past those bounds, wired as api/server.ts wires it.
   */
  busy?: NodeJS.ProcessEnv;
}

/** Contracts made by these tests start today, so that the invoicing tests, which bill past periods, never see them. */
export const contractsStartOn = (): string => DateTime.now().setZone('Europe/Luxembourg').toISODate()!;

/** The stack's customer, contract and keys, as an admin would set them up with `vigil admin`. */
async function seedAccounts(
  accounts: AccountStore,
  name: string,
): Promise<Pick<Stack, 'customerId' | 'tokens' | 'mailRelayToken'>> {
  const customerId = `acme-${name}-${randomUUID().slice(0, 8)}`;
  await accounts.createCustomer({ id: customerId, name: 'Acme' });
  await accounts.createContract({
    customerId,
    policyId: 'econnect',
    startsOn: contractsStartOn(),
    authorizedContacts: [{ name: 'Ana Lopes', email: 'ana@acme.lu', outOfHours: true }],
  });
  const issue = async (role: Role) =>
    (
      await accounts.createApiKey({
        role,
        label: `e2e ${name} ${role}`,
        ...(role === 'customer' ? { customerId } : {}),
      })
    ).token;
  const tokens = {
    admin: await issue('admin'),
    agent: await issue('agent'),
    manager: await issue('manager'),
    customer: await issue('customer'),
  };
  const mailRelayToken = (
    await accounts.createApiKey({ role: 'agent', label: `e2e ${name} inbound mail`, mailRelay: true })
  ).token;
  return { customerId, tokens, mailRelayToken };
}

/**
 * The API's deadline on Temporal in these stacks. The product's 8 s (api/busy-bounds.ts) is a promise to callers
 * that a slow Temporal gets a fast 503; CI runs these tests on a 2-core machine shared with other work, where opening
 * a ticket took longer than 8 s and a billing test got that 503 instead of its ticket. Tests of the deadline itself
 * (test/e2e/worker-down.test.ts, test/api/dependency-failures.test.ts) set theirs.
 */
export const E2E_TEMPORAL_DEADLINE_MS = 45_000;

/**
 * The whole stack on real sockets: a worker on a task queue of its own, the Fastify app listening on a free
 * port, the real Temporal and PostgreSQL servers of the global setup. `appDeps` adds to, or overrides, the app's.
 */
export async function startStack(
  name: string,
  appDeps: Partial<ApiDeps> = {},
  { busy }: StackOptions = {},
): Promise<Stack> {
  const { temporalAddress } = e2eEnv();
  const db = await migratedPool();
  const taskQueue = `e2e-${name}-${randomUUID()}`;
  const workerConnection = await NativeConnection.connect({ address: temporalAddress });
  const codePath = process.env.VIGIL_E2E_WORKFLOW_BUNDLE;
  let worker: { instance: VigilWorkers; run: Promise<void> } | undefined;
  let workerStopped = Promise.resolve();
  const startWorker = async ({ without }: Pick<TicketWorkerDeps, 'without'> = {}) => {
    if (worker) return;
    const instance = await createTicketWorkers({
      connection: workerConnection,
      namespace: 'default',
      db,
      taskQueue,
      ...(codePath ? { workflowBundle: { codePath } } : {}),
      ...(without ? { without } : {}),
    });
    worker = { instance, run: instance.run() };
  };
  const stopWorker = () => {
    if (worker) {
      worker.instance.shutdown();
      workerStopped = worker.run;
      worker = undefined;
    }
    return workerStopped;
  };
  await startWorker();
  const { accounts } = apiStores(db);
  const { customerId, tokens, mailRelayToken } = await seedAccounts(accounts, name);
  const closers: Array<() => Promise<void>> = [];
  /** An API of the stack, on `pool` and a Temporal connection of its own. */
  const startApi = async (pool: Pool, extraDeps: Partial<ApiDeps>): Promise<ApiInstance & { temporal: Client }> => {
    const connection = await Connection.connect({ address: temporalAddress });
    const temporal = new Client({ connection });
    const backPressure = busy
      ? { backPressure: ticketQueueBackPressure(temporal, busyBoundsFromEnv(busy), taskQueue) }
      : {};
    const app = buildApp({
      temporal,
      ...apiStores(pool),
      taskQueue,
      temporalDeadlineMs: E2E_TEMPORAL_DEADLINE_MS,
      ...backPressure,
      ...extraDeps,
    });
    closers.push(async () => {
      await app.close();
      await connection.close();
      if (pool !== db) await pool.end();
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1`;
    return { temporal, baseUrl, call: caller(baseUrl, tokens) };
  };
  const { temporal, baseUrl, call } = await startApi(db, appDeps);
  return {
    db,
    temporal,
    taskQueue,
    baseUrl,
    accounts,
    customerId,
    tokens,
    mailRelayToken,
    auth: (role) => ({ authorization: `Bearer ${tokens[role]}` }),
    call,
    stopWorker,
    startWorker,
    async addApi(extraDeps = {}) {
      const { baseUrl: url, call: callThere } = await startApi(await migratedPool(), extraDeps);
      return { baseUrl: url, call: callThere };
    },
    async stop() {
      await Promise.all(closers.map((close) => close()));
      await stopWorker();
      await workerConnection.close();
      await db.end();
    },
  };
}

/** JSON calls on the API at `baseUrl`, authenticated with the stack's keys or a token of their own. */
function caller(baseUrl: string, tokens: Record<Role, string>): Stack['call'] {
  return async (method, path, body, as = 'agent', headers = {}) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${typeof as === 'string' ? tokens[as] : as.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      type: response.headers.get('content-type'),
      body: (await response.json()) as Record<string, any>,
    };
  };
}

/**
 * Opens a ticket through the API as `as` (the desk's agent unless told) and gives its number; any answer but 201 fails
 * the test. `stack` may be another API of the stack's (Stack.addApi), whose `call` is all it uses.
 */
export async function openTicket(
  stack: Pick<Stack, 'call'>,
  body: Record<string, unknown>,
  as?: Role | { token: string },
): Promise<string> {
  const opened = await stack.call('POST', '/tickets', body, as);
  expect([opened.status, opened.body.detail]).toEqual([201, undefined]);
  return opened.body.ticketNumber as string;
}

/**
 * A ticket freshly numbered from the real sequence, as its workflow holds it at registration, and an activity
 * environment of that workflow: for running the real activities against PostgreSQL without Temporal.
 */
export async function ticketForActivities(
  db: Pool,
  input: Omit<OpenTicketInput, 'ticketNumber'>,
  openedAt: number,
): Promise<{ ticket: TicketState; env: MockActivityEnvironment }> {
  const ticketNumber = await ticketNumberAllocator(db)();
  return {
    ticket: registeredTicket({ ...input, ticketNumber }, openedAt),
    env: new MockActivityEnvironment({
      workflowExecution: { workflowId: ticketWorkflowId(ticketNumber), runId: 'run-1' },
    }),
  };
}
