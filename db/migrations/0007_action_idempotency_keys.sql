-- Idempotency keys of the ticket actions (POST /v1/tickets/:number/<action>), scoped per API key like those of
-- the opening (idempotency_keys), but a table of their own: an action's key stands for an Update and its answer,
-- not for a ticket number.
CREATE TABLE action_idempotency_keys (
  api_key_id     text NOT NULL REFERENCES api_keys (id),
  key            text NOT NULL,
  -- The ticket, the action and the body: the same key with anything else is another request, refused.
  request_hash   text NOT NULL,
  ticket_number  text NOT NULL,
  -- Temporal's Update ID for every attempt under this key: Temporal applies one ID once per run.
  update_id      text NOT NULL,
  -- The run the Update was sent to. Only that run may apply it: a retry goes back to it, and moves on to the
  -- run that continued it only once that run has ended without it (Update IDs are not carried across runs).
  run_id         text,
  -- The answer once there is one (the ticket view, or the refusal as problem+json), replayed as it was. Text, not
  -- jsonb: the JSON keeps text the client sent escaped, where jsonb would refuse a \u0000 it echoes.
  answer_status  integer,
  answer_body    text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  answered_at    timestamptz,
  PRIMARY KEY (api_key_id, key),
  CHECK ((answer_status IS NULL) = (answer_body IS NULL))
);
