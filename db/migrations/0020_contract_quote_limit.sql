-- A contract's own reading of "beyond a day" (issue 10: where the seeds are silent, the reading is a contract
-- setting): the logged minutes above which time needs a quote the customer accepted, replacing its policy's
-- quoteRequiredAboveMinutes (e-connect's presets read seed 000's "cadre d'une journée" as 480). Null: the policy's.
ALTER TABLE contracts ADD COLUMN quote_required_above_minutes integer CHECK (quote_required_above_minutes BETWEEN 1 AND 100000);
