/** The command line of `npm run bench:open-tickets` (bench/open-tickets.bench.ts), parsed and checked. */
import { parseArgs } from 'node:util';
import { temporalChoice, type TemporalChoice } from '../../infra/temporal';

export interface OpenTicketsOptions {
  /** How many open tickets the run ends with. */
  tickets: number;
  /** The counts at which it measures, ascending, the last being `tickets`. */
  steps: number[];
  temporal: TemporalChoice;
  /** Openings in flight at once. */
  concurrency: number;
  /** Open tickets taken in charge at each step, one after another, for the action latency. */
  sample: number;
  /** Tickets of the notice probe at each step, whose warning and breach fall at a known minute. */
  probe: number;
  /** The whole run's bound: creation stops early enough for the last step to be measured and the stack stopped. */
  maxMinutes: number;
  /** The file each step's figures are appended to, one JSON object a line. */
  results: string;
  keepLogs: boolean;
}

export const OPEN_TICKETS_USAGE =
  'npm run bench:open-tickets -- [--tickets N (100000)] [--steps 1000,10000,... (1000, 10000, 100000 up to N)] ' +
  '[--temporal full|dev (full)] [--concurrency C (16)] [--sample S (50)] [--probe P (50)] [--max-minutes M (120)] ' +
  '[--results FILE (open-tickets-results.jsonl)] [--keep-logs]';

function wholeNumber(name: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1)
    throw new Error(`--${name} must be a whole number of at least 1, got '${text}'`);
  return value;
}

/** The default steps: every power of ten from 1 000 below `tickets`, then `tickets` itself. */
function defaultSteps(tickets: number): number[] {
  const steps: number[] = [];
  for (let step = 1_000; step < tickets; step *= 10) steps.push(step);
  return [...steps, tickets];
}

export function parseOpenTicketsOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): OpenTicketsOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      tickets: { type: 'string', default: '100000' },
      steps: { type: 'string' },
      temporal: { type: 'string' },
      concurrency: { type: 'string', default: '16' },
      sample: { type: 'string', default: '50' },
      probe: { type: 'string', default: '50' },
      'max-minutes': { type: 'string', default: '120' },
      results: { type: 'string', default: 'open-tickets-results.jsonl' },
      'keep-logs': { type: 'boolean', default: false },
    },
  });
  const tickets = wholeNumber('tickets', values.tickets);
  const steps = values.steps
    ? values.steps.split(',').map((step) => wholeNumber('steps', step))
    : defaultSteps(tickets);
  if (steps.some((step, i) => i > 0 && step <= steps[i - 1]!))
    throw new Error(`--steps must be ascending, got '${values.steps}'`);
  if (steps.at(-1) !== tickets) throw new Error(`--steps must end at --tickets (${tickets}), got '${values.steps}'`);
  return {
    tickets,
    steps,
    // The full server unless told otherwise: this bench is about it; --temporal or VIGIL_TEMPORAL choose.
    temporal: temporalChoice(values.temporal === undefined ? [] : ['--temporal', values.temporal], {
      VIGIL_TEMPORAL: env.VIGIL_TEMPORAL ?? 'full',
    }),
    concurrency: wholeNumber('concurrency', values.concurrency),
    sample: wholeNumber('sample', values.sample),
    probe: wholeNumber('probe', values.probe),
    maxMinutes: wholeNumber('max-minutes', values['max-minutes']),
    results: values.results,
    keepLogs: values['keep-logs'],
  };
}
