import { temporalChoice } from '../../scripts/temporal-server-build';

// Which Temporal `npm run dev` and the e2e set-up start (infra/temporal.ts): a typo must not quietly run the other one.
describe('the Temporal a stack runs', () => {
  it('is the dev server unless told', () => {
    expect(temporalChoice([], {})).toBe('dev');
    expect(temporalChoice(['--other'], { VIGIL_TEMPORAL: '' })).toBe('dev');
  });

  it('is the full server with --temporal=full, --temporal full or VIGIL_TEMPORAL=full', () => {
    expect(temporalChoice(['--temporal=full'], {})).toBe('full');
    expect(temporalChoice(['--temporal', 'full'], {})).toBe('full');
    expect(temporalChoice([], { VIGIL_TEMPORAL: 'full' })).toBe('full');
  });

  it('takes the command line over the environment', () => {
    expect(temporalChoice(['--temporal=dev'], { VIGIL_TEMPORAL: 'full' })).toBe('dev');
  });

  it('refuses anything else, naming what it accepts', () => {
    expect(() => temporalChoice(['--temporal=ful'], {})).toThrow(
      "--temporal (or VIGIL_TEMPORAL) must be one of dev, full, got 'ful'",
    );
    expect(() => temporalChoice(['--temporal'], {})).toThrow("got ''");
    expect(() => temporalChoice([], { VIGIL_TEMPORAL: 'cloud' })).toThrow("got 'cloud'");
  });
});
