import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { pgAccountStore } from '../../db/accounts';
import { ensureDevAccounts } from '../../scripts/dev-accounts';
import { e2eEnv } from '../support/e2e/stack';

// On a database of its own: the demo customer is the fixed "acme" that other end-to-end tests may create too.
describe('the demo accounts of npm run dev', () => {
  const name = `dev_accounts_${randomUUID().replaceAll('-', '')}`;
  const server = new Pool({ connectionString: e2eEnv().databaseUrl });
  const url = new URL(e2eEnv().databaseUrl);
  url.pathname = `/${name}`;
  let db: Pool;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-dev-keys-'));
  const keysFile = path.join(dataDir, 'nested', 'dev-keys.json');

  beforeAll(async () => {
    await server.query(`CREATE DATABASE ${name}`);
    db = new Pool({ connectionString: url.toString() });
  });

  afterAll(async () => {
    await db?.end();
    await server.query(`DROP DATABASE IF EXISTS ${name}`);
    await server.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("creates acme, its econnect contract and four keys once (the inbound mail process's relays mail), then reuses them", async () => {
    const keys = await ensureDevAccounts(url.toString(), keysFile);
    const accounts = pgAccountStore(db);
    expect(await accounts.authenticate(keys.admin)).toMatchObject({ role: 'admin' });
    expect(await accounts.authenticate(keys.agent)).toMatchObject({ role: 'agent' });
    expect(await accounts.authenticate(keys.customer)).toMatchObject({ role: 'customer', customerId: 'acme' });
    expect(await accounts.authenticate(keys.inbound)).toMatchObject({ role: 'agent', mailRelay: true });
    expect(await accounts.authenticate(keys.agent)).not.toHaveProperty('mailRelay');
    expect(await accounts.contractsInForce('acme', '2026-01-01')).toEqual([
      expect.objectContaining({
        policyId: 'econnect',
        authorizedContacts: [{ name: 'Ana Lopes', email: 'ana@acme.lu', outOfHours: true }],
      }),
    ]);
    expect(JSON.parse(fs.readFileSync(keysFile, 'utf8'))).toEqual(keys);
    expect(fs.statSync(keysFile).mode & 0o077).toBe(0);

    expect(await ensureDevAccounts(url.toString(), keysFile)).toEqual(keys);
    expect(await accounts.listApiKeys()).toHaveLength(4);
    expect(await accounts.listContracts('acme')).toHaveLength(1);
  });

  it('replaces a kept token that no longer works', async () => {
    const before = JSON.parse(fs.readFileSync(keysFile, 'utf8'));
    const accounts = pgAccountStore(db);
    await accounts.revokeApiKey((await accounts.authenticate(before.agent))!.keyId);
    const after = await ensureDevAccounts(url.toString(), keysFile);
    expect(after.agent).not.toBe(before.agent);
    expect({ ...after, agent: before.agent }).toEqual(before);
    expect(await accounts.authenticate(after.agent)).toMatchObject({ role: 'agent' });
    expect(JSON.parse(fs.readFileSync(keysFile, 'utf8'))).toEqual(after);
  });
});
