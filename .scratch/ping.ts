import http2 from 'node:http2';
import { startOnFreePorts } from '../scripts/ports';
import { startTestServerOn } from '../test/support/time-skipping';

async function main() {
  const t0 = Date.now();
  const server = await startOnFreePorts(1, ([port]) => startTestServerOn(port!));
  console.log('server up', Date.now() - t0, server.address);
  const session = http2.connect(`http://${server.address}`);
  session.on('goaway', (code, last, data) => console.log('goaway', code, last, data?.toString()));
  session.on('error', (e) => console.log('error', e.message));
  session.on('close', () => console.log('close'));
  await new Promise((r) => session.once('connect', r));
  for (let i = 0; i < 4; i++) {
    try {
      await new Promise<void>((resolve, reject) => { const ok = session.ping((err, d) => (err ? reject(err) : resolve())); if (!ok) reject(new Error('ping not sent')); });
      console.log('ping acked', i + 1);
    } catch (e) { console.log('ping failed', i + 1, (e as Error).message); break; }
  }
  await new Promise((r) => setTimeout(r, 500));
  session.destroy();
  await server.stop();
}
main();
