import fc from 'fast-check';
import type { OpenTicketInput, TicketState } from '../../../messages/ticket';
import {
  ACTION_TABLE,
  TICKET_ACTION_NAMES,
  type CommandOf,
  type TicketActionName,
  type TicketCommand,
} from '../../../messages/ticket-actions';
import { decide, type Decision } from '../../../domain/ticket/decide';
import { applyChanges, openedTicket } from '../../../domain/ticket/evolve';
import { isTerminal } from '../../../domain/ticket/status';
import { priceRequest, requestOfTimeEntries } from '../../../domain/pricing';
import { presetRegistry } from '../../../policies/registry';
import {
  dueChanges,
  dueStep,
  nextWakeUp,
  registrationRefusal,
  thresholdNotice,
  thresholdNotified,
  withPlan,
} from '../../../domain/ticket/steps';
import {
  accepted,
  dueThreshold,
  estimateSubmission,
  HOUR,
  input,
  planAt,
  quoteSubmission,
  registered,
  T0,
  terms,
} from '../../support/ticket-lifecycle';

// The ticket's lifecycle as pure functions: no Temporal, no server, no clock but the one handed in.

const refusalOf = (decision: Decision) =>
  decision.accepted ? undefined : { code: decision.refusal.code, message: decision.refusal.message };

