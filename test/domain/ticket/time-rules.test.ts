import fc from 'fast-check';
import { Policy, PolicyValidationError, type PolicyDocument } from '../../../domain/policy';
import { termsOf } from '../../../domain/policy/terms';
import { TicketRuleError } from '../../../domain/ticket/lifecycle';
import {
  allowedMinutes,
  loggedMinutes,
  mayReviseQuote,
  peopleLimitRefusal,
  quoteGateRefusal,
  timeRuleRefusal,
  type LoggedTime,
  type QuoteStanding,
  type TimeRuleContext,
} from '../../../domain/ticket/time-rules';
import careSolutions from '../../../policies/presets/care-solutions.v1.json';
import econnect from '../../../policies/presets/econnect.v1.json';
import { presetRegistry } from '../../../policies/registry';

const MINUTE = 60_000;
const T0 = Date.parse('2027-06-07T08:30:00+02:00');

/** An entry of `minutes` by `agent`, starting `offset` minutes after T0. */
const entry = (minutes: number, agent = 'marc', service?: string, offset = 0): LoggedTime => ({
  agent,
  start: T0 + offset * MINUTE,
  end: T0 + (offset + minutes) * MINUTE,
  ...(service ? { service } : {}),
});

const econnectTerms = termsOf(presetRegistry.find('econnect'));
const careTerms = termsOf(presetRegistry.find('care-solutions'));

