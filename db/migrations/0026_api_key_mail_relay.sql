-- The inbound mail process's key: it may say which mail's sender it acts for (X-Vigil-Mail-From), so
-- that a ticket opened or replied to by e-mail records that contact as its actor, channel email. Only an agent key
-- may relay mail; no other key can name someone else as its actor.
ALTER TABLE api_keys ADD COLUMN mail_relay boolean NOT NULL DEFAULT false;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_mail_relay_agent CHECK (NOT mail_relay OR role = 'agent');
