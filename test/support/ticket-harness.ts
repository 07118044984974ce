import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { createPlanningActivities, planClocks, type PolicySource } from '../../activities/clock-planner';
import type { ThresholdNotice } from '../../activities/threshold-email';
import type { TicketActivities } from '../../activities/ticket-activities';
import { getTicketQuery, type OpenTicketInput, type TicketState } from '../../messages/ticket';
import { dueThresholds, nextThresholdAt } from '../../domain/sla/clock';
import { billedTicket, planQuestion, registeredTicket } from '../../domain/ticket/steps';
import { presetRegistry } from '../../policies/registry';
import type { ticketWorkflow } from '../../workflows';
import type { TicketWorkflowOptions } from '../../workflows/ticket';
import { createWorkerGroup, type VigilWorkers } from '../../worker/create-worker';
import { DEFAULT_WORKER_TUNING } from '../../worker/tuning';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/workflow-code';
import { createTimeSkippingEnv } from './time-skipping';

/** What the mocked database activities were asked to do. */
export interface Recorded {
  acknowledged: TicketState[];
  revisions: number[];
  billed: TicketState[];
  notices: ThresholdNotice[];
}

/**
 * Where a test holds the activities that reach it, as a slow database holds them, until it lets them through; it
 * counts those waiting, so that a test waits for them to be there rather than for a duration.
 */
export class Gate {
  private closed: Promise<void> | undefined;
  private waitingNow = 0;

  /** Holds every activity that reaches the gate from now on; the function returned lets them all through. */
  hold(): () => void {
    let release!: () => void;
    this.closed = new Promise((resolve) => (release = resolve));
    return () => {
      this.closed = undefined;
      release();
    };
  }

  /** How many attempts wait at the gate now. */
  get waiting(): number {
    return this.waitingNow;
  }

  async pass(): Promise<void> {
    const closed = this.closed;
    if (!closed) return;
    this.waitingNow += 1;
    try {
      await closed;
    } finally {
      this.waitingNow -= 1;
    }
  }
}

/**
 * The gates of a harness: read-model writes after registration (held, the ticket runs ahead of its record; hold them
 * for seconds, not longer: a write is an activity with a 30 s timeout), and registrations (held, as when the database is
 * slow to take a ticket's first row).
 */
export interface Gates {
  readModel: Gate;
  registration: Gate;
}

/**
 * The database activities, recorded, each passing its gate first. Registration plans with the real calendar maths
 * (`policies`), as the worker's activity does.
 */
function recordingActivities(recorded: Recorded, gates: Gates, policies: PolicySource): TicketActivities {
  // Registration writes the ticket's first row itself (writeRegistration in activities/ticket-activities.ts): its
  // revision is in the read model as much as a later one's.
  const writeRegistration = async (ticket: TicketState) => {
    recorded.acknowledged.push(ticket);
    recorded.revisions.push(ticket.revision);
  };
  const recordTicketState = async (ticket: TicketState) => {
    await gates.readModel.pass();
    recorded.revisions.push(ticket.revision);
  };
  const billTicket = async (ticket: TicketState) => {
    recorded.billed.push(ticket);
    return { lines: [], totalCents: 0 };
  };
  return {
    recordTicketState,
    billTicket,
    registerTicket: async ({ ticket, at }) => {
      await gates.registration.pass();
      const plan = await planClocks(policies, planQuestion(ticket, {}));
      await writeRegistration(registeredTicket(ticket, plan, at).ticket);
      return plan;
    },
    closeTicket: async ({ ticket, at }) => {
      const billing = await billTicket(ticket);
      await recordTicketState(billedTicket(ticket, billing, at));
      return billing;
    },
    notifyThreshold: async (notice, ticket) => {
      recorded.notices.push(notice);
      // The notice's activity writes the committed ticket in its own transaction, as activities/ticket-activities.ts does.
      if (ticket) recorded.revisions.push(ticket.revision);
    },
  };
}

