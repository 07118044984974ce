/**
 * The one-shot `bootstrap` service of docker-compose.yml: what `npm run dev` does before it starts the worker, the API
 * and the inbound process (scripts/dev.ts, infra/temporal-server.ts), for the compose stack. It registers the
 * namespace (TEMPORAL_NAMESPACE, `default`) and Vigil's search attributes on the Temporal server (TEMPORAL_ADDRESS;
 * on Temporal Cloud, which registers neither through its API, it checks that they are there), migrates, makes the
 * demo accounts and people (customer acme, the admin, agent and customer keys, the console's people) once, and
 * writes the inbound mail key where the `inbound` service reads it, so that mail in runs from the first `docker compose up`
 * with no key to create by hand.
 *
 * The keys are kept under .data/compose/ (VIGIL_COMPOSE_KEYS_DIR: docker-compose.yml's vigil-keys volume), apart from `npm run dev`'s .data/dev-keys.json: the two stacks have
 * databases of their own, and each file holds the tokens of its own database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporalSettingsFromEnv } from '../infra/config';
import { waitUntil } from '../infra/managed-process';
import { temporalConnectionOptions } from '../infra/temporal-connection';
import { ensureVigilNamespace, frontendAnswers } from '../infra/temporal-namespace';
import { ensureDevAccounts } from './dev-accounts';
import { DEV_PASSWORD, DEV_PEOPLE, ensureDevPeople } from './dev-people';
import { exitOnError } from '../infra/exit';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  // The Temporal the worker and the API use, read and checked as they read it (Temporal Cloud included).
  const temporal = temporalSettingsFromEnv(process.env);
  const options = temporalConnectionOptions(temporal);
  // The server answers once its schema is set up and its services have joined; a first start takes a while.
  await waitUntil(`Temporal on ${temporal.address}`, () => frontendAnswers(options), { timeoutMs: 300_000 });
  const connection = await Connection.connect(options);
  try {
    await ensureVigilNamespace(connection, temporal.namespace);
  } finally {
    await connection.close();
  }
  const dir = path.resolve(process.env.VIGIL_COMPOSE_KEYS_DIR || path.join(__dirname, '..', '.data', 'compose'));
  const keys = await ensureDevAccounts(databaseUrl, path.join(dir, 'dev-keys.json'));
  await ensureDevPeople(databaseUrl);
  // The token alone, as the inbound service's command reads it into VIGIL_INBOUND_API_KEY.
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'inbound-api-key'), `${keys.inbound}\n`, { mode: 0o600 });
  process.stdout.write(
    [
      `API keys (kept in ${dir}):`,
      `  admin     ${keys.admin}`,
      `  agent     ${keys.agent}`,
      `  inbound   ${keys.inbound}  (the inbound service's: it acts for each mail's sender)`,
      `  customer  ${keys.customer}  (acme: econnect, contact Ana Lopes <ana@acme.lu>)`,
      `Console people: ${DEV_PEOPLE.map((person) => person.email).join(', ')} (password ${DEV_PASSWORD})`,
      '',
    ].join('\n'),
  );
}

main().catch(exitOnError);
