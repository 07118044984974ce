import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runVigil } from '../../cli/run';

const dir = mkdtempSync(join(tmpdir(), 'vigil-contract-rates-'));
function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const entries = file('entries.json', {
  items: [{ start: '2026-05-13T10:00:00+02:00', end: '2026-05-13T10:30:00+02:00' }],
});

describe('vigil price --contract-rates', () => {
  test("prices at the contract's rate, the line saying so", () => {
    const result = runCli([
      'price',
      '--policy',
      'tm-minimum',
      '--entries',
      entries,
      '--contract-rates',
      file('80.json', { hourlyCents: 8000 }),
      '--json',
    ]);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toEqual({
      lines: [
        {
          description: 'Intervention 1, 2026-05-13 10:00–10:30, contract rate',
          minutes: 30,
          rateCents: 8000,
          multiplier: 1,
          amountCents: 4000,
        },
      ],
      totalCents: 4000,
    });
  });

  test("without it, the policy's rate as before", () => {
    const result = runCli(['price', '--policy', 'tm-minimum', '--entries', entries, '--json']);
    expect(JSON.parse(result.stdout).lines[0]).toMatchObject({
      description: 'Intervention 1, 2026-05-13 10:00–10:30',
      rateCents: 10_000,
      amountCents: 5000,
    });
  });

  test.each([
    [
      'a role on a flat policy',
      { hourlyCentsByRole: { technician: 8000 } },
      /^vigil: --contract-rates: .*role\.json: \/hourlyCentsByRole: the policy does not price by role$/,
    ],
    [
      'a negative rate',
      { hourlyCents: -1 },
      /^vigil: --contract-rates: .*role\.json: \/hourlyCents: expected a whole number of euro cents/,
    ],
    ['no JSON', 'eighty', /^vigil: --contract-rates: .*role\.json: /],
  ])('%s exits 2 naming the path in the file', (_, content, message) => {
    const result = runCli([
      'price',
      '--policy',
      'tm-minimum',
      '--entries',
      entries,
      '--contract-rates',
      file('role.json', content),
    ]);
    expect([result.exitCode, result.stdout]).toEqual([2, '']);
    expect(result.stderr.trimEnd()).toMatch(message);
  });
});

describe('vigil admin contracts add --rates, bad command lines', () => {
  test('a missing file exits 2 naming --rates, before any connection', async () => {
    const result = await runVigil(
      [
        'admin',
        'contracts',
        'add',
        '--customer',
        'acme',
        '--policy',
        'tm-minimum',
        '--starts',
        '2026-01-01',
        '--rates',
        join(dir, 'nowhere.json'),
      ],
      { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    );
    expect([result.exitCode, result.stdout]).toEqual([2, '']);
    expect(result.stderr).toMatch(/^vigil: --rates: .*nowhere\.json: /);
  });

  test('the usage names --rates', async () => {
    expect((await runVigil(['admin', '--help'], {})).stdout + (await runVigil(['--help'], {})).stdout).toContain(
      '[--rates FILE]',
    );
  });
});
