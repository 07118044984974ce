-- Ticket numbers: gaps are harmless (a failed start skips one), reuse never happens.
CREATE SEQUENCE ticket_number_seq;

-- Read model of tickets, written by workflow activities; the workflow stays the source of truth.
CREATE TABLE tickets (
  number         text PRIMARY KEY,
  workflow_id    text NOT NULL UNIQUE,
  customer_id    text NOT NULL,
  policy_id      text NOT NULL,
  kind           text NOT NULL,
  priority       text NOT NULL,
  status         text NOT NULL,
  title          text NOT NULL,
  contact_email  text NOT NULL,
  assignee       text,
  opened_at      timestamptz NOT NULL,
  revision       integer NOT NULL,
  snapshot       jsonb NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tickets_customer_status ON tickets (customer_id, status);

-- Messages to send, written in the same transaction as the change they announce; a relay delivers them.
CREATE TABLE outbox (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  channel          text NOT NULL CHECK (channel IN ('email')),
  recipient        text NOT NULL,
  subject          text NOT NULL,
  body             text NOT NULL,
  ticket_number    text REFERENCES tickets (number),
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);

-- Money is integer cents.
CREATE TABLE billing_lines (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  ticket_number    text NOT NULL REFERENCES tickets (number),
  customer_id      text NOT NULL,
  description      text NOT NULL,
  minutes          integer NOT NULL CHECK (minutes >= 0),
  rate_cents       bigint NOT NULL CHECK (rate_cents >= 0),
  amount_cents     bigint NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX billing_lines_customer ON billing_lines (customer_id, created_at);
