import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { migrate } from '../db/migrate';
import { invoiceReader } from '../db/invoices';
import { ticketNumberAllocator } from '../db/ticket-numbers';
import { configFromEnv } from '../infra/config';
import { buildApp } from './app';

async function main(): Promise<void> {
  const config = configFromEnv();
  const db = new Pool({ connectionString: config.databaseUrl });
  await migrate(db);
  const connection = await Connection.connect({ address: config.temporalAddress });
  const temporal = new Client({ connection, namespace: config.temporalNamespace });
  const app = buildApp({ temporal, allocateTicketNumber: ticketNumberAllocator(db), invoices: invoiceReader(db) }, { logger: true });

  let closing = false;
  const close = async (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing');
    await app.close();
    await connection.close();
    await db.end();
  };
  process.once('SIGINT', (signal) => void close(signal));
  process.once('SIGTERM', (signal) => void close(signal));

  await app.listen({ host: config.apiHost, port: config.apiPort });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