describe('decide: guards, with the stable codes the API maps', () => {
  const inSupport = (overrides: Partial<OpenTicketInput> = {}) =>
    accepted(registered(overrides), { action: 'take-charge', command: { actor: 'marc' } }, T0 + HOUR);

  it('refuses an action the status does not allow (INVALID_TRANSITION), naming the statuses that would', () => {
    expect(
      refusalOf(decide(inSupport(), { action: 'validate', command: { actor: 'ana@acme.lu' } }, T0 + 2 * HOUR)),
    ).toEqual({
      code: 'INVALID_TRANSITION',
      message: "cannot validate a ticket in status 'support': only a ticket in validation can",
    });
  });

  it('refuses what is done already (ALREADY_DONE): a second intervention start, the same assignee, a confirmed priority', () => {
    const started = accepted(inSupport(), { action: 'start-intervention', command: { actor: 'marc' } }, T0 + 2 * HOUR);
    expect(
      refusalOf(decide(started, { action: 'start-intervention', command: { actor: 'marc' } }, T0 + 3 * HOUR))?.code,
    ).toBe('ALREADY_DONE');
    expect(
      refusalOf(decide(started, { action: 'reassign', command: { agent: 'marc', actor: 'lead' } }, T0 + 3 * HOUR))
        ?.message,
    ).toBe('the ticket is already assigned to marc');
    const confirmed = accepted(
      started,
      { action: 'set-priority', command: { priority: 'P2', actor: 'lead' } },
      T0 + 3 * HOUR,
    );
    expect(
      refusalOf(
        decide(confirmed, { action: 'set-priority', command: { priority: 'P2', actor: 'lead' } }, T0 + 3 * HOUR),
      )?.code,
    ).toBe('ALREADY_DONE');
  });

  it('refuses time logged before it is worked (TIME_IN_FUTURE) and an entry ending before it starts (INVALID_ARGUMENT)', () => {
    const now = T0 + 2 * HOUR;
    expect(
      refusalOf(
        decide(
          inSupport(),
          { action: 'log-time', command: { actor: 'marc', start: now - HOUR, end: now + 1, onSite: false } },
          now,
        ),
      )?.code,
    ).toBe('TIME_IN_FUTURE');
    expect(
      refusalOf(
        decide(
          inSupport(),
          { action: 'log-time', command: { actor: 'marc', start: now, end: now - HOUR, onSite: false } },
          now,
        ),
      ),
    ).toEqual({ code: 'INVALID_ARGUMENT', message: 'end: expected an instant after start' });
  });

  it('holds work until the quote is accepted (QUOTE_PENDING), then lets it start', () => {
    const quoted = accepted(
      inSupport({ scope: 'excluded' }),
      { action: 'submit-quote', command: { actor: 'marc', estimateMinutes: 60, amountCents: 10_000 } },
      T0 + 2 * HOUR,
    );
    expect(
      refusalOf(decide(quoted, { action: 'start-intervention', command: { actor: 'marc' } }, T0 + 2 * HOUR))?.code,
    ).toBe('QUOTE_PENDING');
    const yes = accepted(quoted, { action: 'accept-quote', command: { actor: 'ana@acme.lu' } }, T0 + 3 * HOUR);
    expect(decide(yes, { action: 'start-intervention', command: { actor: 'marc' } }, T0 + 3 * HOUR).accepted).toBe(
      true,
    );
  });

  it('gives a release date to a change only (NOT_A_CHANGE)', () => {
    expect(
      refusalOf(
        decide(
          inSupport(),
          { action: 'schedule-release', command: { actor: 'marc', releaseAt: T0 + 48 * HOUR } },
          T0 + 2 * HOUR,
        ),
      )?.code,
    ).toBe('NOT_A_CHANGE');
  });

  it('applies the policy rules on logged time: the quote gate (QUOTE_REQUIRED), the people limit (TOO_MANY_PEOPLE)', () => {
    const now = T0 + 20 * HOUR;
    const long = decide(
      inSupport(),
      { action: 'log-time', command: { actor: 'marc', start: now - 9 * HOUR, end: now, onSite: false } },
      now,
    );
    expect(refusalOf(long)?.code).toBe('QUOTE_REQUIRED');
    let ticket = inSupport();
    for (const agent of ['marc', 'julie'])
      ticket = accepted(
        ticket,
        { action: 'log-time', command: { actor: agent, start: now - HOUR, end: now, onSite: false } },
        now,
      );
    expect(
      refusalOf(
        decide(
          ticket,
          { action: 'log-time', command: { actor: 'paul', start: now - HOUR, end: now, onSite: false } },
          now,
        ),
      )?.code,
    ).toBe('TOO_MANY_PEOPLE');
  });

  it("prices propose-resolution's minutesWorked with the intervention flags exactly as the same time entry", () => {
    const now = T0 + 20 * HOUR;
    const flags = { urgent: true, remoteToolMissing: true, outOfHoursRequested: false };
    const proposed = accepted(
      inSupport(),
      { action: 'propose-resolution', command: { actor: 'marc', resolution: 'done', minutesWorked: 5, ...flags } },
      now,
    );
    // Only the flags set to true are kept, as billing reads them.
    expect(proposed.timeEntries).toEqual([
      { agent: 'marc', start: now - 5 * 60_000, end: now, onSite: false, urgent: true, remoteToolMissing: true },
    ]);
    const logged = accepted(
      inSupport(),
      { action: 'log-time', command: { actor: 'marc', start: now - 5 * 60_000, end: now, onSite: false, ...flags } },
      now,
    );
    const tm = presetRegistry.find('tm-minimum');
    const price = (ticket: TicketState) => priceRequest(tm, requestOfTimeEntries(ticket.timeEntries));
    expect(price(proposed)).toEqual(price(logged));
    // 60 minutes (the remote tool was missing), urgent x2, at 100 EUR/h.
    expect(price(proposed).totalCents).toBe(20_000);
  });

  it('refuses a flag on propose-resolution without minutesWorked, naming it; its time rules refuse as before', () => {
    const now = T0 + 20 * HOUR;
    expect(
      refusalOf(
        decide(
          inSupport(),
          { action: 'propose-resolution', command: { actor: 'marc', resolution: 'done', urgent: true } },
          now,
        ),
      ),
    ).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'urgent: expected to come with minutesWorked, the time it qualifies',
    });
    expect(
      decide(
        inSupport(),
        { action: 'propose-resolution', command: { actor: 'marc', resolution: 'done', urgent: false } },
        now,
      ).accepted,
    ).toBe(true);
    const long = decide(
      inSupport(),
      {
        action: 'propose-resolution',
        command: { actor: 'marc', resolution: 'done', minutesWorked: 540, outOfHoursRequested: true },
      },
      now,
    );
    expect(refusalOf(long)?.code).toBe('QUOTE_REQUIRED');
  });

  it('refuses out of hours a contact the contract does not name, where the policy says so', () => {
    const opened = openedTicket({ ...input, authorizedContacts: ['lead@acme.lu'] }, T0);
    const plan = planAt(T0, { openAtRegistration: false, terms: { ...terms, outOfHoursContacts: 'authorized' } });
    expect(registrationRefusal(opened, plan, T0)).toMatchObject({
      type: 'refused',
      refusal: { reason: 'contact-not-authorized-out-of-hours', contact: 'ana@acme.lu' },
    });
    expect(
      registrationRefusal({ ...opened, contact: { name: 'Lead', email: 'lead@acme.lu' } }, plan, T0),
    ).toBeUndefined();
  });
});