export const baseInput: Omit<OpenTicketInput, 'ticketNumber' | 'policyId' | 'priority'> = {
  customerId: 'acme',
  kind: 'incident',
  title: 'Invoices are not exported',
  description: 'The nightly export to the ERP stopped.',
  contact: { name: 'Ana Lopes', email: 'ana@acme.lu' },
};

const HISTORIES_DIR = path.join(__dirname, '..', 'replay', 'histories');

/**
 * The workflow code bundled once per test file and shared by every harness in it: webpack took seconds per
 * Worker.create (tens of seconds on a loaded machine), once per test, which pushed a file of thirteen tests past its
 * timeouts. Every harness still gets a worker of its own on a server of its own.
 */
let workflowBundle: Promise<WorkflowBundle> | undefined;
const silentBundler = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: console.error,
};
function bundledWorkflows(): Promise<WorkflowBundle> {
  workflowBundle ??= bundleWorkflowCode({ ...WORKFLOW_BUNDLE_OPTIONS, logger: silentBundler });
  return workflowBundle;
}

/**
 * A time-skipping server with a worker whose calendar maths is real (the presets, or the policies given) and whose
 * database activities are recorded instead. Each test gets its own: time skipping is global to a server.
 */
export class TicketHarness {
  readonly recorded: Recorded = { acknowledged: [], revisions: [], billed: [], notices: [] };
  private worker!: VigilWorkers;
  private running!: Promise<void>;
  readonly taskQueue = 'tickets-under-test';
  /** Held by a test to slow a kind of activity down (Gate). */
  readonly gates: Gates = { readModel: new Gate(), registration: new Gate() };

  /** The instant the server's clock was last set to, and the most it has run on past such an instant since. */
  private lastJumpTarget = 0;
  private longestRunOnMs = 0;

  private constructor(
    readonly env: TestWorkflowEnvironment,
    private readonly policies: PolicySource,
  ) {}

  static async start(policies: PolicySource = presetRegistry): Promise<TicketHarness> {
    const harness = new TicketHarness(await createTimeSkippingEnv(), policies);
    harness.lastJumpTarget = await harness.env.currentTimeMs();
    await harness.startWorker();
    return harness;
  }

  async startWorker(): Promise<void> {
    // The process's three workers, as worker/main.ts runs them: notices and read-model writes on queues of their own.
    this.worker = await createWorkerGroup({
      connection: this.env.nativeConnection,
      taskQueue: this.taskQueue,
      workflows: { workflowBundle: await bundledWorkflows() },
      activities: {
        ...recordingActivities(this.recorded, this.gates, this.policies),
        ...createPlanningActivities(this.policies),
      },
      // No workflow cache: every task replays the history from the start, which checks determinism at every step
      // and lets a restarted worker take over at once (a sticky queue would keep sending tasks to the stopped one).
      tuning: { ...DEFAULT_WORKER_TUNING, cachedWorkflows: 0 },
    });
    this.running = this.worker.run();
  }

  async restartWorker(): Promise<void> {
    this.worker.shutdown();
    await this.running;
    await this.startWorker();
  }

  async stop(): Promise<void> {
    this.worker.shutdown();
    await this.running;
    await this.env.teardown();
  }

  /** Moves the server's clock forward to `iso`, running every timer due on the way. */
  async jumpTo(iso: string): Promise<void> {
    const target = Date.parse(iso);
    const now = await this.env.currentTimeMs();
    if (target < now) throw new Error(`cannot go back in time to ${iso}`);
    this.longestRunOnMs = Math.max(this.longestRunOnMs, now - this.lastJumpTarget);
    this.lastJumpTarget = target;
    await this.env.sleep(target - now);
  }

  /**
   * Between jumps the server's clock runs in real time, so what the workflow does "at" an instant the test jumped
   * to happens up to however long the machine took to get there, and instants computed from it (deadlines counted
   * from registration) move by as much. That run-on is measured, not guessed: `actual` must lie between `iso` and
   * `iso` plus the longest run-on past a jump so far, however loaded the machine.
   */
  async expectInstant(actual: number | null | undefined, iso: string): Promise<void> {
    expect(actual).not.toBeNull();
    expect(actual).toBeDefined();
    const runOn = Math.max(this.longestRunOnMs, (await this.env.currentTimeMs()) - this.lastJumpTarget);
    const late = (actual as number) - Date.parse(iso);
    if (late < 0 || late > runOn)
      throw new Error(
        `expected ${new Date(actual as number).toISOString()} to be ${iso} or at most ${runOn} ms (the server's run-on past its jumps) later`,
      );
  }

