import { runVigil } from '../../cli/run';

// Bad flags are refused before any connection: the DATABASE_URL below is never reached except where a test is about it.
describe('vigil admin, bad command lines', () => {
  const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

  test.each([
    [
      ['admin'],
      /^vigil: admin needs a command \(customers add\|\S*list, contracts add\|contacts\|list, keys create\|list\|revoke, prepaid buy\|show, policies publish\|list\|show, reports rebuild\)$/,
    ],
    [['admin', 'customers', 'remove'], /^vigil: unknown admin command "customers remove"/],
    [['admin', 'customers', 'add', '--id', 'acme'], /^vigil: --name is required$/],
    [
      ['admin', 'customers', 'add', '--id', 'acme', '--name', 'Acme', '--policy', 'econnect'],
      /^vigil: --policy does not apply to admin customers add$/,
    ],
    [['admin', 'customers', 'list', 'acme'], /^vigil: admin customers list takes no argument "acme"$/],
    [['admin', 'contracts', 'add', '--customer', 'acme', '--policy', 'econnect'], /^vigil: --starts is required$/],
    [
      [
        'admin',
        'contracts',
        'add',
        '--customer',
        'acme',
        '--policy',
        'econnect',
        '--starts',
        '2026-01-01',
        '--version',
        'one',
      ],
      /^vigil: --version: "one" is not a whole number of at least 1$/,
    ],
    [
      [
        'admin',
        'contracts',
        'add',
        '--customer',
        'acme',
        '--policy',
        'econnect',
        '--starts',
        '2026-01-01',
        '--authorized-contact',
        'ana@acme.lu',
      ],
      /^vigil: --authorized-contact: "ana@acme.lu" is not "Name <email>"$/,
    ],
    [
      [
        'admin',
        'contracts',
        'add',
        '--customer',
        'acme',
        '--policy',
        'econnect',
        '--starts',
        '2026-01-01',
        '--authorized-contact',
        'Ana <ana@acme.lu>,always',
      ],
      /^vigil: --authorized-contact: "always" after the address: only "out-of-hours" may follow it$/,
    ],
    [
      [
        'admin',
        'contracts',
        'add',
        '--customer',
        'acme',
        '--policy',
        'esker',
        '--starts',
        '2026-01-01',
        '--escalation-contact',
        'Dan <dan@acme.lu>',
      ],
      /^vigil: --escalation-contact: "Dan <dan@acme.lu>" is not "level:Name <email>"$/,
    ],
    [['admin', 'contracts', 'list'], /^vigil: --customer is required$/],
    [['admin', 'keys', 'create', '--role', 'agent'], /^vigil: --label is required$/],
    [['admin', 'keys', 'revoke'], /^vigil: keys revoke needs exactly one key id$/],
    [['admin', 'keys', 'list', '--colour'], /^vigil: unknown option --colour$/],
  ])('%j exits 2 with one line naming what is wrong', async (argv, message) => {
    const { exitCode, stdout, stderr } = await runVigil(argv, env);
    expect([exitCode, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(/^[^\n]*\n$/);
    expect(stderr.trimEnd()).toMatch(message);
  });

  test('says which variable to set when DATABASE_URL is missing', async () => {
    expect(await runVigil(['admin', 'customers', 'list'], {})).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: expect.stringMatching(/^vigil: DATABASE_URL is not set/),
    });
  });

  test('exits 1 with one line when the database cannot be reached', async () => {
    expect(await runVigil(['admin', 'customers', 'list'], env)).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'vigil: cannot use the database DATABASE_URL names: ECONNREFUSED\n',
    });
  });

  test('the usage lists the admin commands', async () => {
    const { exitCode, stdout } = await runVigil(['admin', '--help'], {});
    expect(exitCode).toBe(0);
    expect(stdout).toContain('vigil admin contracts add --customer ID --policy ID');
    expect(stdout).toContain('vigil admin keys revoke KEY-ID');
  });
});