describe('decide and evolve: effects', () => {
  it('stops the response clock on taking charge, and records who did', () => {
    const taken = accepted(registered(), { action: 'take-charge', command: { actor: 'marc' } }, T0 + HOUR);
    expect(taken).toMatchObject({ status: 'support', assignee: 'marc', takenInChargeAt: T0 + HOUR, revision: 3 });
    expect(taken.clocks.find((clock) => clock.metric === 'response')?.stoppedAt).toBe(T0 + HOUR);
    expect(taken.events.at(-1)).toEqual({ at: T0 + HOUR, type: 'taken-in-charge', by: 'marc' });
  });

  it('records on every fact of a command who acted for sure and through which channel, when the command says', () => {
    const web = { actor: 'Ines Agent', actorId: 'user:7', channel: 'web' } as const;
    const taken = accepted(registered(), { action: 'take-charge', command: web }, T0 + HOUR);
    expect(taken.events.at(-1)).toEqual({
      at: T0 + HOUR,
      type: 'taken-in-charge',
      by: 'Ines Agent',
      actorId: 'user:7',
      channel: 'web',
    });
    const asked = accepted(
      taken,
      { action: 'wait-for-customer', command: { ...web, question: 'Which model?' } },
      T0 + 2 * HOUR,
    );
    const mail = { actor: 'ana@acme.lu', actorId: 'contact:ana@acme.lu', channel: 'email' } as const;
    const replied = accepted(
      asked,
      { action: 'customer-replied', command: { ...mail, message: 'The T46' } },
      T0 + 3 * HOUR,
    );
    expect(replied.events.at(-1)).toEqual({
      at: T0 + 3 * HOUR,
      type: 'customer-replied',
      by: 'ana@acme.lu',
      actorId: 'contact:ana@acme.lu',
      channel: 'email',
      note: 'The T46',
    });
    // Both facts of a quote are the actor's, and what the ticket does on its own names nobody.
    const quoted = accepted(
      replied,
      { action: 'submit-quote', command: { ...web, estimateMinutes: 30 } },
      T0 + 4 * HOUR,
    );
    expect(quoted.events.at(-1)).toMatchObject({ type: 'estimate-recorded', actorId: 'user:7', channel: 'web' });
    expect(replied.events.find((event) => event.type === 'acknowledged')).toEqual({ at: T0, type: 'acknowledged' });
  });

  it("records an estimate's and a quote's figures as data beside the English note the API has always shown", () => {
    const inSupport = accepted(registered(), { action: 'take-charge', command: { actor: 'marc' } }, T0 + HOUR);
    for (const submission of [estimateSubmission, quoteSubmission]) {
      const submitted = accepted(inSupport, { action: 'submit-quote', command: submission.command }, T0 + 2 * HOUR);
      expect(submitted.events.at(-1)).toEqual({ at: T0 + 2 * HOUR, ...submission.event });
    }
  });

  it('records who opened the ticket as authenticated, and the contact for an input recorded before it said', () => {
    const opener = { actor: 'Ana Lopes', actorId: 'user:3', channel: 'web' } as const;
    const opened = openedTicket({ ...input, openedBy: opener }, T0);
    expect(opened.events).toEqual([{ at: T0, type: 'opened', by: 'Ana Lopes', actorId: 'user:3', channel: 'web' }]);
    expect(opened).not.toHaveProperty('openedBy');
    expect(openedTicket(input, T0).events).toEqual([{ at: T0, type: 'opened', by: 'ana@acme.lu' }]);
  });

  it('pauses every clock while waiting on the customer and asks for a new plan on the reply', () => {
    const taken = accepted(registered(), { action: 'take-charge', command: { actor: 'marc' } }, T0 + HOUR);
    const waiting = accepted(
      taken,
      { action: 'wait-for-customer', command: { actor: 'marc', question: 'Which printer?' } },
      T0 + 2 * HOUR,
    );
    expect(waiting.clocks.filter((clock) => clock.stoppedAt === undefined).map((clock) => clock.pausedSince)).toEqual([
      T0 + 2 * HOUR,
      T0 + 2 * HOUR,
    ]);
    const reply = decide(waiting, { action: 'customer-replied', command: { actor: 'ana@acme.lu' } }, T0 + 5 * HOUR);
    expect(reply).toMatchObject({ accepted: true, replan: {} });
    const resumed = applyChanges(waiting, reply.accepted ? reply.changes : []);
    expect(resumed.clocks.find((clock) => clock.metric === 'resolution')?.pauses).toEqual([
      [T0 + 2 * HOUR, T0 + 5 * HOUR],
    ]);
  });

  it('a new priority re-arms the thresholds and lifts breaches its new deadlines no longer justify', () => {
    const taken = accepted(registered(), { action: 'take-charge', command: { actor: 'marc' } }, T0 + HOUR);
    const late = applyChanges(taken, dueChanges(taken, T0 + 9 * HOUR).changes);
    expect(late.slaBreached).toBe(true);
    const decision = decide(
      late,
      { action: 'set-priority', command: { priority: 'P4', actor: 'lead' } },
      T0 + 9 * HOUR,
    );
    expect(decision).toMatchObject({ accepted: true, replan: { rearm: true } });
    const lowered = applyChanges(late, decision.accepted ? decision.changes : []);
    expect(lowered.thresholdGeneration).toBe(2);
    const replanned = withPlan(
      lowered,
      planAt(T0, { clocks: planAt(T0).clocks.map((clock) => ({ ...clock, deadline: clock.deadline + 24 * HOUR })) }),
      { rearm: true },
      T0 + 9 * HOUR,
    );
    expect(replanned.slaBreached).toBe(false);
  });

  it('notifies each threshold once, and wakes up at the next one', () => {
    const taken = accepted(registered(), { action: 'take-charge', command: { actor: 'marc' } }, T0 + HOUR);
    expect(nextWakeUp(taken)).toBe(T0 + 2 * HOUR);
    const due = dueThreshold(taken, T0 + 2 * HOUR)!;
    expect(due.key).toBe('intervention:50:g1');
    const notified = applyChanges(taken, [thresholdNotified(due, T0 + 2 * HOUR)]);
    expect(dueThreshold(notified, T0 + 2 * HOUR)).toBeUndefined();
    expect(nextWakeUp(notified)).toBe(T0 + 3 * HOUR);
  });
});

