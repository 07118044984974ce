import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

jest.setTimeout(120_000);

/**
 * Histories recorded from every path of the workflow tests (RECORD_HISTORIES=1 npm test -- test/workflows) are
 * replayed against the current workflow code: a change that would not replay in production fails here. When a
 * change is meant to alter behaviour, guard it with patched() so that these histories still replay.
 */
const HISTORIES_DIR = path.join(__dirname, 'histories');
// Histories of earlier versions stay, in a folder named after the commit that recorded them: running workflows
// started by that code must keep replaying.
const histories = fs
  .readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.json'))
  .sort();

describe('recorded ticket histories replay against the current workflow code', () => {
  it('has histories to replay', () => {
    expect(histories.length).toBeGreaterThanOrEqual(31);
  });

  it.each(histories)('%s', async (file) => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
    await expect(Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows') }, history, file)).resolves.toBeUndefined();
  });
});
