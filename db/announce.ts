/**
 * The end of a statement whose CTE `queued` inserts rows for a dispatcher (the outbox's, db/outbox.ts; the webhooks',
 * db/webhooks.ts), RETURNING what `where` reads: it NOTIFYs `channel` when at least one row was inserted that `where`
 * keeps, and nothing otherwise (a retried activity inserting nothing wakes nobody). PostgreSQL delivers a notification
 * at the COMMIT of its transaction, once the rows are visible, and folds a transaction's identical ones into one. The
 * dispatchers LISTEN on the channel (mail/lanes.ts, wakeOn).
 */
export const announceQueued = (channel: string, where = 'true'): string =>
  `SELECT pg_notify('${channel}', '') FROM queued WHERE ${where} LIMIT 1`;
