import Ajv from 'ajv';
import fc from 'fast-check';
import { Value } from '@sinclair/typebox/value';
import { Line, Name, Text, Title } from '../../../messages/text-fields';
import type { LogTimeCommand } from '../../../messages/ticket';
import { InvalidArgumentError } from '../../../domain/errors';
import { TEXT_RULE } from '../../../domain/text';
import type { CommandOf } from '../../../messages/ticket-actions';
import { checkCommand } from '../../../domain/ticket/commands';

const checkLogTime = (command: LogTimeCommand) => checkCommand('log-time', command);
const checkCustomerReply = (command: CommandOf<'customer-replied'>) => checkCommand('customer-replied', command);
const checkWaitForCustomer = (command: CommandOf<'wait-for-customer'>) => checkCommand('wait-for-customer', command);
const checkValidate = (command: CommandOf<'validate'>) => checkCommand('validate', command);
const checkReassign = (command: CommandOf<'reassign'>) => checkCommand('reassign', command);
const checkCancel = (command: CommandOf<'cancel'>) => checkCommand('cancel', command);

const entry: LogTimeCommand = {
  actor: 'marc',
  start: Date.parse('2026-05-13T07:00:00Z'),
  end: Date.parse('2026-05-13T07:30:00Z'),
  onSite: false,
};

/** The field and reason of the refusal `check` throws, or undefined when it accepts. */
function refusal(check: () => void): { field: string; message: string } | undefined {
  try {
    check();
    return undefined;
  } catch (error) {
    if (!(error instanceof InvalidArgumentError)) throw error;
    return { field: error.field, message: error.message };
  }
}

// The Update validators check each command against its schema in the action table, as the API checks the body:
// a client of Temporal need not go through the API.
describe('text in workflow commands', () => {
  it.each([
    [
      'an agent with a NUL',
      () => checkLogTime({ ...entry, actor: 'marc\u0000' }),
      'actor',
      'line',
      'a control character (U+0000) at offset 4',
    ],
    [
      'a role with a line break',
      () => checkLogTime({ ...entry, role: 'engineer\n' }),
      'role',
      'line',
      'a line break (U+000A) at offset 8',
    ],
    [
      'a note with an unpaired surrogate',
      () => checkLogTime({ ...entry, note: 'ok \ud800' }),
      'note',
      'multiline',
      'an unpaired surrogate (U+D800) at offset 3',
    ],
    [
      'a reply message with a NUL',
      () => checkCustomerReply({ actor: 'ana@acme.lu', message: 'a\u0000' }),
      'message',
      'multiline',
      'a control character (U+0000) at offset 1',
    ],
    [
      'a contact with CRLF',
      () => checkCustomerReply({ actor: 'ana@acme.lu\r\nBcc: eve@evil.test' }),
      'actor',
      'line',
      'a line break (U+000D) at offset 11',
    ],
    [
      'a question with a lone CR',
      () => checkWaitForCustomer({ actor: 'marc', question: 'Which\rprinter?' }),
      'question',
      'multiline',
      'a line break (U+000D) at offset 5',
    ],
    [
      'a comment with a low surrogate alone',
      () => checkValidate({ actor: 'ana@acme.lu', comment: '\udc00' }),
      'comment',
      'multiline',
      'an unpaired surrogate (U+DC00) at offset 0',
    ],
    [
      'a reassigner with a tab',
      () => checkReassign({ agent: 'julie', actor: 'ma\trc' }),
      'actor',
      'line',
      'a control character (U+0009) at offset 2',
    ],
    [
      'an agent of white space alone to reassign to',
      () => checkReassign({ agent: ' \u00a0', actor: 'marc' }),
      'agent',
      'title',
      'nothing but white space',
    ],
    [
      'an agent of zero-width characters alone to reassign to',
      () => checkReassign({ agent: '\u200b\u200d', actor: 'marc' }),
      'agent',
      'title',
      'nothing but white space and invisible characters (U+200B at offset 0)',
    ],
    [
      'an agent with a line separator to reassign to',
      () => checkReassign({ agent: 'julie\u2028Bcc', actor: 'marc' }),
      'agent',
      'title',
      'a line break (U+2028) at offset 5',
    ],
    [
      'a reassigner with a paragraph separator',
      () => checkReassign({ agent: 'julie', actor: 'marc\u2029' }),
      'actor',
      'line',
      'a line break (U+2029) at offset 4',
    ],
    [
      'a contact with NEL',
      () => checkCustomerReply({ actor: 'ana@acme.lu\u0085' }),
      'actor',
      'line',
      'a line break (U+0085) at offset 11',
    ],
  ] as const)('refuses %s, naming the field and the character', (_case, check, field, shape, found) => {
    expect(refusal(check)).toEqual({ field, message: `${field}: expected ${TEXT_RULE[shape]}: it holds ${found}` });
  });

  it('takes tab, LF and CRLF in what a person writes, and characters outside the BMP anywhere', () => {
    const reply: CommandOf<'customer-replied'> = { actor: 'ana@acme.lu', message: 'Floor 2 😀\r\n\tThanks\n' };
    expect(refusal(() => checkCustomerReply(reply))).toBeUndefined();
    expect(refusal(() => checkCancel({ actor: 'Zoë 🦊', reason: 'Works again.\nSorry.' }))).toBeUndefined();
    expect(refusal(() => checkLogTime({ ...entry, note: 'Line 1\r\nLine 2' }))).toBeUndefined();
    expect(refusal(() => checkReassign({ agent: 'Zo\u00ade\u200b', actor: 'marc' }))).toBeUndefined();
    expect(refusal(() => checkCancel({ actor: 'marc', reason: 'Works again.\u2028Sorry.' }))).toBeUndefined();
  });
});