describe('the presets carry the terms', () => {
  it('e-connect gates time at one day (480 min); Care Solutions caps remote assistance at three people', () => {
    expect(econnectTerms).toMatchObject({ quoteRequiredAboveMinutes: 480 });
    expect(econnectTerms.maxPeoplePerTicket).toBeUndefined();
    expect(termsOf(presetRegistry.find('econnect-maintenance'))).toMatchObject({ quoteRequiredAboveMinutes: 480 });
    expect(careTerms).toMatchObject({ maxPeoplePerTicket: { people: 3, services: ['remote-assistance'] } });
    expect(careTerms.quoteRequiredAboveMinutes).toBeUndefined();
  });

  it('the policy schema validates the people limit, down to the path', () => {
    const care = careSolutions as unknown as PolicyDocument;
    const issues = (document: unknown) => {
      try {
        Policy.parse(document, 'test.json');
        return [];
      } catch (error) {
        if (error instanceof PolicyValidationError) return [...error.issues];
        throw error;
      }
    };
    expect(issues({ ...care, maxPeoplePerTicket: { people: 0 } })).toEqual([
      expect.objectContaining({ path: '/maxPeoplePerTicket/people', message: expect.stringMatching(/at least 1/) }),
    ]);
    expect(issues({ ...care, maxPeoplePerTicket: { people: 3, services: ['teamviewer'] } })).toEqual([
      {
        path: '/maxPeoplePerTicket/services/0',
        message: expect.stringMatching(/expected a service the policy bills \("remote-assistance", .*got "teamviewer"/),
      },
    ]);
    expect(issues({ ...care, maxPeoplePerTicket: { people: 3, staff: true } })[0]).toMatchObject({
      path: '/maxPeoplePerTicket/staff',
    });
    expect(issues({ ...(econnect as unknown as PolicyDocument), maxPeoplePerTicket: { people: 2 } })).toEqual([]);
  });
});

describe('the quote gate (econnect: beyond a day, a quote the customer accepted)', () => {
  const context = (entries: LoggedTime[], quote?: QuoteStanding): TimeRuleContext => ({
    ticketNumber: 'VIG-000042',
    entries,
    quote,
    terms: econnectTerms,
  });

  it('takes time up to the limit exactly, and refuses the entry that passes it, naming the rule and the minutes left', () => {
    const day = [entry(240), entry(240, 'marc', undefined, 300)];
    expect(loggedMinutes(day)).toBe(480);
    expect(quoteGateRefusal(context([entry(240)]), entry(240, 'marc', undefined, 300))).toBeUndefined();
    const refusal = quoteGateRefusal(context([entry(420)]), entry(61, 'marc', undefined, 430));
    expect(refusal).toBeInstanceOf(TicketRuleError);
    expect(refusal).toMatchObject({
      code: 'QUOTE_REQUIRED',
      message:
        'work beyond 480 min on a ticket needs a quote the customer has accepted: 420 min logged, 60 min left, this entry is 61 min; submit a quote estimating the whole intervention (POST /v1/tickets/VIG-000042/quote) and log the rest once the customer accepts it',
      details: { allowedMinutes: 480, loggedMinutes: 420, minutesLeft: 60, entryMinutes: 61 },
    });
    expect(quoteGateRefusal(context(day), entry(1, 'anna', undefined, 600))).toMatchObject({
      details: { minutesLeft: 0 },
    });
  });

  it('counts started minutes, as billed: 480 min and one second is 481', () => {
    const justOver: LoggedTime = { agent: 'marc', start: T0, end: T0 + 480 * MINUTE + 1_000 };
    expect(quoteGateRefusal(context([]), justOver)).toMatchObject({ details: { entryMinutes: 481, minutesLeft: 480 } });
  });

  it('a submitted quote lifts nothing; an accepted one lifts the gate to its estimate, then asks for a new quote', () => {
    expect(allowedMinutes(context([], { status: 'submitted', estimateMinutes: 960 }))).toBe(480);
    const accepted = context([entry(480)], { status: 'accepted', estimateMinutes: 960 });
    expect(allowedMinutes(accepted)).toBe(960);
    expect(quoteGateRefusal(accepted, entry(480, 'marc', undefined, 1440))).toBeUndefined();
    expect(quoteGateRefusal(accepted, entry(481, 'marc', undefined, 1440))).toMatchObject({
      code: 'QUOTE_REQUIRED',
      message: expect.stringMatching(
        /^the accepted quote covers 960 min of work on this ticket: 480 min logged, 480 min left, this entry is 481 min; submit a new quote/,
      ),
      details: { allowedMinutes: 960, minutesLeft: 480 },
    });
  });

  it('an accepted quote below the limit (excluded work) never lowers it', () => {
    expect(allowedMinutes(context([], { status: 'accepted', estimateMinutes: 60 }))).toBe(480);
  });

  it('a policy without a limit gates nothing', () => {
    expect(quoteGateRefusal({ entries: [entry(6000)], terms: careTerms }, entry(6000))).toBeUndefined();
  });

  it('a quote replaces an accepted one only to estimate more, and only where time is gated on quotes', () => {
    const accepted: QuoteStanding = { status: 'accepted', estimateMinutes: 960 };
    expect(mayReviseQuote({ quote: accepted, terms: econnectTerms }, 1200)).toBe(true);
    expect(mayReviseQuote({ quote: accepted, terms: econnectTerms }, 960)).toBe(false);
    expect(mayReviseQuote({ quote: { status: 'submitted', estimateMinutes: 960 }, terms: econnectTerms }, 1200)).toBe(
      false,
    );
    expect(mayReviseQuote({ quote: accepted, terms: careTerms }, 1200)).toBe(false);
  });

  const entriesArb = fc.array(fc.integer({ min: 1, max: 600 }), { maxLength: 12 });
  const quoteArb = fc.option(
    fc.record({
      status: fc.constantFrom<QuoteStanding['status']>('required', 'submitted', 'accepted'),
      estimateMinutes: fc.integer({ min: 1, max: 3000 }),
    }),
    { nil: undefined },
  );

  /** Logs each attempt in turn as the workflow would: accepted ones join the ticket, refused ones change nothing. */
  function logAll(attempts: number[], quote?: QuoteStanding): LoggedTime[] {
    const logged: LoggedTime[] = [];
    let offset = 0;
    for (const minutes of attempts) {
      const candidate = entry(minutes, 'marc', undefined, offset);
      offset += minutes;
      if (!timeRuleRefusal(context(logged, quote), candidate)) logged.push(candidate);
    }
    return logged;
  }

  it('property: without an accepted quote, never more than the limit is accepted, and what is refused would have passed it', () => {
    fc.assert(
      fc.property(
        entriesArb,
        fc.constantFrom<QuoteStanding | undefined>(undefined, { status: 'submitted', estimateMinutes: 2000 }),
        (attempts, quote) => {
          const logged = logAll(attempts, quote);
          expect(loggedMinutes(logged)).toBeLessThanOrEqual(480);
          // An entry was refused only if it did not fit: the ticket filled up exactly as far as the entries allowed.
          let total = 0;
          for (const minutes of attempts) if (total + minutes <= 480) total += minutes;
          expect(loggedMinutes(logged)).toBe(total);
        },
      ),
    );
  });

  it('property: an accepted quote allows exactly up to its estimate (never below the limit), and the minutes left are what still fits', () => {
    fc.assert(
      fc.property(entriesArb, quoteArb, (attempts, quote) => {
        const logged = logAll(attempts, quote);
        const allowed = quote?.status === 'accepted' ? Math.max(480, quote.estimateMinutes) : 480;
        const total = loggedMinutes(logged);
        expect(total).toBeLessThanOrEqual(allowed);
        const left = allowed - total;
        // Exactly the minutes left fit; one more is refused, naming them.
        if (left > 0)
          expect(quoteGateRefusal(context(logged, quote), entry(left, 'marc', undefined, 10_000))).toBeUndefined();
        expect(quoteGateRefusal(context(logged, quote), entry(left + 1, 'marc', undefined, 10_000))).toMatchObject({
          details: { minutesLeft: left, allowedMinutes: allowed },
        });
      }),
    );
  });
});

describe('the people limit (care-solutions: "max trois intervenants" on remote assistance)', () => {
  const three = [
    entry(30, 'anna', 'remote-assistance'),
    entry(20, 'bert', 'remote-assistance', 30),
    entry(10, 'carl', 'remote-assistance', 50),
    entry(5, 'anna', 'remote-assistance', 60),
  ];
  const context = (entries: LoggedTime[]): TimeRuleContext => ({ entries, terms: careTerms });

  it('refuses a fourth distinct person on remote assistance, naming the three', () => {
    expect(peopleLimitRefusal(context(three), entry(15, 'dora', 'remote-assistance', 70))).toMatchObject({
      code: 'TOO_MANY_PEOPLE',
      message:
        'at most 3 people may log time on one ticket under remote-assistance, and anna, bert, carl already have: dora cannot; one of them logs this time',
      details: { maxPeople: 3, people: ['anna', 'bert', 'carl'], services: ['remote-assistance'] },
    });
  });

  it('takes more time from the three, a third person, and other services from anyone', () => {
    expect(peopleLimitRefusal(context(three), entry(15, 'bert', 'remote-assistance', 70))).toBeUndefined();
    expect(peopleLimitRefusal(context(three.slice(0, 2)), entry(15, 'dora', 'remote-assistance', 70))).toBeUndefined();
    expect(peopleLimitRefusal(context(three), entry(15, 'dora', 'database', 70))).toBeUndefined();
    // Time under other services does not count towards the three either.
    const others = [
      entry(30, 'erik', 'settings'),
      entry(30, 'finn', 'database'),
      entry(30, 'gina', 'development'),
      entry(30, 'anna', 'remote-assistance'),
    ];
    expect(peopleLimitRefusal(context(others), entry(15, 'dora', 'remote-assistance', 70))).toBeUndefined();
  });

  it('without services named, every entry counts', () => {
    const terms = { maxPeoplePerTicket: { people: 2 } };
    expect(
      peopleLimitRefusal({ entries: [entry(5, 'anna'), entry(5, 'bert', 'x')], terms }, entry(5, 'carl', 'y')),
    ).toMatchObject({
      message:
        'at most 2 people may log time on one ticket, and anna, bert already have: carl cannot; one of them logs this time',
      details: { maxPeople: 2, people: ['anna', 'bert'] },
    });
  });

  it('property: however entries arrive, at most three people ever log remote assistance, and no counted person is refused', () => {
    const agents = fc.constantFrom('anna', 'bert', 'carl', 'dora', 'erik');
    const services = fc.constantFrom('remote-assistance', 'settings');
    fc.assert(
      fc.property(fc.array(fc.tuple(agents, services), { maxLength: 20 }), (attempts) => {
        const logged: LoggedTime[] = [];
        for (const [agent, service] of attempts) {
          const candidate = entry(10, agent, service, logged.length * 10);
          const counted = new Set(
            logged.filter((item) => item.service === 'remote-assistance').map((item) => item.agent),
          );
          const refusal = timeRuleRefusal(context(logged), candidate);
          if (service !== 'remote-assistance' || counted.has(agent) || counted.size < 3)
            expect(refusal).toBeUndefined();
          else expect(refusal?.code).toBe('TOO_MANY_PEOPLE');
          if (!refusal) logged.push(candidate);
        }
        expect(
          new Set(logged.filter((item) => item.service === 'remote-assistance').map((item) => item.agent)).size,
        ).toBeLessThanOrEqual(3);
      }),
    );
  });
});
