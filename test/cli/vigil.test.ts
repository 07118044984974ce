import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../../cli/run';

const root = join(__dirname, '..', '..');

interface Answer {
  deadlines: Record<string, string | null>;
}

function parsed(stdout: string): Answer {
  return JSON.parse(stdout) as Answer;
}

describe('vigil deadlines', () => {
  test('prints only the JSON answer, instants in the calendar zone', () => {
    const result = runCli([
      'deadlines',
      '--policy',
      'esker',
      '--opened',
      '2026-05-13T16:30:00+02:00',
      '--priority',
      'P1',
      '--json',
    ]);
    expect([result.exitCode, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toEqual({
      policy: 'esker',
      version: 1,
      registeredAt: '2026-05-13T16:30:00+02:00',
      deadlines: { response: null, intervention: null, resolution: '2026-05-15T11:30:00+02:00' },
    });
  });

  test('defaults to an incident of priority P3, and converts the instant to the calendar zone', () => {
    const { stdout } = runCli(['deadlines', '--policy=mixvoip-entreprises', '--opened=2026-05-15T13:00:00Z', '--json']);
    expect(JSON.parse(stdout)).toEqual({
      policy: 'mixvoip-entreprises',
      version: 1,
      registeredAt: '2026-05-15T15:00:00+02:00',
      deadlines: { response: '2026-05-15T18:00:00+02:00', intervention: '2026-05-16T09:00:00+02:00', resolution: null },
    });
  });

  test('requests follow the support calendar', () => {
    const { stdout } = runCli([
      'deadlines',
      '--policy',
      'mixvoip-entreprises',
      '--opened',
      '2026-05-15T15:00:00+02:00',
      '--kind',
      'request',
      '--json',
    ]);
    expect(parsed(stdout).deadlines).toEqual({
      response: '2026-05-15T18:00:00+02:00',
      intervention: '2026-05-18T10:30:00+02:00',
      resolution: null,
    });
  });

  test.each([
    [
      ['deadlines', '--policy', 'nope', '--opened', '2026-05-13T16:30:00+02:00'],
      /^vigil: unknown policy "nope" \(known: econnect, /,
    ],
    [['deadlines', '--policy', 'esker', '--opened', 'yesterday'], /^vigil: --opened: unparsable instant "yesterday"/],
    [
      ['deadlines', '--policy', 'esker', '--opened', '2026-05-13T16:30:00'],
      /unparsable instant .*expected ISO-8601 with an offset/,
    ],
    [
      ['deadlines', '--policy', 'esker', '--opened', '2026-05-13T16:30:00Z', '--priority', 'P5'],
      /^vigil: --priority: unknown priority "P5" \(expected P1, P2, P3, P4\)/,
    ],
    [
      ['deadlines', '--policy', 'esker', '--opened', '2026-05-13T16:30:00Z', '--kind', 'outage'],
      /^vigil: --kind: unknown kind "outage"/,
    ],
    [
      ['deadlines', '--policy', 'econnect', '--opened', '2020-05-13T16:30:00Z'],
      /^vigil: policy "econnect" was not yet in force/,
    ],
    [['deadlines', '--opened', '2026-05-13T16:30:00Z'], /^vigil: --policy is required/],
    [['deadlines', '--policy'], /^vigil: --policy needs a value/],
    [['deadlines', '--colour'], /^vigil: unknown option --colour/],
    [['frobnicate'], /^vigil: unknown command "frobnicate"/],
    [[], /^vigil: missing command/],
    [['validate', 'no/such/file.json'], /^vigil: no\/such\/file\.json: \/: cannot read the file/],
  ])('%j exits non-zero with one line on stderr', (argv, message) => {
    const result = runCli(argv);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

test('vigil policies --json lists the preset ids with their versions', () => {
  const listed = JSON.parse(runCli(['policies', '--json']).stdout) as Array<{ id: string; versions: number[] }>;
  expect(listed).toContainEqual({ id: 'tm-minimum', versions: [1] });
  expect(listed).toHaveLength(9);
});

test('vigil validate accepts a preset file', () => {
  expect(runCli(['validate', 'policies/presets/esker.v1.json'])).toEqual({
    exitCode: 0,
    stderr: '',
    stdout: 'policies/presets/esker.v1.json: esker v1 is valid\n',
  });
});

describe('as a process', () => {
  jest.setTimeout(60_000);

  test('npm run --silent vigil prints only the JSON', () => {
    const run = spawnSync(
      'npm',
      [
        'run',
        '--silent',
        'vigil',
        '--',
        'deadlines',
        '--policy',
        'esker',
        '--opened',
        '2026-05-13T16:30:00+02:00',
        '--priority',
        'P1',
        '--json',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(parsed(run.stdout).deadlines.resolution).toBe('2026-05-15T11:30:00+02:00');
  });

  test('the bin shim runs the CLI and exits non-zero on bad input', () => {
    const ok = spawnSync(process.execPath, [join(root, 'bin', 'vigil.js'), 'policies', '--json'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout) as unknown[]).toHaveLength(9);
    const bad = spawnSync(
      process.execPath,
      [join(root, 'bin', 'vigil.js'), 'deadlines', '--policy', 'esker', '--opened', 'soon'],
      { cwd: root, encoding: 'utf8' },
    );
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^vigil: --opened: unparsable instant "soon"/);
  });
});
