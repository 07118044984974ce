-- Per-ticket figures of the SLA report. Business time needs the ticket's calendar, which SQL does not have:
-- recordTicketState computes them (domain/sla/figures.ts) and the report only aggregates. Rows written before
-- this migration keep nulls until their next revision and stay out of the report meanwhile.
ALTER TABLE tickets
  ADD COLUMN response_outcome      text CHECK (response_outcome IN ('met', 'breached', 'pending', 'withdrawn', 'no-target')),
  ADD COLUMN intervention_outcome  text CHECK (intervention_outcome IN ('met', 'breached', 'pending', 'withdrawn', 'no-target')),
  ADD COLUMN resolution_outcome    text CHECK (resolution_outcome IN ('met', 'breached', 'pending', 'withdrawn', 'no-target')),
  ADD COLUMN taken_in_charge_at    timestamptz,
  ADD COLUMN response_business_ms  bigint CHECK (response_business_ms >= 0),
  -- End of the business day of registration: whether a ticket not yet taken in charge has missed it depends on
  -- when the report is read, so the instant is stored rather than a verdict.
  ADD COLUMN same_day_until        timestamptz;

-- One index per order the list pages through (keyset pagination: the last row's key, never OFFSET).
CREATE INDEX tickets_arrival ON tickets (opened_at, number);
CREATE INDEX tickets_customer_arrival ON tickets (customer_id, opened_at, number);
CREATE INDEX tickets_open_arrival ON tickets (opened_at, number) WHERE status NOT IN ('closed', 'cancelled', 'refused');
-- Replaces the index of 0002, which counted refused tickets as open and could not page (no tie-breaker).
-- Best-effort tickets have no deadline: 'infinity' sends them after every dated one while keeping the key comparable.
DROP INDEX tickets_open_by_deadline;
CREATE INDEX tickets_open_by_deadline ON tickets ((coalesce(next_deadline, 'infinity'::timestamptz)), number)
  WHERE status NOT IN ('closed', 'cancelled', 'refused');
