-- Invoice numbers must have no gaps (tax law): a counter row per issuer and year, incremented in the transaction
-- that creates the invoice, so a rolled-back invoice gives its number back. A sequence would leave holes.
CREATE TABLE invoice_number_counters (
  issuer       text NOT NULL,
  year         integer NOT NULL,
  last_number  integer NOT NULL CHECK (last_number > 0),
  PRIMARY KEY (issuer, year)
);

CREATE TABLE invoices (
  id               bigserial PRIMARY KEY,
  number           text NOT NULL UNIQUE,
  -- The run that created it (workflow ID + step), for tracing; (customer, period) is what keeps it single.
  idempotency_key  text NOT NULL UNIQUE,
  customer_id      text NOT NULL,
  period_start     date NOT NULL,
  period_end       date NOT NULL CHECK (period_end >= period_start),
  total_cents      bigint NOT NULL,
  issued_at        timestamptz NOT NULL DEFAULT now(),
  html             text NOT NULL,
  UNIQUE (customer_id, period_start, period_end)
);
CREATE INDEX invoices_customer ON invoices (customer_id, period_start);

-- A line is billed iff it has an invoice.
ALTER TABLE billing_lines ADD COLUMN invoice_id bigint REFERENCES invoices (id);
CREATE INDEX billing_lines_unbilled ON billing_lines (customer_id, id) WHERE invoice_id IS NULL;

-- Contract fees belong to no ticket, so they cannot be billing lines; the invoice carries them itself.
CREATE TABLE invoice_fee_lines (
  invoice_id    bigint NOT NULL REFERENCES invoices (id),
  position      integer NOT NULL,
  description   text NOT NULL,
  amount_cents  bigint NOT NULL,
  PRIMARY KEY (invoice_id, position)
);
