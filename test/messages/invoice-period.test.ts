import { monthsOf, periodProblem, previousMonth, previousQuarter } from '../../messages/invoice-period';

describe('invoice periods', () => {
  it('takes the quarter before the one a scheduled run starts in, read in Luxembourg', () => {
    expect(previousQuarter(Date.parse('2027-01-01T02:00:00+01:00'))).toEqual({
      periodStart: '2026-10-01',
      periodEnd: '2026-12-31',
    });
    expect(previousQuarter(Date.parse('2026-07-01T02:00:00+02:00'))).toEqual({
      periodStart: '2026-04-01',
      periodEnd: '2026-06-30',
    });
    // 23:30 UTC on 31 March is already 1 April in Luxembourg: the first quarter is over.
    expect(previousQuarter(Date.parse('2026-03-31T23:30:00Z'))).toEqual({
      periodStart: '2026-01-01',
      periodEnd: '2026-03-31',
    });
  });

  it('takes the month before the one a monthly run starts in, across the year and the DST change', () => {
    expect(previousMonth(Date.parse('2027-01-01T02:00:00+01:00'))).toEqual({
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
    });
    expect(previousMonth(Date.parse('2028-03-01T02:00:00+01:00'))).toEqual({
      periodStart: '2028-02-01',
      periodEnd: '2028-02-29',
    });
    expect(previousMonth(Date.parse('2026-03-31T22:30:00Z'))).toEqual({
      periodStart: '2026-03-01',
      periodEnd: '2026-03-31',
    });
  });

  it('names each month a period touches, for the monthly contract fees', () => {
    expect(monthsOf({ periodStart: '2026-01-01', periodEnd: '2026-03-31' })).toEqual(['2026-01', '2026-02', '2026-03']);
    expect(monthsOf({ periodStart: '2026-12-15', periodEnd: '2027-01-10' })).toEqual(['2026-12', '2027-01']);
  });

  it('says why a period cannot be invoiced', () => {
    expect(periodProblem({ periodStart: '2026-01-01', periodEnd: '2026-03-31' })).toBeUndefined();
    expect(periodProblem({ periodStart: '2026-02-30', periodEnd: '2026-03-31' })).toMatch(
      /periodStart "2026-02-30" is not a date/,
    );
    expect(periodProblem({ periodStart: '2026-04-01', periodEnd: '2026-03-31' })).toMatch(/before periodStart/);
  });
});
