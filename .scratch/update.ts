import { Client, Connection } from '@temporalio/client';
import { TICKET_UPDATES } from '../messages/ticket';
import { TicketHarness } from '../test/support/ticket-harness';

(globalThis as any).expect = () => ({});
async function main() {
  const harness = await TicketHarness.start();
  const h = harness as any;
  const handle = await harness.open({ ticketNumber: 'VIG-000901', policyId: 'econnect', priority: 'P3' });
  await harness.settle(handle);
  h.worker.shutdown(); await h.running;
  console.log('worker stopped');
  const conn = await Connection.connect({ address: harness.env.address, channelArgs: { 'grpc.keepalive_time_ms': 300 } });
  const client = new Client({ connection: conn });
  const t0 = Date.now();
  const p = client.workflow.getHandle(handle.workflowId).executeUpdate(TICKET_UPDATES['take-charge'], { args: [{ actor: 'marc' }] })
    .then((r: any) => console.log('update done', Date.now() - t0, r.status), (e: any) => console.log('update failed', Date.now() - t0, e?.message, e?.cause?.message, e?.code));
  await new Promise((r) => setTimeout(r, Number(process.env.WAIT ?? 5000)));
  console.log('starting worker at', Date.now() - t0);
  await h.startWorker();
  let timer: any;
  await Promise.race([p, new Promise((r) => (timer = setTimeout(() => { console.log('still pending at', Date.now() - t0); r(undefined); }, 60000)))]);
  clearTimeout(timer);
  await conn.close();
  await harness.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
