import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/workflow-code';

jest.setTimeout(120_000);

// Bundled once for every replay of this file: handed the workflows' path, each replay would run webpack again.
let bundled: Promise<WorkflowBundleWithSourceMap> | undefined;
const workflowCode = async () => ({ workflowBundle: await (bundled ??= bundleWorkflowCode(WORKFLOW_BUNDLE_OPTIONS)) });

type Payload = { metadata?: Record<string, string>; data: string };
type HistoryJson = {
  events: {
    eventType: string;
    workflowExecutionUpdateAcceptedEventAttributes?: {
      acceptedRequest: { input: { name: string; args: { payloads: Payload[] } } };
    };
  }[];
};

/** The recorded history with the arguments of one accepted Update rewritten, as the code before the text rules accepted them. */
function historyWith(
  file: string,
  update: string,
  change: (command: Record<string, unknown>) => Record<string, unknown>,
): temporal.api.history.v1.History {
  const json = JSON.parse(fs.readFileSync(path.join(__dirname, 'histories', file), 'utf8')) as HistoryJson;
  const accepted = json.events.find(
    (event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest.input.name === update,
  );
  const payload = accepted!.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest.input.args.payloads[0]!;
  const command = JSON.parse(Buffer.from(payload.data, 'base64').toString('utf8')) as Record<string, unknown>;
  payload.data = Buffer.from(JSON.stringify(change(command)), 'utf8').toString('base64');
  return temporal.api.history.v1.History.fromObject(json);
}

// A ticket that took poison text before the rules existed must still replay: its Update was accepted then, and the
// handler may not refuse it now, or the fix would brick what it came to heal: the shape of a command is checked by the
// Update validator only (domain/ticket/commands.ts), never by the handler, which replays.
describe('text accepted before the text rules replays', () => {
  it.each([
    [
      'a customer reply with a NUL and an unpaired surrogate',
      'customer-replied',
      (command: Record<string, unknown>) => ({ ...command, message: 'The Luxembourg\u0000 one \ud800' }),
    ],
    [
      'a question with a vertical tab (a line break in Word)',
      'wait-for-customer',
      (command: Record<string, unknown>) => ({ ...command, question: 'Which ERP\u000bcompany file?' }),
    ],
    [
      'an agent with a line break',
      'take-charge',
      (command: Record<string, unknown>) => ({ ...command, actor: 'marc\r\n' }),
    ],
  ])('%s', async (_case, update, change) => {
    const history = historyWith('pause-across-weekend.json', update, change);
    await expect(Worker.runReplayHistory(await workflowCode(), history, `poisoned ${update}`)).resolves.toBeUndefined();
  });
});

// Before time entries took the intervention flags, the command checks ignored fields they did not know: a log-time sent straight to
// Temporal with `urgent: "yes"` was accepted, and the handler's re-check of the flags must not refuse it on replay.
it('a time entry with a flag of another type, accepted before the flags were checked, replays', async () => {
  const history = historyWith('reject-and-reopen.json', 'log-time', (command) => ({
    ...command,
    urgent: 'yes',
    remoteToolMissing: 1,
  }));
  await expect(Worker.runReplayHistory(await workflowCode(), history, 'flagged log-time')).resolves.toBeUndefined();
});
