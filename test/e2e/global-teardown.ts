import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const servers = globalThis.vigilE2eServers;
  if (!servers) return;
  await Promise.all(servers.processes.map((server) => server.stop()));
  if (servers.dataDir) fs.rmSync(servers.dataDir, { recursive: true, force: true });
}
