-- Delivery of the outbox (issue 12, out): mail/dispatcher.ts claims a due row with FOR UPDATE SKIP LOCKED, sends it
-- over SMTP and marks it sent in the same transaction; a failure is written back with the next attempt's time.
-- A row is in one of three states: pending (sent_at and failed_at null), sent, or failed for good (failed_at: a 5xx
-- answer, attempts exhausted, or a recipient no configuration names), which /v1/admin/outbox?state=failed lists.
ALTER TABLE outbox
  -- What the notice is about (acknowledgement, threshold-warning, breach, ...), for the lists and the ticket's view.
  ADD COLUMN kind             text NOT NULL DEFAULT 'notice',
  ADD COLUMN attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  ADD COLUMN next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN last_error       text,
  ADD COLUMN failed_at        timestamptz,
  -- The Message-ID the row was sent with (mail/message.ts derives it from the row's id: a resend carries the same).
  ADD COLUMN message_id       text,
  ADD CONSTRAINT outbox_sent_or_failed CHECK (sent_at IS NULL OR failed_at IS NULL);

-- Rows queued before delivery existed were never sent. Those of the last day go out now, under the same rules; an
-- older notice would arrive too late to help, so it is failed for good with the reason, listed for an admin, not lost.
UPDATE outbox SET failed_at = now(), last_error = 'queued before e-mail delivery existed, more than a day ago: not sent'
WHERE sent_at IS NULL AND created_at < now() - interval '1 day';

CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox (failed_at DESC, id) WHERE failed_at IS NOT NULL;
CREATE INDEX outbox_ticket ON outbox (ticket_number, id);
