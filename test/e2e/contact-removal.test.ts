import { randomUUID } from 'node:crypto';
import { pgSessionStore } from '../../db/sessions';
import { refusingWrites } from '../support/e2e/refusing-writes';
import { contractsStartOn, startStack, type Stack } from '../support/e2e/stack';

jest.setTimeout(180_000);

// A contact taken off a contract (db/contact-accounts.ts removeContactAccounts) on the real stack: their account,
// sessions and access to the company's tickets, and the ticket history they wrote.
describe('a contact removed from a contract, on PostgreSQL and Temporal', () => {
  let stack: Stack;
  const unique = randomUUID().slice(0, 8);
  const customerId = `removal-${unique}`;
  const pia = { name: 'Pia Prior', email: `pia.${unique}@removal.test` };
  const quinn = { name: 'Quinn Quill', email: `quinn.${unique}@removal.test` };
  const admin = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) =>
    fetch(`${stack.baseUrl}/admin${path}`, {
      method,
      headers: { ...stack.auth('admin'), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }));
  /** A call as the person signed in to the console: their session's cookie, and its CSRF token for a change. */
  const asPerson = (session: { id: string; csrfToken: string }, method: 'GET' | 'POST', path: string, body?: unknown) =>
    fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: {
        cookie: `vigil_session=${session.id}`,
        'x-csrf-token': session.csrfToken,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as Record<string, any> }));
  const userOf = async (email: string) =>
    (
      await stack.db.query<{ id: string; disabled_at: Date | null }>(
        'SELECT id::text, disabled_at FROM users WHERE email = $1',
        [email],
      )
    ).rows[0]!;
  const sessionsOf = async (userId: string) =>
    Number(
      (await stack.db.query<{ n: string }>('SELECT count(*) AS n FROM sessions WHERE user_id = $1', [userId])).rows[0]!
        .n,
    );
  const signIn = async (email: string) => pgSessionStore(stack.db).create((await userOf(email)).id, Date.now());

  let first: string;
  let second: string;
  let ticket: string;

  beforeAll(async () => {
    stack = await startStack('contact-removal');
    expect((await admin('POST', '/customers', { id: customerId, name: 'Removal SA' })).status).toBe(201);
    const contract = (authorizedContacts: object[]) =>
      admin('POST', `/customers/${customerId}/contracts`, {
        policyId: 'econnect',
        startsOn: contractsStartOn(),
        authorizedContacts,
      });
    first = (await contract([pia, quinn])).body.id as string;
    second = (await contract([quinn])).body.id as string;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it("takes away the company's tickets from a contact no contract names any more, ends their sessions, and keeps what they did", async () => {
    const piaSession = await signIn(pia.email);
    const quinnSession = await signIn(quinn.email);
    const opened = await asPerson(piaSession, 'POST', '/tickets', {
      title: 'VPN down',
      description: 'No tunnel since this morning.',
      priority: 'P3',
      contact: pia,
      contractId: first,
    });
    expect([opened.status, opened.body.detail]).toEqual([201, undefined]);
    ticket = opened.body.ticketNumber as string;
    expect((await asPerson(quinnSession, 'GET', `/tickets/${ticket}`)).status).toBe(200);

    const changed = await admin('PATCH', `/contracts/${first}`, { authorizedContacts: [] });
    expect([changed.status, changed.body.authorizedContacts]).toEqual([200, []]);

    // Pia is on no other contract of the company: her account is disabled and her browser signed out.
    const piaAccount = await userOf(pia.email);
    expect(piaAccount.disabled_at).toEqual(expect.any(Date));
    expect(await sessionsOf(piaAccount.id)).toBe(0);
    expect((await asPerson(piaSession, 'GET', `/tickets/${ticket}`)).status).toBe(401);
    // Quinn still is, on the second contract: nothing changes for him.
    expect((await userOf(quinn.email)).disabled_at).toBeNull();
    expect((await asPerson(quinnSession, 'GET', `/tickets/${ticket}`)).status).toBe(200);

    // What Pia did stays hers: the opening names her account.
    const seen = await stack.call('GET', `/tickets/${ticket}`);
    expect(seen.body.events[0]).toMatchObject({
      type: 'opened',
      by: pia.name,
      actorId: `user:${piaAccount.id}`,
      channel: 'web',
    });
    const listed = await admin('GET', `/users?customer=${customerId}`);
    expect(listed.body.users).toContainEqual(
      expect.objectContaining({ email: pia.email, disabledAt: expect.any(String) }),
    );
  });

  it('takes Quinn away once the last contract naming him drops him, and gives Pia back her account when a contract names her again', async () => {
    await admin('PATCH', `/contracts/${second}`, { authorizedContacts: [] });
    expect((await userOf(quinn.email)).disabled_at).toEqual(expect.any(Date));

    const again = await admin('PATCH', `/contracts/${second}`, { authorizedContacts: [pia] });
    expect(again.status).toBe(200);
    expect((await userOf(pia.email)).disabled_at).toBeNull();
    expect((await asPerson(await signIn(pia.email), 'GET', `/tickets/${ticket}`)).status).toBe(200);
    // Quinn, whom no contract names, stays out.
    expect((await userOf(quinn.email)).disabled_at).toEqual(expect.any(Date));
  });

  it('leaves alone a person an admin disabled, whom a contract names again', async () => {
    const { id } = await userOf(quinn.email);
    await admin('POST', `/users/${id}/enable`);
    await admin('POST', `/users/${id}/disable`);
    await admin('PATCH', `/contracts/${second}`, { authorizedContacts: [pia, quinn] });
    expect((await userOf(quinn.email)).disabled_at).toEqual(expect.any(Date));
  });

  it("changes nothing when a contacts' change fails midway, and changes them once when sent again", async () => {
    // The change fails at its last write: the contract's list saved and Uma's account made, then Sol's disabling refused.
    const marker = `undone-${unique}`;
    const sol = { name: 'Sol Stays', email: `sol.${marker}@removal.test` };
    const uma = { name: 'Uma Next', email: `uma.${unique}@removal.test` };
    const made = await admin('POST', `/customers/${customerId}/contracts`, {
      policyId: 'econnect',
      startsOn: contractsStartOn(),
      authorizedContacts: [sol],
    });
    const contract = `/contracts/${made.body.id as string}`;
    const { id: solId } = await userOf(sol.email);
    await signIn(sol.email);
    const accountsOfUma = async () =>
      (await stack.db.query('SELECT id FROM users WHERE email = $1', [uma.email])).rows.length;
    const change = () => admin('PATCH', contract, { authorizedContacts: [uma] });

    await refusingWrites(stack.db, 'users', 'UPDATE', 'email', marker, async () => {
      expect((await change()).status).toBe(500);
    });
    expect((await admin('GET', contract)).body.authorizedContacts).toEqual([sol]);
    expect(await accountsOfUma()).toBe(0);
    expect((await userOf(sol.email)).disabled_at).toBeNull();
    expect(await sessionsOf(solId)).toBe(1);

    const changed = await change();
    expect([changed.status, changed.body.authorizedContacts]).toEqual([200, [uma]]);
    expect(await accountsOfUma()).toBe(1);
    expect((await userOf(sol.email)).disabled_at).toEqual(expect.any(Date));
    expect(await sessionsOf(solId)).toBe(0);
  });
});
