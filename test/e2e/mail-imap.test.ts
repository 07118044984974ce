import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { createTransport } from 'nodemailer';
import { startGreenMail, type GreenMail } from '../../infra/greenmail';
import { startOnFreePorts } from '../../scripts/ports';
import { deskApi } from '../../mail/inbound/desk-api';
import { startImapPoller, type ImapPoller } from '../../mail/inbound/imap-poller';
import { answerTooLarge, receiveMail, type InboundOptions } from '../../mail/inbound/process';
import { customerWithContact, inboundRows } from '../support/e2e/mail';
import { startStack, type Stack } from '../support/e2e/stack';

jest.setTimeout(90_000);

// Mail in, for desks whose mailbox is hosted: a real IMAP server (GreenMail standalone) holds the desk's mail,
// delivered to it over its own SMTP; the poller reads it and acts through the API of a real stack.
describe('mail in from a hosted mailbox over IMAP', () => {
  let stack: Stack;
  let greenmail: GreenMail;
  let options: InboundOptions;
  const pollers: ImapPoller[] = [];
  const DESK = 'desk@desk.test';
  const MAX_BYTES = 64 * 1024;

  beforeAll(async () => {
    [stack, greenmail] = await Promise.all([
      startStack('imap'),
      startOnFreePorts(2, ([smtpPort, imapPort]) =>
        startGreenMail({
          smtpPort: smtpPort!,
          imapPort: imapPort!,
          user: { address: DESK, password: 's3cret' },
          onLine: () => undefined,
        }),
      ),
    ]);
    options = {
      db: stack.db,
      api: deskApi({ baseUrl: stack.baseUrl, token: stack.mailRelayToken }),
      supportAddresses: [DESK],
      emergencyAddresses: [],
      ownDomain: 'desk.test',
    };
  });

  afterAll(async () => {
    for (const poller of pollers) await poller.stop();
    await greenmail?.process.stop();
    await stack?.stop();
  });

  // The timer's passes are kept out of the way (an hour): the test runs each pass itself, and waits on it.
  const poller = (receiveWith: InboundOptions = options) => {
    const started = startImapPoller({
      url: greenmail.imapUrl,
      everyMs: 3_600_000,
      maxBytes: MAX_BYTES,
      receive: (delivery) => receiveMail(receiveWith, delivery),
      tooLarge: (mail) => answerTooLarge(receiveWith, mail),
    });
    pollers.push(started);
    return started;
  };
  const deliver = (mail: Parameters<ReturnType<typeof createTransport>['sendMail']>[0]) =>
    createTransport({ url: greenmail.smtpUrl, ignoreTLS: true }).sendMail({ to: DESK, ...mail });

  const answersTo = async (recipient: string) =>
    (
      await stack.db.query<{ kind: string; subject: string; body: string; failed_at: Date | null }>(
        'SELECT kind, subject, body, failed_at FROM outbox WHERE recipient = $1 ORDER BY id',
        [recipient],
      )
    ).rows;

  /** The flags of each message of the mailbox, by Message-ID, as another IMAP client sees them. */
  async function flagsByMessageId(): Promise<Map<string, string[]>> {
    const url = new URL(greenmail.imapUrl);
    const client = new ImapFlow({
      host: url.hostname,
      port: Number(url.port),
      secure: false,
      auth: { user: 'desk', pass: 's3cret' },
      logger: false,
    });
    await client.connect();
    const flags = new Map<string, string[]>();
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        for await (const message of client.fetch('1:*', { envelope: true, flags: true }))
          flags.set(message.envelope?.messageId ?? '', [...(message.flags ?? [])]);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
    return flags;
  }

  it('a mail in the mailbox opens a ticket and is marked \\Seen once stored; a second copy of it opens none', async () => {
    const { customerId, email } = await customerWithContact(stack.accounts);
    const id = `<${randomUUID()}@client.test>`;
    await deliver({ from: email, subject: 'Téléphone muet', text: 'Plus de tonalité.', messageId: id });
    const imap = poller();
    expect(await imap.pollNow()).toBe(1);
    const [row] = await inboundRows(stack.db, id);
    expect(row).toMatchObject({ state: 'opened', ticket_number: expect.stringMatching(/^VIG-/) });
    expect((await stack.call('GET', `/tickets/${row!.ticket_number}`)).body).toMatchObject({
      customerId,
      title: 'Téléphone muet',
    });
    expect((await flagsByMessageId()).get(id)).toContain('\\Seen');

    // The same mail lands twice (a forward, a resend): the second copy is read, recognised, and opens nothing.
    await deliver({ from: email, subject: 'Téléphone muet', text: 'Plus de tonalité.', messageId: id });
    expect(await imap.pollNow()).toBe(1);
    expect(await inboundRows(stack.db, id)).toEqual([row]);
    expect(await imap.pollNow()).toBe(0);
  });

  it('a mail over INBOUND_MAX_BYTES is left in the mailbox, flagged, opens no ticket, and its sender is told why once, in its language', async () => {
    const { email } = await customerWithContact(stack.accounts, 'fr');
    const id = `<${randomUUID()}@client.test>`;
    const big = {
      from: `Ana Lopes <${email}>`,
      subject: 'Journaux du serveur',
      text: 'Voir le fichier.',
      messageId: id,
      attachments: [{ filename: 'dump.bin', content: Buffer.alloc(MAX_BYTES * 2, 7) }],
    };
    await deliver(big);
    const imap = poller();
    expect(await imap.pollNow()).toBe(0);
    expect((await flagsByMessageId()).get(id)).toEqual(expect.arrayContaining(['\\Seen', '\\Flagged']));
    expect(await inboundRows(stack.db, id)).toEqual([]);
    const [answer, ...more] = await answersTo(email);
    expect(more).toEqual([]);
    expect(answer).toMatchObject({
      kind: 'inbound-too-large',
      subject: 'Votre courriel est trop volumineux pour être lu : Journaux du serveur',
      failed_at: null,
    });
    expect(answer!.body).toContain('Bonjour Ana Lopes,');
    expect(answer!.body).toContain('les 64\u202fko que le support accepte');
    expect(answer!.body).not.toMatch(/NaN|undefined/);

    // The same mail lands again (a resend): left and flagged as well, and not answered a second time.
    await deliver(big);
    expect(await imap.pollNow()).toBe(0);
    expect(await imap.pollNow()).toBe(0);
    expect(await answersTo(email)).toHaveLength(1);
    expect(await inboundRows(stack.db, id)).toEqual([]);
    const tickets = await stack.db.query('SELECT count(*)::int AS n FROM tickets WHERE contact_email = $1', [email]);
    expect(tickets.rows[0].n).toBe(0);

    // An auto-reply that large is left and flagged too, and never answered.
    const robot = `robot-${randomUUID().slice(0, 8)}@client.test`;
    const auto = `<${randomUUID()}@client.test>`;
    await deliver({ ...big, from: robot, messageId: auto, headers: { 'Auto-Submitted': 'auto-replied' } });
    expect(await imap.pollNow()).toBe(0);
    expect((await flagsByMessageId()).get(auto)).toContain('\\Flagged');
    expect(await answersTo(robot)).toEqual([]);
  });

  it('a mail that cannot be acted on now (the API away) stays unseen in the mailbox, and the next pass opens its ticket', async () => {
    const { email } = await customerWithContact(stack.accounts);
    const id = `<${randomUUID()}@client.test>`;
    await deliver({ from: email, subject: 'Imprimante', text: 'Bourrage.', messageId: id });
    // Nothing listens on port 9 of this machine's loopback.
    const away = poller({
      ...options,
      api: deskApi({ baseUrl: 'http://127.0.0.1:9/v1', token: stack.mailRelayToken }),
    });
    expect(await away.pollNow()).toBe(0);
    expect((await flagsByMessageId()).get(id)).not.toContain('\\Seen');
    expect((await inboundRows(stack.db, id))[0]).toMatchObject({ state: 'received' });

    expect(await poller().pollNow()).toBe(1);
    expect((await inboundRows(stack.db, id))[0]).toMatchObject({
      state: 'opened',
      ticket_number: expect.stringMatching(/^VIG-/),
    });
    expect((await flagsByMessageId()).get(id)).toContain('\\Seen');
  });
});
