import { runVigil } from '../../cli/run';
import { TEXT_RULE } from '../../domain/text';

// The CLI writes to the tables the API writes to: what the API refuses as text, it refuses too, before any connection.
describe('vigil, text on the command line', () => {
  const env = { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' };

  test.each([
    [
      ['admin', 'customers', 'add', '--id', 'initech', '--name', 'Initech\nBcc: eve@evil.test'],
      '--name',
      'a line break (U+000A) at offset 7',
    ],
    [
      ['admin', 'customers', 'add', '--id', 'initech', '--name=Init\u0000ech'],
      '--name',
      'a control character (U+0000) at offset 4',
    ],
    [
      ['admin', 'keys', 'create', '--role', 'agent', '--label', 'desk \ud800'],
      '--label',
      'an unpaired surrogate (U+D800) at offset 5',
    ],
    [
      ['admin', 'prepaid', 'buy', '--contract', '1', '--minutes', '600', '--description', '40 h\r\n'],
      '--description',
      'a line break (U+000D) at offset 4',
    ],
    [
      ['admin', 'keys', 'revoke', 'key\u001b[31m'],
      'the argument after "revoke"',
      'a control character (U+001B) at offset 3',
    ],
    [
      ['deadlines', '--policy', 'esker\t', '--opened', '2026-05-13T16:30:00+02:00'],
      '--policy',
      'a control character (U+0009) at offset 5',
    ],
  ])('%j exits 2 with one line naming the option and the character', async (argv, where, found) => {
    const { exitCode, stdout, stderr } = await runVigil(argv, env);
    expect({ exitCode, stdout, stderr }).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `vigil: ${where}: expected ${TEXT_RULE.line}; it holds ${found}\n`,
    });
  });

  test('takes accents and characters outside the BMP', async () => {
    const { exitCode, stderr } = await runVigil(['admin', 'customers', 'add', '--id', 'zoe', '--name', 'Zoë 🦊'], {});
    // Past the text check, the next refusal is the missing database.
    expect([exitCode, stderr]).toEqual([2, expect.stringMatching(/^vigil: DATABASE_URL is not set/)]);
  });
});
