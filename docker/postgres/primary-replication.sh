#!/bin/sh
# Run once by the official postgres image when it creates the primary's database (it runs every
# file of /docker-entrypoint-initdb.d on an empty data directory): a role the replica streams as,
# a physical replication slot that keeps the WAL the replica has not yet received, and the
# pg_hba.conf entry that lets the role connect for replication. See docker-compose.yml.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('replica1');
SQL
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
