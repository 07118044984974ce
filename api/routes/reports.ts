import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { SlaReportReader } from '../../db/sla-report';
import type { AtRiskTicket, TicketQueries } from '../../db/ticket-queries';
import { DESK_ZONE } from '../../messages/desk-zone';
import { invalidField } from '../problems';
import { principalOf } from '../request-principal';
import { AtRiskQuery, AtRiskReport, SlaReport, SlaReportQuery } from '../schemas/report';
import { problemResponses as problems } from '../schemas/problem';
import { customerScope } from '../customer-scope';
import { ticketListItem } from './ticket-list';

export interface ReportRoutesDeps {
  slaReport: SlaReportReader;
  /** Serves GET /v1/reports/at-risk when given. */
  ticketQueries?: TicketQueries;
  now?: () => number;
}

/** Breached and at-risk counts per key (an assignee, a customer), most breaches first, then most at risk, then by key (nobody last). */
export function tally<K extends string | null>(
  tickets: readonly AtRiskTicket[],
  keyOf: (ticket: AtRiskTicket) => K,
): { key: K; breached: number; atRisk: number }[] {
  const counts = new Map<K, { key: K; breached: number; atRisk: number }>();
  for (const ticket of tickets) {
    const key = keyOf(ticket);
    const count = counts.get(key) ?? { key, breached: 0, atRisk: 0 };
    if (ticket.state === 'breached') count.breached += 1;
    else count.atRisk += 1;
    counts.set(key, count);
  }
  return [...counts.values()].sort(
    (a, b) =>
      b.breached - a.breached ||
      b.atRisk - a.atRisk ||
      Number(a.key === null) - Number(b.key === null) ||
      String(a.key).localeCompare(String(b.key)),
  );
}

export const reportRoutes: FastifyPluginCallbackTypebox<ReportRoutesDeps> = (
  app,
  { slaReport, ticketQueries, now = Date.now },
  done,
) => {
  app.get(
    '/reports/sla',
    {
      schema: {
        summary: 'SLA figures per customer, priority and month of registration',
        querystring: SlaReportQuery,
        response: { 200: SlaReport, ...problems(401, 403, 422, 500) },
      },
    },
    async (request) => {
      const { from, to, customer, priority } = request.query;
      // YYYY-MM strings compare as their months do.
      if (from !== undefined && to !== undefined && to < from)
        throw invalidField('querystring.to', `must not be before from (${from})`);
      const asOf = now();
      const rows = await slaReport.report({
        fromMonth: from,
        toMonth: to,
        customerId: customerScope(principalOf(request), customer),
        priority,
        now: asOf,
      });
      return { asOf: new Date(asOf).toISOString(), timeZone: DESK_ZONE, from: from ?? null, to: to ?? null, rows };
    },
  );

  if (ticketQueries) {
    app.get(
      '/reports/at-risk',
      {
        schema: {
          summary: 'Open tickets breached or at risk now, and their counts per assignee and per customer',
          querystring: AtRiskQuery,
          response: { 200: AtRiskReport, ...problems(401, 403, 422, 500) },
        },
      },
      async (request) => {
        const asOf = now();
        const customerId = customerScope(principalOf(request), request.query.customer);
        const tickets = await ticketQueries.atRisk({ customerId, priority: request.query.priority, now: asOf });
        return {
          asOf: new Date(asOf).toISOString(),
          tickets: tickets.map((ticket) => ({ ...ticketListItem(ticket), state: ticket.state })),
          byAssignee: tally(tickets, (ticket) => ticket.assignee ?? null),
          byCustomer: tally(tickets, (ticket) => ticket.customerId),
        };
      },
    );
  }
  done();
};