// Property tests: any sequence of commands, at increasing instants, interleaved with the ticket's own steps.
const agents = fc.constantFrom('marc', 'julie', 'paul');
const person = fc.constantFrom('ana@acme.lu', 'lead');
const COMMANDS: { [Name in TicketActionName]: (now: number) => fc.Arbitrary<CommandOf<Name>> } = {
  'take-charge': () => agents.map((actor) => ({ actor })),
  'start-intervention': () => agents.map((actor) => ({ actor })),
  'log-time': (now) =>
    fc
      .tuple(agents, fc.integer({ min: 1, max: 600 }))
      .map(([actor, minutes]) => ({ actor, start: now - minutes * 60_000, end: now, onSite: false })),
  'set-priority': () => fc.constantFrom('P1', 'P2', 'P3', 'P4').map((priority) => ({ priority, actor: 'lead' })),
  reassign: () => agents.map((agent) => ({ agent, actor: 'lead' })),
  'wait-for-customer': () => fc.constant({ actor: 'marc', question: '?' }),
  'customer-replied': () => person.map((actor) => ({ actor })),
  'provide-workaround': () => fc.constant({ actor: 'marc', description: 'restart' }),
  'propose-resolution': () =>
    fc.integer({ min: 0, max: 120 }).map((minutesWorked) => ({ actor: 'marc', resolution: 'done', minutesWorked })),
  validate: () => person.map((actor) => ({ actor })),
  reject: () => person.map((actor) => ({ actor, reason: 'no' })),
  cancel: () => fc.constant({ actor: 'lead', reason: 'duplicate' }),
  'submit-quote': () =>
    fc.integer({ min: 0, max: 1_000 }).map((estimateMinutes) => ({ actor: 'marc', estimateMinutes, amountCents: 100 })),
  'accept-quote': () => person.map((actor) => ({ actor })),
  'decline-quote': () => person.map((actor) => ({ actor })),
  'schedule-release': (now) =>
    fc.integer({ min: 1, max: 100 }).map((hours) => ({ actor: 'marc', releaseAt: now + hours * HOUR })),
};

