import type { PoolClient } from 'pg';
import { stillPending } from '../db/outbox';

/**
 * The rows whose mail the SMTP server took and whose mark was lost with their PostgreSQL connection, by id, with the
 * Message-ID the server took them under: claimed again once the server is back, mail/dispatcher.ts marks them sent
 * instead of sending them a second time. A row is forgotten once it is no longer pending as committed (marked by this
 * process, or sent again by another worker that claimed it first), when no claim can return it again; never as soon
 * as its mark is written, since the COMMIT of that mark can be lost too, leaving the row due and its mail taken.
 */
export class TakenUnmarked {
  private readonly messageIds = new Map<number, string>();

  get size(): number {
    return this.messageIds.size;
  }

  remember(id: number, messageId: string): void {
    this.messageIds.set(id, messageId);
  }

  messageIdOf(id: number): string | undefined {
    return this.messageIds.get(id);
  }

  /** Forgets the rows marked since they were remembered; a query only while some are remembered (after an outage). */
  async forgetMarked(client: PoolClient): Promise<void> {
    if (this.messageIds.size === 0) return;
    const pending = await stillPending(client, [...this.messageIds.keys()]);
    for (const id of [...this.messageIds.keys()]) if (!pending.has(id)) this.messageIds.delete(id);
  }
}
