-- The IANA zone in which the customer's contacts read the dates of their e-mails (activities/ticket-notices.ts,
-- readerOf); null: the desk's (messages/desk-zone.ts). Checked by db/account-input.ts (checkedTimeZone), which names
-- the field; PostgreSQL has no IANA check of its own that luxon would agree with.
ALTER TABLE customers ADD COLUMN time_zone text CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);
