-- Mail in (issue 12, in): every mail the inbound listener or the IMAP poller (mail/inbound/) accepted, its raw source
-- kept before anything is done with it, so that nothing is lost whatever happens next. One row per Message-ID: the
-- same mail delivered twice (an MTA's retry, or both by SMTP and from the mailbox) is the one row, and one ticket.
CREATE TABLE inbound_mail (
  id             bigserial PRIMARY KEY,
  -- The Message-ID lower-cased with its angle brackets, or sha256:<hex> of the raw source for a mail without one.
  dedupe_key     text NOT NULL UNIQUE,
  message_id     text,
  received_via   text NOT NULL CHECK (received_via IN ('smtp', 'imap')),
  -- The envelope: MAIL FROM ('' for the null sender <>) and the recipients the mail was accepted for.
  mail_from      text,
  rcpt_to        text[] NOT NULL DEFAULT '{}',
  from_address   text,
  subject        text NOT NULL DEFAULT '',
  body_text      text NOT NULL DEFAULT '',
  raw            bytea NOT NULL,
  -- received: stored, not yet acted on (a crash or the API away: taken up again at the next delivery or poll);
  -- opened: it opened ticket_number; threaded: it went onto ticket_number (a customer-reply, or a message kept);
  -- triage: nobody known sent it, an admin looks; ignored: an auto-reply, bounce or loop, never answered.
  state          text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'opened', 'threaded', 'triage', 'ignored')),
  reason         text,
  ticket_number  text,
  customer_id    text,
  received_at    timestamptz NOT NULL DEFAULT now(),
  processed_at   timestamptz
);
CREATE INDEX inbound_mail_state ON inbound_mail (state, id DESC);
CREATE INDEX inbound_mail_ticket ON inbound_mail (ticket_number, id) WHERE ticket_number IS NOT NULL;

-- The attachments of an inbound mail, stored with it (the whole mail is under INBOUND_MAX_BYTES, refused at SMTP
-- time above it); listed on the ticket the mail went onto.
CREATE TABLE inbound_attachments (
  id            bigserial PRIMARY KEY,
  inbound_id    bigint NOT NULL REFERENCES inbound_mail (id),
  position      integer NOT NULL CHECK (position >= 0),
  filename      text NOT NULL,
  content_type  text NOT NULL,
  size_bytes    integer NOT NULL CHECK (size_bytes >= 0),
  content       bytea NOT NULL,
  UNIQUE (inbound_id, position)
);
