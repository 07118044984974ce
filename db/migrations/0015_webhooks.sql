-- Webhooks (issue 12): breach, warning and status events POSTed as signed JSON to endpoints an admin registers for
-- one customer or for the whole desk (customer_id null). Deliveries are a table like the outbox, delivered by the
-- worker (mail/webhooks/dispatcher.ts) with the outbox's backoff, each attempt's outcome written on its row.
CREATE TABLE webhook_endpoints (
  id           bigserial PRIMARY KEY,
  customer_id  text REFERENCES customers (id),
  url          text NOT NULL CHECK (url ~ '^https?://'),
  -- The HMAC-SHA256 key of Vigil-Signature: kept as given, since signing needs it; never shown after registration.
  secret       text NOT NULL CHECK (length(secret) >= 16),
  events       text[] NOT NULL CHECK (events <@ ARRAY['breach', 'warning', 'status']::text[] AND cardinality(events) > 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  disabled_at  timestamptz
);

CREATE TABLE webhook_deliveries (
  id               bigserial PRIMARY KEY,
  -- The event's key and the endpoint: a retried activity queues nothing twice.
  idempotency_key  text NOT NULL UNIQUE,
  endpoint_id      bigint NOT NULL REFERENCES webhook_endpoints (id),
  event            text NOT NULL CHECK (event IN ('breach', 'warning', 'status')),
  ticket_number    text,
  -- The JSON body exactly as it is signed and sent, the same at every attempt.
  body             text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz NOT NULL DEFAULT now(),
  delivered_at     timestamptz,
  failed_at        timestamptz,
  last_status      integer,
  last_error       text,
  CONSTRAINT webhook_delivered_or_failed CHECK (delivered_at IS NULL OR failed_at IS NULL)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id DESC);
