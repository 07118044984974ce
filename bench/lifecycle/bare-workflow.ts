/**
 * The baseline of bench/lifecycle.bench.ts: the least a Temporal workflow does to walk a ticket's steps, with what
 * ours has of Temporal (one timer for the deadline, an Update per action, a Query for the state) and nothing else:
 * no validation, no clocks, no read model, no bill.
 */
import { condition, defineQuery, defineUpdate, setHandler } from '@temporalio/workflow';

export interface BareState {
  status: 'request' | 'support' | 'validation' | 'closed';
  revision: number;
  assignee?: string;
  minutes: number;
}

/** Answers the state once the workflow runs: sent with its start, as Vigil's opening is (Update-with-start). */
export const bareRegistered = defineUpdate<BareState, []>('registered');
export const bareTakeCharge = defineUpdate<BareState, [string]>('take-charge');
export const bareLogTime = defineUpdate<BareState, [number]>('log-time');
export const bareProposeResolution = defineUpdate<BareState, []>('propose-resolution');
export const bareValidate = defineUpdate<BareState, []>('validate');
export const bareState = defineQuery<BareState>('state');

export async function bareTicket(): Promise<BareState> {
  const state: BareState = { status: 'request', revision: 0, minutes: 0 };
  const step = (change: Partial<BareState>) => {
    Object.assign(state, change, { revision: state.revision + 1 });
    return state;
  };
  setHandler(bareState, () => state);
  setHandler(bareRegistered, () => state);
  setHandler(bareTakeCharge, (agent) => step({ status: 'support', assignee: agent }));
  setHandler(bareLogTime, (minutes) => step({ minutes: state.minutes + minutes }));
  setHandler(bareProposeResolution, () => step({ status: 'validation' }));
  setHandler(bareValidate, () => step({ status: 'closed' }));
  // The deadline's timer: a ticket's clocks sleep until their next instant the same way.
  await condition(() => state.status === 'closed', '8 hours');
  return state;
}