const draw = (name: TicketActionName, now: number): fc.Arbitrary<unknown> => COMMANDS[name](now);

/** One command, drawn by `seed`: mostly among the actions the status allows (a few refusals), or any action at all. */
function commandFor(ticket: TicketState, now: number, seed: number): TicketCommand {
  // Actions that end the ticket are drawn less often, so that sequences get far before they do.
  const ending = (name: TicketActionName) =>
    ['cancelled', 'closed'].includes(ACTION_TABLE[name].to ?? '') && seed % 4 !== 0;
  const allowed = TICKET_ACTION_NAMES.filter(
    (name) => ACTION_TABLE[name].from.includes(ticket.status) && !ending(name),
  );
  const names = seed % 5 === 0 || allowed.length === 0 ? TICKET_ACTION_NAMES : allowed;
  const action = names[Math.floor(seed / 5) % names.length]!;
  const command = fc.sample(draw(action, now), { numRuns: 1, seed })[0];
  return { action, command } as TicketCommand;
}

type Step = { kind: 'command'; pick: number } | { kind: 'time' };
const steps = fc.array(
  fc.tuple(
    fc.integer({ min: 0, max: HOUR }),
    fc.oneof(
      { arbitrary: fc.nat().map((pick): Step => ({ kind: 'command', pick })), weight: 4 },
      { arbitrary: fc.constant<Step>({ kind: 'time' }), weight: 1 },
    ),
  ),
  { maxLength: 60 },
);

/** Runs a sequence as the workflow would (plans answered at once), calling `check` after each committed change. */
function run(
  ticketInput: Partial<OpenTicketInput>,
  sequence: [number, Step][],
  check: (before: TicketState, after: TicketState, now: number) => void,
): void {
  let ticket = registered(ticketInput);
  let now = T0;
  const commit = (changes: Parameters<typeof applyChanges>[1], replan?: object) => {
    const before = ticket;
    ticket = applyChanges(ticket, changes);
    if (replan) ticket = withPlan(ticket, planAt(T0), replan, now);
    check(before, ticket, now);
  };
  for (const [elapsed, step] of sequence) {
    now += elapsed;
    if (step.kind === 'time') {
      // As workflows/ticket.ts commits what the clocks bring about: at once, before the notices are sent.
      const { changes, replan } = dueStep(ticket, now);
      if (changes.length > 0) commit(changes, replan);
      continue;
    }
    const decision = decide(ticket, commandFor(ticket, now, step.pick), now);
    if (decision.accepted) commit(decision.changes, decision.replan);
  }
}

