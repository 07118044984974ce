-- People who sign in to the web console (issue 13): desk staff and customers' contacts. API keys stay for integrations.
CREATE TABLE users (
  id               bigserial PRIMARY KEY,
  -- Kept as typed; unique whatever its case, since mail systems treat it so.
  email            text NOT NULL CHECK (length(email) BETWEEN 3 AND 320),
  name             text NOT NULL CHECK (length(name) > 0),
  role             text NOT NULL CHECK (role IN ('admin', 'agent', 'manager', 'customer')),
  customer_id      text REFERENCES customers (id),
  -- The console's language; null: the customer's, else English.
  language         text CHECK (language IN ('en', 'fr', 'de', 'nl', 'lb')),
  -- scrypt$N$r$p$salt$hash (db/password-hash.ts); null: no password yet (a sign-in link or a reset sets one).
  password_hash    text,
  -- Consecutive failed sign-ins and, past the limit, until when the password is refused (api/sign-in-limits.ts).
  failed_sign_ins  integer NOT NULL DEFAULT 0,
  locked_until     timestamptz,
  disabled_at      timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- A signed-in browser. Only the SHA-256 of the cookie's random id is kept: a stolen dump signs nobody in.
CREATE TABLE sessions (
  id_hash       text PRIMARY KEY,
  user_id       bigint NOT NULL REFERENCES users (id),
  -- The synchronizer token every form of this session carries (api/web/csrf.ts).
  csrf_token    text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  -- Absolute end, whatever the activity; the idle end is last_seen_at plus the idle limit.
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- One-time links sent by e-mail: sign in without a password (customers), or choose a new password.
CREATE TABLE sign_in_tokens (
  token_hash  text PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id),
  purpose     text NOT NULL CHECK (purpose IN ('sign-in', 'reset')),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_tokens_user ON sign_in_tokens (user_id);
