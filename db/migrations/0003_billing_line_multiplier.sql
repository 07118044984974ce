-- A line may carry a coefficient (out-of-hours bands, surcharges): kept so that an invoice shows how it was priced.
ALTER TABLE billing_lines ADD COLUMN multiplier numeric(8, 4) NOT NULL DEFAULT 1;
