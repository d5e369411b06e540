#!/bin/sh
# One-shot (temporalio/admin-tools): creates Temporal's two databases on PostgreSQL and brings their schemas
# to the version this admin-tools image ships, on first start and after an image upgrade alike.
# DBNAME and VISIBILITY_DBNAME are the names temporalio/server reads (its defaults are these scripts' too);
# TEMPORAL_SCHEMA_DIR is where admin-tools keeps the schema files (scripts/verify-temporal-without-docker.ts points it
# at the server module's schema/ folder).
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
PORT="${DB_PORT:-5432}"
SCHEMA_DIR="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}"

echo "Waiting for PostgreSQL at ${POSTGRES_SEEDS}:${PORT}..."
until nc -z -w 5 "$POSTGRES_SEEDS" "$PORT"; do sleep 1; done

# migrate DATABASE SCHEMA: SCHEMA is `temporal` or `visibility`, the folders under postgresql/v12.
migrate() {
  db="$1"
  schema="$2"
  sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" --db "$db" "$@"; }
  # `create` fails when the database exists (a restart): that is fine, the versioned update below is idempotent.
  sql create || echo "database $db already exists"
  sql setup-schema -v 0.0 || echo "schema of $db already set up"
  sql update-schema -d "${SCHEMA_DIR}/postgresql/v12/${schema}/versioned"
}
migrate "${DBNAME:-temporal}" temporal
migrate "${VISIBILITY_DBNAME:-temporal_visibility}" visibility
echo "Temporal schemas are up to date."
