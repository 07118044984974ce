/**
 * The bench's SMTP server (smtp-server, on 127.0.0.1 and a free port): it takes every mail and records the instant
 * it accepts it, the end of DATA, just before its 250, with the headers that say which notice it is.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface Received {
  /** Epoch ms at the end of DATA. */
  acceptedAt: number;
  headers: Map<string, string>;
  /** Epoch ms at which the SMTP connection it came on was opened: a mail of a worker killed since from its successor's. */
  connectedAt: number;
}

export interface Receiver {
  port: number;
  readonly mails: readonly Received[];
  close(): Promise<void>;
}

/**
 * Resolves when the server may answer a mail taken in full with its 250 (at once when none is given). A test holds the
 * answer to stand in the window between an SMTP server taking a mail and its sender marking it sent
 * (mail/dispatcher.ts): the mail is recorded already, and its sender does not know it yet.
 */
export type AnswerGate = (mail: Received) => Promise<void>;

/** The header block of a raw message, unfolded, names lower-cased; the first of each name wins. */
function headersOf(raw: string): Map<string, string> {
  const block = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const headers = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

export async function startReceiver(
  onMail: (mail: Received) => void = () => undefined,
  answer: AnswerGate = () => Promise.resolve(),
): Promise<Receiver> {
  const mails: Received[] = [];
  const connectedAt = new Map<string, number>();
  const server = new SMTPServer({
    name: 'bench-receiver',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onConnect(session, callback) {
      connectedAt.set(session.id, Date.now());
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      // A message cut off by its sender's connection ends in an error, never in 'end': it is not recorded.
      stream.on('error', () => undefined);
      stream.on('end', () => {
        const mail = {
          acceptedAt: Date.now(),
          headers: headersOf(Buffer.concat(chunks).toString('utf8')),
          connectedAt: connectedAt.get(session.id) ?? 0,
        };
        mails.push(mail);
        onMail(mail);
        void answer(mail).then(
          () => callback(null, 'accepted'),
          (error: Error) => callback(error),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
