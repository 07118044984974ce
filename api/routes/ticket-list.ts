import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import {
  isPageKey,
  type PagedTicket,
  type PageKey,
  type TicketFilter,
  type TicketOrder,
  type TicketQueries,
} from '../../db/ticket-queries';
import { isTerminal } from '../../domain/ticket/lifecycle';
import type { PolicySource } from '../../policies/catalog';
import { presetRegistry } from '../../policies/registry';
import { customerScope } from '../customer-scope';
import { invalidCursor, invalidField } from '../problems';
import { principalOf } from '../request-principal';
import { pinnedPolicies, timeLeftToNextDeadline } from '../ticket-view';
import { LIST_PARAMETERS, QueueQuery, TicketList, TicketListQuery } from '../schemas/ticket-list';
import { problemResponses as problems } from '../schemas/problem';

export interface TicketListRoutesDeps {
  ticketQueries: TicketQueries;
  /** The API's clock: what "at risk now" is measured against. */
  now?: () => number;
  /** The policy versions tickets run under: what their business time left is measured on. */
  policies?: PolicySource;
}

/** `?status=support,waiting` means `?status=support&status=waiting`: split before the schema checks each value. */
function splitCommaLists(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const query = request.query as Record<string, string | string[] | undefined>;
  for (const name of LIST_PARAMETERS) {
    const given = query[name];
    if (given !== undefined) query[name] = [given].flat().flatMap((value) => value.split(','));
  }
  done();
}

// The cursor is opaque to clients: base64url of the last row's sort key, checked on the way back in.
const encodeCursor = (key: PageKey) => Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string, order: TicketOrder): PageKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!isPageKey(key))
    throw invalidCursor(
      'is not a cursor this API gave: pass nextCursor exactly as it came, or leave cursor out to start again',
    );
  if (key.order !== order)
    throw invalidCursor(`continues a listing in order=${key.order}: keep the order of the listing it came from`);
  return key;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** A ticket of the read model as every list answers it (also GET /v1/reports/at-risk, api/routes/reports.ts). */
export const ticketListItem = ({ clockFacts: _facts, ...ticket }: PagedTicket) => ({
  ...ticket,
  openedAt: iso(ticket.openedAt),
  nextDeadline: ticket.nextDeadline === undefined ? null : iso(ticket.nextDeadline),
  atRiskFrom: ticket.atRiskFrom === undefined ? null : iso(ticket.atRiskFrom),
  links: { self: `/v1/tickets/${ticket.ticketNumber}` },
});

export const ticketListRoutes: FastifyPluginCallbackTypebox<TicketListRoutesDeps> = (
  app,
  { ticketQueries, now = Date.now, policies = presetRegistry },
  done,
) => {
  /** Each ticket with the business time left to its next deadline, every policy version looked up once a page. */
  async function withTimeLeft(tickets: PagedTicket[]) {
    const policyOf = pinnedPolicies(policies);
    const at = now();
    return Promise.all(
      tickets.map(async (ticket) => {
        const facts = ticket.clockFacts;
        const left = facts && timeLeftToNextDeadline(facts, await policyOf(facts), at);
        return { ...ticketListItem(ticket), ...(left === undefined ? {} : { businessTimeLeftMs: left }) };
      }),
    );
  }

  /** `atRisk=true` as of the API's clock (false lists them all, as its absence does), and the search words. */
  const filtersOf = (
    atRisk: boolean | undefined,
    q: string | undefined,
  ): Pick<TicketFilter, 'atRiskAt' | 'search'> => ({
    ...(atRisk ? { atRiskAt: now() } : {}),
    ...(q?.trim() ? { search: q.trim() } : {}),
  });

  async function list(
    filter: TicketFilter,
    order: TicketOrder,
    limit: number,
    cursor: string | undefined,
  ): Promise<TicketList> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, order);
    const page = await ticketQueries.page({ filter, order, limit, after });
    return {
      items: await withTimeLeft(page.items),
      nextCursor: page.next ? encodeCursor(page.next) : null,
      previousCursor: page.previous ? encodeCursor(page.previous) : null,
    };
  }

  app.get(
    '/tickets',
    {
      preValidation: splitCommaLists,
      schema: {
        summary: 'Tickets from the read model, filtered, a page at a time',
        querystring: TicketListQuery,
        response: { 200: TicketList, ...problems(401, 403, 422, 500) },
      },
    },
    async (request) => {
      const { status, customer, priority, kind, breached, assignee, atRisk, q, order, limit, cursor } = request.query;
      if (order === 'deadline' && status?.some(isTerminal)) {
        throw invalidField(
          'querystring.status',
          'order=deadline lists open tickets only: closed, cancelled and refused tickets have no deadline ahead',
        );
      }
      const customerId = customerScope(principalOf(request), customer);
      return list(
        {
          statuses: status,
          customerId,
          priorities: priority,
          kinds: kind,
          breached,
          assignee,
          ...filtersOf(atRisk, q),
        },
        order,
        limit,
        cursor,
      );
    },
  );

  app.get(
    '/queue',
    {
      preValidation: splitCommaLists,
      schema: {
        summary: 'Open tickets in arrival order: first come, first served (best-effort desks)',
        querystring: QueueQuery,
        response: { 200: TicketList, ...problems(401, 403, 422, 500) },
      },
    },
    async (request) => {
      const { customer, priority, kind, breached, assignee, atRisk, q, limit, cursor } = request.query;
      const customerId = customerScope(principalOf(request), customer);
      return list(
        { openOnly: true, customerId, priorities: priority, kinds: kind, breached, assignee, ...filtersOf(atRisk, q) },
        'arrival',
        limit,
        cursor,
      );
    },
  );

  done();
};
