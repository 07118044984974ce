import { createHash, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import type { FastifyReply } from 'fastify';
import type { Principal } from '../messages/principal';
import type { TicketState } from '../messages/ticket';
import { requestHashOf, type ActionAnswer, type IdempotencyStore } from '../db/idempotency';
import type { ticketWorkflow } from '../workflows';
import { sentUpdateFailure, tooManyUpdatesInFlight } from './dependency-errors';
import { idempotencyKeyReused, sendProblem, toProblem, type KeyedRequest, type Problem } from './problems';
import { withContinueAsNewRetry } from './update-retry';

/**
 * Where an action's Update must go. Temporal applies one Update ID once per run, but forgets it when the ticket
 * continues as new: an Update sent with a client's key is pinned to the run it was first sent to, and moves to the
 * run that continued it only once that run has ended without it.
 */
export interface RunPin {
  /** The run the Update was sent to, once it was. */
  current?: string;
  /** Pins the Update to `to` unless another attempt moved it from `from` first; answers the run it is pinned to. */
  move(from: string | undefined, to: string): Promise<string>;
}

export interface UpdateDelivery {
  updateId: string;
  pin?: RunPin;
}

/** The action requested, as the key's request hash covers it: the same key on another ticket or action is another request. */
export interface ActionRequest {
  /** The ticket's number; an admin creation's route and parameters (api/idempotent-creations.ts). */
  target: string;
  action: string;
  body: unknown;
}

export type AnsweredAction = ActionAnswer & { replayed: boolean };

/** How an answer is kept: by default a ticket action's, answered 200 and kept under the client's key. */
export interface AnswerOptions {
  /** The status of an answer that is not a refusal. */
  status?: number;
  /** What the 422 of a key used for another request calls the request. */
  what?: KeyedRequest;
  /** The key the records hold, when not the client's own (api/idempotent-creations.ts keeps its hash). */
  storedAs?: string;
}

/** Hashed, so that the key of one API key never names another's Update, whatever characters either holds. */
export const actionUpdateId = (apiKeyId: string, key: string): string =>
  `action-${createHash('sha256')
    .update(JSON.stringify([apiKeyId, key]))
    .digest('hex')}`;

type TicketHandle = ReturnType<Client['workflow']['getHandle']>;

/**
 * Sends the Update and answers its outcome. Temporal's client sends an Update again until Temporal has accepted it,
 * and Temporal may turn a later attempt away as one Update too many in flight on the ticket (RESOURCE_EXHAUSTED)
 * after it admitted an earlier one, which the workflow then applies all the same: seen on the full server under load
 * (test/e2e/concurrent-actions.test.ts). That refusal is answered 429, which asks for the same request again, and
 * without an Idempotency-Key the same request again is a second action. So before it stands, Temporal is asked for the
 * Update's own outcome by its ID: one it does not know was never admitted, and the 429 is the truth. Temporal's other
 * failures once the Update is sent are answered 503 saying that it may have been applied (UpdateMayBeApplied).
 */
async function updateOutcome<Command>(
  handle: TicketHandle,
  update: UpdateDefinition<TicketState, [Command]>,
  command: Command,
  updateId: string,
): Promise<TicketState> {
  try {
    return await handle.executeUpdate(update, { args: [command], updateId });
  } catch (error) {
    if (!tooManyUpdatesInFlight(error)) throw sentUpdateFailure(error);
    try {
      return await handle.getUpdateHandle<TicketState>(updateId).result();
    } catch (outcomeError) {
      if (outcomeError instanceof WorkflowNotFoundError) throw error;
      throw sentUpdateFailure(outcomeError);
    }
  }
}

/**
 * Sends an action's Update and answers the ticket it leaves. The Update ID is the same for every attempt, the
 * API's own retries at a continue-as-new included, so that Temporal never applies one request twice.
 */
export async function deliverUpdate<Command>(
  temporal: Client,
  workflowId: string,
  update: UpdateDefinition<TicketState, [Command]>,
  command: Command,
  { updateId, pin }: UpdateDelivery,
): Promise<TicketState> {
  const handle = (runId?: string) => temporal.workflow.getHandle<typeof ticketWorkflow>(workflowId, runId);
  if (!pin) return withContinueAsNewRetry(() => updateOutcome(handle(), update, command, updateId));
  return withContinueAsNewRetry(async () => {
    let runId = pin.current ?? (await pin.move(undefined, (await handle().describe()).runId));
    for (;;) {
      try {
        // A run that has ended still answers the outcome of an Update it applied.
        return await updateOutcome(handle(runId), update, command, updateId);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        // The pinned run ended without applying it: the run that continued it may, once.
        const latest = await handle().describe();
        if (latest.status.name !== 'RUNNING' || latest.runId === runId) throw error;
        runId = await pin.move(runId, latest.runId);
      }
    }
  });
}

/** 408 and 429 ask for the same request again: anything else in 4xx is the answer to this request for good. */
const isFinal = (problem: Problem) => problem.status < 500 && problem.status !== 408 && problem.status !== 429;

/**
 * Runs an action at most once per Idempotency-Key of the caller's API key: the key is recorded with the request's
 * hash and Update ID before the Update is sent, and with its answer once there is one. A request with a key that
 * has an answer gets that answer again (same status, same body); with a key still in flight (a concurrent twin, or
 * an attempt that failed with a 5xx) it sends the same Update again, which Temporal attaches to the first; with a
 * key used for another request, 422. Without a key, every request is an action of its own.
 */
export async function answerOnce(
  keys: IdempotencyStore,
  principal: Principal,
  key: string | undefined,
  request: ActionRequest,
  act: (delivery: UpdateDelivery) => Promise<unknown>,
  { status = 200, what = 'action', storedAs }: AnswerOptions = {},
): Promise<AnsweredAction> {
  if (key === undefined) return { status, body: await act({ updateId: randomUUID() }), replayed: false };
  const requestHash = requestHashOf(request);
  const stored = storedAs ?? key;
  const { action, claimed } = await keys.claimAction(principal.keyId, stored, {
    requestHash,
    target: request.target,
    updateId: actionUpdateId(principal.keyId, stored),
  });
  if (action.requestHash !== requestHash) throw idempotencyKeyReused(key, what);
  if (action.answer) return { ...action.answer, replayed: true };

  const pin: RunPin = {
    current: action.runId,
    move: async (from, to) => (pin.current = await keys.pinActionRun(principal.keyId, stored, from, to)),
  };
  let answer: ActionAnswer;
  try {
    answer = { status, body: await act({ updateId: action.updateId, pin }) };
  } catch (error) {
    const problem = toProblem(error);
    // Not an answer: the key stays in flight, and the retry reaches the same Update.
    if (!isFinal(problem)) throw error;
    answer = { status: problem.status, body: problem };
  }
  return { ...(await keys.answerAction(principal.keyId, stored, answer)), replayed: !claimed };
}

export function sendAnswer(reply: FastifyReply, { status, body, replayed }: AnsweredAction): FastifyReply {
  if (replayed) void reply.header('idempotent-replayed', 'true');
  return status < 400 ? reply.status(status).send(body) : sendProblem(reply, body as Problem);
}
