import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { createTransport } from 'nodemailer';
import careSolutions from '../../policies/presets/care-solutions.v1.json';
import { findUnsafeText } from '../../domain/text';
import { deskApi } from '../../mail/inbound/desk-api';
import { receiveMail, type InboundOptions } from '../../mail/inbound/process';
import { startSmtpListener, type SmtpListener } from '../../mail/inbound/smtp-listener';
import { customerWithContact as contactOf, inboundRows } from '../support/e2e/mail';
import { eventually, startStack, type Stack } from '../support/e2e/stack';
import { PAST, deskDateOf, pastAnswer, publishEffectiveSoon, untilPast } from '../support/effective-soon';

jest.setTimeout(90_000);

// Mail in: sent over a real SMTP connection (nodemailer) to the inbound listener, which acts through the
// API of a real stack (Temporal, PostgreSQL, worker). Each test writes from addresses of its own, so that the other
// e2e files' contracts (whose contact is ana@acme.lu) never make a sender ambiguous.
describe('mail in over real SMTP', () => {
  let stack: Stack;
  let listener: SmtpListener;
  let options: InboundOptions;
  const SUPPORT = 'support@desk.test';
  const URGENCE = 'urgence@desk.test';
  const MAX_BYTES = 64 * 1024;

  beforeAll(async () => {
    stack = await startStack('inbound');
    options = {
      db: stack.db,
      api: deskApi({ baseUrl: stack.baseUrl, token: stack.mailRelayToken }),
      supportAddresses: [SUPPORT],
      emergencyAddresses: [URGENCE],
      ownDomain: 'desk.test',
    };
    listener = await startSmtpListener({
      host: '127.0.0.1',
      port: 0,
      acceptedAddresses: [SUPPORT, URGENCE],
      maxBytes: MAX_BYTES,
      receive: (delivery) => receiveMail(options, delivery),
    });
  });

  afterAll(async () => {
    await listener?.close();
    await stack?.stop();
  });

  const smtp = (port = listener.port) => createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  type Mail = Parameters<ReturnType<typeof smtp>['sendMail']>[0];
  const send = (mail: Mail, port?: number) => smtp(port).sendMail({ to: SUPPORT, ...mail });

  const customerWithContact = (language: 'en' | 'fr' = 'en') => contactOf(stack.accounts, language);
  const rowsOf = (messageId: string) => inboundRows(stack.db, messageId);
  const answersTo = async (recipient: string) =>
    (
      await stack.db.query<{ kind: string; subject: string; body: string; ticket_number: string | null }>(
        'SELECT kind, subject, body, ticket_number FROM outbox WHERE recipient = $1 ORDER BY id',
        [recipient],
      )
    ).rows;
  const messageId = () => `<${randomUUID()}@client.test>`;

  it('a mail from a contact opens a ticket under its contract; the same Message-ID again opens no second one', async () => {
    const { customerId, email } = await customerWithContact();
    const id = messageId();
    const sent = await send({
      from: `Ana Lopes <${email}>`,
      subject: 'Imprimante hors ligne',
      text: 'Plus rien ne sort depuis ce matin.',
      messageId: id,
    });
    expect(sent.response).toMatch(/^250 .*received as #\d+ \(VIG-\d{6}\)/);
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ state: 'opened', reason: 'opened a ticket' });
    const ticket = await stack.call('GET', `/tickets/${row!.ticket_number}`);
    expect(ticket.body).toMatchObject({
      customerId,
      title: 'Imprimante hors ligne',
      description: 'Plus rien ne sort depuis ce matin.',
      contact: { email },
    });

    // An MTA's retry, or the same mail also read from the mailbox: one row, one ticket, and the answer says which.
    const again = await send({
      from: `Ana Lopes <${email}>`,
      subject: 'Imprimante hors ligne',
      text: 'Plus rien ne sort depuis ce matin.',
      messageId: id,
    });
    expect(again.response).toContain(`(${row!.ticket_number})`);
    expect(await rowsOf(id)).toHaveLength(1);
    const opened = await stack.db.query(
      "SELECT count(*)::int AS n FROM inbound_mail WHERE from_address = $1 AND state = 'opened'",
      [email],
    );
    expect(opened.rows[0].n).toBe(1);
  });

  it('a mail to the emergency address opens an emergency', async () => {
    const { email } = await customerWithContact();
    const id = messageId();
    await send({ from: email, to: URGENCE, subject: 'Serveur arrêté', text: 'Production à l’arrêt.', messageId: id });
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ state: 'opened', reason: 'opened an emergency ticket' });
    expect((await stack.call('GET', `/tickets/${row!.ticket_number}`)).body.channel).toBe('emergency');
  });

  it("a mail without a subject or text opens a ticket titled and described so in the customer's language", async () => {
    const { email } = await customerWithContact('fr');
    const id = messageId();
    await send({ from: email, text: '', messageId: id });
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ state: 'opened' });
    const ticket = (await stack.call('GET', `/tickets/${row!.ticket_number}`)).body;
    expect([ticket.title, ticket.description]).toEqual(['(sans objet)', '(sans texte)']);
  });

  it('a reply threads onto its ticket by In-Reply-To and resumes it when it waited on the customer', async () => {
    const { email } = await customerWithContact();
    const first = messageId();
    await send({ from: email, subject: 'VPN refuse la connexion', text: 'Erreur 809.', messageId: first });
    const ticketNumber = (await rowsOf(first))[0]!.ticket_number!;
    // The acknowledgement is queued when the ticket registers: the thread the reply answers.
    await eventually(
      () => answersTo(email),
      (rows) => rows.some((row) => row.kind === 'acknowledgement'),
    );
    expect((await stack.call('POST', `/tickets/${ticketNumber}/take-charge`, { agent: 'marc' })).status).toBe(200);
    expect(
      (
        await stack.call('POST', `/tickets/${ticketNumber}/wait-for-customer`, {
          agent: 'marc',
          question: 'Quel client VPN ?',
        })
      ).status,
    ).toBe(200);

    const reply = messageId();
    const root = `<${ticketNumber}.ticket@desk.test>`;
    await send({
      from: email,
      subject: 'Re: votre demande',
      text: 'FortiClient 7.2',
      messageId: reply,
      inReplyTo: root,
      references: [root],
    });
    expect((await rowsOf(reply))[0]).toMatchObject({
      state: 'threaded',
      ticket_number: ticketNumber,
      reason: expect.stringContaining('customer-reply'),
    });
    const ticket = await stack.call('GET', `/tickets/${ticketNumber}`);
    expect(ticket.body.status).toBe('support');
    // The audit trail: the mail's sender opened and replied, by e-mail; the agent's key took charge through the API,
    // whatever name its body gave.
    type Event = { type: string; by?: string; actorId?: string; channel?: string };
    const acts = (ticket.body.events as Event[]).filter((event) =>
      ['opened', 'taken-in-charge', 'customer-replied'].includes(event.type),
    );
    expect(acts.map(({ type, by, actorId, channel }) => ({ type, by, actorId, channel }))).toEqual([
      { type: 'opened', by: email, actorId: `contact:${email}`, channel: 'email' },
      {
        type: 'taken-in-charge',
        by: 'e2e inbound agent',
        actorId: expect.stringMatching(/^key:[0-9a-f]{12}$/),
        channel: 'api',
      },
      { type: 'customer-replied', by: email, actorId: `contact:${email}`, channel: 'email' },
    ]);

    // Another reply, by the subject's number alone, while the ticket is worked on: kept as a message of the ticket.
    const note = messageId();
    await send({
      from: email,
      subject: `Re: [${ticketNumber}] VPN`,
      text: 'Et le poste de Marc aussi.',
      messageId: note,
    });
    expect((await rowsOf(note))[0]).toMatchObject({
      state: 'threaded',
      ticket_number: ticketNumber,
      reason: 'kept as a message: the ticket is support',
    });
    const messages = await stack.call('GET', `/tickets/${ticketNumber}/messages`);
    expect(messages.body.messages.map((message: { text: string }) => message.text)).toEqual([
      'Erreur 809.',
      'FortiClient 7.2',
      'Et le poste de Marc aussi.',
    ]);
  });

  it("a reply without text resumes its ticket, recorded as such in the customer's language", async () => {
    const { email } = await customerWithContact('fr');
    const first = messageId();
    await send({ from: email, subject: 'Scanner muet', text: 'Plus de numérisation.', messageId: first });
    const ticketNumber = (await rowsOf(first))[0]!.ticket_number!;
    await eventually(
      () => answersTo(email),
      (rows) => rows.some((row) => row.kind === 'acknowledgement'),
    );
    expect((await stack.call('POST', `/tickets/${ticketNumber}/take-charge`, {})).status).toBe(200);
    expect(
      (await stack.call('POST', `/tickets/${ticketNumber}/wait-for-customer`, { question: 'Quel modèle ?' })).status,
    ).toBe(200);

    const reply = messageId();
    const root = `<${ticketNumber}.ticket@desk.test>`;
    await send({ from: email, subject: 'Re: votre demande', text: '', messageId: reply, inReplyTo: root });
    expect((await rowsOf(reply))[0]).toMatchObject({ state: 'threaded', ticket_number: ticketNumber });
    const ticket = (await stack.call('GET', `/tickets/${ticketNumber}`)).body;
    expect(ticket.status).toBe('support');
    const replied = (ticket.events as { type: string; note?: string }[]).find(
      (event) => event.type === 'customer-replied',
    );
    expect(replied?.note).toBe('(sans texte)');
  });

  it('"OK" by mail while the resolution awaits validation is not a validation: kept, and answered with how to validate, in French', async () => {
    const { email } = await customerWithContact('fr');
    const first = messageId();
    await send({ from: email, subject: 'Imprimante', text: 'Bourrage.', messageId: first });
    const ticketNumber = (await rowsOf(first))[0]!.ticket_number!;
    await eventually(
      () => answersTo(email),
      (rows) => rows.some((row) => row.kind === 'acknowledgement'),
    );
    expect((await stack.call('POST', `/tickets/${ticketNumber}/take-charge`, { agent: 'marc' })).status).toBe(200);
    expect(
      (
        await stack.call('POST', `/tickets/${ticketNumber}/propose-resolution`, {
          agent: 'marc',
          resolution: 'Rouleau changé.',
        })
      ).status,
    ).toBe(200);
    await eventually(
      () => stack.db.query('SELECT status FROM tickets WHERE number = $1', [ticketNumber]),
      (result) => result.rows[0]?.status === 'validation',
    );

    const ok = messageId();
    await send({
      from: `Ana Lopes <${email}>`,
      subject: `Re: [${ticketNumber}] Imprimante`,
      text: 'OK merci',
      messageId: ok,
    });
    expect((await rowsOf(ok))[0]).toMatchObject({
      state: 'threaded',
      reason: expect.stringContaining('not taken as a validation'),
    });
    const answer = (await answersTo(email)).find((row) => row.kind === 'inbound-not-a-validation');
    expect(answer).toMatchObject({
      ticket_number: ticketNumber,
      subject: `[${ticketNumber}] Votre message a été ajouté au ticket : Imprimante`,
    });
    // Greeted by the name the mail gives, not by the address; pointed to the ticket's page, and to the API.
    expect(answer!.body).toMatch(/^Bonjour Ana Lopes,\n/);
    expect(answer!.body).toContain(`/console/tickets/${ticketNumber}\n`);
    expect(answer!.body).toContain(`/v1/tickets/${ticketNumber}/validate`);
    expect((await stack.call('GET', `/tickets/${ticketNumber}`)).body.status).toBe('validation');
  });

  it('a reply to a ticket no longer open goes to triage, and its sender is told how to report a new problem', async () => {
    const { email } = await customerWithContact();
    const first = messageId();
    await send({ from: email, subject: 'Imprimante', text: 'Bourrage.', messageId: first });
    const ticketNumber = (await rowsOf(first))[0]!.ticket_number!;
    const cancelled = await stack.call('POST', `/tickets/${ticketNumber}/cancel`, { by: 'marc', reason: 'duplicate' });
    expect(cancelled.status).toBe(200);
    await eventually(
      () => stack.db.query('SELECT status FROM tickets WHERE number = $1', [ticketNumber]),
      (result) => result.rows[0]?.status === 'cancelled',
    );

    const reply = messageId();
    await send({
      from: `Ana Lopes <${email}>`,
      subject: `Re: [${ticketNumber}] Imprimante`,
      text: 'Encore !',
      messageId: reply,
    });
    expect((await rowsOf(reply))[0]).toMatchObject({
      state: 'triage',
      ticket_number: ticketNumber,
      reason: `replies to ticket ${ticketNumber}, which is cancelled`,
    });
    const answer = (await answersTo(email)).find((row) => row.kind === 'inbound-triage');
    expect(answer).toMatchObject({ ticket_number: ticketNumber });
    expect(answer!.body).toContain(`Ticket ${ticketNumber} is no longer open`);
    const triage = await stack.call('GET', '/admin/inbound?state=triage&limit=500', undefined, 'admin');
    expect(triage.body.mails.some((mail: { messageId?: string }) => mail.messageId === reply)).toBe(true);
  });

  it("a contact's mail out of office hours follows the contract's out-of-hours rule exactly as POST /v1/tickets does", async () => {
    // Care Solutions' terms (out of office hours, only the contacts the contract names may open an incident) under a
    // policy of this test's own, its office closed the day before, the day of and the day after the one it takes effect
    // on: out of hours at whatever hour this runs. It takes effect shortly after it is published (a second ahead,
    // further if the server found that already past), and the tickets are opened once that instant is past.
    const policyId = `care-closed-${randomUUID().slice(0, 8)}`;
    const { zone } = careSolutions.calendars.office;
    const { effectiveFrom } = await publishEffectiveSoon(async (at) => {
      const day = DateTime.fromMillis(at, { zone });
      const policy = {
        ...careSolutions,
        id: policyId,
        effectiveFrom: new Date(at).toISOString(),
        title: 'Care Solutions, office closed',
        calendars: {
          office: {
            ...careSolutions.calendars.office,
            closedDates: [-1, 0, 1].map((days) => day.plus({ days }).toISODate()!),
          },
        },
      };
      const published = pastAnswer(await stack.call('POST', '/admin/policies', policy, 'admin'));
      if (published !== PAST) expect(published.status).toBe(201);
      return published;
    });
    const customerId = `ooh-${randomUUID().slice(0, 8)}`;
    const named = `ana-${randomUUID().slice(0, 8)}@acme.lu`;
    const other = `bo-${randomUUID().slice(0, 8)}@acme.lu`;
    await stack.accounts.createCustomer({ id: customerId, name: 'Acme', language: 'fr' });
    await stack.accounts.createContract({
      customerId,
      policyId,
      // The day the policy takes effect: today's date may be the day before it, once midnight falls in between.
      startsOn: deskDateOf(effectiveFrom),
      authorizedContacts: [
        { name: 'Ana Lopes', email: named, outOfHours: true },
        { name: 'Bo Weber', email: other },
      ],
    });
    // A version is taken by tickets registered once it is in force.
    await untilPast(effectiveFrom);

    const byApi = async (name: string, email: string) => {
      const opened = await stack.call('POST', '/tickets', {
        customerId,
        title: 'Serveur arrêté',
        description: 'Plus rien ne répond.',
        contact: { name, email },
      });
      expect(opened.status).toBe(201);
      return opened.body;
    };
    const byMail = async (name: string, email: string) => {
      const id = messageId();
      await send({
        from: `${name} <${email}>`,
        subject: 'Serveur arrêté',
        text: 'Plus rien ne répond.',
        messageId: id,
      });
      const [row] = await rowsOf(id);
      expect(row).toMatchObject({ state: 'opened', ticket_number: expect.stringMatching(/^VIG-/) });
      return (await stack.call('GET', `/tickets/${row!.ticket_number}`)).body;
    };
    const terms = (ticket: Record<string, any>) => ({
      policyId: ticket.policyId,
      kind: ticket.kind,
      status: ticket.status,
      refusal: ticket.refusal?.reason,
    });

    // The contact the contract does not name for out of hours: refused, by mail as by the API, for the same reason.
    const [apiRefused, mailRefused] = [await byApi('Bo Weber', other), await byMail('Bo Weber', other)];
    expect(terms(apiRefused)).toEqual({
      policyId,
      kind: 'incident',
      status: 'refused',
      refusal: 'contact-not-authorized-out-of-hours',
    });
    expect(terms(mailRefused)).toEqual(terms(apiRefused));
    // And told so by mail, as the API's refusal is.
    const refusals = await eventually(
      () => answersTo(other),
      (rows) => rows.filter((row) => row.kind === 'refusal').length === 2,
    );
    expect(
      refusals
        .filter((row) => row.kind === 'refusal')
        .map((row) => row.ticket_number)
        .sort(),
    ).toEqual([apiRefused.ticketNumber, mailRefused.ticketNumber].sort());

    // The contact it names: registered by mail as by the API.
    const [apiOpened, mailOpened] = [await byApi('Ana Lopes', named), await byMail('Ana Lopes', named)];
    expect(apiOpened.status).not.toBe('refused');
    expect(terms(mailOpened)).toEqual(terms(apiOpened));
  });

  it('poison in a mail (encoded CR/LF and NUL, invalid UTF-8, a huge References header) opens a ticket with clean fields', async () => {
    const { email } = await customerWithContact();
    const id = messageId();
    const subject = `=?utf-8?q?Imprimante=0D=0ABcc:_victim@x.test=00?= =?utf-8?b?${Buffer.from([0xed, 0xa0, 0x80, 0x41]).toString('base64')}?=`;
    const raw = [
      `From: ${email}`,
      `To: ${SUPPORT}`,
      `Subject: ${subject}`,
      `Message-ID: ${id}`,
      `References: ${Array.from({ length: 2_000 }, (_, index) => `<${index}.junk@x.test>`).join(' ')}`,
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Ligne 1=00 et =0D seul',
      '',
    ].join('\r\n');
    await smtp().sendMail({ envelope: { from: email, to: [SUPPORT] }, raw });
    const [row] = await rowsOf(id);
    expect(row).toMatchObject({ state: 'opened' });
    const ticket = await stack.call('GET', `/tickets/${row!.ticket_number}`);
    expect(findUnsafeText(ticket.body.title as string, 'title')).toBeUndefined();
    expect(ticket.body.title).toContain('Imprimante Bcc: victim@x.test');
    expect(findUnsafeText(ticket.body.description as string, 'multiline')).toBeUndefined();
  });

  it('bidirectional controls, which the API refuses, are taken out of a mail: a subject of nothing else is the placeholder', async () => {
    const { email } = await customerWithContact();
    const spoofed = messageId();
    await send({
      from: email,
      subject: 'Facture \u202efdp.exe',
      text: 'Voir \u2066pièce\u2069 jointe.',
      messageId: spoofed,
    });
    const [row] = await rowsOf(spoofed);
    expect(row).toMatchObject({ state: 'opened' });
    const ticket = (await stack.call('GET', `/tickets/${row!.ticket_number}`)).body;
    expect([ticket.title, ticket.description]).toEqual(['Facture fdp.exe', 'Voir pièce jointe.']);

    const blank = messageId();
    await send({ from: email, subject: ' \u202e \u2066 ', text: 'Rien ne marche.', messageId: blank });
    const [blankRow] = await rowsOf(blank);
    expect(blankRow).toMatchObject({ state: 'opened' });
    expect((await stack.call('GET', `/tickets/${blankRow!.ticket_number}`)).body.title).toBe('(no subject)');
  });

  it('a subject of zero-width characters alone opens a ticket titled as one without a subject; a line separator in one is a space', async () => {
    const { email } = await customerWithContact();
    const invisible = messageId();
    await send({
      from: email,
      subject: '\u200b\u200c\u200d\ufeff\u2060',
      text: 'Rien ne marche.',
      messageId: invisible,
    });
    const [row] = await rowsOf(invisible);
    expect(row).toMatchObject({ state: 'opened' });
    expect((await stack.call('GET', `/tickets/${row!.ticket_number}`)).body.title).toBe('(no subject)');

    const separated = messageId();
    await send({ from: email, subject: 'Imprimante\u2028Bcc: victim@x.test', text: 'Bourrage.', messageId: separated });
    const [separatedRow] = await rowsOf(separated);
    expect(separatedRow).toMatchObject({ state: 'opened' });
    const title = (await stack.call('GET', `/tickets/${separatedRow!.ticket_number}`)).body.title as string;
    expect(title).toBe('Imprimante Bcc: victim@x.test');
    expect(findUnsafeText(title, 'title')).toBeUndefined();
  });

  it('an unknown sender is kept for triage and answered politely; a stranger naming a ticket is not threaded onto it', async () => {
    const stranger = `someone-${randomUUID().slice(0, 8)}@elsewhere.test`;
    const id = messageId();
    await send({ from: `Jo <${stranger}>`, subject: 'Demande de devis', text: 'Bonjour', messageId: id });
    expect((await rowsOf(id))[0]).toMatchObject({ state: 'triage', ticket_number: null });
    const [answer] = await answersTo(stranger);
    expect(answer).toMatchObject({
      kind: 'inbound-triage',
      subject: 'We received your e-mail: Demande de devis',
      ticket_number: null,
    });
    expect(answer!.body).toContain('Dear Jo,');
    const triage = await stack.call('GET', '/admin/inbound?state=triage&limit=500', undefined, 'admin');
    expect(triage.body.mails.some((mail: { messageId?: string }) => mail.messageId === id)).toBe(true);

    const { email } = await customerWithContact();
    const theirs = messageId();
    await send({ from: email, subject: 'Écran noir', text: '…', messageId: theirs });
    const ticketNumber = (await rowsOf(theirs))[0]!.ticket_number!;
    await eventually(
      () => answersTo(email),
      (rows) => rows.length > 0,
    );
    const intrusion = messageId();
    await send({ from: stranger, subject: `Re: [${ticketNumber}] Écran noir`, text: 'validé', messageId: intrusion });
    expect((await rowsOf(intrusion))[0]).toMatchObject({
      state: 'triage',
      reason: expect.stringContaining(`names ticket ${ticketNumber}`),
    });
  });

  it('an auto-responder that does not say so gets three answers a day, not one for each of its mails', async () => {
    const responder = `robot-${randomUUID().slice(0, 8)}@elsewhere.test`;
    const ids = [messageId(), messageId(), messageId(), messageId()];
    for (const id of ids)
      await send({ from: responder, subject: 'Re: We received your e-mail', text: 'I am away.', messageId: id });
    expect(await answersTo(responder)).toHaveLength(3);
    const last = (await rowsOf(ids[3]!))[0];
    expect(last).toMatchObject({
      state: 'triage',
      reason: expect.stringContaining('not answered: 3 answers went to this address within a day'),
    });
  });

  it('auto-replies, bounces and our own mails coming back are kept, ignored with the reason, and never answered', async () => {
    const { email } = await customerWithContact();
    const cases: [Mail, string][] = [
      [
        {
          from: email,
          subject: 'Absence du bureau',
          text: 'Je suis absente.',
          headers: { 'Auto-Submitted': 'auto-replied' },
        },
        'Auto-Submitted: auto-replied',
      ],
      [{ from: email, subject: 'Newsletter', text: '…', headers: { Precedence: 'bulk' } }, 'Precedence: bulk'],
      [{ from: email, subject: 'Out of office', text: '…', headers: { 'X-Autoreply': 'yes' } }, 'X-Autoreply'],
      [{ from: `MAILER-DAEMON@acme.lu`, subject: 'Undelivered Mail', text: '…' }, 'sent by mailer-daemon'],
      [{ from: email, subject: '[VIG-000001] loop', text: '…', headers: { 'X-Vigil-Outbox-Id': '12' } }, 'a loop'],
    ];
    for (const [mail, reason] of cases) {
      const id = messageId();
      await send({ ...mail, messageId: id });
      expect((await rowsOf(id))[0]).toMatchObject({
        state: 'ignored',
        ticket_number: null,
        reason: expect.stringContaining(reason),
      });
    }
    // A bounce: the null envelope sender.
    const bounce = messageId();
    await smtp().sendMail({
      envelope: { from: '', to: [SUPPORT] },
      from: email,
      to: SUPPORT,
      subject: 'Delivery failure',
      text: '…',
      messageId: bounce,
    });
    expect((await rowsOf(bounce))[0]).toMatchObject({
      state: 'ignored',
      reason: expect.stringContaining('null envelope sender'),
    });
    // Our own Message-ID back at our door (a forwarding rule that sends the desk's mail to the desk).
    const own = '<42.VIG-000042.outbox@desk.test>';
    await send({ from: email, subject: 'Fwd', text: '…', messageId: own });
    expect((await rowsOf(own))[0]).toMatchObject({ state: 'ignored', reason: expect.stringContaining('loop') });
    expect(await answersTo(email)).toEqual([]);
    expect(await answersTo('mailer-daemon@acme.lu')).toEqual([]);
  });

  it('attachments are kept and listed on the ticket, for its customer only; a mail over INBOUND_MAX_BYTES is refused with 552', async () => {
    const { customerId, email } = await customerWithContact();
    const id = messageId();
    const log = Buffer.from('2026-11-25 10:00 error 809\n'.repeat(50));
    await send({
      from: email,
      subject: 'Logs',
      text: 'Voir les logs.',
      messageId: id,
      attachments: [{ filename: 'vpn é.log', content: log, contentType: 'text/plain' }],
    });
    const ticketNumber = (await rowsOf(id))[0]!.ticket_number!;
    const listed = await stack.call('GET', `/tickets/${ticketNumber}/attachments`);
    expect(listed.body.attachments).toEqual([
      expect.objectContaining({ filename: 'vpn é.log', contentType: 'text/plain', sizeBytes: log.length }),
    ]);
    const download = await fetch(`${stack.baseUrl.replace(/\/v1$/, '')}${listed.body.attachments[0].href}`, {
      headers: stack.auth('agent'),
    });
    expect(download.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(log);
    // The stack's customer key belongs to another company: the same 404 as for a ticket that does not exist.
    expect(customerId).not.toBe(stack.customerId);
    expect((await stack.call('GET', `/tickets/${ticketNumber}/attachments`, undefined, 'customer')).status).toBe(404);

    const big = messageId();
    const refused = send({
      from: email,
      subject: 'Gros fichier',
      text: '…',
      messageId: big,
      attachments: [{ filename: 'dump.bin', content: Buffer.alloc(MAX_BYTES * 2, 7) }],
    });
    await expect(refused).rejects.toMatchObject({
      responseCode: 552,
      response: expect.stringContaining('message too large'),
    });
    expect(await rowsOf(big)).toEqual([]);
  });

  it('with the API away the mail is deferred (451) and kept; delivered again, it opens its ticket once', async () => {
    const { email } = await customerWithContact();
    const away = await startSmtpListener({
      host: '127.0.0.1',
      port: 0,
      acceptedAddresses: [SUPPORT],
      maxBytes: MAX_BYTES,
      // Nothing listens on port 9 of this machine's loopback: the API is away.
      receive: (delivery) =>
        receiveMail(
          { ...options, api: deskApi({ baseUrl: 'http://127.0.0.1:9/v1', token: stack.mailRelayToken }) },
          delivery,
        ),
    });
    const id = messageId();
    try {
      await expect(
        send({ from: email, subject: 'Wifi', text: 'Le wifi tombe.', messageId: id }, away.port),
      ).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      await away.close();
    }
    expect((await rowsOf(id))[0]).toMatchObject({ state: 'received', ticket_number: null });
    await send({ from: email, subject: 'Wifi', text: 'Le wifi tombe.', messageId: id });
    expect(await rowsOf(id)).toEqual([
      expect.objectContaining({ state: 'opened', ticket_number: expect.stringMatching(/^VIG-/) }),
    ]);
  });
});
