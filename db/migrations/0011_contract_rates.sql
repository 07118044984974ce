-- A contract's own prices (issue 10, item 7; seed 001: the price "est défini par les CIV"): the policy's rate figures
-- it replaces, in integer cents and whole percentages ({hourlyCents} or {hourlyCentsByRole} or {hourlyCentsByService},
-- {travel: {perTripCents, hourlyCents}}, {outOfHoursPercent}), checked against the policy by db/account-input.ts.
-- Null: the policy's figures. Billing reads it by the ticket's contract id when the ticket is billed.
ALTER TABLE contracts ADD COLUMN rates jsonb CHECK (rates IS NULL OR jsonb_typeof(rates) = 'object');