describe('the lifecycle under any sequence of commands', () => {
  const kinds = fc.constantFrom<Partial<OpenTicketInput>>(
    {},
    { kind: 'change' },
    { scope: 'excluded' },
    { channel: 'emergency' },
  );

  it('a closed, cancelled or refused ticket takes no action at all', () => {
    fc.assert(
      fc.property(kinds, steps, fc.array(fc.nat(), { minLength: 1, maxLength: 5 }), (kind, sequence, tries) => {
        run(kind, sequence, (_before, after, now) => {
          if (!isTerminal(after.status)) return;
          for (const name of TICKET_ACTION_NAMES) {
            const seed = tries[0]!;
            const command = fc.sample(draw(name, now), { numRuns: 1, seed })[0];
            expect(decide(after, { action: name, command } as TicketCommand, now).accepted).toBe(false);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('a clock never runs backwards: a stop is for good, pauses only grow, and never overlap', () => {
    fc.assert(
      fc.property(kinds, steps, (kind, sequence) => {
        run(kind, sequence, (before, after, now) => {
          for (const clock of after.clocks) {
            const previous = before.clocks.find((candidate) => candidate.metric === clock.metric)!;
            if (previous.stoppedAt !== undefined) expect(clock.stoppedAt).toBe(previous.stoppedAt);
            if (previous.breachedAt !== undefined && after.thresholdGeneration === before.thresholdGeneration)
              expect(clock.breachedAt).toBe(previous.breachedAt);
            expect(clock.pauses.slice(0, previous.pauses.length)).toEqual(previous.pauses);
            for (const [index, [start, end]] of clock.pauses.entries()) {
              expect(start).toBeLessThanOrEqual(end);
              if (index > 0) expect(start).toBeGreaterThanOrEqual(clock.pauses[index - 1]![1]);
            }
            if (clock.pausedSince !== undefined) {
              expect(clock.pausedSince).toBeLessThanOrEqual(now);
              expect(clock.pausedSince).toBeGreaterThanOrEqual(clock.pauses.at(-1)?.[1] ?? -Infinity);
            }
            if (clock.stoppedAt !== undefined) expect(clock.stoppedAt).toBeLessThanOrEqual(now);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('dueStep commits what notifying the thresholds one at a time, then the time alone, would (a naive reference)', () => {
    fc.assert(
      fc.property(kinds, steps, fc.integer({ min: 0, max: 5 * 24 * HOUR }), (kind, sequence, ahead) => {
        run(kind, sequence, (_before, after, now) => {
          const later = now + ahead;
          let reference = after;
          const notices: ReturnType<typeof thresholdNotice>[] = [];
          for (let due = dueThreshold(reference, later); due; due = dueThreshold(reference, later)) {
            notices.push(thresholdNotice(reference, due));
            reference = applyChanges(reference, [thresholdNotified(due, later)]);
          }
          const timed = dueChanges(reference, later);
          const step = dueStep(after, later);
          expect(step.notices).toEqual(notices);
          expect(step.replan).toEqual(timed.replan);
          expect(applyChanges(after, step.changes).events).toEqual(applyChanges(reference, timed.changes).events);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('each committed change is one revision more, its facts in time order, never before the last', () => {
    fc.assert(
      fc.property(kinds, steps, (kind, sequence) => {
        run(kind, sequence, (before, after) => {
          expect(after.revision).toBe(before.revision + 1);
          expect(after.events.slice(0, before.events.length)).toEqual(before.events);
          const times = after.events.map((event) => event.at);
          expect([...times].sort((a, b) => a - b)).toEqual(times);
        });
      }),
      { numRuns: 200 },
    );
  });
});
