-- What a person typed into the portal's new-ticket form while they choose its contract (db/form-drafts.ts): the choice
-- is posted, kept here, and answered by a redirect to a page that reads it back, so that reloading that page or coming
-- back to it never asks the browser to post the form again, and the typed text never travels in an address.
CREATE TABLE form_drafts (
  -- Random, in the address of the page that shows the draft; read only with its author's session.
  id          text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id),
  fields      jsonb NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX form_drafts_expires ON form_drafts (expires_at);
