import type { Pool } from 'pg';
import type { Priority, TicketKind } from '../domain/policy/vocabulary';
import type { TicketStatus } from '../domain/ticket/lifecycle';
import { TICKET_NUMBER_PATTERN } from '../domain/ticket/ticket-number';
import { slaRiskAt, type SlaRisk } from '../domain/sla/clock';
import type { ClockFacts } from '../messages/ticket';
import { TICKET_ORDERS, type TicketOrder } from '../messages/ticket-list';

export type { TicketOrder };

export interface TicketFilter {
  statuses?: readonly TicketStatus[];
  customerId?: string;
  priorities?: readonly Priority[];
  kinds?: readonly TicketKind[];
  breached?: boolean;
  assignee?: string;
  /** Only tickets still to be worked: not closed, cancelled or refused. */
  openOnly?: boolean;
  /** Only tickets at risk at this instant, not breached (domain/sla/clock.ts slaRiskAt). */
  atRiskAt?: number;
  /** Words found, whatever their case, in the number, the title, or the customer's id or name. */
  search?: string;
}

/**
 * Where a page ends: the sort key of its last row, the instant as PostgreSQL wrote it (exact to the microsecond).
 * `back` marks the key of a page's first row, from which the page before it is read (a listing's previous page).
 */
export interface PageKey {
  order: TicketOrder;
  at: string;
  number: string;
  back?: true;
}

// What to_json writes for a timestamptz (any session time zone); the key of a ticket with no deadline is `infinity`.
const SORT_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):([0-5]\d):([0-5]\d)(?:\.\d{1,6})?(?:Z|[+-](\d{2})(?::[0-5]\d){0,2})$/;
const TICKET_NUMBER = new RegExp(TICKET_NUMBER_PATTERN);

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
const daysIn = (year: number, month: number) =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/**
 * Whether PostgreSQL takes `at` back as a timestamptz. The shape alone is not enough: a client may send
 * 2026-02-31 or year 0000, which JavaScript's Date rolls over or accepts and PostgreSQL refuses.
 */
function isSortInstant(at: string): boolean {
  if (at === 'infinity') return true;
  // An offset absent (Z) counts as zero hours.
  const fields = SORT_INSTANT.exec(at)
    ?.slice(1)
    .map((field) => Number(field ?? 0));
  if (!fields) return false;
  const [year = 0, month = 0, day = 0, hour = 0, , , offsetHours = 0] = fields;
  return (
    year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour <= 23 && offsetHours <= 15
  );
}

/** Whether `value` is a key this module could have written: a cursor comes back from clients, who may alter it. */
export function isPageKey(value: unknown): value is PageKey {
  const key = value as Partial<PageKey> | null;
  return (
    typeof key === 'object' &&
    key !== null &&
    TICKET_ORDERS.includes(key.order as TicketOrder) &&
    typeof key.at === 'string' &&
    isSortInstant(key.at) &&
    typeof key.number === 'string' &&
    TICKET_NUMBER.test(key.number) &&
    (key.back === undefined || key.back === true)
  );
}

export interface TicketPageRequest {
  filter: TicketFilter;
  /** `deadline` lists open tickets only: a closed ticket has no deadline ahead. */
  order: TicketOrder;
  limit: number;
  /** The page after this key in the listing's order, or before it when the key is marked `back`. */
  after?: PageKey;
}

export interface TicketSummary {
  ticketNumber: string;
  customerId: string;
  title: string;
  kind: TicketKind;
  priority: Priority;
  status: TicketStatus;
  assignee?: string;
  openedAt: number;
  nextDeadline?: number;
  slaBreached: boolean;
  /** From when the ticket is at risk (domain/sla/clock.ts atRiskFrom); absent while no warning is ahead. */
  atRiskFrom?: number;
  /** Opened through the emergency channel (messages/open-ticket.ts `channel`); absent otherwise. */
  emergency?: true;
}

/** A ticket of a page, with what its clocks are measured with (the business time left, api/ticket-view.ts). */
export interface PagedTicket extends TicketSummary {
  clockFacts?: ClockFacts;
}

export interface TicketPage {
  items: PagedTicket[];
  /** Absent on the last page. */
  next?: PageKey;
  /** The key to read the page before this one; absent on the first page. */
  previous?: PageKey;
}

export interface AtRiskRequest {
  customerId?: string;
  priority?: Priority;
  now: number;
}

/** An open ticket that has breached a deadline or is at risk (domain/sla/clock.ts slaRiskAt). */
export interface AtRiskTicket extends TicketSummary {
  state: SlaRisk;
}

export interface TicketQueries {
  page(request: TicketPageRequest): Promise<TicketPage>;
  /** Open tickets breached or at risk as of `now`: breached first, then nearest deadline first; at most 500. */
  atRisk(request: AtRiskRequest): Promise<AtRiskTicket[]>;
}

