import { MINUTE_MS } from '../../domain/calendar';
import { slaRiskAt } from '../../domain/sla/clock';
import { PRIORITIES } from '../../domain/policy/vocabulary';
import { OPEN_STATUSES, TICKET_STATUSES } from '../../domain/ticket/status';
import { problemText, type ApiAnswer } from './api-bridge';
import { html, type Html } from './html';
import { formatDuration, term } from './i18n';
import { alertBox, type PageContext } from './page';

/** A ticket of the list as GET /v1/tickets answers it (api/routes/ticket-list.ts). */
interface ListedTicket {
  ticketNumber: string;
  customerId: string;
  title: string;
  priority: string;
  status: string;
  assignee?: string;
  openedAt: string;
  nextDeadline: string | null;
  /**
   * Time left until nextDeadline as that deadline's clock counts it (api/ticket-view.ts timeLeftToNextDeadline):
   * business time on the ticket's own calendar, or every hour for an emergency's response, despite the name.
   */
  businessTimeLeftMs?: number;
  slaBreached: boolean;
  atRiskFrom: string | null;
  /** Opened through the emergency channel; absent otherwise. */
  emergency?: true;
}

/**
 * Each customer's name by id, from GET /v1/customers (api/routes/contracts.ts), asked once a page. Any other answer
 * (a refusal, the API busy) names none: the board then shows each customer by its id.
 */
export function customerNames(answer: ApiAnswer): ReadonlyMap<string, string> {
  const customers = answer.status === 200 ? answer.body.customers : undefined;
  if (!Array.isArray(customers)) return new Map();
  return new Map(
    (customers as { id: unknown; name: unknown }[])
      .filter((customer) => typeof customer.id === 'string' && typeof customer.name === 'string' && customer.name)
      .map((customer) => [customer.id as string, customer.name as string]),
  );
}

export const BOARD_FILTERS = [
  'status',
  'priority',
  'customer',
  'assignee',
  'breached',
  'atRisk',
  'q',
  'cursor',
] as const;
export type BoardFilters = Partial<Record<(typeof BOARD_FILTERS)[number], string>>;

/** Tickets on one page of the board; the next ones are a "more" link away. */
export const BOARD_PAGE = 50;

/**
 * The page the board shows, as one /v1/tickets query: nearest deadline first, tickets without a deadline (best-effort
 * desks) after them in arrival order (the API sorts them last, by number). Filters, search and the at-risk mark are
 * the API's, over every ticket of the read model: the board never filters a page it was given. A closed status has
 * no deadline ahead, so asking for one lists by arrival.
 */
export function boardQuery(filters: BoardFilters): string {
  const terminal = filters.status !== undefined && !OPEN_STATUSES.includes(filters.status as never);
  const query = new URLSearchParams({ order: terminal ? 'arrival' : 'deadline', limit: String(BOARD_PAGE) });
  for (const name of ['status', 'priority', 'customer', 'assignee', 'breached', 'atRisk', 'q', 'cursor'] as const) {
    const value = filters[name];
    if (value) query.set(name, value);
  }
  return `/v1/tickets?${query.toString()}`;
}

/** The board's address with these filters; `cursor` continues a listing. */
const boardUrl = (filters: BoardFilters) =>
  `/console/?${new URLSearchParams(Object.entries(filters).filter((entry): entry is [string, string] => Boolean(entry[1]))).toString()}`;

function deadlineCell(context: PageContext, ticket: ListedTicket, now: number): Html {
  if (!ticket.nextDeadline) return html`<td>–</td>`;
  const left = ticket.businessTimeLeftMs;
  // The figure is counted on the deadline's own clock: business time, in which a deadline across a night or a weekend
  // is nearer than the hours to it say, or every hour for an emergency's response, which the list does not tell
  // apart (an emergency's mark does not say which clock is next: its other clocks count business time). Where it
  // falls short of the clock time to the deadline by a minute or more, it is business time and the page says so;
  // where both agree (an emergency's response always does) it is the time left whichever way it is counted.
  const wall = Math.abs(Date.parse(ticket.nextDeadline) - now);
  const counted = left !== undefined && wall - Math.abs(left) >= MINUTE_MS ? ` (${context.t('businessTime')})` : '';
  // The manager's at-risk list and the notices say it the same way (domain/sla/clock.ts).
  const state =
    slaRiskAt(
      {
        slaBreached: ticket.slaBreached,
        nextDeadline: Date.parse(ticket.nextDeadline),
        atRiskFrom: ticket.atRiskFrom ? Date.parse(ticket.atRiskFrom) : undefined,
      },
      now,
    ) ?? '';
  const label = state === 'breached' ? context.t('breached') : state === 'at-risk' ? context.t('warning') : '';
  return html`<td class="${state}"><time datetime="${ticket.nextDeadline}">${context.when(ticket.nextDeadline)}</time>
    ${left === undefined ? '' : left < 0 ? html`<br>${formatDuration(left, context.language)} ${context.t('late')}${counted}` : html`<br>${formatDuration(left, context.language)}${counted}`}${label && html` <strong class="badge">${label}</strong>`}</td>`;
}