  /**
   * Moves time forward to `iso` one due SLA instant at a time, letting the workflow finish its work at each: the
   * test server would otherwise skip time under a running activity and time it out again and again.
   */
  async advanceTo(handle: WorkflowHandle<typeof ticketWorkflow>, iso: string): Promise<TicketState> {
    const target = Date.parse(iso);
    for (;;) {
      const ticket = await this.settle(handle);
      const candidates = [
        nextThresholdAt(ticket.clocks, ticket.thresholdGeneration, new Set(ticket.notifiedThresholds)),
        ticket.status === 'validation' ? ticket.autoValidateAt : undefined,
      ].filter((instant): instant is number => instant !== undefined && instant < target);
      if (candidates.length === 0) break;
      // settle() has seen everything due so far handled, so the next instant is ahead of the server's clock.
      await this.jumpTo(new Date(Math.min(...candidates) + 1).toISOString());
    }
    await this.jumpTo(iso);
    return this.settle(handle);
  }

  /** `start` overrides the run's start options: a test of a slow first task shortens its workflow task timeout. */
  open(
    input: Pick<OpenTicketInput, 'ticketNumber' | 'policyId' | 'priority'> & Partial<OpenTicketInput>,
    options: TicketWorkflowOptions = {},
    start: { workflowTaskTimeout?: string } = {},
  ): Promise<WorkflowHandle<typeof ticketWorkflow>> {
    return this.env.client.workflow.start<typeof ticketWorkflow>('ticketWorkflow', {
      taskQueue: this.taskQueue,
      workflowId: `ticket-${input.ticketNumber}`,
      args: [{ ...baseInput, ...input }, undefined, options],
      ...start,
    });
  }

  /**
   * Waits until the workflow is idle: nothing SLA-related is due at the server's time and the read model has the
   * latest revision. Skipping time while an activity is in flight would time it out, so every jump waits for this.
   */
  async settle(handle: WorkflowHandle<typeof ticketWorkflow>): Promise<TicketState> {
    // Generous: with no workflow cache every task replays the whole history, slow on a loaded 2-core machine.
    const deadline = Date.now() + 45_000;
    for (;;) {
      const ticket = await handle.query(getTicketQuery);
      const now = await this.env.currentTimeMs();
      const due =
        dueThresholds(ticket.clocks, now, ticket.thresholdGeneration, new Set(ticket.notifiedThresholds)).length > 0 ||
        (ticket.status === 'validation' && ticket.autoValidateAt !== undefined && ticket.autoValidateAt <= now);
      if (!due && this.recorded.revisions.includes(ticket.revision)) return ticket;
      if (Date.now() > deadline)
        throw new Error(
          `ticket never settled: revision ${ticket.revision}, read model at ${this.recorded.revisions.at(-1)}, due: ${due}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Keeps this path's history for the replay test when RECORD_HISTORIES is set (see test/replay). */
  async keepHistory(handle: WorkflowHandle<typeof ticketWorkflow>, name: string): Promise<void> {
    if (!process.env.RECORD_HISTORIES) return;
    const history = await handle.fetchHistory();
    fs.mkdirSync(HISTORIES_DIR, { recursive: true });
    const json = temporal.api.history.v1.History.toObject(history as temporal.api.history.v1.History, {
      longs: String,
      enums: String,
      bytes: String,
    });
    fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(json, null, 1)}\n`);
  }
}

export const at = (iso: string): number => Date.parse(iso);

export function clockOf(ticket: TicketState, metric: 'response' | 'intervention' | 'resolution') {
  return ticket.clocks.find((clock) => clock.metric === metric)!;
}