/** How many tickets the at-risk list holds at most: a desk with more has a problem no list solves. */
export const AT_RISK_LIMIT = 500;

// Spelled as in the partial indexes of migration 0006, so that the planner matches them.
const OPEN = "status NOT IN ('closed', 'cancelled', 'refused')";
// The channel has no column of its own: the snapshot holds it, as the ticket's state does (absent: standard).
const SUMMARY_COLUMNS =
  "number, customer_id, title, kind, priority, status, assignee, opened_at, next_deadline, sla_breached, at_risk_from, snapshot->>'channel' = 'emergency' AS emergency";
// domain/sla/clock.ts slaRiskAt in SQL, `$now` standing for the instant's parameter.
const BREACHED = '(sla_breached OR coalesce(next_deadline <= $now, false))';
const AT_RISK = 'at_risk_from <= $now';
// The snapshot's clocks and what measures them, without its history (events, time entries, messages).
const CLOCK_FACTS = `jsonb_build_object(${(
  ['openedAt', 'kind', 'priority', 'channel', 'emergencyResponseTarget', 'policyId', 'policyVersion', 'clocks'] as const
)
  .map((key: keyof ClockFacts) => `'${key}', snapshot->'${key}'`)
  .join(', ')}) AS clock_facts`;
// Each order's key and direction; the number breaks ties on one instant. Newest first reads the arrival indexes of
// migration 0006 backwards.
const SORTS: Record<TicketOrder, { expression: string; descending: boolean }> = {
  arrival: { expression: 'opened_at', descending: false },
  deadline: { expression: "coalesce(next_deadline, 'infinity'::timestamptz)", descending: false },
  newest: { expression: 'opened_at', descending: true },
};

interface SummaryRow {
  number: string;
  customer_id: string;
  title: string;
  kind: TicketKind;
  priority: Priority;
  status: TicketStatus;
  assignee: string | null;
  opened_at: Date;
  next_deadline: Date | null;
  sla_breached: boolean;
  at_risk_from: Date | null;
  /** null for a snapshot without a channel: a ticket of the standard channel. */
  emergency: boolean | null;
  sort_at: string;
}

interface PagedRow extends SummaryRow {
  clock_facts: Record<string, unknown>;
}

/** Parameterised conditions: every value travels as a parameter, only fixed SQL is spliced. */
class Conditions {
  readonly sql: string[] = [];
  readonly values: unknown[] = [];

  add(template: (placeholder: string) => string, value: unknown): void {
    this.values.push(value);
    this.sql.push(template(`$${this.values.length}`));
  }
}

