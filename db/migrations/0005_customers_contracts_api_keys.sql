-- Who the desk works for, under which terms, and who may call the API.
CREATE TABLE customers (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name        text NOT NULL CHECK (length(name) > 0),
  -- The language of the e-mails and invoices the customer receives.
  language    text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'fr', 'de', 'nl', 'lb')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contracts (
  id                   bigserial PRIMARY KEY,
  customer_id          text NOT NULL REFERENCES customers (id),
  policy_id            text NOT NULL,
  -- Null: each ticket runs under the policy version in force when it registers.
  policy_version       integer CHECK (policy_version > 0),
  -- The commercial tier as the provider names it (Mixvoip's "Bureau", "Standard", "Entreprises").
  tier                 text,
  starts_on            date NOT NULL,
  ends_on              date CHECK (ends_on IS NULL OR ends_on >= starts_on),
  invoicing_frequency  text NOT NULL DEFAULT 'quarterly' CHECK (invoicing_frequency IN ('monthly', 'quarterly')),
  -- [{name, email, outOfHours?}]: who may open tickets, and who may call out of hours where the policy says so.
  authorized_contacts  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(authorized_contacts) = 'array'),
  -- [{level, name, email}]: the people an escalation level of the policy notifies for this customer.
  escalation_contacts  jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(escalation_contacts) = 'array'),
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contracts_customer ON contracts (customer_id, starts_on);

-- Prepaid hours as movements, never a balance column: a purchase adds minutes, a billed ticket draws them,
-- and the key makes a retried draw a no-op.
CREATE TABLE prepaid_movements (
  id               bigserial PRIMARY KEY,
  contract_id      bigint NOT NULL REFERENCES contracts (id),
  minutes          integer NOT NULL CHECK (minutes <> 0),
  idempotency_key  text NOT NULL UNIQUE,
  ticket_number    text,
  description      text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX prepaid_movements_contract ON prepaid_movements (contract_id, id);

-- A key is shown once; only the SHA-256 of its secret is kept (secrets are random, so no slow hash is needed).
CREATE TABLE api_keys (
  id           text PRIMARY KEY,
  secret_hash  text NOT NULL,
  role         text NOT NULL CHECK (role IN ('admin', 'agent', 'manager', 'customer')),
  customer_id  text REFERENCES customers (id),
  label        text NOT NULL CHECK (length(label) > 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz,
  CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);

-- A retried POST /v1/tickets with the same Idempotency-Key gets the ticket the first one opened.
CREATE TABLE idempotency_keys (
  api_key_id     text NOT NULL REFERENCES api_keys (id),
  key            text NOT NULL,
  request_hash   text NOT NULL,
  ticket_number  text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (api_key_id, key)
);
