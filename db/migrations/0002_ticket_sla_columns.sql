-- What desks filter and sort the queue by: breached tickets, and the next deadline of a running clock.
ALTER TABLE tickets ADD COLUMN sla_breached boolean NOT NULL DEFAULT false;
ALTER TABLE tickets ADD COLUMN next_deadline timestamptz;
CREATE INDEX tickets_open_by_deadline ON tickets (next_deadline) WHERE status NOT IN ('closed', 'cancelled');
