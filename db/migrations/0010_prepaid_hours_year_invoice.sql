-- Maintenance hours are bought for a calendar year and invoiced (issue 10, item 4). Each movement says what it is and
-- the year (Europe/Luxembourg, contracts/desk-zone.ts) its minutes count in: a purchase the year it is bought, a draw
-- the year it is drawn, an expiry the year it closes. The invoice that carried a purchase (billed) or an expiry
-- (reported) is kept on the movement, so a re-run never bills or reports it twice.
ALTER TABLE prepaid_movements
  ADD COLUMN kind text CHECK (kind IN ('purchase', 'draw', 'expiry')),
  ADD COLUMN year integer,
  ADD COLUMN invoice_id bigint REFERENCES invoices (id);

UPDATE prepaid_movements SET
  kind = CASE WHEN minutes > 0 THEN 'purchase' ELSE 'draw' END,
  year = extract(year FROM created_at AT TIME ZONE 'Europe/Luxembourg')::integer;

-- Writers that predate the columns (the billing activity's draw) leave them out: the sign tells the kind, the
-- instant the year. An expiry always names itself.
CREATE FUNCTION prepaid_movement_defaults() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.kind := COALESCE(NEW.kind, CASE WHEN NEW.minutes > 0 THEN 'purchase' ELSE 'draw' END);
  NEW.year := COALESCE(NEW.year, extract(year FROM NEW.created_at AT TIME ZONE 'Europe/Luxembourg')::integer);
  RETURN NEW;
END $$;
CREATE TRIGGER prepaid_movement_defaults BEFORE INSERT ON prepaid_movements FOR EACH ROW EXECUTE FUNCTION prepaid_movement_defaults();

ALTER TABLE prepaid_movements
  ALTER COLUMN kind SET NOT NULL,
  ALTER COLUMN year SET NOT NULL,
  ADD CHECK ((kind = 'purchase') = (minutes > 0)),
  ADD CHECK (kind <> 'draw' OR invoice_id IS NULL);
-- One expiry per contract and year.
CREATE UNIQUE INDEX prepaid_movements_expiry ON prepaid_movements (contract_id, year) WHERE kind = 'expiry';
CREATE INDEX prepaid_movements_uninvoiced ON prepaid_movements (contract_id) WHERE invoice_id IS NULL AND kind <> 'draw';

-- A purchase is invoiced with its minutes and rate, like a ticket's line; a fee has neither.
ALTER TABLE invoice_fee_lines
  ADD COLUMN minutes integer NOT NULL DEFAULT 0,
  ADD COLUMN rate_cents bigint;
