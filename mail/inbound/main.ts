/**
 * `npm run inbound`: the process that takes the desk's mail in, by SMTP (its own port, INBOUND_SMTP_PORT) and, where
 * the desk's mailbox is hosted, by polling it over IMAP (IMAP_URL).
 *
 * A process of its own, supervised by `npm run dev` beside the API and the worker, rather than inside either: it
 * listens on a port the Internet's mail servers reach, where the API's port is the customers' and the worker's
 * none; a flood of mail or a mail that trips the parser takes neither the API nor the workflows down with it; and it
 * acts on tickets through the API over HTTP (mail/inbound/desk-api.ts), so it needs no Temporal client and no rule
 * of the API twice. It writes PostgreSQL only for its own tables and the answers it queues in the outbox.
 */
import { migrate } from '../../db/migrate';
import { createPool } from '../../db/pool';
import { inboundConfigFromEnv } from '../../infra/config';
import { messageDomain } from '../message';
import { deskApi } from './desk-api';
import { startImapPoller, type ImapPoller } from './imap-poller';
import { answerTooLarge, receiveMail, type InboundOptions } from './process';
import { startSmtpListener } from './smtp-listener';
import { exitOnError } from '../../infra/exit';

const log = (line: Record<string, unknown>) =>
  console.error(JSON.stringify({ time: new Date().toISOString(), ...line }));

async function main(): Promise<void> {
  const config = inboundConfigFromEnv();
  const db = createPool({ connectionString: config.databaseUrl }, (message, error) => console.error(message, error));
  await migrate(db);
  const options: InboundOptions = {
    db,
    api: deskApi({ baseUrl: config.apiUrl, token: config.apiToken }),
    supportAddresses: config.supportAddresses,
    emergencyAddresses: config.emergencyAddresses,
    ownDomain: messageDomain(config.mailFrom),
  };
  const receive = (delivery: Parameters<typeof receiveMail>[1]) => receiveMail(options, delivery);
  const listener = await startSmtpListener({
    host: config.smtpHost,
    port: config.smtpPort,
    acceptedAddresses: [...config.supportAddresses, ...config.emergencyAddresses],
    maxBytes: config.maxBytes,
    receive,
    log,
  });
  console.log(
    `taking mail for ${[...config.supportAddresses, ...config.emergencyAddresses].join(', ')} on smtp://${config.smtpHost}:${listener.port}`,
  );
  let poller: ImapPoller | undefined;
  if (config.imapUrl) {
    poller = startImapPoller({
      url: config.imapUrl,
      everyMs: config.imapPollMs,
      maxBytes: config.maxBytes,
      receive,
      tooLarge: (mail) => answerTooLarge(options, mail),
      log,
    });
    console.log(`polling ${new URL(config.imapUrl).host} every ${config.imapPollMs} ms`);
  }
  const stop = async () => {
    await poller?.stop();
    await listener.close();
    await db.end();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch(exitOnError);
