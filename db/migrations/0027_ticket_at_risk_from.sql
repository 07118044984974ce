-- When an open ticket is at risk: the first warning of one of its running clocks (domain/sla/clock.ts atRiskFrom),
-- written by recordTicketState with each revision, so that the board, GET /v1/tickets?atRisk=true and
-- GET /v1/reports/at-risk ask `at_risk_from <= now` of one definition. Rows written before this migration keep null
-- until their next revision; a ticket reaching its first warning is written anew then (its threshold notice is one),
-- so it is listed at risk from that instant on.
ALTER TABLE tickets ADD COLUMN at_risk_from timestamptz;
CREATE INDEX tickets_open_at_risk ON tickets (at_risk_from) WHERE status NOT IN ('closed', 'cancelled', 'refused');
