import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { runVigil } from '../../cli/run';
import { pgAccountStore } from '../../db/accounts';
import { pgSessionStore } from '../../db/sessions';
import { pgSignInTokenStore } from '../../db/sign-in-tokens';
import { pgUserStore } from '../../db/users';
import { refusingWrites } from '../support/e2e/refusing-writes';
import { e2eEnv, migratedPool } from '../support/e2e/stack';

// `vigil admin` on the real PostgreSQL, through the same entry as bin/vigil.js.
describe('vigil admin against PostgreSQL', () => {
  let db: Pool;
  const customer = `cli-${randomUUID().slice(0, 8)}`;
  const vigil = (...argv: string[]) => runVigil(['admin', ...argv], { DATABASE_URL: e2eEnv().databaseUrl });
  const json = async (...argv: string[]) => {
    const result = await vigil(...argv, '--json');
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    return JSON.parse(result.stdout);
  };

  beforeAll(async () => {
    db = await migratedPool();
  });

  afterAll(async () => {
    await db?.end();
  });

  it('adds and lists customers', async () => {
    expect(await vigil('customers', 'add', '--id', customer, '--name', 'CLI SA', '--language', 'fr')).toEqual({
      exitCode: 0,
      stdout: `added customer ${customer}: CLI SA (fr)\n`,
      stderr: '',
    });
    expect(await json('customers', 'list')).toContainEqual(
      expect.objectContaining({ id: customer, name: 'CLI SA', language: 'fr' }),
    );
    expect((await vigil('customers', 'list')).stdout).toContain(`${customer}\tCLI SA\tfr\n`);
  });

  it('refuses a duplicate customer naming the flag', async () => {
    expect(await vigil('customers', 'add', '--id', customer, '--name', 'Again')).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: `vigil: --id: a customer "${customer}" already exists\n`,
    });
  });

  it("sets a customer's time zone, refuses one luxon does not know naming the flag, and gives it back to the desk", async () => {
    expect(await json('customers', 'update', '--id', customer, '--time-zone', 'America/Montreal')).toMatchObject({
      id: customer,
      timeZone: 'America/Montreal',
    });
    expect(await vigil('customers', 'update', '--id', customer, '--time-zone', 'Mars/Olympus_Mons')).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'vigil: --time-zone: must be an IANA time zone such as Europe/Luxembourg (got "Mars/Olympus_Mons")\n',
    });
    expect((await json('customers', 'update', '--id', customer, '--time-zone', 'desk')).timeZone).toBeUndefined();
  });

  it('adds a contract with repeated contacts, and lists it', async () => {
    const contract = await json(
      'contracts',
      'add',
      '--customer',
      customer,
      '--policy',
      'care-solutions',
      '--version',
      '1',
      '--tier',
      'Gold',
      '--starts',
      '2026-01-01',
      '--ends',
      '2026-12-31',
      '--invoicing',
      'monthly',
      '--authorized-contact',
      'Ana Lopes <ana@cli.lu>,out-of-hours',
      '--authorized-contact',
      'Bo Weber <bo@cli.lu>',
      '--escalation-contact',
      'customer-service-manager:Cleo Marx <cleo@cli.lu>',
    );
    expect(contract).toMatchObject({
      customerId: customer,
      policyId: 'care-solutions',
      policyVersion: 1,
      tier: 'Gold',
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      invoicingFrequency: 'monthly',
      authorizedContacts: [
        { name: 'Ana Lopes', email: 'ana@cli.lu', outOfHours: true },
        { name: 'Bo Weber', email: 'bo@cli.lu' },
      ],
      escalationContacts: [{ level: 'customer-service-manager', name: 'Cleo Marx', email: 'cleo@cli.lu' }],
    });
    expect(await json('contracts', 'list', '--customer', customer)).toEqual([contract]);
    expect((await vigil('contracts', 'list', '--customer', customer)).stdout).toBe(
      `${contract.id}\t${customer}\tcare-solutions v1\t2026-01-01..2026-12-31\tGold\tmonthly\t2 authorized, 1 escalation contacts\n`,
    );
  });

  it("saves no contract whose contact's account cannot be written, says so in one line, and saves it once when run again", async () => {
    const marker = `half-${randomUUID().slice(0, 8)}`;
    const company = `cli-${marker}`;
    const email = `hal.${marker}@cli.lu`;
    await json('customers', 'add', '--id', company, '--name', 'Half SA');
    const add = () =>
      vigil(
        ...['contracts', 'add', '--customer', company, '--policy', 'econnect', '--starts', '2026-01-01'],
        ...['--authorized-contact', `Hal Half <${email}>`, '--json'],
      );
    const accountsOfHal = async () => (await db.query('SELECT id FROM users WHERE email = $1', [email])).rows.length;

    // The contract written, then its contact's account refused, as a failure between the two would.
    await refusingWrites(db, 'users', 'INSERT', 'email', marker, async () => {
      expect(await add()).toEqual({
        exitCode: 1,
        stdout: '',
        stderr:
          'vigil: the database refused the command, so nothing of it was saved: refused by the test at users.email\n',
      });
    });
    expect(await pgAccountStore(db).listContracts(company)).toEqual([]);
    expect(await accountsOfHal()).toBe(0);

    const added = await add();
    expect(added).toMatchObject({ exitCode: 0, stderr: '' });
    expect(await pgAccountStore(db).listContracts(company)).toEqual([JSON.parse(added.stdout)]);
    expect(await accountsOfHal()).toBe(1);
  });

  it.each([
    [['--policy', 'nope', '--starts', '2026-01-01'], /^vigil: --policy: unknown policy "nope"/],
    [
      ['--policy', 'econnect', '--version', '4', '--starts', '2026-01-01'],
      /^vigil: --version: policy "econnect" has no version 4/,
    ],
    [['--policy', 'econnect', '--starts', '2026-02-30'], /^vigil: --starts: must be a date YYYY-MM-DD/],
    [['--policy', 'econnect', '--starts', '2026-02-01', '--ends', '2026-01-31'], /^vigil: --ends: the contract ends/],
    [
      [
        '--policy',
        'econnect',
        '--starts',
        '2026-01-01',
        '--authorized-contact',
        'A <a@cli.lu>',
        '--authorized-contact',
        'B <b@cli>',
      ],
      /^vigil: --authorized-contact #2: "b@cli" is not an e-mail address/,
    ],
  ])('refuses a contract with %j naming the flag', async (flags, message) => {
    const result = await vigil('contracts', 'add', '--customer', customer, ...flags);
    expect(result).toEqual({ exitCode: 2, stdout: '', stderr: expect.stringMatching(message) });
  });

  it('creates a key whose token works, lists it without the token, and revokes it', async () => {
    const created = await vigil(
      'keys',
      'create',
      '--role',
      'customer',
      '--customer',
      customer,
      '--label',
      'cli portal',
    );
    const [, id, token] = /^created key (\S+)\t.*\ntoken: (vgl_\S+)\n/.exec(created.stdout) ?? [];
    expect(created.exitCode).toBe(0);
    const accounts = pgAccountStore(db);
    expect(await accounts.authenticate(token!)).toEqual({
      keyId: id,
      role: 'customer',
      customerId: customer,
      label: 'cli portal',
    });

    const listed = await vigil('keys', 'list');
    expect(listed.stdout).toContain(`${id}\tcustomer\t${customer}\tcli portal\tactive\n`);
    // The secret is what follows vgl_<id>_, and base64url may itself hold underscores.
    expect(listed.stdout).not.toContain(token!.split('_').slice(2).join('_'));

    expect(await json('keys', 'revoke', id!)).toMatchObject({ id, revokedAt: expect.any(String) });
    expect(await accounts.authenticate(token!)).toBeUndefined();
    expect(await vigil('keys', 'revoke', 'nope')).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'vigil: no API key "nope"\n',
    });
  });

  it('refuses a customer key without its customer, naming the flag', async () => {
    expect(await vigil('keys', 'create', '--role', 'customer', '--label', 'x')).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'vigil: --customer: a customer key needs the customer it acts for\n',
    });
  });

  it('records prepaid hours bought once per key, and shows the balance after a ticket drew on them', async () => {
    const prepaidCustomer = `prepaid-${randomUUID().slice(0, 8)}`;
    await json('customers', 'add', '--id', prepaidCustomer, '--name', 'Prepaid SA');
    const contract = await json(
      'contracts',
      'add',
      '--customer',
      prepaidCustomer,
      '--policy',
      'econnect-maintenance',
      '--starts',
      '2026-01-01',
    );
    const buy = () =>
      json(
        'prepaid',
        'buy',
        '--contract',
        contract.id,
        '--minutes',
        '2400',
        '--description',
        '40 h for 2026',
        '--key',
        'order-17',
      );
    await buy();
    await db.query(
      "INSERT INTO prepaid_movements (contract_id, minutes, idempotency_key, ticket_number, description) VALUES ($1, -95, $2, 'VIG-000001', 'VIG-000001: printer')",
      [contract.id, `draw-${contract.id}`],
    );
    const account = await buy();
    expect(account).toMatchObject({
      contractId: contract.id,
      boughtMinutes: 2400,
      usedMinutes: 95,
      balanceMinutes: 2305,
    });
    const shown = await vigil('prepaid', 'show', '--contract', contract.id);
    const [summary, bought, drawn, ...rest] = shown.stdout.split('\n');
    // The years as the server recorded them, in the desk's zone: the desk's year begins an hour before UTC's, the zone
    // of this machine's clock.
    const [purchase, draw] = account.movements as Array<{ year: number }>;
    const year = account.balanceYear as number;
    expect([summary, rest]).toEqual([
      `contract ${contract.id}: 2400 min bought, 95 used, 0 expired, 2305 left for ${year} (expire after ${year}-12-31)`,
      [''],
    ]);
    expect(bought!.split('\t').slice(1)).toEqual(['+2400', '-', '40 h for 2026', `purchase ${purchase!.year}`, '-']);
    expect(drawn!.split('\t').slice(1)).toEqual([
      '-95',
      'VIG-000001',
      'VIG-000001: printer',
      `draw ${draw!.year}`,
      '-',
    ]);
    expect(await vigil('prepaid', 'show', '--contract', '999999999')).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'vigil: --contract: no contract "999999999"\n',
    });
    expect(
      (await vigil('prepaid', 'buy', '--contract', contract.id, '--minutes', '0', '--description', 'x')).stderr,
    ).toMatch(/--minutes: "0" is not a whole number/);
  });

  describe('vigil admin users', () => {
    const unique = randomUUID().slice(0, 8);
    const people = `people-${unique}`;
    const env = { DATABASE_URL: e2eEnv().databaseUrl, VIGIL_PUBLIC_URL: 'https://desk.example.test' };
    const users = (...argv: string[]) => runVigil(['admin', 'users', ...argv], env);
    const usersJson = async (...argv: string[]) => {
      const result = await users(...argv, '--json');
      expect(result).toMatchObject({ exitCode: 0, stderr: '' });
      return JSON.parse(result.stdout);
    };
    /** The mails queued for the address, oldest first, as the worker's dispatcher will send them. */
    const mailsTo = async (email: string) =>
      (
        await db.query<{ kind: string; subject: string; body: string }>(
          'SELECT kind, subject, body FROM outbox WHERE recipient = $1 ORDER BY id',
          [email],
        )
      ).rows;
    const tokenIn = (body: string, path: string) =>
      // The link carries the language its mail is worded in (api/web/sign-in-mail.ts linkUrl).
      new RegExp(`https://desk\\.example\\.test${path}/([A-Za-z0-9_-]{43})\\?lang=(?:en|fr)\\n`).exec(body)?.[1];
    const ines = `ines.${unique}@desk.test`;
    const nora = `nora.${unique}@people.test`;

    beforeAll(async () => {
      await json('customers', 'add', '--id', people, '--name', 'People SA', '--language', 'fr');
    });

    it("changes a person's name, role, company and language, by id or address, as PATCH does", async () => {
      const added = await usersJson('add', '--email', ines, '--name', 'Ines', '--role', 'agent');
      expect(await usersJson('update', added.id, '--name', 'Ines Agent', '--language', 'fr')).toMatchObject({
        id: added.id,
        name: 'Ines Agent',
        role: 'agent',
        language: 'fr',
      });
      // By address, in another case; `-` takes the language away.
      expect(
        await usersJson('update', ines.toUpperCase(), '--role', 'customer', '--customer', people, '--language', '-'),
      ).toEqual(expect.objectContaining({ id: added.id, role: 'customer', customerId: people }));
      expect((await pgUserStore(db).get(added.id))?.language).toBeUndefined();
      // A staff role given alone takes the company away, as the API's patch does.
      const staff = await users('update', added.id, '--role', 'manager');
      expect(staff).toMatchObject({ exitCode: 0, stderr: '' });
      expect(staff.stdout).toBe(`${added.id}\t${ines}\tInes Agent\tmanager\t-\tno password\tactive\n`);
    });

    it.each([
      [['update', 'nobody@people.test', '--name', 'X'], 'vigil: no user "nobody@people.test"\n'],
      [['update', '999999999', '--name', 'X'], 'vigil: no user "999999999"\n'],
      [['update'], 'vigil: users update needs exactly one user: an id or an e-mail address\n'],
      [['enable', 'a', 'b'], 'vigil: users enable needs exactly one user: an id or an e-mail address\n'],
      [['update', '1'], 'vigil: users update needs at least one of --name, --role, --customer, --language\n'],
      [['update', '1', '--role', 'boss'], 'vigil: --role: "boss" is not one of admin, agent, manager, customer\n'],
      [['update', '1', '--email', 'x@y.test'], 'vigil: --email does not apply to admin users update\n'],
      [['enable', '1', '--name', 'X'], 'vigil: --name does not apply to admin users enable\n'],
      [
        ['password-reset', '1', '--password-stdin'],
        'vigil: --password-stdin does not apply to admin users password-reset\n',
      ],
      [
        ['rename', '1'],
        'vigil: users needs a command: add, list, update, disable, enable, password-reset or sign-in-link (not "rename")\n',
      ],
    ])('refuses %j in one line naming what is wrong', async (argv, stderr) => {
      expect(await users(...argv)).toEqual({ exitCode: 2, stdout: '', stderr });
    });

    it('refuses what the store refuses, naming the flag', async () => {
      const { id } = (await pgUserStore(db).findByEmails([ines]))[0]!;
      expect(await users('update', id, '--role', 'customer')).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: "vigil: --customer: a customer's contact names its customer\n",
      });
      expect(await users('update', id, '--role', 'customer', '--customer', `nope-${unique}`)).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: `vigil: --customer: no customer "nope-${unique}"\n`,
      });
    });

    it('disables, ending every session, and enables again', async () => {
      const { id } = (await pgUserStore(db).findByEmails([ines]))[0]!;
      const sessions = pgSessionStore(db);
      const session = await sessions.create(id, Date.now());
      const disabled = await usersJson('disable', ines);
      expect(disabled).toMatchObject({ id, disabledAt: expect.any(String) });
      expect(await sessions.resolve(session.id, Date.now())).toBeUndefined();
      const enabled = await usersJson('enable', id);
      expect(enabled.disabledAt).toBeUndefined();
      expect((await users('enable', id)).stdout).toMatch(/\tactive\n$/);
    });

    it('queues a password reset mail in the outbox, whose link works, and never prints the link', async () => {
      const { id } = (await pgUserStore(db).findByEmails([ines]))[0]!;
      const result = await users('password-reset', ines);
      expect(result).toMatchObject({ exitCode: 0, stderr: '' });
      expect(result.stdout).toMatch(
        new RegExp(
          `^queued a password reset link for ${ines.replace(/\./g, '\\.')} \\(user ${id}\\) in the outbox, valid until \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\n$`,
        ),
      );
      const [mail, ...more] = await mailsTo(ines);
      expect(more).toEqual([]);
      // The console's own reset mail, in the person's language (set to French above, then taken away: English).
      expect(mail).toMatchObject({
        kind: 'console-password-reset',
        subject: 'Choose a new password for the Vigil support desk',
      });
      const token = tokenIn(mail!.body, '/console/reset');
      expect(token).toBeDefined();
      expect(result.stdout).not.toContain(token!);
      expect(await pgSignInTokenStore(db).spend(token!, 'reset', Date.now())).toBe(id);
      // --json says the same: where it went and until when, never the link.
      const sent = await usersJson('password-reset', id);
      expect(Object.keys(sent).sort()).toEqual(['expiresAt', 'sentTo', 'userId']);
      expect(sent).toMatchObject({ userId: id, sentTo: ines });
      expect(await mailsTo(ines)).toHaveLength(2);
    });

    it("mails a customer's contact a sign-in link in the customer's language, and refuses staff and disabled people", async () => {
      const contact = await usersJson(
        'add',
        '--email',
        nora,
        '--name',
        'Nora',
        '--role',
        'customer',
        '--customer',
        people,
      );
      const sent = await usersJson('sign-in-link', nora);
      expect(sent).toMatchObject({ userId: contact.id, sentTo: nora });
      const [mail] = await mailsTo(nora);
      expect(mail).toMatchObject({ kind: 'console-sign-in-link', subject: 'Votre lien de connexion au support Vigil' });
      const token = tokenIn(mail!.body, '/console/link');
      expect(mail!.body).toContain(`/console/link/${token}?lang=fr\n`);
      expect(await pgSignInTokenStore(db).isLive(token!, 'sign-in', Date.now())).toBe(true);

      const { id: staffId } = (await pgUserStore(db).findByEmails([ines]))[0]!;
      expect(await users('sign-in-link', ines)).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: `vigil: user ${staffId} is a manager: staff sign in with a password (send a password reset)\n`,
      });
      await usersJson('disable', contact.id);
      expect(await users('sign-in-link', contact.id)).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: `vigil: user ${contact.id} is disabled: enable them before sending a link\n`,
      });
      expect(await users('password-reset', nora)).toMatchObject({ exitCode: 2 });
      expect(await mailsTo(nora)).toHaveLength(1);
    });
  });

  describe('vigil admin contracts contacts', () => {
    const unique = randomUUID().slice(0, 8);
    const company = `contacts-${unique}`;
    const pia = `pia.${unique}@contacts.test`;
    const quinn = `quinn.${unique}@contacts.test`;
    const rosa = `rosa.${unique}@contacts.test`;
    let first: string;
    let second: string;
    const accountOf = async (email: string) => (await pgUserStore(db).findByEmails([email]))[0]!;
    const contract = async (...contacts: string[]) =>
      (
        await json(
          'contracts',
          'add',
          '--customer',
          company,
          '--policy',
          'care-solutions',
          '--starts',
          '2026-01-01',
          ...contacts.flatMap((contact) => ['--authorized-contact', contact]),
        )
      ).id as string;

    beforeAll(async () => {
      await json('customers', 'add', '--id', company, '--name', 'Contacts SA');
      first = await contract(`Pia Prior <${pia}>`, `Quinn Quill <${quinn}>`);
      second = await contract(`Quinn Quill <${quinn}>`);
    });

    it('replaces the authorized contacts as the admin API does: new ones get accounts, dropped ones no other contract names are disabled and signed out', async () => {
      const sessions = pgSessionStore(db);
      const piaSession = await sessions.create((await accountOf(pia)).id, Date.now());
      const quinnSession = await sessions.create((await accountOf(quinn)).id, Date.now());
      const changed = await vigil(
        'contracts',
        'contacts',
        first,
        '--authorized-contact',
        `Rosa Roth <${rosa}>,out-of-hours`,
      );
      expect(changed).toEqual({
        exitCode: 0,
        stdout:
          `changed contract ${first}\t${company}\tcare-solutions (version in force)\t2026-01-01..\t-\tquarterly\t1 authorized, 0 escalation contacts\n` +
          `contact accounts added (sign in by a link): ${rosa}\n` +
          `contact accounts disabled and signed out (no contract of the customer names them): ${pia}\n`,
        stderr: '',
      });
      expect(await accountOf(rosa)).toMatchObject({ role: 'customer', customerId: company, hasPassword: false });
      expect((await accountOf(pia)).disabledAt).toEqual(expect.any(String));
      expect(await sessions.resolve(piaSession.id, Date.now())).toBeUndefined();
      // The second contract still names Quinn: nothing changes for him.
      expect((await accountOf(quinn)).disabledAt).toBeUndefined();
      expect(await sessions.resolve(quinnSession.id, Date.now())).toBeDefined();
      expect((await pgAccountStore(db).getContract(first))?.authorizedContacts).toEqual([
        { name: 'Rosa Roth', email: rosa, outOfHours: true },
      ]);
    });

    it('empties a list with --no-..., leaves the list not named as it is, and gives back the account of a contact named again', async () => {
      const emptied = await json('contracts', 'contacts', second, '--no-authorized-contacts');
      expect(emptied).toMatchObject({
        contract: { id: second, authorizedContacts: [] },
        added: [],
        disabled: [expect.objectContaining({ email: quinn, disabledAt: expect.any(String) })],
      });
      const escalated = await json(
        'contracts',
        'contacts',
        first,
        '--escalation-contact',
        `customer-service-manager:Cleo Marx <cleo.${unique}@contacts.test>`,
      );
      expect(escalated.contract).toMatchObject({
        authorizedContacts: [{ email: rosa }],
        escalationContacts: [{ level: 'customer-service-manager', email: `cleo.${unique}@contacts.test` }],
      });
      await json('contracts', 'contacts', second, '--authorized-contact', `Pia Prior <${pia}>`);
      expect((await accountOf(pia)).disabledAt).toBeUndefined();
    });

    it('refuses, changing nothing, an address that signs in for the desk, naming the flag and its rank', async () => {
      const staff = `desk.${unique}@desk.test`;
      await pgUserStore(db).create({ email: staff, name: 'Desk Agent', role: 'agent' });
      expect(
        await vigil(
          'contracts',
          'contacts',
          first,
          '--authorized-contact',
          `R <${rosa}>`,
          '--authorized-contact',
          `D <${staff}>`,
        ),
      ).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: `vigil: --authorized-contact #2: ${staff} already signs in as the desk's agent Desk Agent: a person signs in for one company only, so this contact needs an address of their own\n`,
      });
      expect((await pgAccountStore(db).getContract(first))?.authorizedContacts).toEqual([
        { name: 'Rosa Roth', email: rosa, outOfHours: true },
      ]);
    });

    it.each([
      [['999999999', '--no-escalation-contacts'], /^vigil: no contract "999999999"\n$/],
      [[], /^vigil: contracts contacts needs exactly one contract id\n$/],
      [
        ['999999999'],
        /^vigil: contracts contacts needs --authorized-contact, --escalation-contact, --no-authorized-contacts or --no-escalation-contacts\n$/,
      ],
      [
        ['999999999', '--no-authorized-contacts', '--authorized-contact', 'A <a@b.lu>'],
        /^vigil: --no-authorized-contacts and --authorized-contact contradict each other\n$/,
      ],
      [['999999999', '--policy', 'econnect'], /^vigil: --policy does not apply to admin contracts contacts\n$/],
    ])('refuses %j in one line', async (argv, stderr) => {
      expect(await vigil('contracts', 'contacts', ...argv)).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: expect.stringMatching(stderr),
      });
    });

    it('refuses an address or an escalation level the store refuses, naming the flag and its rank', async () => {
      expect(await vigil('contracts', 'contacts', first, '--authorized-contact', 'A <a@b>')).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: 'vigil: --authorized-contact #1: "a@b" is not an e-mail address\n',
      });
      const result = await vigil(
        'contracts',
        'contacts',
        first,
        '--escalation-contact',
        'nobody:No One <no@contacts.test>',
      );
      expect(result).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: expect.stringMatching(/^vigil: --escalation-contact #1: /),
      });
    });

    it('keeps --no-authorized-contacts to its command', async () => {
      expect(await vigil('contracts', 'list', '--customer', company, '--no-authorized-contacts')).toEqual({
        exitCode: 2,
        stdout: '',
        stderr: 'vigil: --no-authorized-contacts does not apply to admin contracts list\n',
      });
    });
  });
});
