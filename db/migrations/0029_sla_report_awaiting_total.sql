-- Each bucket of the SLA report also counts its tickets not taken in charge (nor cancelled), so that a reading takes
-- away those whose business day is not over yet, the few registered in the last days, instead of adding up those
-- whose day is over: up to a row of sla_report_awaiting per business day of every month read, which grew the reading
-- with the tickets until each month had one for each of its days.
ALTER TABLE sla_report ADD COLUMN awaiting integer NOT NULL DEFAULT 0;

-- The rebuild of migration 0028 fills the other counters; the total follows from the days it filled.
ALTER FUNCTION sla_report_rebuild() RENAME TO sla_report_rebuild_counts;
CREATE FUNCTION sla_report_rebuild() RETURNS void LANGUAGE sql AS $$
  SELECT sla_report_rebuild_counts();
  UPDATE sla_report r SET awaiting = days.tickets
    FROM (SELECT customer_id, priority, month, sum(tickets) AS tickets FROM sla_report_awaiting GROUP BY customer_id, priority, month) AS days
   WHERE (r.customer_id, r.priority, r.month) = (days.customer_id, days.priority, days.month);
$$;

SELECT sla_report_rebuild();
