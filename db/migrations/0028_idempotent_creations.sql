-- The admin API's creations (customers, contracts, people, API keys) answer once per Idempotency-Key too, through the
-- ticket actions' records (api/idempotent-creations.ts): what a key acts on is a ticket's number for an action, the
-- route and its parameters for a creation. A creation's row holds the hash of the client's key and its update_id goes
-- unused.
ALTER TABLE action_idempotency_keys RENAME COLUMN ticket_number TO target;
