-- Credit notes (issue 15): each cancels lines of one invoice, in full or in part, numbered in a sequence of its own
-- without gaps (CN-<year>-NNNNNN: the counter row of issuer 'CN' in invoice_number_counters, locked until commit).
-- `positions` are the invoice's lines it cancels (1-based, in print order); a line is credited once.
CREATE TABLE credit_notes (
  id           bigserial PRIMARY KEY,
  number       text NOT NULL UNIQUE,
  invoice_id   bigint NOT NULL REFERENCES invoices (id),
  positions    integer[] NOT NULL CHECK (cardinality(positions) > 0),
  reason       text NOT NULL CHECK (length(reason) > 0),
  net_cents    bigint NOT NULL,
  vat_cents    bigint NOT NULL,
  gross_cents  bigint NOT NULL,
  issued_at    timestamptz NOT NULL DEFAULT now(),
  document     jsonb NOT NULL,
  html         text NOT NULL
);
CREATE INDEX credit_notes_invoice ON credit_notes (invoice_id);
