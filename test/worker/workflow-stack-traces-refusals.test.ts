import path from 'node:path';
import { startProcess } from '../../infra/managed-process';
import { workerNodeArguments } from '../../worker/workflow-stack-traces';
import { OutputLines } from '../support/output-lines';

const repoRoot = path.resolve(__dirname, '../..');

/**
 * worker/main.ts refuses a VIGIL_WORKFLOW_STACK_TRACES it cannot honour before it connects anywhere: its DATABASE_URL
 * names a port nothing listens on, and the one line it writes is the refusal.
 */
async function refusal(args: string[], value: string): Promise<{ code: number | null; lines: string[] }> {
  const output = new OutputLines();
  const worker = startProcess('worker', process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', VIGIL_WORKFLOW_STACK_TRACES: value },
    onLine: output.push,
  });
  const code = await worker.exited;
  return { code, lines: output.lines };
}

describe('worker/main.ts refuses to start', () => {
  it('with VIGIL_WORKFLOW_STACK_TRACES neither on nor off', async () => {
    expect(await refusal(workerNodeArguments(repoRoot), 'maybe')).toEqual({
      code: 1,
      lines: ["configuration refused: VIGIL_WORKFLOW_STACK_TRACES must be on or off, got 'maybe'"],
    });
  });

  it('with VIGIL_WORKFLOW_STACK_TRACES=off but without the preload that does it', async () => {
    expect(await refusal(['--import', 'tsx', path.join(repoRoot, 'worker/main.ts')], 'off')).toEqual({
      code: 1,
      lines: [
        'configuration refused: VIGIL_WORKFLOW_STACK_TRACES=off needs node started with --import worker/workflow-stack-traces-preload.mjs after --import tsx, as npm run worker does',
      ],
    });
  });
});
