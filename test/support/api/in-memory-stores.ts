import type { AccountStore } from '../../../messages/accounts';
import type { TicketState } from '../../../messages/ticket';
import {
  KEY_WAIT_MS,
  KeyInFlight,
  type IdempotencyStore,
  type IdempotentAction,
  type IdempotentOpening,
} from '../../../db/idempotency';
import type { InvoiceDetail, InvoiceReader, InvoiceSummary } from '../../../db/invoices';
import {
  PrepaidKeyReusedError,
  type PrepaidAccount,
  type PrepaidLedger,
  type PrepaidMovement,
  type PrepaidPurchase,
} from '../../../db/prepaid';
import type { SlaReportReader, SlaReportRequest, SlaReportRow } from '../../../db/sla-report';
import type {
  AtRiskRequest,
  AtRiskTicket,
  TicketPage,
  TicketPageRequest,
  TicketQueries,
} from '../../../db/ticket-queries';
import type { TicketSnapshots } from '../../../db/ticket-snapshots';

export function inMemoryIdempotency(): IdempotencyStore & {
  records: Map<string, IdempotentOpening>;
  actions: Map<string, IdempotentAction>;
} {
  const records = new Map<string, IdempotentOpening>();
  const actions = new Map<string, IdempotentAction>();
  // The work holding each key (pgIdempotencyStore's advisory lock): its end, which a twin awaits; it never fails.
  const holders = new Map<string, Promise<void>>();
  const id = (apiKeyId: string, key: string) => `${apiKeyId}\n${key}`;
  const held = (apiKeyId: string, key: string) => {
    const action = actions.get(id(apiKeyId, key));
    if (!action) throw new Error(`no action under idempotency key ${key}`);
    return action;
  };
  return {
    records,
    actions,
    async exclusively(apiKeyId, key, work) {
      // No transaction here: each step stands alone, as the creation and its record did before PostgreSQL joined them.
      const run = () => work((step) => step());
      if (key === undefined) return run();
      const slot = id(apiKeyId, key);
      // A twin waits KEY_WAIT_MS in all for the key, as pgIdempotencyStore's lock_timeout bounds it, then gives up.
      let timer: NodeJS.Timeout | undefined;
      const givenUp = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), KEY_WAIT_MS)));
      try {
        // Another twin may take the key in the instant it is let go: then this one waits for that one in turn.
        for (let holder = holders.get(slot); holder; holder = holders.get(slot)) {
          if (!(await Promise.race([holder.then(() => true), givenUp]))) throw new KeyInFlight();
        }
      } finally {
        clearTimeout(timer);
      }
      const done = run();
      const letGo = () => void holders.delete(slot);
      holders.set(slot, done.then(letGo, letGo));
      return done;
    },
    async claimAction(apiKeyId, key, action) {
      const holder = actions.get(id(apiKeyId, key));
      if (holder) return { action: structuredClone(holder), claimed: false };
      actions.set(id(apiKeyId, key), { ...action });
      return { action: { ...action }, claimed: true };
    },
    async pinActionRun(apiKeyId, key, from, to) {
      const action = held(apiKeyId, key);
      if (action.runId === from) action.runId = to;
      return action.runId!;
    },
    async answerAction(apiKeyId, key, answer) {
      const action = held(apiKeyId, key);
      if (!action.answer || (action.answer.status >= 400 && answer.status < 400))
        action.answer = structuredClone(answer);
      return structuredClone(action.answer);
    },
    async find(apiKeyId, key) {
      return records.get(id(apiKeyId, key));
    },
    async claim(apiKeyId, key, opening) {
      const held = records.get(id(apiKeyId, key));
      if (held) return held;
      records.set(id(apiKeyId, key), opening);
      return opening;
    },
  };
}

export function inMemorySnapshots(): TicketSnapshots & { tickets: Map<string, TicketState> } {
  const tickets = new Map<string, TicketState>();
  return {
    tickets,
    async find(ticketNumber) {
      return tickets.get(ticketNumber);
    },
  };
}

