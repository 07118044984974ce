import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runVigil } from '../../cli/run';
import { DEFAULT_SESSION_LIMITS, pgSessionStore } from '../../db/sessions';
import { pgUserStore } from '../../db/users';
import { runUsersCli } from '../../cli/admin-users';
import { verifyPassword } from '../../db/password-hash';
import { ensureDevAccounts } from '../../scripts/dev-accounts';
import { DEV_PASSWORD, ensureDevPeople } from '../../scripts/dev-people';
import { CSRF_HEADER, SESSION_COOKIE } from '../../api/sessions';
import { e2eEnv, startStack, type Stack } from '../support/e2e/stack';

// A whole stack starts in beforeAll: minutes on a loaded 2-core machine, not Jest's default 5 s.
jest.setTimeout(180_000);

// People who sign in to the console: the admin API, `vigil admin users`, and a session's way through /v1's checks.
describe('people and sessions on the real stack', () => {
  let stack: Stack;
  const unique = randomUUID().slice(0, 8);
  const password = 'correct horse battery staple';

  beforeAll(async () => {
    stack = await startStack('console-accounts');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const cookieCall = async (
    method: 'GET' | 'POST',
    path: string,
    cookie: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ) => {
    const response = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: {
        cookie: `${SESSION_COOKIE}=${cookie}`,
        ...headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };

  it('adds people through the admin API, keeping only a scrypt hash of the password', async () => {
    const email = `Agent.${unique}@desk.test`;
    const added = await stack.call(
      'POST',
      '/admin/users',
      { email, name: 'Ines Agent', role: 'agent', password },
      'admin',
    );
    expect(added).toMatchObject({ status: 201, body: { email, role: 'agent', hasPassword: true } });
    expect(JSON.stringify(added.body)).not.toContain(password);
    const { rows } = await stack.db.query('SELECT password_hash FROM users WHERE id = $1', [added.body.id]);
    expect(rows[0].password_hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    // The same address in another case is the same mailbox.
    expect(
      await stack.call('POST', '/admin/users', { email: email.toLowerCase(), name: 'Twin', role: 'agent' }, 'admin'),
    ).toMatchObject({ status: 409 });
    expect(
      await stack.call(
        'POST',
        '/admin/users',
        { email: `c.${unique}@acme.test`, name: 'No company', role: 'customer' },
        'admin',
      ),
    ).toMatchObject({
      status: 422,
      body: { errors: [{ field: 'body.customerId' }] },
    });
    expect(await stack.call('GET', '/admin/users', undefined, 'agent')).toMatchObject({ status: 403 });
    const listed = await stack.call('GET', '/admin/users', undefined, 'admin');
    expect(listed.body.users).toContainEqual(expect.objectContaining({ id: added.body.id, email }));
  });

  it('`vigil admin users` adds with a password read from stdin, lists and disables', async () => {
    const env = { DATABASE_URL: e2eEnv().databaseUrl };
    const email = `cli.${unique}@desk.test`;
    const added = await runUsersCli(
      ['add', '--email', email, '--name', 'Cli Manager', '--role', 'manager', '--password-stdin', '--json'],
      env,
      () => `${password}\n`,
    );
    expect(added).toMatchObject({ exitCode: 0, stderr: '' });
    const user = JSON.parse(added.stdout);
    expect(user).toMatchObject({ email, role: 'manager', hasPassword: true });
    expect((await runVigil(['admin', 'users', 'list'], env)).stdout).toContain(
      `${user.id}\t${email}\tCli Manager\tmanager\t-\tpassword\tactive\n`,
    );
    expect(
      await runVigil(['admin', 'users', 'add', '--email', 'x@y.test', '--name', 'X', '--role', 'boss'], env),
    ).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'vigil: --role: "boss" is not one of admin, agent, manager, customer\n',
    });
    expect(
      await runUsersCli(
        ['add', '--email', `short.${unique}@desk.test`, '--name', 'S', '--role', 'agent', '--password-stdin'],
        env,
        () => 'short\n',
      ),
    ).toMatchObject({
      exitCode: 2,
      stderr: 'vigil: --password-stdin: must have at least 12 characters\n',
    });
    expect((await runVigil(['admin', 'users', 'disable', user.id], env)).stdout).toMatch(/\tdisabled \d{4}-/);
  });

  it("a customer's session goes through the same checks as a customer's key, and changes need its CSRF token", async () => {
    const users = pgUserStore(stack.db);
    const sessions = pgSessionStore(stack.db);
    const person = await users.create({
      email: `ana.${unique}@acme.test`,
      name: 'Ana Lopes',
      role: 'customer',
      customerId: stack.customerId,
    });
    const { id, csrfToken } = await sessions.create(person.id, Date.now());
    expect(await cookieCall('GET', '/tickets', id)).toMatchObject({ status: 200 });
    expect(await cookieCall('GET', '/tickets?customer=someone-else', id)).toMatchObject({ status: 403 });
    expect(await cookieCall('GET', '/admin/users', id)).toMatchObject({ status: 403 });
    // A form another site makes the browser post carries the cookie but not the token.
    expect(await cookieCall('POST', '/tickets', id, {}, { title: 'x' })).toMatchObject({
      status: 403,
      body: { detail: expect.stringContaining(CSRF_HEADER) },
    });
    expect(
      await cookieCall('POST', '/tickets', id, { [CSRF_HEADER]: 'wrong'.padEnd(43, 'x') }, { title: 'x' }),
    ).toMatchObject({ status: 403 });
    // With the token, authentication passes and the body is judged: this one misses its fields.
    expect(await cookieCall('POST', '/tickets', id, { [CSRF_HEADER]: csrfToken }, { title: 'x' })).toMatchObject({
      status: 422,
    });
    await users.disable(person.id);
    expect(await cookieCall('GET', '/tickets', id)).toMatchObject({ status: 401 });
  });

  it("shows a customer's contact every time in their company's zone, and staff in the desk's", async () => {
    const customerId = `montreal-${unique}`;
    expect(
      await stack.call(
        'POST',
        '/admin/customers',
        { id: customerId, name: 'Acme Québec', timeZone: 'America/Montreal' },
        'admin',
      ),
    ).toMatchObject({ status: 201 });
    const users = pgUserStore(stack.db);
    const sessions = pgSessionStore(stack.db);
    const contact = await users.create({
      email: `chloe.${unique}@acme.test`,
      name: 'Chloé',
      role: 'customer',
      customerId,
    });
    const agent = await users.create({ email: `zone.${unique}@desk.test`, name: 'Zoé Agent', role: 'agent' });
    const contactSession = await sessions.create(contact.id, Date.now());
    expect(await sessions.resolve(contactSession.id, Date.now())).toMatchObject({ timeZone: 'America/Montreal' });
    const agentSession = await sessions.create(agent.id, Date.now());
    expect(await sessions.resolve(agentSession.id, Date.now())).not.toHaveProperty('timeZone');

    const page = async (cookie: string) =>
      (
        await fetch(new URL('/console/invoices', stack.baseUrl), { headers: { cookie: `${SESSION_COOKIE}=${cookie}` } })
      ).text();
    expect(await page(contactSession.id)).toContain('Times are shown in the America/Montreal time zone.');
    expect(await page(agentSession.id)).toContain('Times are shown in the Europe/Luxembourg time zone.');
  });

  it("`npm run dev`'s people sign in with the dev password, made once however often it starts", async () => {
    const keysFile = path.join(os.tmpdir(), `vigil-dev-keys-${unique}.json`);
    await ensureDevAccounts(e2eEnv().databaseUrl, keysFile);
    fs.rmSync(keysFile, { force: true });
    await ensureDevPeople(e2eEnv().databaseUrl);
    await ensureDevPeople(e2eEnv().databaseUrl);
    const record = await pgUserStore(stack.db).signInRecord('ana@acme.lu');
    expect(record?.user).toMatchObject({ role: 'customer', customerId: 'acme' });
    await expect(verifyPassword(DEV_PASSWORD, record?.passwordHash)).resolves.toBe(true);
  });

  it('a session ends when idle too long, at its absolute end, and when signed out everywhere', async () => {
    const users = pgUserStore(stack.db);
    const sessions = pgSessionStore(stack.db);
    const person = await users.create({ email: `idle.${unique}@desk.test`, name: 'Idle Agent', role: 'agent' });
    const t0 = Date.parse('2030-01-07T08:00:00Z');
    const idle = await sessions.create(person.id, t0);
    expect(await sessions.resolve(idle.id, t0 + DEFAULT_SESSION_LIMITS.idleMs - 1)).toMatchObject({
      userId: person.id,
      role: 'agent',
    });
    // Seen just now: the idle clock restarted.
    expect(await sessions.resolve(idle.id, t0 + 2 * DEFAULT_SESSION_LIMITS.idleMs - 2)).toBeDefined();
    expect(await sessions.resolve(idle.id, t0 + 3 * DEFAULT_SESSION_LIMITS.idleMs)).toBeUndefined();

    const active = await sessions.create(person.id, t0);
    let at = t0;
    while (at + DEFAULT_SESSION_LIMITS.idleMs / 2 < t0 + DEFAULT_SESSION_LIMITS.absoluteMs) {
      at += DEFAULT_SESSION_LIMITS.idleMs / 2;
      expect(await sessions.resolve(active.id, at)).toBeDefined();
    }
    expect(await sessions.resolve(active.id, t0 + DEFAULT_SESSION_LIMITS.absoluteMs)).toBeUndefined();

    const [one, two] = [await sessions.create(person.id, t0), await sessions.create(person.id, t0)];
    expect(await sessions.destroyAll(person.id)).toBeGreaterThanOrEqual(2);
    expect(await sessions.resolve(one.id, t0 + 1)).toBeUndefined();
    expect(await sessions.resolve(two.id, t0 + 1)).toBeUndefined();
    // The cookie's value is not what the table holds.
    const { rowCount } = await stack.db.query('SELECT 1 FROM sessions WHERE id_hash = $1', [one.id]);
    expect(rowCount).toBe(0);
  });
});
