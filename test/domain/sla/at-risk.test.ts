import { atRiskFrom, newClock, slaRiskAt, type SlaClock } from '../../../domain/sla/clock';

// At risk, one definition: from the policy's first warning on a running clock (what the first threshold notice says)
// until its deadline. The board, GET /v1/tickets?atRisk=true and GET /v1/reports/at-risk read it from the read model.
const T = Date.parse('2027-06-03T09:00:00+02:00');
const HOUR = 3_600_000;

/** A clock due `hours` after T, warned at the given percents of its time, as the planner plans it (100 % at the deadline). */
function clock(
  metric: SlaClock['metric'],
  hours: number,
  percents: number[],
  fields: Partial<SlaClock> = {},
): SlaClock {
  const deadline = T + hours * HOUR;
  const thresholds = [...percents, 100, 150].map((percent) => ({
    percent,
    at: T + (hours * HOUR * percent) / 100,
    notify: ['desk'],
  }));
  return { ...newClock(metric), deadline, thresholds, ...fields };
}

describe('atRiskFrom', () => {
  it("is the earliest first warning of the running clocks, at the policy's percents, not a fixed share of the time", () => {
    expect(atRiskFrom([clock('response', 4, [50, 75]), clock('resolution', 40, [90])])).toBe(T + 2 * HOUR);
    expect(atRiskFrom([clock('response', 4, [80]), clock('resolution', 2, [25])])).toBe(T + HOUR / 2);
  });

  it('leaves out clocks stopped, paused or breached, best-effort clocks, and thresholds at or past the deadline', () => {
    expect(atRiskFrom([clock('response', 4, [50], { stoppedAt: T + HOUR }), clock('resolution', 8, [75])])).toBe(
      T + 6 * HOUR,
    );
    expect(atRiskFrom([clock('response', 4, [50], { pausedSince: T + HOUR })])).toBeUndefined();
    expect(atRiskFrom([clock('response', 4, [50], { breachedAt: T + 4 * HOUR })])).toBeUndefined();
    expect(atRiskFrom([newClock('response'), newClock('resolution')])).toBeUndefined();
    // A policy that warns of nothing before the deadline: the deadline breaches, nothing warns.
    expect(atRiskFrom([clock('response', 4, [])])).toBeUndefined();
  });
});

describe('slaRiskAt', () => {
  const ticket = { slaBreached: false, nextDeadline: T + 4 * HOUR, atRiskFrom: T + 3 * HOUR };

  it('is nothing before the first warning, at risk from it, breached from the deadline even before the workflow flags it', () => {
    expect(slaRiskAt(ticket, T + 3 * HOUR - 1)).toBeUndefined();
    expect(slaRiskAt(ticket, T + 3 * HOUR)).toBe('at-risk');
    expect(slaRiskAt(ticket, T + 4 * HOUR)).toBe('breached');
    expect(slaRiskAt({ ...ticket, slaBreached: true }, T)).toBe('breached');
    expect(slaRiskAt({ slaBreached: false }, T)).toBeUndefined();
  });
});