/** One queue of the page; an empty one is left out while more pages follow (best-effort tickets come after the dated ones). */
function table(
  context: PageContext,
  caption: string,
  tickets: ListedTicket[],
  now: number,
  more: boolean,
  names: ReadonlyMap<string, string>,
): Html {
  const { t } = context;
  if (!tickets.length) return more ? html`` : html`<h2>${caption}</h2><p>${t('noTickets')}</p>`;
  return html`<h2>${caption}</h2>
<div class="scroll"><table>
<thead><tr><th scope="col">${t('number')}</th><th scope="col">${t('title')}</th><th scope="col">${t('customer')}</th><th scope="col">${t('priority')}</th><th scope="col">${t('status')}</th><th scope="col">${t('assignee')}</th><th scope="col">${t('nextDeadline')}</th></tr></thead>
<tbody>${tickets.map(
    (ticket) => html`<tr class="${ticket.slaBreached ? 'breached-row' : ''}">
<td><a href="/console/tickets/${ticket.ticketNumber}">${ticket.ticketNumber}</a></td><td>${ticket.title}</td><td>${names.get(ticket.customerId) ?? ticket.customerId}</td>
<td>${term(context.language, ticket.priority)}${ticket.emergency ? html` <strong class="badge emergency">${t('emergency')}</strong>` : ''}</td><td>${term(context.language, ticket.status)}</td><td>${ticket.assignee ?? '–'}</td>${deadlineCell(context, ticket, now)}</tr>`,
  )}</tbody>
</table></div>`;
}

function select(
  id: string,
  label: string,
  values: readonly string[],
  chosen: string | undefined,
  any: string,
  name: (value: string) => string = (value) => value,
): Html {
  return html`<div><label for="${id}">${label}</label><select id="${id}" name="${id}"><option value="">${any}</option>${values.map(
    (value) => html`<option value="${value}"${chosen === value ? html` selected` : ''}>${name(value)}</option>`,
  )}</select></div>`;
}

/**
 * The board's content: the filters, then the two queues; refreshed in place every 30 s by htmx (hx-select keeps only
 * this). Customers show by name where `names` knows it, by id otherwise; the customer filter takes an id, which its
 * suggestions offer by name.
 */
export function boardBody(
  context: PageContext,
  filters: BoardFilters,
  answer: ApiAnswer,
  now: number,
  names: ReadonlyMap<string, string> = new Map(),
): Html {
  const { t } = context;
  const items = answer.status === 200 ? (answer.body.items as ListedTicket[]) : [];
  const next = answer.status === 200 && typeof answer.body.nextCursor === 'string' ? answer.body.nextCursor : undefined;
  const { cursor, ...chosen } = filters;
  return html`<form method="get" action="/console/" class="filters" role="search">
${select('status', t('status'), TICKET_STATUSES, filters.status, t('any'), (status) => term(context.language, status))}
${select('priority', t('priority'), PRIORITIES, filters.priority, t('any'), (priority) => term(context.language, priority))}
<div><label for="customer">${t('customer')}</label><input id="customer" name="customer"${names.size ? html` list="customer-names"` : ''} value="${filters.customer ?? ''}">${names.size ? html`<datalist id="customer-names">${[...names].map(([id, name]) => html`<option value="${id}">${name}</option>`)}</datalist>` : ''}</div>
<div><label for="assignee">${t('assignee')}</label><input id="assignee" name="assignee" value="${filters.assignee ?? ''}"></div>
${select('breached', t('breached'), ['true', 'false'], filters.breached, t('any'))}
<div class="check"><input type="checkbox" id="atRisk" name="atRisk" value="true"${filters.atRisk === 'true' ? html` checked` : ''}><label for="atRisk">${t('atRisk')}</label></div>
<div><label for="q">${t('search')}</label><input id="q" name="q" type="search" value="${filters.q ?? ''}"></div>
<button type="submit">${t('filter')}</button>
</form>
${answer.status === 200 ? '' : alertBox(problemText(answer))}
<div id="board" hx-get="${boardUrl(filters)}" hx-trigger="every 30s" hx-select="#board" hx-swap="outerHTML">
${table(
  context,
  t('withDeadlines'),
  items.filter((ticket) => ticket.nextDeadline),
  now,
  next !== undefined,
  names,
)}
${table(
  context,
  t('firstCome'),
  items.filter((ticket) => !ticket.nextDeadline),
  now,
  next !== undefined,
  names,
)}
${next || cursor ? html`<nav class="pages" aria-label="${t('pages')}">${cursor ? html`<a href="${boardUrl(chosen)}">${t('firstPage')}</a> ` : ''}${next ? html`<a rel="next" href="${boardUrl({ ...chosen, cursor: next })}">${t('moreTickets')}</a>` : ''}</nav>` : ''}
</div>`;
}
