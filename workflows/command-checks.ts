import { inWorkflowContext, workflowInfo } from '@temporalio/workflow';
import type {
  AgentCommand,
  CancelCommand,
  CustomerReplyCommand,
  LogTimeCommand,
  ProposeResolutionCommand,
  QuoteDecisionCommand,
  ScheduleReleaseCommand,
  SubmitQuoteCommand,
  ReassignCommand,
  RejectCommand,
  SetPriorityCommand,
  ValidateCommand,
  WaitForCustomerCommand,
  WorkaroundCommand,
} from '../contracts/ticket';
import { InvalidArgumentError } from '../domain/errors';
import { isPriority } from '../domain/policy/vocabulary';
import { INTERVENTION_FLAGS } from '../domain/pricing/intervention-flags';
import { findUnsafeText, TEXT_RULE, type TextShape } from '../domain/text';

// The shape of each command, checked in the Update validators: the API checks it too, but not every caller is the API.

/**
 * The text rules came after tickets were running: an Update accepted before them is in their histories, and when the
 * handler re-checks it on replay it must be applied as it was then, or the replay diverges and the ticket is stuck for
 * good. Validators run on new commands only, never marked as replaying: each new command is still checked.
 */
const replayingHistory = () => inWorkflowContext() && workflowInfo().unsafe.isReplayingHistoryEvents;

/** Text PostgreSQL could not store, or a line break where one line is expected, is refused before it is recorded. */
function safeText(value: string, field: string, shape: TextShape): void {
  if (replayingHistory()) return;
  const reason = findUnsafeText(value, { multiline: shape === 'multiline' });
  if (reason) throw new InvalidArgumentError(field, `${TEXT_RULE[shape]}: ${reason}`);
}

/** Names, agents, contacts are one line; `multiline` for what a person writes (a question, a reason, a note). */
function text(value: unknown, field: string, shape: TextShape = 'line'): void {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidArgumentError(field, 'a non-empty string');
  safeText(value, field, shape);
}

function optionalText(value: unknown, field: string, shape: TextShape = 'line'): void {
  if (value === undefined) return;
  if (typeof value !== 'string') throw new InvalidArgumentError(field, 'a string');
  safeText(value, field, shape);
}

function nonNegativeInteger(value: unknown, field: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new InvalidArgumentError(field, 'a non-negative integer');
}

/**
 * Flags are optional booleans. They came after tickets were running, and until then this check ignored fields it did
 * not know: a history may hold a command sent straight to Temporal with such a field of another type, accepted then,
 * so the handler's re-check on replay lets it through as it was (billing prices only a flag that is `true`).
 */
function optionalFlags(command: Record<string, unknown>, flags: readonly string[]): void {
  if (replayingHistory()) return;
  for (const flag of flags) {
    if (command[flag] !== undefined && typeof command[flag] !== 'boolean') throw new InvalidArgumentError(flag, 'a boolean');
  }
}

function object(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) throw new InvalidArgumentError('command', 'an object');
  return value as Record<string, unknown>;
}

export function checkAgentCommand(command: AgentCommand): void {
  text(object(command).agent, 'agent');
}

export function checkLogTime(command: LogTimeCommand): void {
  const entry = object(command);
  text(entry.agent, 'agent');
  optionalText(entry.role, 'role');
  optionalText(entry.service, 'service');
  optionalText(entry.note, 'note', 'multiline');
  nonNegativeInteger(entry.start, 'start');
  nonNegativeInteger(entry.end, 'end');
  if (typeof entry.onSite !== 'boolean') throw new InvalidArgumentError('onSite', 'a boolean');
  if (entry.travelMinutes !== undefined) nonNegativeInteger(entry.travelMinutes, 'travelMinutes');
  optionalFlags(entry, INTERVENTION_FLAGS);
  if ((entry.end as number) <= (entry.start as number)) throw new InvalidArgumentError('end', 'an instant after start');
}

export function checkSetPriority(command: SetPriorityCommand): void {
  const { priority, by, reason } = object(command);
  if (!isPriority(priority)) throw new InvalidArgumentError('priority', 'one of P1, P2, P3, P4');
  text(by, 'by');
  optionalText(reason, 'reason', 'multiline');
}

export function checkReassign(command: ReassignCommand): void {
  const { agent, by } = object(command);
  text(agent, 'agent');
  text(by, 'by');
}

export function checkWaitForCustomer(command: WaitForCustomerCommand): void {
  checkAgentCommand(command);
  text(command.question, 'question', 'multiline');
}

export function checkCustomerReply(command: CustomerReplyCommand): void {
  text(object(command).contact, 'contact');
  optionalText(command.message, 'message', 'multiline');
}

export function checkWorkaround(command: WorkaroundCommand): void {
  checkAgentCommand(command);
  text(command.description, 'description', 'multiline');
}

export function checkProposeResolution(command: ProposeResolutionCommand): void {
  checkAgentCommand(command);
  text(command.resolution, 'resolution', 'multiline');
  if (command.minutesWorked !== undefined) nonNegativeInteger(command.minutesWorked, 'minutesWorked');
}

export function checkValidate(command: ValidateCommand): void {
  text(object(command).contact, 'contact');
  optionalText(command.comment, 'comment', 'multiline');
}

export function checkReject(command: RejectCommand): void {
  text(object(command).contact, 'contact');
  text(command.reason, 'reason', 'multiline');
}

export function checkCancel(command: CancelCommand): void {
  text(object(command).by, 'by');
  text(command.reason, 'reason', 'multiline');
}

export function checkSubmitQuote(command: SubmitQuoteCommand): void {
  checkAgentCommand(command);
  nonNegativeInteger(command.estimateMinutes, 'estimateMinutes');
  if (command.amountCents !== undefined) nonNegativeInteger(command.amountCents, 'amountCents');
  optionalText(command.note, 'note', 'multiline');
}

export function checkQuoteDecision(command: QuoteDecisionCommand): void {
  text(object(command).contact, 'contact');
  optionalText(command.reason, 'reason', 'multiline');
}

export function checkScheduleRelease(command: ScheduleReleaseCommand): void {
  checkAgentCommand(command);
  nonNegativeInteger(command.releaseAt, 'releaseAt');
}
