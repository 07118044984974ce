-- Who an invoice is addressed to (issue 15): the customer's legal name, postal address, VAT number, invoicing
-- e-mail and, optionally, the e-invoice format it wants instead of its country's. One jsonb value checked by
-- db/account-input.ts (checkedBilling), which names the field at fault; null until an admin sets it.
ALTER TABLE customers ADD COLUMN billing jsonb CHECK (billing IS NULL OR jsonb_typeof(billing) = 'object');
