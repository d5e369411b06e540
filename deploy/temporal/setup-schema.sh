#!/bin/sh
# One-shot (temporalio/admin-tools): creates Temporal's two databases on PostgreSQL and brings their schemas
# to the version this admin-tools image ships, on first start and after an image upgrade alike.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
PORT="${DB_PORT:-5432}"

echo "Waiting for PostgreSQL at ${POSTGRES_SEEDS}:${PORT}..."
until nc -z -w 5 "$POSTGRES_SEEDS" "$PORT"; do sleep 1; done

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) schema=temporal ;;
    *) schema=visibility ;;
  esac
  sql() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$PORT" -u "$POSTGRES_USER" --db "$db" "$@"; }
  # `create` fails when the database exists (a restart): that is fine, the versioned update below is idempotent.
  sql create || echo "database $db already exists"
  sql setup-schema -v 0.0 || echo "schema of $db already set up"
  sql update-schema -d "/etc/temporal/schema/postgresql/v12/${schema}/versioned"
done
echo "Temporal schemas are up to date."
