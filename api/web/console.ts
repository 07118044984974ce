import fs from 'node:fs';
import path from 'node:path';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_SESSION_LIMITS } from '../../db/sessions';
import { draftIdOf } from '../../db/form-drafts';
import { TICKET_NUMBER_PATTERN } from '../../domain/ticket/ticket-number';
import { liveSession, setCookie, secureFor } from '../sessions';
import type { TicketView } from '../schemas/ticket';
import { adminPages } from './admin-pages';
import { apiBridge, problemText, type ApiAnswer } from './api-bridge';
import { BOARD_FILTERS, boardBody, boardQuery, customerNames, type BoardFilters } from './board';
import type { ConsoleDeps } from './deps';
import { FORM_BODY_LIMIT, formOf, formTokenValid } from './forms';
import { html } from './html';
import { CONSOLE_LANGUAGES, LANGUAGE_COOKIE } from './i18n';
import { alertBox, idempotencyKeyOf, isLater, laterPage, pageContext, sendPage, type PageContext } from './page';
import {
  CONTRACT_STEPS,
  newTicketBody,
  portalBody,
  portalQuery,
  typedFields,
  type ContactChoice,
  type ContractChoice,
  type OpeningChoices,
} from './portal';
import { localNext, signInRoutes } from './sign-in';
import { DEFAULT_SIGN_IN_LIMITS } from './sign-in-limits';
import { DEFAULT_PUBLIC_URL } from './sign-in-mail';
import { CONSOLE_ACTIONS } from './ticket-forms';
import { formsTooLargeAsPages } from './too-large';
import {
  clocksSection,
  ticketBody,
  type Refusal,
  type TicketAttachment,
  type TicketMail,
  type TicketBillingLabel,
  type TicketNotice,
} from './ticket-page';
import { INVOICE_NUMBER_PATTERN } from '../schemas/invoice';
import type { AtRiskReport, SlaReport } from '../schemas/report';
import { invoiceBody, invoiceListBody, prepaidBody } from './invoices';
import {
  atRiskCsv,
  atRiskFilters,
  atRiskQuery,
  REPORT_FILTERS,
  reportQuery,
  reportsBody,
  slaReportCsv,
  type ReportFilters,
} from './reports';

const STATIC_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  'htmx.min.js': { file: require.resolve('htmx.org/dist/htmx.min.js'), type: 'text/javascript; charset=utf-8' },
  'console.css': { file: path.join(__dirname, 'static', 'console.css'), type: 'text/css; charset=utf-8' },
};
const TICKET_NUMBER = new RegExp(TICKET_NUMBER_PATTERN);

/**
 * A signed-in page is limited per person, by the /v1 calls it makes as them (api/rate-limit.ts keys those by the
 * person); counting the page itself per address would let one busy office behind a NAT starve the others.
 */
const LIMITED_BY_ITS_API_CALLS = { config: { rateLimit: false } } as const;

/** The API's problem fields (`body.title`) as the form's (`title`). */
const fieldErrors = (answer: ApiAnswer): Record<string, string> =>
  Object.fromEntries(
    ((answer.body.errors ?? []) as { field: string; message: string }[]).map(({ field, message }) => [
      field.replace(/^body\.?/, '').split('.')[0] || 'body',
      message,
    ]),
  );

/**
 * The web console: server-rendered pages under /console, each reading and acting through the /v1 API
 * as the signed-in person (api/web/api-bridge.ts). Signed out, only the sign-in pages answer; any other page sends
 * the browser to sign in and back.
 */
