import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/run';

const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'vigil-price-'));

interface PriceAnswer {
  lines: Array<{ minutes: number; amountCents: number }>;
  totalCents: number;
  prepaid?: unknown;
}

function entriesFile(name: string, entries: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof entries === 'string' ? entries : JSON.stringify(entries));
  return file;
}

const crossing17h = entriesFile('care.json', {
  travelCents: 4500,
  items: [{ start: '2026-05-13T16:30:00+02:00', end: '2026-05-13T17:20:00+02:00', service: 'remote-assistance' }],
});

describe('vigil price', () => {
  test('prints the lines and the total as JSON', () => {
    const result = runCli(['price', '--policy', 'care-solutions', '--entries', crossing17h, '--json']);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    // 30 x 10221 / 60 = 5110.5 -> 5111; 20 x 10221 x 1.5 / 60 = 5110.5 -> 5111; travel 4500.
    expect(JSON.parse(result.stdout)).toEqual({
      lines: [
        {
          description: 'Intervention 1 (remote-assistance), 2026-05-13 16:30–17:00, office hours',
          minutes: 30,
          rateCents: 10_221,
          multiplier: 1,
          amountCents: 5111,
        },
        {
          description: 'Intervention 1 (remote-assistance), 2026-05-13 17:00–17:20, outside office hours',
          minutes: 20,
          rateCents: 10_221,
          multiplier: 1.5,
          amountCents: 5111,
        },
        { description: 'Travel fees', minutes: 0, rateCents: 4500, multiplier: 1, amountCents: 4500 },
      ],
      totalCents: 14_722,
    });
  });

  test('reports the prepaid balance where the policy draws on prepaid hours', () => {
    const file = entriesFile('prepaid.json', {
      prepaidMinutes: 20,
      items: [{ start: '2026-05-13T09:00:00Z', end: '2026-05-13T09:30:00Z', urgent: true }],
    });
    const answer = JSON.parse(
      runCli(['price', '--policy=econnect-maintenance', `--entries=${file}`, '--json']).stdout,
    ) as PriceAnswer;
    // 20 prepaid, then 10 x 9500 / 60 = 1583.33 -> 1583 (econnect-maintenance has no urgent coefficient).
    expect(answer.lines.map((line) => [line.minutes, line.amountCents])).toEqual([
      [20, 0],
      [10, 1583],
    ]);
    expect(answer.totalCents).toBe(1583);
    expect(answer.prepaid).toEqual({ beforeMinutes: 20, usedMinutes: 20, afterMinutes: 0 });
  });

  test('without --json, one line per price line and the total in euros', () => {
    const { stdout } = runCli(['price', '--policy', 'care-solutions', '--entries', crossing17h]);
    expect(stdout.split('\n')).toEqual([
      'Intervention 1 (remote-assistance), 2026-05-13 16:30–17:00, office hours\t30 min\t102.21\tx1\t51.11',
      'Intervention 1 (remote-assistance), 2026-05-13 17:00–17:20, outside office hours\t20 min\t102.21\tx1.5\t51.11',
      'Travel fees\t0 min\t45.00\tx1\t45.00',
      'total\t147.22 EUR excl. VAT',
      '',
    ]);
  });

  describe('tm-minimum: one entries file is one request', () => {
    const shortCalls = entriesFile('tm-short-calls.json', {
      items: [
        { start: '2026-05-13T10:00:00+02:00', end: '2026-05-13T10:05:00+02:00' },
        { start: '2026-05-13T14:00:00+02:00', end: '2026-05-13T14:05:00+02:00' },
      ],
    });

    test('two 5-minute interventions bill the 15-minute minimum once: 25 EUR', () => {
      const { stdout } = runCli(['price', '--policy', 'tm-minimum', '--entries', shortCalls]);
      expect(stdout.split('\n')).toEqual([
        'Intervention 1, 2026-05-13 10:00–10:05\t5 min\t100.00\tx1\t8.33',
        'Intervention 2, 2026-05-13 14:00–14:05, request minimum 15 min: +5 min\t10 min\t100.00\tx1\t16.67',
        'total\t25.00 EUR excl. VAT',
        '',
      ]);
    });

    test('the flags of a time entry, under the same names: the remote tool makes it 60 minutes, urgent doubles its line', () => {
      const file = entriesFile('tm-flags.json', {
        items: [
          { start: '2026-05-13T10:00:00+02:00', end: '2026-05-13T10:05:00+02:00', remoteToolMissing: true },
          {
            start: '2026-05-13T14:00:00+02:00',
            end: '2026-05-13T14:05:00+02:00',
            urgent: true,
            outOfHoursRequested: false,
            travelMinutes: 12,
          },
        ],
      });
      const answer = JSON.parse(
        runCli(['price', '--policy', 'tm-minimum', '--entries', file, '--json']).stdout,
      ) as PriceAnswer;
      // 5 x 10000 / 60 = 833.33 -> 833; 55 x 10000 x 2 / 60 = 18333.33 -> 18333; travel 12 x 10000 / 60 = 2000.
      expect(answer).toEqual({
        lines: [
          {
            description: 'Intervention 1, 2026-05-13 10:00–10:05, remote-control tool installed first',
            minutes: 5,
            rateCents: 10_000,
            multiplier: 1,
            amountCents: 833,
          },
          {
            description:
              'Intervention 2, 2026-05-13 14:00–14:05, urgent handling, request minimum 60 min (remote-control tool installed first): +50 min',
            minutes: 55,
            rateCents: 10_000,
            multiplier: 2,
            amountCents: 18_333,
          },
          {
            description: 'Travel time, intervention 2',
            minutes: 12,
            rateCents: 10_000,
            multiplier: 1,
            amountCents: 2000,
          },
        ],
        totalCents: 21_166,
      });
    });
  });

  const item = { start: '2026-05-13T10:00:00+02:00', end: '2026-05-13T11:00:00+02:00', role: 'engineer' };
  test.each<[string, string, unknown, RegExp]>([
    [
      'end before start',
      'mixvoip-standard',
      { items: [item, { ...item, start: item.end, end: item.start }] },
      /^vigil: .*bad\.json: \/items\/1\/end: the item ends before it starts$/,
    ],
    [
      'unknown role',
      'mixvoip-standard',
      { items: [{ ...item, role: 'plumber' }] },
      /^vigil: .*bad\.json: \/items\/0\/role: unknown role "plumber" for policy mixvoip-standard \(expected one of cabling, /,
    ],
    [
      'unknown service',
      'care-solutions',
      { items: [{ ...item, service: 'coffee' }] },
      /bad\.json: \/items\/0\/service: unknown service "coffee" for policy care-solutions/,
    ],
    [
      'excluded work',
      'esker',
      { items: [{ ...item, service: 'training' }] },
      /bad\.json: \/items\/0\/service: "training" is outside the esker contract/,
    ],
    [
      'unparsable instant',
      'econnect',
      { items: [{ ...item, start: 'tomorrow morning' }] },
      /bad\.json: \/items\/0\/start: unparsable instant "tomorrow morning"/,
    ],
    [
      'instant without offset',
      'econnect',
      { items: [{ ...item, end: '2026-05-13T11:00:00' }] },
      /bad\.json: \/items\/0\/end: unparsable instant .*with an offset/,
    ],
    [
      'a flag of the wrong type',
      'econnect',
      { items: [{ ...item, onSite: 'yes' }] },
      /bad\.json: \/items\/0\/onSite: expected a boolean: true for work done at the customer.s site .*, got "yes"$/,
    ],
    [
      'a T&M flag of the wrong type',
      'tm-minimum',
      { items: [{ ...item, remoteToolMissing: 1 }] },
      /bad\.json: \/items\/0\/remoteToolMissing: expected a boolean: true when the remote-control tool had to be installed first .*, got 1$/,
    ],
    [
      'negative travel minutes',
      'tm-minimum',
      { items: [{ ...item, travelMinutes: -5 }] },
      /bad\.json: \/items\/0\/travelMinutes: expected integer to be greater or equal to 0/,
    ],
    [
      'an unknown field',
      'econnect',
      { items: [{ ...item, hours: 1 }] },
      /bad\.json: \/items\/0\/hours: unexpected property/,
    ],
    [
      'fractional travel fees',
      'econnect',
      { travelCents: 12.5, items: [] },
      /bad\.json: \/travelCents: expected integer/,
    ],
    ['no items', 'econnect', {}, /bad\.json: \/items: missing/],
    ['not JSON', 'econnect', '{"items": [', /bad\.json: \/: expected JSON/],
    [
      'work before the policy was in force',
      'econnect',
      { items: [{ ...item, start: '2020-05-13T10:00:00+02:00' }] },
      /^vigil: policy "econnect" was not yet in force/,
    ],
  ])('%s exits 2 with one line naming the file, item and field', (_, policy, entries, message) => {
    const result = runCli(['price', '--policy', policy, '--entries', entriesFile('bad.json', entries), '--json']);
    expect([result.exitCode, result.stdout]).toEqual([2, '']);
    expect(result.stderr.trimEnd()).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test.each<[string[], RegExp]>([
    [
      ['price', '--policy', 'econnect', '--entries', 'no/such/entries.json'],
      /^vigil: no\/such\/entries\.json: \/: cannot read the file \(ENOENT\)$/,
    ],
    [['price', '--policy', 'econnect'], /^vigil: --entries is required$/],
    [['price', '--entries', crossing17h], /^vigil: --policy is required$/],
    [['price', '--policy', 'nope', '--entries', crossing17h], /^vigil: unknown policy "nope"/],
  ])('%j exits 2', (argv, message) => {
    const result = runCli(argv);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd()).toMatch(message);
  });

  test('as a process, through the bin shim', () => {
    const ok = spawnSync(
      process.execPath,
      [join(root, 'bin', 'vigil.js'), 'price', '--policy', 'care-solutions', '--entries', crossing17h, '--json'],
      { cwd: root, encoding: 'utf8' },
    );
    expect([ok.status, (JSON.parse(ok.stdout) as PriceAnswer).totalCents]).toEqual([0, 14_722]);
    const bad = spawnSync(
      process.execPath,
      [join(root, 'bin', 'vigil.js'), 'price', '--policy', 'econnect', '--entries', join(dir, 'absent.json')],
      { cwd: root, encoding: 'utf8' },
    );
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/absent\.json: \/: cannot read the file \(ENOENT\)/);
  }, 60_000);
});
