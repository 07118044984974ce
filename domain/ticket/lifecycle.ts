import { ACTION_TABLE, TICKET_ACTION_NAMES, type TicketActionName } from '../../messages/ticket-actions';
import { DomainError } from '../errors';
import type { TicketStatus } from './status';

export { isTerminal, TICKET_STATUSES, type TicketStatus } from './status';

/** The steps the ticket takes on its own (registration, its dates), beside the actions people send (the action table). */
const SYSTEM_STEPS = {
  acknowledge: { from: ['request'], to: 'acknowledgement' },
  'auto-validate': { from: ['validation'], to: 'closed' },
  refuse: { from: ['request'], to: 'refused' },
  release: { from: ['scheduled'], to: 'support' },
} as const satisfies Record<string, Transition>;

export type SystemStep = keyof typeof SYSTEM_STEPS;
export type TicketAction = TicketActionName | SystemStep;
export const TICKET_ACTIONS: readonly TicketAction[] = [
  ...TICKET_ACTION_NAMES,
  ...(Object.keys(SYSTEM_STEPS) as SystemStep[]),
];

interface Transition {
  readonly from: readonly TicketStatus[];
  /** Where the action leads; absent when the ticket stays where it is. */
  readonly to?: TicketStatus;
}

const transitionOf = (action: TicketAction): Transition =>
  action in SYSTEM_STEPS ? SYSTEM_STEPS[action as SystemStep] : ACTION_TABLE[action as TicketActionName];

export class InvalidTransitionError extends DomainError {
  readonly code = 'INVALID_TRANSITION';

  constructor(
    readonly action: TicketAction,
    readonly status: TicketStatus,
  ) {
    const allowed = transitionOf(action).from.join(', ');
    super(`cannot ${action} a ticket in status '${status}': only a ticket in ${allowed} can`);
  }
}

/** The status an action leads to, or an InvalidTransitionError naming why not. */
export function transition(status: TicketStatus, action: TicketAction): TicketStatus {
  const rule = transitionOf(action);
  if (!rule.from.includes(status)) throw new InvalidTransitionError(action, status);
  return rule.to ?? status;
}

/**
 * A rule of the ticket that the status alone does not express (e.g. an intervention started twice). `details`: figures
 * a client can act on (the minutes left before a quote is needed), handed to the API beside the message.
 */
export class TicketRuleError extends DomainError {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}
