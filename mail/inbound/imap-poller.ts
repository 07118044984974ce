import { ImapFlow } from 'imapflow';
import type { Delivery, InboundOutcome, OversizedMail } from './process';

export interface ImapPollerOptions {
  /** imap(s)://user:password@host:port/Mailbox (INBOX when no path). */
  url: string;
  everyMs: number;
  /** INBOUND_MAX_BYTES: a larger message is left in the mailbox, flagged, and not read. */
  maxBytes: number;
  receive: (delivery: Delivery) => Promise<InboundOutcome>;
  /**
   * Tells the sender of a message left for its size (mail/inbound/process.ts, answerTooLarge): why nothing was sent,
   * or undefined once the answer is queued. Absent: the message is only left and flagged.
   */
  tooLarge?: (mail: OversizedMail) => Promise<string | undefined>;
  log?: (line: Record<string, unknown>) => void;
}

export interface ImapPoller {
  /** One pass over the unseen messages now (tests; the timer runs them otherwise). Resolves with how many were stored. */
  pollNow(): Promise<number>;
  stop(): Promise<void>;
}

function clientOf(url: URL): ImapFlow {
  return new ImapFlow({
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'imaps:' ? 993 : 143),
    secure: url.protocol === 'imaps:',
    auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) },
    logger: false,
    // A server that stops answering does not hold the poller: the pass fails and the next one tries again.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
}

/**
 * Polls the desk's hosted mailbox for desks whose mail does not reach the SMTP listener. Each unseen message is
 * handed to the same processing as the listener's (mail/inbound/process.ts), and marked \Seen only once that
 * returned, that is once the mail is stored and acted on: a crash in between leaves it unseen, the next pass reads it
 * again and its Message-ID finds the row already stored (at least once from the mailbox, exactly one ticket). A mail
 * whose processing failed (the API away) stays unseen for the next pass; the others go on.
 */
export function startImapPoller(options: ImapPollerOptions): ImapPoller {
  const { everyMs, maxBytes, receive, tooLarge, log = () => undefined } = options;
  const url = new URL(options.url);
  const mailbox = decodeURIComponent(url.pathname.replace(/^\/+/, '')) || 'INBOX';
  let running: Promise<number> | undefined;
  let stopped = false;

  async function pass(): Promise<number> {
    const client = clientOf(url);
    // imapflow reports a dropped connection as an event: without a listener it would end the process.
    client.on('error', (error: Error) => log({ msg: 'IMAP connection error', error: error.message }));
    await client.connect();
    let stored = 0;
    try {
      const lock = await client.getMailboxLock(mailbox);
      try {
        const unseen = (await client.search({ seen: false }, { uid: true })) || [];
        for (const uid of unseen) {
          if (stopped) break;
          const head = await client.fetchOne(String(uid), { size: true, envelope: true, headers: true }, { uid: true });
          if (!head) continue;
          if ((head.size ?? 0) > maxBytes) {
            // Its sender is told first (only the headers are read); should that fail (PostgreSQL away), the message
            // stays unseen and the next pass tries again, the answer's key keeping it to one.
            try {
              const unanswered =
                tooLarge && head.headers
                  ? await tooLarge({ headers: head.headers, bytes: head.size ?? 0, limitBytes: maxBytes })
                  : 'no answer configured';
              log({
                msg: 'IMAP message left in the mailbox: too large',
                uid,
                bytes: head.size,
                limit: maxBytes,
                answered: unanswered === undefined,
                ...(unanswered ? { why: unanswered } : {}),
              });
            } catch (error) {
              log({
                msg: 'IMAP message too large, its answer failed: left unseen for the next pass',
                uid,
                error: error instanceof Error ? error.message : String(error),
              });
              continue;
            }
            // Kept in the mailbox, where a person finds it; flagged so it is not read again at every pass.
            await client.messageFlagsAdd(String(uid), ['\\Seen', '\\Flagged'], { uid: true });
            continue;
          }
          const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
          if (!message || !message.source) continue;
          const rcptTo = [...(head.envelope?.to ?? []), ...(head.envelope?.cc ?? [])].flatMap((address) =>
            address.address ? [address.address] : [],
          );
          try {
            const outcome = await receive({ raw: message.source, via: 'imap', rcptTo });
            log({
              msg: 'inbound mail',
              via: 'imap',
              id: outcome.id,
              state: outcome.state,
              duplicate: outcome.duplicate,
              ticketNumber: outcome.ticketNumber,
            });
          } catch (error) {
            log({
              msg: 'IMAP message left unseen for the next pass',
              uid,
              error: error instanceof Error ? error.message : String(error),
            });
            continue;
          }
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
          stored += 1;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    return stored;
  }

  const pollNow = () =>
    (running ??= pass().finally(() => {
      running = undefined;
    }));
  const timer = setInterval(() => {
    pollNow().catch((error: unknown) =>
      log({ msg: 'IMAP poll failed', error: error instanceof Error ? error.message : String(error) }),
    );
  }, everyMs);
  return {
    pollNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
