/**
 * The inbound process acts on tickets through Vigil's own HTTP API, with a desk key of its own
 * (VIGIL_INBOUND_API_KEY): a mail opens a ticket by the very path `POST /v1/tickets` takes (the contract's terms,
 * the number's allocation, the Temporal start, the Idempotency-Key record) and a reply is the API's `customer-reply`,
 * so no rule of either is written twice, and the lifecycle being rewritten behind the API changes nothing here.
 * Each call names the mail's sender in X-Vigil-Mail-From, which the API takes from this key only (made with
 * `--mail-relay`): the ticket records that contact as the actor, channel email.
 */
import { MAIL_FROM_HEADER } from '../../messages/principal';

/** An answer of the API other than success. `transient`: worth trying again later (the API or Temporal away). */
export class DeskApiError extends Error {
  override readonly name = 'DeskApiError';

  constructor(
    readonly status: number | undefined,
    readonly detail: string,
    readonly transient: boolean,
  ) {
    super(status === undefined ? detail : `${status}: ${detail}`);
  }
}

export interface OpenTicketByMail {
  customerId: string;
  contractId: string;
  title: string;
  description: string;
  contact: { name: string; email: string };
  channel: 'standard' | 'emergency';
}

export interface DeskApi {
  openTicket(body: OpenTicketByMail, idempotencyKey: string): Promise<{ ticketNumber: string }>;
  /** The reply of `sender`, whom the inbound process found to be the ticket's contact or a contact of its customer. */
  customerReply(ticketNumber: string, sender: string, body: { message: string }, idempotencyKey: string): Promise<void>;
}

export interface DeskApiOptions {
  /** The API's /v1, e.g. http://127.0.0.1:3000/v1. */
  baseUrl: string;
  token: string;
  /** How long one call may take; past it the mail is tried again later (a 4xx to the sending server). */
  timeoutMs?: number;
}

// 408, 425, 429 and 5xx: the API, Temporal or PostgreSQL is busy or away; the same call later may well pass.
const isTransient = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

export function deskApi({ baseUrl, token, timeoutMs = 10_000 }: DeskApiOptions): DeskApi {
  async function post(
    path: string,
    body: unknown,
    idempotencyKey: string,
    sender: string,
  ): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl.replace(/\/+$/, '')}${path}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': idempotencyKey,
          [MAIL_FROM_HEADER]: sender,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DeskApiError(
        undefined,
        `the API did not answer: ${error instanceof Error ? error.message : String(error)}`,
        true,
      );
    }
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.ok) return answer;
    const detail =
      typeof answer.detail === 'string'
        ? answer.detail
        : typeof answer.title === 'string'
          ? answer.title
          : response.statusText;
    throw new DeskApiError(response.status, detail, isTransient(response.status));
  }
  return {
    async openTicket(body, idempotencyKey) {
      const answer = await post('/tickets', body, idempotencyKey, body.contact.email);
      if (typeof answer.ticketNumber !== 'string')
        throw new DeskApiError(undefined, 'the API opened a ticket without saying its number', true);
      return { ticketNumber: answer.ticketNumber };
    },
    async customerReply(ticketNumber, sender, body, idempotencyKey) {
      await post(`/tickets/${encodeURIComponent(ticketNumber)}/customer-reply`, body, idempotencyKey, sender);
    },
  };
}
