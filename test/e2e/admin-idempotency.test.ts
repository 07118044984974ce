import { randomUUID } from 'node:crypto';
import { storedKeyOf } from '../../api/idempotent-creations';
import { RETRY_AFTER_SECONDS } from '../../api/problems';
import { keyLockOf } from '../../db/idempotency';
import { pgSessionStore } from '../../db/sessions';
import { pgUserStore } from '../../db/users';
import { startOutboxDispatcher, type OutboxDispatcher } from '../../mail/dispatcher';
import { MailCapture } from '../support/e2e/mail';
import { refusingWrites } from '../support/e2e/refusing-writes';
import { contractsStartOn, eventually, startStack, type Stack } from '../support/e2e/stack';

jest.setTimeout(180_000);

// The admin API's creations under an Idempotency-Key (api/idempotent-creations.ts) on PostgreSQL: the key's records,
// its advisory lock holding a twin sent in the same instant, and an API key's token sealed in its record; the links
// mailed to a person, over real SMTP.
describe('Idempotency-Key on the admin creations, on PostgreSQL', () => {
  let stack: Stack;
  let mail: MailCapture;
  let dispatcher: OutboxDispatcher;
  const unique = randomUUID().slice(0, 8);
  const customerId = `idem-${unique}`;
  const post = (path: string, body: unknown, key: string) =>
    fetch(`${stack.baseUrl}/admin${path}`, {
      method: 'POST',
      headers: { ...stack.auth('admin'), 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(body),
    }).then(async (response) => ({
      status: response.status,
      replayed: response.headers.get('idempotent-replayed'),
      location: response.headers.get('location'),
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, any>,
    }));
  const withoutRequestId = ({ requestId: _own, ...body }: Record<string, any>) => body;
  /**
   * One of twins sent at once. A twin waits for the first to be answered, but KEY_WAIT_MS (db/idempotency.ts) at most:
   * on a loaded machine it may be let go with 409 and Retry-After (the request-in-progress answer the held-key tests
   * below show), and sent again then, as the answer asks, it gets the first one's answer.
   */
  const twin = async <A extends { status: number; retryAfter: string | null }>(send: () => Promise<A>): Promise<A> => {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await send();
      if (answer.status !== 409 || answer.retryAfter === null || attempt === 10) return answer;
      await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter) * 1_000));
    }
  };
  // What a new key is tried on: a list of the stack's own customer, whose rows are this file's. Unfiltered, the list
  // holds every e2e file's tickets of the shared database, and a row another file wrote by hand once made it a 500.
  const ownTickets = () => `/tickets?customer=${stack.customerId}&limit=1`;
  /** A contract of the customer's for one contact, whose address holds `marker`. */
  const contractFor = (name: string, marker: string) => {
    const email = `${marker}@idem.test`;
    return {
      email,
      contract: { policyId: 'econnect', startsOn: contractsStartOn(), authorizedContacts: [{ name, email }] },
    };
  };
  /** The customer's contracts naming this contact, and the accounts of that address. */
  const contractsNaming = async (email: string) =>
    (await stack.accounts.listContracts(customerId)).filter(({ authorizedContacts }) =>
      authorizedContacts.some((contact) => contact.email === email),
    );
  const accountsOf = async (email: string) =>
    (await stack.db.query('SELECT id FROM users WHERE email = $1', [email])).rows.length;
  beforeAll(async () => {
    stack = await startStack('admin-idempotency');
    mail = await MailCapture.start();
    // No lanes: only the rows a test hands to deliverNow leave from here, never other tests' rows of the shared database.
    dispatcher = startOutboxDispatcher({
      db: stack.db,
      smtpUrl: mail.smtpUrl,
      from: 'Desk <desk@idem.test>',
      lanes: 0,
    });
  });
  afterAll(async () => {
    await dispatcher?.stop();
    await mail?.stop();
    await stack?.stop();
  });

  /** Every mail queued in the outbox for the address, sent over SMTP; what reached the server for it. */
  const mailedTo = async (email: string) => {
    const rows = async () =>
      (
        await stack.db.query<{ idempotency_key: string; sent_at: Date | null }>(
          'SELECT idempotency_key, sent_at FROM outbox WHERE recipient = $1',
          [email],
        )
      ).rows;
    await dispatcher.deliverNow(
      stack.db,
      (await rows()).map(({ idempotency_key: key }) => key),
    );
    await eventually(rows, (queued) => queued.every(({ sent_at: sentAt }) => sentAt !== null));
    return (await mail.messages()).filter(({ To }) => To.some(({ Address }) => Address === email));
  };

  it('answers a retried customer, contract and person with the first answer, and creates each once', async () => {
    const customer = { id: customerId, name: 'Idem SA', language: 'fr' };
    const first = await post('/customers', customer, `customer-${unique}`);
    const again = await post('/customers', customer, `customer-${unique}`);
    expect([first.status, first.replayed, again.status, again.replayed, again.location]).toEqual([
      201,
      null,
      201,
      'true',
      `/v1/admin/customers/${customerId}`,
    ]);
    expect(again.body).toEqual(first.body);

    const contract = {
      policyId: 'econnect',
      startsOn: contractsStartOn(),
      authorizedContacts: [{ name: 'Iris Idem', email: `iris.${unique}@idem.test` }],
    };
    const contracts = await Promise.all(
      [1, 2, 3].map(() => twin(() => post(`/customers/${customerId}/contracts`, contract, `contract-${unique}`))),
    );
    expect(contracts.map(({ status }) => status)).toEqual([201, 201, 201]);
    expect(new Set(contracts.map(({ body }) => body.id)).size).toBe(1);
    expect(contracts.filter(({ replayed }) => replayed === 'true')).toHaveLength(2);
    expect(await stack.accounts.listContracts(customerId)).toHaveLength(1);

    const person = { email: `olga.${unique}@desk.test`, name: 'Olga Agent', role: 'agent' };
    const people = await Promise.all([1, 2].map(() => twin(() => post('/users', person, `person-${unique}`))));
    expect(people.map(({ status }) => status)).toEqual([201, 201]);
    expect(people[1]!.body).toEqual(people[0]!.body);
    expect((await stack.db.query('SELECT id FROM users WHERE email = $1', [person.email])).rows).toHaveLength(1);
  });

  it('refuses the same key with another body, 422 naming the header, and changes nothing', async () => {
    const refused = await post('/customers', { id: `${customerId}-2`, name: 'Other SA' }, `customer-${unique}`);
    expect([refused.status, refused.body.type, refused.body.errors[0].field]).toEqual([
      422,
      expect.stringMatching(/idempotency-key-reused/),
      'headers.idempotency-key',
    ]);
    expect(await stack.accounts.getCustomer(`${customerId}-2`)).toBeUndefined();
  });

  it('lets a twin go when the key stays held, 409 request-in-progress with Retry-After, and creates nothing', async () => {
    // The twin still in flight is played by a connection of the test's holding the key's lock; it cannot end meanwhile.
    const key = `held-${unique}`;
    const customer = { id: `${customerId}-held`, name: 'Held SA' };
    const { keyId } = (await stack.accounts.authenticate(stack.tokens.admin))!;
    const lock = keyLockOf(keyId, storedKeyOf(key));
    const holder = await stack.db.connect();
    let waited: Awaited<ReturnType<typeof post>>;
    try {
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lock]);
      waited = await post('/customers', customer, key);
    } finally {
      await holder.query('SELECT pg_advisory_unlock_all()');
      holder.release();
    }
    expect([waited.status, waited.body.type, waited.retryAfter]).toEqual([
      409,
      expect.stringMatching(/request-in-progress$/),
      String(RETRY_AFTER_SECONDS),
    ]);
    expect(await stack.accounts.getCustomer(customer.id)).toBeUndefined();
    expect(
      (await stack.db.query('SELECT 1 FROM action_idempotency_keys WHERE key = $1', [storedKeyOf(key)])).rows,
    ).toEqual([]);

    // Once the key is let go, the same request is served, and once.
    const sent = await post('/customers', customer, key);
    const again = await post('/customers', customer, key);
    expect([sent.status, sent.replayed, again.status, again.replayed]).toEqual([201, null, 201, 'true']);
    expect((await stack.db.query('SELECT 1 FROM customers WHERE id = $1', [customer.id])).rows).toHaveLength(1);
  });

  it('answers a refusal again as it was: a duplicate customer stays a 409 under its key', async () => {
    const duplicate = { id: customerId, name: 'Again' };
    const first = await post('/customers', duplicate, `duplicate-${unique}`);
    const again = await post('/customers', duplicate, `duplicate-${unique}`);
    expect([first.status, again.status, again.replayed]).toEqual([409, 409, 'true']);
    expect(withoutRequestId(again.body)).toEqual(withoutRequestId(first.body));
  });

  it("gives a retried API key's token again, one key made, the token kept in the record only sealed", async () => {
    const body = { role: 'agent', label: `idem ${unique}` };
    const [first, again] = await Promise.all([
      twin(() => post('/api-keys', body, `key-${unique}`)),
      twin(() => post('/api-keys', body, `key-${unique}`)),
    ]);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body).toEqual(first.body);
    expect((await stack.accounts.listApiKeys()).filter(({ label }) => label === body.label)).toHaveLength(1);
    const works = await stack.call('GET', ownTickets(), undefined, { token: first.body.token as string });
    expect(works.status).toBe(200);

    const { rows } = await stack.db.query<{ key: string; answer_body: string }>(
      'SELECT key, answer_body FROM action_idempotency_keys WHERE answer_body LIKE $1',
      [`%idem ${unique}%`],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.key).not.toContain(`key-${unique}`);
    expect(rows[0]!.answer_body).not.toContain(first.body.token as string);
    expect(JSON.parse(rows[0]!.answer_body).token).toMatch(/^sealed:/);
  });

  it('creates once a contract whose first attempt died between the row and its recorded answer', async () => {
    // The attempt dies where a crash would hit hardest: the contract and its contact's account written, its answer not.
    const marker = `dies-${unique}`;
    const { email, contract } = contractFor('Dora Dies', marker);
    await refusingWrites(stack.db, 'action_idempotency_keys', 'UPDATE', 'answer_body', marker, async () => {
      const died = await post(`/customers/${customerId}/contracts`, contract, `dies-${unique}`);
      expect(died.status).toBe(500);
      // Nothing of it stayed: the contract, the account and the key's claim went with the answer.
      expect(await contractsNaming(email)).toEqual([]);
      expect(await accountsOf(email)).toBe(0);
    });
    const retried = await post(`/customers/${customerId}/contracts`, contract, `dies-${unique}`);
    const again = await post(`/customers/${customerId}/contracts`, contract, `dies-${unique}`);
    expect([retried.status, retried.replayed, again.status, again.replayed]).toEqual([201, null, 201, 'true']);
    expect(await contractsNaming(email)).toEqual([expect.objectContaining({ id: retried.body.id })]);
    expect(await accountsOf(email)).toBe(1);
  });

  it('leaves no contract behind when its contact account fails, sent without a key', async () => {
    // The creation fails midway: the contract written, then its contact's account refused.
    const marker = `half-${unique}`;
    const { email, contract } = contractFor('Hal Half', marker);
    const path = `/admin/customers/${customerId}/contracts`;
    await refusingWrites(stack.db, 'users', 'INSERT', 'email', marker, async () => {
      expect((await stack.call('POST', path, contract, 'admin')).status).toBe(500);
      expect(await contractsNaming(email)).toEqual([]);
    });
    const sent = await stack.call('POST', path, contract, 'admin');
    expect(sent.status).toBe(201);
    expect(await contractsNaming(email)).toEqual([expect.objectContaining({ id: sent.body.id })]);
    expect(await accountsOf(email)).toBe(1);
  });

  it('mails one link for a password reset posted twice with one key, and answers the second as the first', async () => {
    const person = await pgUserStore(stack.db).create({
      email: `rita.${unique}@idem.test`,
      name: 'Rita Reset',
      role: 'agent',
    });
    const send = () =>
      stack.call('POST', `/admin/users/${person.id}/password-reset`, undefined, 'admin', {
        'idempotency-key': `reset-${unique}`,
      });
    const first = await send();
    const again = await send();
    expect([first.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([202, 202, 'true']);
    expect(again.body).toEqual(first.body);
    expect((await mailedTo(person.email)).map(({ Subject }) => Subject)).toEqual([
      'Choose a new password for the Vigil support desk',
    ]);
  });

  // The console's admin forms (api/web/admin-pages.ts) carry a key drawn when the page shows them, sent as the
  // creation's Idempotency-Key: the same form posted twice, one after the other or at once, creates one thing.
  describe("the console's creation forms, posted twice", () => {
    let session: { id: string; csrfToken: string };
    let adminId: string;
    const consoleUrl = (path: string) => `${stack.baseUrl.replace(/\/v1$/, '')}/console/admin${path}`;
    const cookie = () => `vigil_session=${session.id}`;
    /** The form the page shows (the one posting to `action`, if given): its hidden fields, as the browser would send them back. */
    const shown = async (path: string, action?: string) => {
      const whole = await (await fetch(consoleUrl(path), { headers: { cookie: cookie() } })).text();
      const page = action
        ? (new RegExp(`action="/console/admin${action}"[^>]*>(.*?)</form>`).exec(whole)?.[1] ?? '')
        : whole;
      const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)?.[1];
      return { _csrf: hidden('_csrf')!, _key: hidden('_key')! };
    };
    const posted = (path: string, form: Record<string, string>) =>
      fetch(consoleUrl(path), {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      }).then(async (response) => ({
        status: response.status,
        location: response.headers.get('location'),
        retryAfter: response.headers.get('retry-after'),
        newKey: /vigil_new_key=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1],
        page: await response.text(),
      }));
    const count = async (sql: string, value: string) =>
      Number((await stack.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${sql}`, [value])).rows[0]!.n);
    const formCustomer = `form-${unique}`;

    beforeAll(async () => {
      const admin = await pgUserStore(stack.db).create({
        email: `ada.${unique}@idem.test`,
        name: 'Ada Admin',
        role: 'admin',
        language: 'en',
      });
      adminId = admin.id;
      session = await pgSessionStore(stack.db).create(admin.id, Date.now());
    });

    it('creates one customer from a form posted twice, and draws a new key when it shows the form again', async () => {
      const hidden = await shown('/customers/new');
      expect(hidden._key).toMatch(/^[0-9a-f-]{36}$/);
      const form = { ...hidden, id: formCustomer, name: 'Form SA', language: 'fr' };
      const first = await posted('/customers/new', form);
      const again = await posted('/customers/new', form);
      expect([first.status, first.location, again.status, again.location]).toEqual([
        303,
        `/console/admin/customers/${formCustomer}?done=saved`,
        303,
        `/console/admin/customers/${formCustomer}?done=saved`,
      ]);
      expect(await count('customers WHERE id = $1', formCustomer)).toBe(1);

      // A new form for the same customer is a new creation: refused as a duplicate, and shown again with a new key.
      const duplicate = await posted('/customers/new', {
        ...(await shown('/customers/new')),
        id: formCustomer,
        name: 'Again',
      });
      expect(duplicate.status).toBe(409);
      const redrawn = /name="_key" value="([^"]+)"/.exec(duplicate.page)?.[1];
      expect(redrawn).toMatch(/^[0-9a-f-]{36}$/);
      expect(redrawn).not.toBe(hidden._key);
    });

    it("tells a form whose twin holds its key to try later, keeping the form's key, and creates nothing", async () => {
      const hidden = await shown('/customers/new');
      const form = { ...hidden, id: `${formCustomer}-held`, name: 'Held Form SA', language: 'fr' };
      // A session's requests are its person's (api/sessions.ts): the twin holds the key under that caller.
      const lock = keyLockOf(`user-${adminId}`, storedKeyOf(hidden._key));
      const holder = await stack.db.connect();
      let waited: Awaited<ReturnType<typeof posted>>;
      try {
        await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [lock]);
        waited = await posted('/customers/new', form);
      } finally {
        await holder.query('SELECT pg_advisory_unlock_all()');
        holder.release();
      }
      // The later page, not the form shown again with a new key: sent again, the same form is the same request.
      expect([waited.status, waited.retryAfter, /name="_key"/.test(waited.page)]).toEqual([
        409,
        String(RETRY_AFTER_SECONDS),
        false,
      ]);
      expect(await count('customers WHERE id = $1', form.id)).toBe(0);
      expect((await posted('/customers/new', form)).status).toBe(303);
      expect(await count('customers WHERE id = $1', form.id)).toBe(1);
    });

    it('creates one contract, one person and one API key from forms posted at once', async () => {
      const contractForm = {
        ...(await shown(`/customers/${formCustomer}/contracts/new`)),
        policyId: 'econnect',
        startsOn: contractsStartOn(),
        authorizedContacts: `Fay Form <fay.${unique}@idem.test>`,
      };
      const contracts = await Promise.all(
        [1, 2, 3].map(() => twin(() => posted(`/customers/${formCustomer}/contracts/new`, contractForm))),
      );
      expect(contracts.map(({ status }) => status)).toEqual([303, 303, 303]);
      expect(new Set(contracts.map(({ location }) => location)).size).toBe(1);
      expect(contracts[0]!.location).toMatch(/^\/console\/admin\/contracts\/[1-9][0-9]*\?done=saved$/);
      expect(await count('contracts WHERE customer_id = $1', formCustomer)).toBe(1);
      expect(await count('users WHERE email = $1', `fay.${unique}@idem.test`)).toBe(1);

      const personForm = {
        ...(await shown('/users/new')),
        email: `gus.${unique}@idem.test`,
        name: 'Gus Agent',
        role: 'agent',
      };
      const people = await Promise.all([1, 2].map(() => twin(() => posted('/users/new', personForm))));
      expect(people.map(({ status }) => status)).toEqual([303, 303]);
      expect(people[1]!.location).toBe(people[0]!.location);
      expect(await count('users WHERE email = $1', personForm.email)).toBe(1);

      const keyForm = { ...(await shown('/api-keys')), role: 'agent', label: `form key ${unique}` };
      const keys = await Promise.all([1, 2].map(() => twin(() => posted('/api-keys', keyForm))));
      expect(keys.map(({ status }) => status)).toEqual([303, 303]);
      expect(keys[1]!.location).toBe(keys[0]!.location);
      expect(await count('api_keys WHERE label = $1', keyForm.label)).toBe(1);
      // Both answers carry the one key's token to the page that shows it once, and it works.
      expect(keys[1]!.newKey).toBe(keys[0]!.newKey);
      const works = await stack.call('GET', ownTickets(), undefined, {
        token: decodeURIComponent(keys[0]!.newKey!),
      });
      expect(works.status).toBe(200);
    });

    it("mails one sign-in link from a person's button pressed twice, and draws the button's key anew each time", async () => {
      const contact = await pgUserStore(stack.db).create({
        email: `lia.${unique}@idem.test`,
        name: 'Lia Link',
        role: 'customer',
        customerId: stack.customerId,
      });
      const path = `/users/${contact.id}/sign-in-link`;
      const button = await shown(`/users/${contact.id}`, path);
      expect(button._key).toMatch(/^[0-9a-f-]{36}$/);
      expect((await shown(`/users/${contact.id}`, path))._key).not.toBe(button._key);
      // A double click: the same button's form posted twice at once.
      const sent = await Promise.all([1, 2].map(() => twin(() => posted(path, button))));
      expect(sent.map(({ status }) => status)).toEqual([303, 303]);
      expect(sent[1]!.location).toBe(sent[0]!.location);
      expect(sent[0]!.location).toMatch(new RegExp(`^/console/admin/users/${contact.id}\\?sent=sign-in&`));
      expect((await mailedTo(contact.email)).map(({ Subject }) => Subject)).toEqual([
        'Your sign-in link to the Vigil support desk',
      ]);
    });

    it('creates two people from two forms: the key is the form, not the body', async () => {
      const person = { email: `hal.${unique}@idem.test`, name: 'Hal Agent', role: 'agent' };
      const first = await posted('/users/new', { ...(await shown('/users/new')), ...person });
      const second = await posted('/users/new', { ...(await shown('/users/new')), ...person });
      expect([first.status, second.status]).toEqual([303, 409]);
      expect(await count('users WHERE email = $1', person.email)).toBe(1);
    });
  });
});
