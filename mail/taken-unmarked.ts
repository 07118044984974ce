import type { PoolClient } from 'pg';
import { stillPending } from '../db/outbox';

/**
 * How many claims a dispatcher makes between two looks at the rows it remembers (TakenUnmarked.claimed): after an
 * outage the lanes catch up the backlog with these rows remembered, and a look at each claim was one more query per row
 * sent. Looking less often keeps a row remembered longer, which costs only its entry: no claim returns it once it is
 * marked, and a claim that does return it marks it without sending it, as it must.
 */
export const CLAIMS_PER_LOOK = 100;

/**
 * The rows whose mail the SMTP server took and whose mark was lost with their PostgreSQL connection, by id, with the
 * Message-ID the server took them under: claimed again once the server is back, mail/dispatcher.ts marks them sent
 * instead of sending them a second time. A row is forgotten once it is no longer pending as committed (marked by this
 * process, or sent again by another worker that claimed it first), when no claim can return it again; never as soon
 * as its mark is written, since the COMMIT of that mark can be lost too, leaving the row due and its mail taken.
 */
export class TakenUnmarked {
  private readonly messageIds = new Map<number, string>();
  private claimsSinceLook = 0;

  get size(): number {
    return this.messageIds.size;
  }

  remember(id: number, messageId: string): void {
    this.messageIds.set(id, messageId);
  }

  messageIdOf(id: number): string | undefined {
    return this.messageIds.get(id);
  }

  /**
   * Counts a claim, and forgets the rows marked since they were remembered at one claim in CLAIMS_PER_LOOK: a query
   * per CLAIMS_PER_LOOK rows sent while some are remembered, none otherwise. What it forgets never changes the claimed
   * row's fate: that row is pending, held by the caller, so it is kept.
   */
  async claimed(client: PoolClient): Promise<void> {
    if (this.messageIds.size === 0) return;
    this.claimsSinceLook += 1;
    if (this.claimsSinceLook >= CLAIMS_PER_LOOK) await this.forgetMarked(client);
  }

  /** Forgets the rows marked since they were remembered; a query only while some are remembered (after an outage). */
  async forgetMarked(client: PoolClient): Promise<void> {
    if (this.messageIds.size === 0) return;
    this.claimsSinceLook = 0;
    const pending = await stillPending(client, [...this.messageIds.keys()]);
    for (const id of [...this.messageIds.keys()]) if (!pending.has(id)) this.messageIds.delete(id);
  }
}
