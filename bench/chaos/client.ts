/**
 * The chaos run's HTTP client: each request is timed and recorded in the ledger; `untilAnswered` retries as a
 * careful client would (same body, same Idempotency-Key) until it gets an answer that is not "come back later".
 */
import { NO_ANSWER, type Ledger } from './ledger';

export type Caller = 'agent' | 'customer';

export interface ChaosRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  as: Caller;
  idempotencyKey?: string;
}

export interface Answer {
  status: number;
  body: unknown;
  headers: Headers;
  ms: number;
}

/** The API's own deadline is 12 s; past this, the client has stopped waiting. */
const REQUEST_TIMEOUT_MS = 20_000;
/** Answers a client retries: nothing came, the dependency is away, or the ticket is busy. 500 too: a client cannot know better. */
const retryable = (status: number) => status === NO_ANSWER || status === 429 || status >= 500;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ChaosClient {
  constructor(
    private readonly baseUrl: string,
    private readonly tokens: Record<Caller, string>,
    private readonly ledger: Ledger,
  ) {}

  async send(scenario: string, request: ChaosRequest): Promise<Answer> {
    const started = Date.now();
    const headers: Record<string, string> = { authorization: `Bearer ${this.tokens[request.as]}` };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.idempotencyKey !== undefined) headers['idempotency-key'] = request.idempotencyKey;
    let answer: Answer;
    try {
      const response = await fetch(`${this.baseUrl}${request.path}`, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text();
      answer = { status: response.status, body: parseJson(text), headers: response.headers, ms: Date.now() - started };
    } catch {
      answer = { status: NO_ANSWER, body: undefined, headers: new Headers(), ms: Date.now() - started };
    }
    this.ledger.exchanges.push({
      scenario,
      request: `${request.method} ${request.path}`,
      status: answer.status,
      ms: answer.ms,
      at: Date.now(),
    });
    // A 503 is only an answer a client can act on with Retry-After; every status above 500 but 503 is a bug.
    if (answer.status === 503 && !answer.headers.get('retry-after'))
      this.ledger.fail(scenario, `503 without Retry-After on ${request.method} ${request.path}`);
    if (answer.status >= 500 && answer.status !== 503)
      this.ledger.fail(
        scenario,
        `${answer.status} on ${request.method} ${request.path}: ${JSON.stringify(answer.body)}`,
      );
    return answer;
  }

  /** Sends until the answer is final or the deadline passes; the last answer is returned either way. */
  async untilAnswered(scenario: string, request: ChaosRequest, deadline: number): Promise<Answer> {
    for (;;) {
      const answer = await this.send(scenario, request);
      if (!retryable(answer.status) || Date.now() > deadline) return answer;
      const retryAfterS = Number(answer.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfterS) && retryAfterS > 0 ? Math.min(retryAfterS * 1000, 2_000) : 500);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
