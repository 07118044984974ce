-- A draft's expired rows are deleted by its author's next keep, their own only (db/form-drafts.ts says why): that
-- DELETE and the ones of an opened ticket's draft find a person's rows by user_id. No statement reads the drafts by
-- expiry alone any more, so migration 0031's index on it goes.
CREATE INDEX form_drafts_user ON form_drafts (user_id, expires_at);
DROP INDEX form_drafts_expires;
