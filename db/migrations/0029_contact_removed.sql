-- A customer's contact whom no contract of the customer names any more is disabled (db/contact-accounts.ts
-- removeContactAccounts), marked so: a contract naming them again gives the account back, while a person an admin
-- disabled stays disabled whatever a contract says. Enabling by hand clears the mark.
ALTER TABLE users ADD COLUMN removed_as_contact boolean NOT NULL DEFAULT false;