/** `words` as an ILIKE pattern finding them anywhere, `%` and `_` taken as the characters they are. */
const containing = (words: string) => `%${words.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/**
 * `searchedCustomers`: the customers whose id or name holds the search words, read beforehand (customerIdsFound) so
 * that the planner sees the list: as a subquery it guessed ten customers' tickets, and walked the sort order instead
 * of the trigram indexes of migration 0030 (test/e2e/ticket-search.test.ts reads the plans).
 */
function conditionsOf({ filter, order, after }: TicketPageRequest, searchedCustomers: readonly string[]): Conditions {
  const conditions = new Conditions();
  if (filter.openOnly || order === 'deadline') conditions.sql.push(OPEN);
  if (filter.statuses?.length) conditions.add((p) => `status = ANY(${p}::text[])`, filter.statuses);
  if (filter.customerId !== undefined) conditions.add((p) => `customer_id = ${p}`, filter.customerId);
  if (filter.priorities?.length) conditions.add((p) => `priority = ANY(${p}::text[])`, filter.priorities);
  if (filter.kinds?.length) conditions.add((p) => `kind = ANY(${p}::text[])`, filter.kinds);
  if (filter.breached !== undefined) conditions.add((p) => `sla_breached = ${p}`, filter.breached);
  if (filter.assignee !== undefined) conditions.add((p) => `assignee = ${p}`, filter.assignee);
  if (filter.atRiskAt !== undefined)
    conditions.add((p) => `${AT_RISK} AND NOT ${BREACHED}`.replaceAll('$now', () => p), new Date(filter.atRiskAt));
  const search = filter.search?.trim();
  if (search) {
    conditions.values.push(containing(search), searchedCustomers);
    const count = conditions.values.length;
    conditions.sql.push(
      `(number ILIKE $${count - 1} OR title ILIKE $${count - 1} OR customer_id = ANY($${count}::text[]))`,
    );
  }
  if (after) {
    conditions.values.push(after.at, after.number);
    const count = conditions.values.length;
    // Rows past the key in the direction read: the listing's own, or its reverse for the page before the key.
    const { expression, descending } = SORTS[order];
    const comparison = descending === Boolean(after.back) ? '>' : '<';
    conditions.sql.push(`(${expression}, number) ${comparison} ($${count - 1}::timestamptz, $${count})`);
  }
  return conditions;
}

const toSummary = (row: SummaryRow): TicketSummary => ({
  ticketNumber: row.number,
  customerId: row.customer_id,
  title: row.title,
  kind: row.kind,
  priority: row.priority,
  status: row.status,
  assignee: row.assignee ?? undefined,
  openedAt: row.opened_at.getTime(),
  nextDeadline: row.next_deadline?.getTime(),
  slaBreached: row.sla_breached,
  ...(row.at_risk_from ? { atRiskFrom: row.at_risk_from.getTime() } : {}),
  ...(row.emergency ? { emergency: true as const } : {}),
});

/**
 * The facts as the ticket had them: a field it lacks comes out of jsonb_build_object as null, and goes again (a
 * clock's own `deadline: null`, a best-effort clock, stays as it is). A row whose copy holds no clocks (written by
 * hand, as by an import, with an empty snapshot) has none to measure: its ticket goes without the figure rather
 * than failing the whole page.
 */
const clockFactsOf = (built: Record<string, unknown>): ClockFacts | undefined =>
  Array.isArray(built.clocks)
    ? (Object.fromEntries(Object.entries(built).filter(([, value]) => value !== null)) as unknown as ClockFacts)
    : undefined;

/** Keyset pagination over the read model: each page starts after the previous page's last key, never at an OFFSET. */
export function ticketQueries(db: Pool): TicketQueries {
  /**
   * The customers a search finds by id or name. A ticket's customer is one of them: a ticket opens under a contract
   * in force, and a contract's customer is a row of customers (migration 0005).
   */
  async function customerIdsFound(search: string): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM customers WHERE id ILIKE $1 OR name ILIKE $1', [
      containing(search),
    ]);
    return rows.map((row) => row.id);
  }

  return {
    async page(request) {
      const { order, limit, after } = request;
      const { expression, descending } = SORTS[order];
      const back = after?.back === true;
      // A page before a key is read in the reverse order, from the key outwards, then turned round.
      const direction = descending === back ? 'ASC' : 'DESC';
      const search = request.filter.search?.trim();
      const conditions = conditionsOf(request, search ? await customerIdsFound(search) : []);
      const where = conditions.sql.length > 0 ? `WHERE ${conditions.sql.join(' AND ')}` : '';
      // One row more than asked tells whether another page follows in the direction read.
      const values = [...conditions.values, limit + 1];
      const { rows } = await db.query<PagedRow>(
        `SELECT ${SUMMARY_COLUMNS}, ${CLOCK_FACTS}, to_json(${expression}) #>> '{}' AS sort_at
         FROM tickets ${where}
         ORDER BY ${expression} ${direction}, number ${direction}
         LIMIT $${values.length}`,
        values,
      );
      const more = rows.length > limit;
      const page = back ? rows.slice(0, limit).reverse() : rows.slice(0, limit);
      const first = page[0];
      const last = page[page.length - 1];
      const keyOf = (row: PagedRow) => ({ order, at: row.sort_at, number: row.number });
      // Read forwards: a page follows if a row was left over, and one comes before if this page started after a
      // key. Read backwards: the reverse (the key's own row follows this page).
      const next = last && (back || more) ? keyOf(last) : undefined;
      const previous =
        first && (back ? more : after !== undefined) ? { ...keyOf(first), back: true as const } : undefined;
      const items = page.map((row) => {
        const clockFacts = clockFactsOf(row.clock_facts);
        return { ...toSummary(row), ...(clockFacts ? { clockFacts } : {}) };
      });
      return { items, ...(next ? { next } : {}), ...(previous ? { previous } : {}) };
    },

    async atRisk({ customerId, priority, now }) {
      const conditions = new Conditions();
      conditions.sql.push(OPEN);
      conditions.add((p) => `(${BREACHED} OR ${AT_RISK})`.replaceAll('$now', () => p), new Date(now));
      if (customerId !== undefined) conditions.add((p) => `customer_id = ${p}`, customerId);
      if (priority !== undefined) conditions.add((p) => `priority = ${p}`, priority);
      const values = [...conditions.values, AT_RISK_LIMIT];
      const { rows } = await db.query<SummaryRow>(
        `SELECT ${SUMMARY_COLUMNS}, '' AS sort_at
         FROM tickets WHERE ${conditions.sql.join(' AND ')}
         ORDER BY sla_breached DESC, next_deadline NULLS LAST, number
         LIMIT $${values.length}`,
        values,
      );
      // Every row matched one of the two: a deadline already passed is a breach even before the workflow's timer recorded it.
      return rows.map((row) => {
        const ticket = toSummary(row);
        return { ...ticket, state: slaRiskAt(ticket, now) ?? 'at-risk' };
      });
    },
  };
}
