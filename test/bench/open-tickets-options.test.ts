import { parseOpenTicketsOptions } from '../../bench/open-tickets/options';

describe('npm run bench:open-tickets options', () => {
  it('measures at every power of ten from 1 000 up to the tickets asked, on the full server by default', () => {
    const options = parseOpenTicketsOptions([], {});
    expect(options.tickets).toBe(100_000);
    expect(options.steps).toEqual([1_000, 10_000, 100_000]);
    expect(options.temporal).toBe('full');
    expect(parseOpenTicketsOptions(['--tickets', '25000'], {}).steps).toEqual([1_000, 10_000, 25_000]);
    expect(parseOpenTicketsOptions(['--tickets', '500'], {}).steps).toEqual([500]);
  });

  it('takes the Temporal server from --temporal, then VIGIL_TEMPORAL', () => {
    expect(parseOpenTicketsOptions(['--temporal', 'dev'], { VIGIL_TEMPORAL: 'full' }).temporal).toBe('dev');
    expect(parseOpenTicketsOptions([], { VIGIL_TEMPORAL: 'dev' }).temporal).toBe('dev');
    expect(() => parseOpenTicketsOptions(['--temporal', 'cloud'], {})).toThrow(/--temporal/);
  });

  it('takes steps that ascend to the tickets asked', () => {
    expect(parseOpenTicketsOptions(['--tickets', '3000', '--steps', '100,3000'], {}).steps).toEqual([100, 3_000]);
    expect(() => parseOpenTicketsOptions(['--tickets', '3000', '--steps', '3000,100'], {})).toThrow(/ascending/);
    expect(() => parseOpenTicketsOptions(['--tickets', '3000', '--steps', '100,2000'], {})).toThrow(/end at --tickets/);
  });

  it('names the option whose value is not a whole number of at least 1', () => {
    expect(() => parseOpenTicketsOptions(['--concurrency', '0'], {})).toThrow(/--concurrency/);
    expect(() => parseOpenTicketsOptions(['--tickets', '1e5'], {})).toThrow(/--tickets/);
    expect(() => parseOpenTicketsOptions(['--sample', '2.5'], {})).toThrow(/--sample/);
  });
});