// The intervention flags on a time entry: optional booleans, under the names `vigil price` reads.
describe('the priced flags of a time entry', () => {
  it.each(['remoteToolMissing', 'outOfHoursRequested', 'urgent'])('takes %s as a boolean, or absent', (flag) => {
    expect(refusal(() => checkLogTime({ ...entry, [flag]: true }))).toBeUndefined();
    expect(refusal(() => checkLogTime({ ...entry, [flag]: false }))).toBeUndefined();
    expect(refusal(() => checkLogTime(entry))).toBeUndefined();
  });

  it.each(['remoteToolMissing', 'outOfHoursRequested', 'urgent'])('refuses %s of another type, naming it', (flag) => {
    expect(refusal(() => checkLogTime({ ...entry, [flag]: 'yes' }))).toEqual({
      field: flag,
      message: `${flag}: expected a boolean`,
    });
  });

  it.each(['remoteToolMissing', 'outOfHoursRequested', 'urgent'])(
    "takes %s on propose-resolution's minutesWorked too, by the same schema",
    (flag) => {
      const proposal = { actor: 'marc', resolution: 'done', minutesWorked: 20 };
      expect(refusal(() => checkCommand('propose-resolution', { ...proposal, [flag]: true }))).toBeUndefined();
      expect(refusal(() => checkCommand('propose-resolution', { ...proposal, [flag]: 'yes' }))).toEqual({
        field: flag,
        message: `${flag}: expected a boolean`,
      });
    },
  );
});

describe('the shape of every command, from its schema in the action table', () => {
  it('names the field at fault, whatever it is', () => {
    expect(
      refusal(() => checkCommand('propose-resolution', { actor: 'marc', resolution: 'done', minutesWorked: -5 })),
    ).toEqual({ field: 'minutesWorked', message: 'minutesWorked: expected a non-negative integer up to 1000000' });
    expect(refusal(() => checkCommand('set-priority', { priority: 'P9', actor: 'desk' }))).toEqual({
      field: 'priority',
      message: 'priority: expected one of P1, P2, P3, P4',
    });
    expect(refusal(() => checkCommand('take-charge', {}))).toEqual({
      field: 'actor',
      message: 'actor: expected a non-empty string',
    });
    expect(refusal(() => checkCommand('take-charge', { actor: 'm'.repeat(321) }))).toEqual({
      field: 'actor',
      message: 'actor: expected at most 320 characters',
    });
    expect(refusal(() => checkCommand('take-charge', { actor: 'marc', as: 'root' }))).toEqual({
      field: 'as',
      message: 'as: expected absent: this command takes only actor, actorId, channel',
    });
    expect(refusal(() => checkCommand('cancel', 'nothing'))).toEqual({
      field: 'command',
      message: 'command: expected an object',
    });
  });

  it('holds the lengths the API holds: a note of 20,000 characters passes, one more does not', () => {
    expect(refusal(() => checkLogTime({ ...entry, note: 'n'.repeat(20_000) }))).toBeUndefined();
    expect(refusal(() => checkLogTime({ ...entry, note: 'n'.repeat(20_001) }))?.field).toBe('note');
  });

  it('counts characters as the API does, a character beyond the BMP as one: 20,000 emoji pass, one more does not', () => {
    const printer = '\u{1f5a8}';
    expect(refusal(() => checkLogTime({ ...entry, note: printer.repeat(20_000) }))).toBeUndefined();
    expect(refusal(() => checkLogTime({ ...entry, note: printer.repeat(20_001) }))).toEqual({
      field: 'note',
      message: 'note: expected at most 20000 characters',
    });
  });
});

// The API checks a body with ajv, the workflow a command with TypeBox (domain/ticket/commands.ts): one text schema
// (messages/text-fields.ts) must be read alike by both, or a command passes one and is refused by the other.
describe('text fields read alike by the API and the workflow', () => {
  const ajv = new Ajv({ allErrors: false });
  // Letters, white space, line breaks, controls, invisible characters, a pair and its halves alone.
  const alphabet = [
    ...['a', '\u00e9', ' ', '\t', '\n', '\r', '\u0085', '\u2028', '\u2029', '\u0000', '\u007f'],
    ...['\u200b', '\u00ad', '\ufeff', '\u2800', '\u{1f5a8}', '\ud83d', '\ude00', '\u{e0041}'],
  ];
  const texts = fc.array(fc.constantFrom(...alphabet), { maxLength: 8 }).map((parts) => parts.join(''));

  it.each([
    ['a line', Line],
    ['a title', Title],
    ['a name', Name],
    ['a text', Text],
  ])('%s of at most 4 characters: ajv and TypeBox accept the same texts', (_, textOf) => {
    const schema = textOf(4);
    const ajvCheck = ajv.compile(schema);
    fc.assert(
      fc.property(texts, (text) => {
        expect(Value.Check(schema, text)).toBe(ajvCheck(text));
      }),
      { numRuns: 2000 },
    );
  });
});
