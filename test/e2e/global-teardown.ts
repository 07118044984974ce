import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.vigilE2eServers;
  if (!servers) return;
  await Promise.all([...servers.processes.map((server) => server.stop()), servers.temporal?.stop()]);
  for (const dir of [servers.dataDir, servers.bundleDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
