import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type ApiDeps, type OpsDeps } from '../../../api/app';
import { apiTokenParts, type AccountStore, type Contract } from '../../../messages/accounts';
import type { Acting, Role } from '../../../messages/principal';
import type { OpenTicketInput } from '../../../messages/ticket';
import { formatTicketNumber } from '../../../domain/ticket/ticket-number';
import { inMemoryAccounts } from '../in-memory-accounts';
import { FakeTemporal } from './fake-temporal';
import { sharedCompilers } from './shared-compilers';
import {
  inMemoryIdempotency,
  inMemoryInvoices,
  inMemoryPrepaid,
  inMemorySnapshots,
  recordingSlaReport,
  recordingTicketQueries,
} from './in-memory-stores';

/** Wednesday 13 May 2026, 10:00 in Luxembourg. */
export const NOW = Date.parse('2026-05-13T10:00:00+02:00');

export type Caller = Role | 'acme' | 'globex';

/** The operations settings a test may set, back-pressure on new tickets and the policies' versions included. */
export type HarnessOps = OpsDeps & Pick<ApiDeps, 'backPressure' | 'policies'>;

/**
 * Every app the harness built in this test file, closed when the file ends (a harness may serve a whole describe block,
 * so not before). Tests never closed them, and an app's metrics plugin (api/metrics.ts) keeps sampling the event loop
 * and observing GCs until its app closes, holding the file's modules in the one Jest process of the suite.
 */
const built = new Set<FastifyInstance>();
afterAll(async () => {
  const apps = [...built];
  built.clear();
  await Promise.all(apps.map((app) => app.close()));
});

/**
 * The API on app.inject with in-memory accounts, stores and Temporal, every optional store given (so every route
 * is served): two customers (acme under e-connect, globex under Esker), a key per staff role and one per customer.
 * `ops` overrides the operations settings (rate limits, readiness) for the test at hand.
 */
export async function apiHarness(now = () => NOW, ops: HarnessOps | ((accounts: AccountStore) => HarnessOps) = {}) {
  const accounts = inMemoryAccounts();
  const temporal = new FakeTemporal(now);
  const idempotency = inMemoryIdempotency();
  const snapshots = inMemorySnapshots();
  const invoices = inMemoryInvoices();
  const prepaid = inMemoryPrepaid(accounts, now);
  const ticketQueries = recordingTicketQueries();
  const slaReport = recordingSlaReport();
  let sequence = 0;
  const app: FastifyInstance = buildApp(
    {
      temporal: temporal.client,
      allocateTicketNumber: async () => formatTicketNumber(++sequence),
      accounts,
      idempotency,
      snapshots,
      invoices,
      prepaid,
      ticketQueries,
      slaReport,
      now,
      // A function of the accounts when the ops need them (the console's people: test/support/api/console-harness.ts).
      ...(typeof ops === 'function' ? ops(accounts) : ops),
    },
    sharedCompilers,
  );
  built.add(app);

  await accounts.createCustomer({ id: 'acme', name: 'Acme' });
  await accounts.createCustomer({ id: 'globex', name: 'Globex' });
  const contracts: Record<'acme' | 'globex', Contract> = {
    acme: await accounts.createContract({
      customerId: 'acme',
      policyId: 'econnect',
      startsOn: '2026-01-01',
      authorizedContacts: [
        { name: 'Ana Lopes', email: 'ana@acme.lu', outOfHours: true },
        { name: 'Bo Weber', email: 'bo@acme.lu' },
      ],
    }),
    globex: await accounts.createContract({
      customerId: 'globex',
      policyId: 'esker',
      policyVersion: 1,
      startsOn: '2026-01-01',
    }),
  };
  const issue = async (role: Role, customerId?: string) =>
    (await accounts.createApiKey({ role, customerId, label: `${customerId ?? role} key` })).token;
  const tokens: Record<Caller, string> = {
    admin: await issue('admin'),
    agent: await issue('agent'),
    manager: await issue('manager'),
    customer: await issue('customer', 'acme'),
    acme: '',
    globex: await issue('customer', 'globex'),
  };
  tokens.acme = tokens.customer;

  const call = (
    caller: Caller | undefined,
    method: 'GET' | 'POST' | 'PATCH',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> =>
    app.inject({
      method,
      url,
      headers: { ...(caller ? { authorization: `Bearer ${tokens[caller]}` } : {}), ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });

  /** A ticket that exists in Temporal, as if opened earlier. */
  const ticketOf = (
    customerId: 'acme' | 'globex',
    ticketNumber: string,
    status: Parameters<FakeTemporal['put']>[1] = 'support',
  ) => {
    const input: OpenTicketInput = {
      ticketNumber,
      customerId,
      policyId: contracts[customerId].policyId,
      kind: 'incident',
      priority: 'P3',
      title: 'Printer down',
      description: 'The office printer prints blank pages.',
      contact: { name: 'Ana Lopes', email: `ana@${customerId}.lu` },
    };
    return temporal.put(input, status);
  };

  /** Who a caller's key acts as, as the API fills it into each command (messages/principal.ts actingOf). */
  const actingOf = (caller: Caller): Acting => ({
    actor: `${caller === 'customer' ? 'acme' : caller} key`,
    actorId: `key:${apiTokenParts(tokens[caller])!.id}`,
    channel: 'api',
  });

  return {
    app,
    accounts,
    temporal,
    idempotency,
    snapshots,
    invoices,
    prepaid,
    ticketQueries,
    slaReport,
    contracts,
    tokens,
    call,
    ticketOf,
    actingOf,
  };
}

export const openingBody = {
  priority: 'P2',
  title: 'Printer down',
  description: 'The office printer prints blank pages.',
  contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
} as const;

export const PROBLEM = 'https://vigil.dev/problems/';

/** What a refusal must look like: problem+json of the given type and status, naming `field` when given. */
export function expectProblem(response: LightMyRequestResponse, status: number, slug: string, field?: string): void {
  expect({ status: response.statusCode, contentType: response.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(response.json()).toMatchObject({ type: `${PROBLEM}${slug}`, status });
  if (field !== undefined)
    expect(response.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
}
