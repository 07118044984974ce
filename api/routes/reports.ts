import type { FastifyPluginCallbackTypebox } from '@fastify/type-provider-typebox';
import type { SlaReportReader } from '../../db/sla-report';
import { DESK_ZONE } from '../../messages/desk-zone';
import { invalidField } from '../problems';
import { principalOf } from '../request-principal';
import { SlaReport, SlaReportQuery } from '../schemas/report';
import { problemResponses as problems } from '../schemas/problem';
import { customerScope } from '../customer-scope';

export interface ReportRoutesDeps {
  slaReport: SlaReportReader;
  now?: () => number;
}

export const reportRoutes: FastifyPluginCallbackTypebox<ReportRoutesDeps> = (app, { slaReport, now = Date.now }, done) => {
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
      if (from !== undefined && to !== undefined && to < from) throw invalidField('querystring.to', `must not be before from (${from})`);
      const asOf = now();
      const rows = await slaReport.report({ fromMonth: from, toMonth: to, customerId: customerScope(principalOf(request), customer), priority, now: asOf });
      return { asOf: new Date(asOf).toISOString(), timeZone: DESK_ZONE, from: from ?? null, to: to ?? null, rows };
    },
  );
  done();
};
