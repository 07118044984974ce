import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import { DeskApiError } from './desk-api';
import type { Delivery, InboundOutcome } from './process';

export interface SmtpListenerOptions {
  host: string;
  /** 0: a free port, for tests. */
  port: number;
  /** The addresses mail is taken for (support and emergency), lower-cased; any other recipient is refused at RCPT. */
  acceptedAddresses: readonly string[];
  /** INBOUND_MAX_BYTES: a larger mail is refused, announced by the SIZE extension and answered 552 past it. */
  maxBytes: number;
  receive: (delivery: Delivery) => Promise<InboundOutcome>;
  log?: (line: Record<string, unknown>) => void;
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

/** An SMTP reply code carried by an error handed to smtp-server's callbacks. */
const reply = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

/** The message, read to its end; past `maxBytes` the rest is read and dropped (it will be refused), not held in memory. */
async function readAll(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of stream) {
    if (kept > maxBytes) continue;
    chunks.push(chunk as Buffer);
    kept += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks);
}

/**
 * The desk's own MX for its support addresses (smtp-server). A mail is acknowledged (250) only once its raw source is
 * in PostgreSQL and acted on: the sending server keeps it until then. When PostgreSQL or the API is away the answer is
 * 451 (try again later), which every MTA honours for days, so nothing is lost and nothing is doubled (the Message-ID
 * makes the retry the same mail). No AUTH and no relaying: it takes mail for its own addresses only. TLS is left to a
 * proxy or an MTA in front (STARTTLS would need a certificate this repository does not manage).
 */
export async function startSmtpListener(options: SmtpListenerOptions): Promise<SmtpListener> {
  const { acceptedAddresses, maxBytes, receive, log = () => undefined } = options;
  const server = new SMTPServer({
    name: 'vigil-inbound',
    banner: 'Vigil support desk: mail for the support addresses only',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    // A slow or silent client does not hold a connection for ever.
    socketTimeout: 60_000,
    closeTimeout: 10_000,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (acceptedAddresses.includes(address.address.toLowerCase())) return callback();
      callback(
        reply(550, `5.1.1 no such mailbox here: this server takes mail for ${acceptedAddresses.join(', ')} only`),
      );
    },
    onData(stream, session: SMTPServerSession, callback) {
      readAll(stream, maxBytes)
        .then(async (raw) => {
          if (stream.sizeExceeded) {
            log({ msg: 'inbound mail refused: too large', limit: maxBytes });
            return callback(
              reply(
                552,
                `5.3.4 message too large: it is over the ${maxBytes} bytes this desk accepts (attachments included); please send large files as a link, or in several mails`,
              ),
            );
          }
          const mailFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
          const outcome = await receive({
            raw,
            via: 'smtp',
            mailFrom,
            rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          });
          log({
            msg: 'inbound mail',
            id: outcome.id,
            state: outcome.state,
            duplicate: outcome.duplicate,
            ticketNumber: outcome.ticketNumber,
            reason: outcome.reason,
          });
          callback(null, `2.0.0 received as #${outcome.id}${outcome.ticketNumber ? ` (${outcome.ticketNumber})` : ''}`);
        })
        .catch((error: unknown) => {
          // Whatever failed (PostgreSQL, the API, Temporal behind it), the sender keeps the mail and tries again.
          const why =
            error instanceof DeskApiError ? error.message : error instanceof Error ? error.message : String(error);
          log({ msg: 'inbound mail deferred', error: why });
          callback(reply(451, '4.3.0 the desk cannot file this mail just now; please try again later'));
        });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => log({ msg: 'inbound SMTP error', error: error.message }));
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
