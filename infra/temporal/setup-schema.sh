#!/bin/sh
# Creates, or brings up to the schema of the temporal-sql-tool that runs it, the two databases of the Temporal server of
# infra/temporal/server.yaml on PostgreSQL: `temporal` (histories, timers, task queues) and `temporal_visibility` (SQL
# visibility: what the Web UI lists and the search attributes filter). Every step is safe to run again: an existing
# database is kept, and update-schema applies only the versions it has not applied yet, so the same script sets up a
# new database and upgrades an old one after the server's version is raised.
# Run here by infra/temporal-server.ts, and by docker-compose.yml's temporal-schema service: same variables as
# server.yaml (VIGIL_TEMPORAL_DB_HOST, _PORT, _USER, _PASSWORD), and TEMPORAL_SQL_TOOL if the tool is not on PATH.
set -eu
tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"

sql_tool() {
  "$tool" --plugin postgres12 --endpoint "${VIGIL_TEMPORAL_DB_HOST:-127.0.0.1}" --port "${VIGIL_TEMPORAL_DB_PORT:-5432}" \
    --user "${VIGIL_TEMPORAL_DB_USER:-temporal}" --password "${VIGIL_TEMPORAL_DB_PASSWORD:-temporal}" "$@"
}

# The schemas are the ones embedded in the tool (go.temporal.io/server/schema), so the tool and the server it was
# built with always agree.
for pair in temporal:postgresql/v12/temporal temporal_visibility:postgresql/v12/visibility; do
  database="${pair%%:*}"
  schema="${pair#*:}"
  sql_tool --database "$database" create-database
  sql_tool --database "$database" setup-schema --version 0.0
  sql_tool --database "$database" update-schema --schema-name "$schema"
done