export const consoleRoutes: FastifyPluginAsync<ConsoleDeps & { prefix?: string }> = async (
  app,
  { prefix: _mountedAt, ...deps },
) => {
  // The limit is the routes', not the parser's, so that a 413 names the one that refused (api/problems.ts).
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= FORM_BODY_LIMIT;
  });
  await app.register(fastifyFormbody);
  formsTooLargeAsPages(app, deps);
  const { callApi, now } = deps;

  // Files of this repository, the same for everyone: not counted against the caller's rate limit, so a page's
  // script and stylesheet never fail where the page itself got through.
  app.get<{ Params: { file: string } }>('/static/:file', { config: { rateLimit: false } }, async (request, reply) => {
    const entry = STATIC_FILES[request.params.file];
    if (!entry) return reply.status(404).type('text/plain').send('not found');
    return reply.type(entry.type).header('cache-control', 'public, max-age=3600').send(fs.readFileSync(entry.file));
  });

  app.get<{ Querystring: { to?: string; back?: string } }>('/language', (request, reply) => {
    const to = CONSOLE_LANGUAGES.find((language) => language === request.query.to);
    if (to)
      setCookie(reply, LANGUAGE_COOKIE, to, {
        secure: secureFor(request, deps.cookie),
        maxAgeSeconds: 365 * 24 * 3600,
      });
    return reply.redirect(localNext(request.query.back), 303);
  });

  await app.register(signInRoutes, deps);

  // Every other page needs a live session.
  await app.register((pages, _options, pagesDone) => {
    pages.addHook('preHandler', async (request, reply) => {
      if (await liveSession(request, deps.sessions, now())) return;
      return reply.redirect(`/console/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    });

    const context = (request: FastifyRequest, reply: FastifyReply): PageContext =>
      pageContext(request, reply, request.session!.csrfToken);

    const later = laterPage;

    pages.get<{ Querystring: BoardFilters }>('/', LIMITED_BY_ITS_API_CALLS, async (request, reply) => {
      const page = context(request, reply);
      if (page.session!.role === 'customer') {
        const cursor = typeof request.query.cursor === 'string' ? request.query.cursor : undefined;
        const answer = await callApi(request, 'GET', portalQuery(cursor));
        return isLater(answer) ? later(page, answer) : sendPage(page, page.t('myTickets'), portalBody(page, answer));
      }
      const filters = Object.fromEntries(
        BOARD_FILTERS.map((name) => [
          name,
          typeof request.query[name] === 'string' ? request.query[name] : undefined,
        ]).filter(([, value]) => value),
      ) as BoardFilters;
      // The customers' names once a page, beside the tickets; without them the board names customers by id.
      const [answer, names] = await Promise.all([
        callApi(request, 'GET', boardQuery(filters)),
        callApi(request, 'GET', '/v1/customers'),
      ]);
      return isLater(answer)
        ? later(page, answer)
        : sendPage(page, page.t('board'), boardBody(page, filters, answer, now(), customerNames(names)));
    });

    /**
     * Whom a customer's contact may name as the ticket's contact (GET /v1/contacts, the person first), and the
     * company's contracts in force (GET /v1/contracts), as the API says; none for staff, whose form names themselves
     * as before. Among several contracts the contacts come once one is chosen, and only its own (the API's
     * ?contractId=): the form never offers a pair that opening refuses. The API checks both again on opening.
     */
    const openingChoices = async (
      request: FastifyRequest,
      page: PageContext,
      contractId: string | undefined,
    ): Promise<OpeningChoices> => {
      if (page.session!.role !== 'customer') return { contacts: [], contracts: [] };
      const [contacts, contracts] = await Promise.all([
        callApi(
          request,
          'GET',
          contractId ? `/v1/contacts?${new URLSearchParams({ contractId }).toString()}` : '/v1/contacts',
        ),
        callApi(request, 'GET', '/v1/contracts'),
      ]);
      const inForce = contracts.status === 200 ? (contracts.body.contracts as ContractChoice[]) : [];
      const chosen = inForce.length < 2 || inForce.some((contract) => contract.id === contractId);
      return {
        contacts: chosen && contacts.status === 200 ? (contacts.body.contacts as ContactChoice[]) : [],
        contracts: inForce,
      };
    };

    pages.get('/tickets/new', LIMITED_BY_ITS_API_CALLS, async (request, reply) => {
      const page = context(request, reply);
      // A contract named in the address (?contractId=), when the company has several: the form is then for it; and
      // what was typed before a step of the form (?draft=, kept by the POST below), read back as its author's only.
      const { contractId, draft } = request.query as { contractId?: unknown; draft?: unknown };
      const draftId = draftIdOf(draft);
      const kept = draftId ? await deps.drafts.read(page.session!.userId, draftId, now()) : undefined;
      const values: Record<string, string> = {
        ...kept,
        // The form names the draft it shows: its next step keeps it anew, its opening deletes it.
        ...(kept && draftId ? { _draft: draftId } : {}),
        ...(typeof contractId === 'string' && contractId ? { contractId } : {}),
      };
      return sendPage(
        page,
        page.t('newTicket'),
        newTicketBody(page, values, {}, undefined, await openingChoices(request, page, values.contractId)),
      );
    });

    pages.post('/tickets/new', LIMITED_BY_ITS_API_CALLS, async (request, reply) => {
      const page = context(request, reply);
      const posted = formOf(request);
      // A contract chosen, or to be chosen anew, only shows the form again (portal.ts newTicketBody), what was typed kept.
      const step = CONTRACT_STEPS.find((name) => name === posted._step);
      const form = step === 'change' ? { ...posted, contractId: '' } : posted;
      const tokenValid = formTokenValid(request, form);
      if (step && tokenValid) {
        // Post/Redirect/Get: the step is answered with the address of the form's page, so that reloading it or coming
        // back to it asks for that page again, never for the form to be posted again. The address carries the contract
        // and the draft's id only: what was typed (a description may be 20 000 characters) waits in the draft, out of
        // addresses, browser histories and logs.
        const draft = await deps.drafts.keep(page.session!.userId, typedFields(form), now(), form._draft);
        const query = new URLSearchParams({ ...(form.contractId ? { contractId: form.contractId } : {}), draft });
        return reply.redirect(`/console/tickets/new?${query.toString()}`, 303);
      }
      const choices = await openingChoices(request, page, form.contractId || undefined);
      if (!tokenValid)
        return sendPage(page, page.t('newTicket'), newTicketBody(page, form, {}, page.t('formExpired'), choices), 403);
      const { name, email } = page.session!;
      // An address the list does not hold goes to the API as it came, named by itself: the API refuses it, saying why.
      const contact = form.contact
        ? (choices.contacts.find((choice) => choice.email === form.contact) ?? {
            name: form.contact,
            email: form.contact,
          })
        : { name, email };
      const body = {
        title: form.title ?? '',
        description: form.description ?? '',
        ...(form.priority ? { priority: form.priority } : {}),
        ...(form.kind ? { kind: form.kind } : {}),
        ...(form.contractId ? { contractId: form.contractId } : {}),
        contact,
      };
      const answer = await callApi(request, 'POST', '/v1/tickets', body, idempotencyKeyOf(form));
      if (answer.status === 201 || answer.status === 200) {
        // The text is the ticket's now, and only now: a refused opening shows the form again, naming the draft still,
        // and a failed one (a page asking to try later) leaves it to the back button. A draft that could not be
        // deleted expires on its own, and must not turn an opened ticket into an error page.
        if (form._draft)
          await deps.drafts
            .discard(page.session!.userId, form._draft)
            .catch((error: unknown) =>
              request.log.warn({ err: error }, 'the draft of an opened ticket stays until it expires'),
            );
        return reply.redirect(`/console/tickets/${answer.body.ticketNumber as string}`, 303);
      }
      if (isLater(answer)) return later(page, answer);
      return sendPage(
        page,
        page.t('newTicket'),
        newTicketBody(page, form, fieldErrors(answer), problemText(answer), choices),
        answer.status,
      );
    });

    /** A list the ticket page shows beside the ticket: absent when the API does not give it to this person. */
    const listOf = async <T>(request: FastifyRequest, url: string, field: string): Promise<T[] | undefined> => {
      const answer = await callApi(request, 'GET', url);
      return answer.status === 200 && Array.isArray(answer.body[field]) ? (answer.body[field] as T[]) : undefined;
    };

    async function ticketPage(
      request: FastifyRequest,
      reply: FastifyReply,
      ticketNumber: string,
      refusal?: Refusal,
      status = 200,
    ) {
      const page = context(request, reply);
      // Only a ticket number goes into the API's path: nothing typed in the URL can reach another route.
      const answer = TICKET_NUMBER.test(ticketNumber)
        ? await callApi(request, 'GET', `/v1/tickets/${ticketNumber}`)
        : { status: 404, body: {}, headers: {} };
      if (isLater(answer)) return later(page, answer);
      // Another company's ticket answers as a missing one, as the API does.
      if (answer.status !== 200)
        return sendPage(
          page,
          page.t('notFound'),
          alertBox(problemText(answer)) || html``,
          answer.status === 404 ? 404 : answer.status,
        );
      const view = answer.body as unknown as TicketView;
      const desk = page.session!.role !== 'customer';
      const [messages, attachments, notifications, billingLabels, customers] = await Promise.all([
        listOf<TicketMail>(request, `/v1/tickets/${ticketNumber}/messages`, 'messages'),
        listOf<TicketAttachment>(request, `/v1/tickets/${ticketNumber}/attachments`, 'attachments'),
        // The mails the desk sent and whether they arrived: the desk's, not the customer's (api/routes/outbox.ts).
        desk ? listOf<TicketNotice>(request, `/v1/tickets/${ticketNumber}/notifications`, 'notices') : undefined,
        // A billed ticket's lines are worded from their labels in a language other than the ticket's English.
        view.billing && page.language !== 'en'
          ? listOf<TicketBillingLabel>(request, `/v1/tickets/${ticketNumber}/billing-lines`, 'lines')
          : undefined,
        callApi(request, 'GET', `/v1/customers?${new URLSearchParams({ customer: view.customerId }).toString()}`),
      ]);
      const customerName = customerNames(customers).get(view.customerId);
      return sendPage(
        page,
        `${view.ticketNumber} · ${view.title}`,
        ticketBody(page, view, refusal, { messages, attachments, notifications, billingLabels, customerName }),
        status,
      );
    }

    pages.get<{ Params: { number: string } }>('/tickets/:number', LIMITED_BY_ITS_API_CALLS, async (request, reply) =>
      ticketPage(request, reply, request.params.number),
    );

    // The clocks alone, for the ticket page's refresh every 30 s: one /v1 call, not the page's four.
    pages.get<{ Params: { number: string } }>(
      '/tickets/:number/clocks',
      LIMITED_BY_ITS_API_CALLS,
      async (request, reply) => {
        const page = context(request, reply);
        const { number } = request.params;
        const answer = TICKET_NUMBER.test(number)
          ? await callApi(request, 'GET', `/v1/tickets/${number}`)
          : { status: 404, body: {}, headers: {} };
        if (answer.status !== 200)
          return reply
            .status(answer.status === 404 ? 404 : answer.status)
            .type('text/plain; charset=utf-8')
            .header('cache-control', 'no-store')
            .send(problemText(answer));
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(clocksSection(page, answer.body as unknown as TicketView).text);
      },
    );

    /**
     * An attachment, as the API serves it to this person: its bytes, with the type it came with and always as a
     * download (Content-Disposition: attachment, nosniff), so that an attached page never renders under the console.
     */
    pages.get<{ Params: { number: string; id: string } }>(
      '/tickets/:number/attachments/:id',
      LIMITED_BY_ITS_API_CALLS,
      async (request, reply) => {
        const { number, id } = request.params;
        if (!TICKET_NUMBER.test(number) || !/^[1-9]\d{0,15}$/.test(id))
          return reply.status(404).type('text/plain').send('not found');
        const answer = await callApi(request, 'GET', `/v1/tickets/${number}/attachments/${id}`);
        if (answer.status !== 200 || !answer.bytes)
          return reply
            .status(answer.status === 200 ? 502 : answer.status)
            .type('text/plain; charset=utf-8')
            .send(problemText(answer));
        const header = (name: string) => (typeof answer.headers[name] === 'string' ? answer.headers[name] : '');
        const claimed = header('x-vigil-content-type');
        const type = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(\s*;\s*[a-z0-9_-]+=("[^"]*"|[^\s;"]+))*$/i.test(claimed)
          ? claimed
          : 'application/octet-stream';
        const given = header('content-disposition');
        return reply
          .type(type)
          .header('content-disposition', given.startsWith('attachment') ? given : 'attachment')
          .header('x-content-type-options', 'nosniff')
          .header('cache-control', 'private, no-store')
          .send(answer.bytes);
      },
    );

    // Every action of the table by its own path, `quote/accept` and `quote/decline` included (a slash in the path).
    pages.post<{ Params: { number: string; '*': string } }>(
      '/tickets/:number/*',
      LIMITED_BY_ITS_API_CALLS,
      async (request, reply) => {
        const { number, '*': path } = request.params;
        const action = Object.hasOwn(CONSOLE_ACTIONS, path) ? CONSOLE_ACTIONS[path] : undefined;
        const form = formOf(request);
        const values = { ...form, _csrf: '', _key: '' };
        if (!action || !TICKET_NUMBER.test(number)) return ticketPage(request, reply, number, undefined, 404);
        const page = context(request, reply);
        if (!formTokenValid(request, form))
          return ticketPage(
            request,
            reply,
            number,
            { action: path, message: page.t('formExpired'), fields: {}, values },
            403,
          );
        const built = action.toBody(form, now());
        if ('problem' in built) {
          const message = `${page.t(action.fields.find((field) => field.name === built.field)?.label ?? 'title')} ${page.t(built.problem, built.values)}`;
          return ticketPage(
            request,
            reply,
            number,
            { action: path, message, fields: { [built.field]: message }, values },
            422,
          );
        }
        const answer = await callApi(
          request,
          'POST',
          `/v1/tickets/${number}/${path}`,
          built.body,
          idempotencyKeyOf(form),
        );
        if (answer.status >= 200 && answer.status < 300) return reply.redirect(`/console/tickets/${number}`, 303);
        if (isLater(answer)) return later(page, answer);
        // The refusal as the API gave it, beside the form that was sent: the workflow's rule and reason, or the field at fault.
        return ticketPage(
          request,
          reply,
          number,
          { action: path, message: problemText(answer), fields: fieldErrors(answer), values },
          answer.status,
        );
      },
    );

    // Invoices, prepaid hours and the manager's report (api/web/invoices.ts, api/web/reports.ts): read through /v1 as
    // the person, so a customer sees its own company's only and another's invoice answers 404, as the API does.
    const INVOICE_NUMBER = new RegExp(INVOICE_NUMBER_PATTERN);
    const customerFilter = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

    pages.get<{ Querystring: { customer?: string } }>('/invoices', LIMITED_BY_ITS_API_CALLS, async (request, reply) => {
      const page = context(request, reply);
      const customer = page.session!.role === 'customer' ? undefined : customerFilter(request.query.customer);
      const answer = await callApi(
        request,
        'GET',
        `/v1/invoices${customer ? `?${new URLSearchParams({ customer }).toString()}` : ''}`,
      );
      return isLater(answer)
        ? later(page, answer)
        : sendPage(page, page.t('invoices'), invoiceListBody(page, answer, customer), answer.status);
    });

    /** The invoice's answer from /v1 (path built from a checked number only), or the page saying why not. */
    async function invoiceAnswer(
      request: FastifyRequest,
      reply: FastifyReply,
      number: string,
      suffix: '' | '/html' | '/pdf',
    ) {
      const answer = INVOICE_NUMBER.test(number)
        ? await callApi(request, 'GET', `/v1/invoices/${number}${suffix}`)
        : { status: 404, body: {}, headers: {} };
      if (answer.status === 200) return { answer };
      const page = context(request, reply);
      if (isLater(answer)) return { sent: later(page, answer) };
      return { sent: sendPage(page, page.t('notFound'), alertBox(problemText(answer)) || html``, answer.status) };
    }

    pages.get<{ Params: { number: string } }>('/invoices/:number', LIMITED_BY_ITS_API_CALLS, async (request, reply) => {
      const { answer, sent } = await invoiceAnswer(request, reply, request.params.number, '');
      if (sent) return sent;
      const page = context(request, reply);
      return sendPage(page, `${page.t('invoice')} ${request.params.number}`, invoiceBody(page, answer.body as never));
    });

    // The document as the customer received it, passed through as its own page: the API's HTML, with the API's CSP
    // for it (api/security-headers.ts: its inline stylesheet, no script), not the console's.
    pages.get<{ Params: { number: string } }>(
      '/invoices/:number/document',
      LIMITED_BY_ITS_API_CALLS,
      async (request, reply) => {
        const { answer, sent } = await invoiceAnswer(request, reply, request.params.number, '/html');
        if (sent) return sent;
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(answer.bytes);
      },
    );

    pages.get<{ Params: { number: string } }>(
      '/invoices/:number/pdf',
      LIMITED_BY_ITS_API_CALLS,
      async (request, reply) => {
        const { answer, sent } = await invoiceAnswer(request, reply, request.params.number, '/pdf');
        if (sent) return sent;
        return reply
          .type('application/pdf')
          .header('content-disposition', `attachment; filename="${request.params.number}.pdf"`)
          .header('cache-control', 'no-store')
          .send(answer.bytes);
      },
    );

    pages.get<{ Querystring: { customer?: string } }>(
      '/prepaid-hours',
      LIMITED_BY_ITS_API_CALLS,
      async (request, reply) => {
        const page = context(request, reply);
        const customer = page.session!.role === 'customer' ? undefined : customerFilter(request.query.customer);
        const contracts = await callApi(
          request,
          'GET',
          `/v1/contracts${customer ? `?${new URLSearchParams({ customer }).toString()}` : ''}`,
        );
        if (isLater(contracts)) return later(page, contracts);
        const listed = contracts.status === 200 ? (contracts.body.contracts as { id: string }[]) : [];
        const accounts = [];
        // One after the other: a person's pages count against their rate limit by the calls they make.
        for (const contract of listed) {
          const account = await callApi(
            request,
            'GET',
            `/v1/contracts/${encodeURIComponent(contract.id)}/prepaid-hours`,
          );
          if (isLater(account)) return later(page, account);
          accounts.push(account);
        }
        return sendPage(page, page.t('prepaidHours'), prepaidBody(page, contracts, accounts), contracts.status);
      },
    );

    /** The manager's view is for managers and admins; anyone else gets a 403 page, before any figure is read. */
    const reportReader = (page: PageContext) => page.session!.role === 'manager' || page.session!.role === 'admin';
    const reportFilters = (query: Record<string, unknown>): ReportFilters =>
      Object.fromEntries(
        REPORT_FILTERS.flatMap((name) =>
          typeof query[name] === 'string' && query[name].trim() ? [[name, query[name].trim()]] : [],
        ),
      );

    pages.get<{ Querystring: Record<string, string> }>('/reports', LIMITED_BY_ITS_API_CALLS, async (request, reply) => {
      const page = context(request, reply);
      if (!reportReader(page)) return sendPage(page, page.t('forbidden'), alertBox(page.t('staffOnly')) || html``, 403);
      const filters = reportFilters(request.query);
      const sla = await callApi(request, 'GET', `/v1/reports/sla${reportQuery(filters)}`);
      if (isLater(sla)) return later(page, sla);
      const atRisk = await callApi(request, 'GET', `/v1/reports/at-risk${atRiskQuery(filters)}`);
      if (isLater(atRisk)) return later(page, atRisk);
      return sendPage(page, page.t('reports'), reportsBody(page, filters, sla, atRisk), sla.status);
    });

    /**
     * A report's figures as a CSV download, read through the API as the page reads them, named after the filters the
     * API was given (and checked): the at-risk list takes no months, so months in its query go neither to the API nor
     * into the name.
     */
    const reportCsv = (
      file: string,
      apiPath: string,
      scope: (filters: ReportFilters) => ReportFilters,
      csvOf: (body: Record<string, unknown>) => string,
    ) =>
      pages.get<{ Querystring: Record<string, string> }>(
        `/reports/${file}.csv`,
        LIMITED_BY_ITS_API_CALLS,
        async (request, reply) => {
          const page = context(request, reply);
          if (!reportReader(page))
            return sendPage(page, page.t('forbidden'), alertBox(page.t('staffOnly')) || html``, 403);
          const filters = scope(reportFilters(request.query));
          const answer = await callApi(request, 'GET', `${apiPath}${reportQuery(filters)}`);
          if (isLater(answer)) return later(page, answer);
          if (answer.status !== 200)
            return sendPage(page, page.t('reports'), alertBox(problemText(answer)) || html``, answer.status);
          // Each part cut to letters, digits and dashes: a line break or a character beyond Latin-1 in a header makes
          // Node throw (a 500), and a quote would end the file's name.
          const name = [
            `vigil-${file}`,
            ...REPORT_FILTERS.map((filter) => filters[filter]?.replace(/[^a-z0-9-]/gi, '')),
          ]
            .filter(Boolean)
            .join('-');
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${name}.csv"`)
            .header('cache-control', 'no-store')
            .send(csvOf(answer.body));
        },
      );
    reportCsv(
      'sla',
      '/v1/reports/sla',
      (filters) => filters,
      (body) => slaReportCsv(body as unknown as SlaReport),
    );
    reportCsv('at-risk', '/v1/reports/at-risk', atRiskFilters, (body) => atRiskCsv(body as unknown as AtRiskReport));

    void pages.register(adminPages, { ...deps, prefix: '/admin' });
    pagesDone();
  });
};

/** The people stores the app is given (db/api-stores.ts), and the console's settings where they differ from the defaults. */
export interface PeopleDeps {
  users: ConsoleDeps['users'];
  sessions: ConsoleDeps['sessions'];
  signInTokens: ConsoleDeps['signInTokens'];
  notices: ConsoleDeps['notices'];
  drafts: ConsoleDeps['drafts'];
  settings?: Partial<Pick<ConsoleDeps, 'publicUrl' | 'cookie' | 'limits'>>;
}

/** The console's dependencies: its API is the app itself, injected into (api/web/api-bridge.ts). */
export function consoleDeps(app: FastifyInstance, people: PeopleDeps, now: () => number = Date.now): ConsoleDeps {
  return {
    ...people,
    callApi: apiBridge(app),
    now,
    publicUrl: DEFAULT_PUBLIC_URL,
    cookie: { secure: 'auto', maxAgeSeconds: DEFAULT_SESSION_LIMITS.absoluteMs / 1000 },
    limits: DEFAULT_SIGN_IN_LIMITS,
    ...people.settings,
  };
}
