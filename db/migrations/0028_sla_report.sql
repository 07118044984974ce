-- The SLA report kept as running totals per customer, priority and month of registration, so that reading it costs
-- the same at a hundred tickets as at a hundred thousand. db/sla-report.ts keeps them in the transaction of each
-- read-model write that changes a ticket's share (activities/ticket-activities.ts) and reads them.

-- A ticket's share of the report: the bucket it counts in and what it counts for, one definition for the backfill
-- below and for every later write. Refused tickets were never the desk's to work, and rows without figures (written
-- before migration 0006) wait for their next revision: neither is counted. Months are read in the desk's zone
-- (messages/desk-zone.ts), whatever the zone of each ticket's calendar.
CREATE VIEW sla_report_shares AS
  SELECT number,
         response_outcome IS NOT NULL AND status <> 'refused' AS counted,
         customer_id,
         priority,
         to_char(opened_at AT TIME ZONE 'Europe/Luxembourg', 'YYYY-MM') AS month,
         response_outcome,
         intervention_outcome,
         resolution_outcome,
         response_business_ms,
         taken_in_charge_at IS NOT NULL AS taken,
         coalesce(taken_in_charge_at < same_day_until, false) AS same_day,
         -- Whether a ticket not yet taken in charge has missed its day depends on when the report is read: such a
         -- ticket is kept by the end of its day, and the report counts those whose day is over. A ticket cancelled
         -- before being taken in charge did not miss its day.
         CASE WHEN taken_in_charge_at IS NULL AND status <> 'cancelled' THEN same_day_until END AS awaiting_until
    FROM tickets;

-- percentile_cont over a sorted array, to the bit: the same positions, the same float8 interpolation
-- (lo + (hi - lo) * fraction), so that the roll-up gives the figures the aggregate over the rows gave.
CREATE FUNCTION sla_percentile(sorted bigint[], fraction float8) RETURNS float8
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE
             WHEN cardinality(sorted) = 0 THEN NULL
             WHEN floor(at) = ceil(at) THEN sorted[floor(at)::int + 1]::float8
             ELSE sorted[floor(at)::int + 1]::float8
                  + (sorted[ceil(at)::int + 1]::float8 - sorted[floor(at)::int + 1]::float8) * (at - floor(at))
           END
      FROM (SELECT fraction * (cardinality(sorted) - 1) AS at) AS position
  $$;

-- A sorted array with one occurrence of `removed` taken out and `added` put in its place in the order; either may be
-- null. A value that is not there is not removed: the write goes on rather than fail on every retry.
CREATE FUNCTION sla_sorted_replace(sorted bigint[], removed bigint, added bigint) RETURNS bigint[]
  LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
      at integer;
    BEGIN
      IF removed IS NOT NULL THEN
        at := array_position(sorted, removed);
        IF at IS NOT NULL THEN
          sorted := sorted[:at - 1] || sorted[at + 1:];
        END IF;
      END IF;
      IF added IS NOT NULL THEN
        at := (SELECT count(*) FROM unnest(sorted) AS value WHERE value <= added);
        sorted := sorted[:at] || added || sorted[at + 1:];
      END IF;
      RETURN sorted;
    END
  $$;

-- Percentiles cannot be added up: each bucket keeps every time to respond, sorted, and its median and p90 are
-- computed from them when they change, so that reading them is two columns.
CREATE TABLE sla_report (
  customer_id              text NOT NULL,
  priority                 text NOT NULL,
  month                    text NOT NULL,
  tickets                  integer NOT NULL,
  response_met             integer NOT NULL,
  response_breached        integer NOT NULL,
  response_pending         integer NOT NULL,
  response_withdrawn       integer NOT NULL,
  response_no_target       integer NOT NULL,
  intervention_met         integer NOT NULL,
  intervention_breached    integer NOT NULL,
  intervention_pending     integer NOT NULL,
  intervention_withdrawn   integer NOT NULL,
  intervention_no_target   integer NOT NULL,
  resolution_met           integer NOT NULL,
  resolution_breached      integer NOT NULL,
  resolution_pending       integer NOT NULL,
  resolution_withdrawn     integer NOT NULL,
  resolution_no_target     integer NOT NULL,
  taken                    integer NOT NULL,
  same_day                 integer NOT NULL,
  response_ms              bigint[] NOT NULL,
  responded                integer GENERATED ALWAYS AS (cardinality(response_ms)) STORED,
  response_median_ms       float8 GENERATED ALWAYS AS (sla_percentile(response_ms, 0.5)) STORED,
  response_p90_ms          float8 GENERATED ALWAYS AS (sla_percentile(response_ms, 0.9)) STORED,
  PRIMARY KEY (customer_id, priority, month)
);
-- The report's order, and its months from and to without a customer.
CREATE INDEX sla_report_by_month ON sla_report (month, customer_id, priority);

-- Tickets not taken in charge (nor cancelled), by the end of their business day of registration: a bucket has a
-- few such days, and the report counts those that are over when it is read.
CREATE TABLE sla_report_awaiting (
  customer_id     text NOT NULL,
  priority        text NOT NULL,
  month           text NOT NULL,
  same_day_until  timestamptz NOT NULL,
  tickets         integer NOT NULL,
  PRIMARY KEY (customer_id, priority, month, same_day_until)
);

-- Builds both tables from the tickets' shares: the backfill below, and db/sla-report.ts rebuildSlaReport for a
-- database written meanwhile by a Vigil that did not keep them. Ticket writes wait meanwhile, so that none is lost.
CREATE FUNCTION sla_report_rebuild() RETURNS void LANGUAGE sql AS $$
  LOCK TABLE tickets IN SHARE MODE;
  DELETE FROM sla_report;
  DELETE FROM sla_report_awaiting;
  INSERT INTO sla_report
    SELECT customer_id, priority, month, count(*),
           count(*) FILTER (WHERE response_outcome = 'met'), count(*) FILTER (WHERE response_outcome = 'breached'),
           count(*) FILTER (WHERE response_outcome = 'pending'), count(*) FILTER (WHERE response_outcome = 'withdrawn'),
           count(*) FILTER (WHERE response_outcome = 'no-target'),
           count(*) FILTER (WHERE intervention_outcome = 'met'), count(*) FILTER (WHERE intervention_outcome = 'breached'),
           count(*) FILTER (WHERE intervention_outcome = 'pending'), count(*) FILTER (WHERE intervention_outcome = 'withdrawn'),
           count(*) FILTER (WHERE intervention_outcome = 'no-target'),
           count(*) FILTER (WHERE resolution_outcome = 'met'), count(*) FILTER (WHERE resolution_outcome = 'breached'),
           count(*) FILTER (WHERE resolution_outcome = 'pending'), count(*) FILTER (WHERE resolution_outcome = 'withdrawn'),
           count(*) FILTER (WHERE resolution_outcome = 'no-target'),
           count(*) FILTER (WHERE taken), count(*) FILTER (WHERE same_day),
           coalesce(array_agg(response_business_ms ORDER BY response_business_ms) FILTER (WHERE response_business_ms IS NOT NULL), '{}')
      FROM sla_report_shares
     WHERE counted
     GROUP BY customer_id, priority, month;
  INSERT INTO sla_report_awaiting
    SELECT customer_id, priority, month, awaiting_until, count(*)
      FROM sla_report_shares
     WHERE counted AND awaiting_until IS NOT NULL
     GROUP BY customer_id, priority, month, awaiting_until;
$$;

SELECT sla_report_rebuild();
