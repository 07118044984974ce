-- An idempotency key belongs to its caller: an API key's id, or a person signed in to the console (`user-<id>`,
-- api/sessions.ts). The keys no longer reference api_keys, so a browser's retried form is answered once too
-- (it failed the foreign key before). Nothing else changes: the key stays scoped to the caller's id.
ALTER TABLE idempotency_keys DROP CONSTRAINT IF EXISTS idempotency_keys_api_key_id_fkey;
ALTER TABLE action_idempotency_keys DROP CONSTRAINT IF EXISTS action_idempotency_keys_api_key_id_fkey;
