import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../infra/embedded-postgres';
import { startProcess, type ManagedProcess } from '../../infra/managed-process';
import { startOnFreePorts } from '../../scripts/ports';
import { OutputLines } from '../support/output-lines';

jest.setTimeout(120_000);

const quiet = () => undefined;

/**
 * A PostgreSQL of this test's own, stopped and started again under a process holding the worker's and the API's pool
 * (db/pool.ts): the shared server of the other e2e tests is never touched.
 */
describe('a PostgreSQL restart under a pool made by createPool', () => {
  let dataDir: string;
  let port: number;
  let postgres: EmbeddedPostgres | undefined;
  let holder: ManagedProcess | undefined;

  const startPostgres = () => startEmbeddedPostgres({ dataDir: path.join(dataDir, 'data'), port, onLine: quiet });

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-e2e-pg-restart-'));
    // PostgreSQL runs as its own user when we are root: it must be able to enter the directory.
    fs.chmodSync(dataDir, 0o755);
    // Started again below on the same port, which the pool's URL names.
    postgres = await startOnFreePorts(1, ([chosen]) => {
      port = chosen!;
      return startPostgres();
    });
  });

  afterAll(async () => {
    await holder?.stop();
    await postgres?.process.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is logged and survived: the process stays up and queries again once the server is back', async () => {
    const output = new OutputLines();
    holder = startProcess(
      'pool-holder',
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'fixtures/pool-holder.ts'), postgres!.url],
      { onLine: output.push },
    );
    void holder.exited.then((code) => output.push(`exited (${code})`));
    expect(await output.waitFor(/^ready$|^exited/)).toBe('ready');

    await postgres!.process.stop();
    postgres = undefined;
    // The idle connections' failure is reported, not thrown: without the pool's listener the process ends here.
    await output.waitFor(/^logged: idle PostgreSQL client failed|^exited/);
    postgres = await startPostgres();
    expect(output.lines.filter((line) => line.startsWith('exited'))).toEqual([]);

    const asked = output.mark;
    holder.child.kill('SIGUSR2');
    expect(await output.waitFor(/^query |^exited/, asked)).toBe('query ok: 1');
    expect(holder.child.exitCode).toBeNull();
  });
});