/** InvoiceReader over invoices given as they would be issued; `listed` keeps the customer each listing asked for. */
export function inMemoryInvoices(): InvoiceReader & {
  issue(invoice: InvoiceDetail, html?: string): void;
  listed: (string | undefined)[];
} {
  const invoices = new Map<string, { invoice: InvoiceDetail; html: string }>();
  const listed: (string | undefined)[] = [];
  const summary = ({ lines: _lines, ...rest }: InvoiceDetail): InvoiceSummary => rest;
  return {
    listed,
    issue(invoice, html = `<html><body>${invoice.number}</body></html>`) {
      invoices.set(invoice.number, { invoice, html });
    },
    async list(customerId) {
      listed.push(customerId);
      return [...invoices.values()]
        .map(({ invoice }) => invoice)
        .filter((invoice) => customerId === undefined || invoice.customerId === customerId)
        .map(summary);
    },
    async find(number) {
      return invoices.get(number)?.invoice;
    },
    // Bills are the worker's (activities/billing.ts): the API's route tests hold none.
    async ticketLines() {
      return [];
    },
    async html(number) {
      const issued = invoices.get(number);
      return issued && { customerId: issued.invoice.customerId, html: issued.html };
    },
    async documentsIssued(from, to) {
      return [...invoices.values()].flatMap(({ invoice: { document } }) =>
        document && document.issueDate >= from && document.issueDate <= to ? [document] : [],
      );
    },
  };
}

/** PrepaidLedger over the contracts of `accounts`, with the real ledger's once-per-idempotency-key purchases. */
export function inMemoryPrepaid(
  accounts: AccountStore,
  now: () => number,
): PrepaidLedger & { purchases: (PrepaidPurchase & { contractId: string })[] } {
  const purchases: (PrepaidPurchase & { contractId: string })[] = [];
  const movements = new Map<string, PrepaidMovement[]>();
  async function account(contractId: string): Promise<PrepaidAccount | undefined> {
    if (!(await accounts.getContract(contractId))) return undefined;
    const held = movements.get(contractId) ?? [];
    const boughtMinutes = held.reduce((total, { minutes }) => total + Math.max(minutes, 0), 0);
    const usedMinutes = held.reduce((total, { minutes }) => total - Math.min(minutes, 0), 0);
    return {
      contractId,
      boughtMinutes,
      usedMinutes,
      expiredMinutes: 0,
      balanceMinutes: boughtMinutes - usedMinutes,
      balanceYear: new Date(now()).getUTCFullYear(),
      movements: [...held],
    };
  }
  return {
    purchases,
    account,
    async buy(contractId, purchase) {
      if (!(await accounts.getContract(contractId))) return undefined;
      const earlier = purchases.find(
        (made) => made.contractId === contractId && made.idempotencyKey === purchase.idempotencyKey,
      );
      if (earlier && (earlier.minutes !== purchase.minutes || earlier.description !== purchase.description))
        throw new PrepaidKeyReusedError(purchase.idempotencyKey);
      if (!earlier) {
        purchases.push({ ...purchase, contractId });
        const held = movements.get(contractId) ?? [];
        held.push({
          kind: 'purchase',
          minutes: purchase.minutes,
          year: new Date(now()).getUTCFullYear(),
          ticketNumber: null,
          description: purchase.description,
          at: new Date(now()).toISOString(),
          invoiceNumber: null,
        });
        movements.set(contractId, held);
      }
      return account(contractId);
    },
  };
}

/** TicketQueries answering the next page it is given; `requests` keeps what each call asked for. */
export function recordingTicketQueries(): TicketQueries & {
  requests: TicketPageRequest[];
  answer: TicketPage;
  atRiskRequests: AtRiskRequest[];
  atRiskAnswer: AtRiskTicket[];
} {
  const store = {
    requests: [] as TicketPageRequest[],
    answer: { items: [] } as TicketPage,
    atRiskRequests: [] as AtRiskRequest[],
    atRiskAnswer: [] as AtRiskTicket[],
    async page(request: TicketPageRequest) {
      store.requests.push(request);
      return store.answer;
    },
    async atRisk(request: AtRiskRequest) {
      store.atRiskRequests.push(request);
      return store.atRiskAnswer;
    },
  };
  return store;
}

/** SlaReportReader answering the rows it is given; `requests` keeps what each call asked for. */
export function recordingSlaReport(): SlaReportReader & { requests: SlaReportRequest[]; rows: SlaReportRow[] } {
  const store = {
    requests: [] as SlaReportRequest[],
    rows: [] as SlaReportRow[],
    async report(request: SlaReportRequest) {
      store.requests.push(request);
      return store.rows;
    },
  };
  return store;
}
