import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMailpit, type Mailpit, type MailpitOptions } from '../../../infra/mailpit';
import type { Pool } from 'pg';
import type { AccountStore, Language } from '../../../messages/accounts';
import { startOnFreePorts } from '../../../scripts/ports';
import { contractsStartOn, ticketForActivities } from './stack';

/** A message as Mailpit's HTTP API lists it (GET /api/v1/messages). */
export interface CapturedMail {
  ID: string;
  MessageID: string;
  Subject: string;
  To: { Address: string }[];
}

/**
 * A Mailpit of the test's own, on free ports, keeping its mails in a file so that a restart on the same ports (the
 * SMTP server going away and coming back) keeps what it had received.
 */
export class MailCapture {
  private server?: Mailpit;
  private constructor(private readonly options: MailpitOptions) {}

  static async start(options: Pick<MailpitOptions, 'allowedRecipients'> = {}): Promise<MailCapture> {
    const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-mailpit-')), 'mailpit.db');
    return startOnFreePorts(2, async ([smtpPort, uiPort]) => {
      const capture = new MailCapture({
        smtpPort: smtpPort!,
        uiPort: uiPort!,
        dbFile,
        onLine: () => undefined,
        ...options,
      });
      await capture.up();
      return capture;
    });
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.options.smtpPort}`;
  }

  async up(): Promise<void> {
    this.server = await startMailpit(this.options);
  }

  async down(): Promise<void> {
    await this.server?.process.stop();
    this.server = undefined;
  }

  async messages(): Promise<CapturedMail[]> {
    const response = await fetch(`http://127.0.0.1:${this.options.uiPort}/api/v1/messages?limit=1000`);
    if (!response.ok) throw new Error(`Mailpit answered ${response.status}`);
    return ((await response.json()) as { messages: CapturedMail[] }).messages;
  }

  /** The raw headers of one message, by name. */
  async headers(id: string): Promise<Record<string, string[]>> {
    const response = await fetch(`http://127.0.0.1:${this.options.uiPort}/api/v1/message/${id}/headers`);
    return (await response.json()) as Record<string, string[]>;
  }

  /** The plain-text body of one message, as it arrived. */
  async text(id: string): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${this.options.uiPort}/api/v1/message/${id}`);
    return ((await response.json()) as { Text: string }).Text;
  }

  async stop(): Promise<void> {
    await this.down();
    if (this.options.dbFile) fs.rmSync(path.dirname(this.options.dbFile), { recursive: true, force: true });
  }
}

/** A customer of the test's own whose contract in force names one contact, so that no other test's contract makes its address ambiguous. */
export async function customerWithContact(
  accounts: AccountStore,
  language: Language = 'en',
): Promise<{ customerId: string; email: string }> {
  const customerId = `mail-${randomUUID().slice(0, 8)}`;
  const email = `ana-${randomUUID().slice(0, 8)}@acme.lu`;
  await accounts.createCustomer({ id: customerId, name: 'Acme', language });
  await accounts.createContract({
    customerId,
    policyId: 'econnect',
    startsOn: contractsStartOn(),
    authorizedContacts: [{ name: 'Ana Lopes', email, outOfHours: true }],
  });
  return { customerId, email };
}

/** A P1 incident under e-connect opened now by `email`, for the real activities run without Temporal (ticketForActivities). */
export const serverDown = (db: Pool, customerId: string, email: string): ReturnType<typeof ticketForActivities> =>
  ticketForActivities(
    db,
    {
      customerId,
      policyId: 'econnect',
      kind: 'incident',
      priority: 'P1',
      title: 'Serveur arrêté',
      description: 'Plus rien ne répond.',
      contact: { name: 'Ana Lopes', email },
    },
    Date.now(),
  );

/** What became of a received mail, by its Message-ID. */
export async function inboundRows(
  db: Pool,
  messageId: string,
): Promise<{ id: string; state: string; reason: string | null; ticket_number: string | null }[]> {
  return (
    await db.query('SELECT id, state, reason, ticket_number FROM inbound_mail WHERE dedupe_key = $1', [
      messageId.toLowerCase(),
    ])
  ).rows;
}
