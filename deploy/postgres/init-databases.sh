#!/bin/sh
# One role and one database per service, each role able to reach its own database only (a service
# never reads another's data). Run by the postgres image on an empty data directory; safe to run
# again by hand: `docker compose exec postgres sh /docker-entrypoint-initdb.d/10-databases.sh`.
#
# SERVICE_DATABASES: the names, e.g. "org members cards"; each one's password is in
# DB_PASSWORD_<NAME> (upper case), the same value the service's <NAME>_DATABASE_URL carries.
set -eu

for name in ${SERVICE_DATABASES}; do
    upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
    password=$(printenv "DB_PASSWORD_${upper}" || true)
    if [ -z "$password" ]; then
        echo "DB_PASSWORD_${upper} is not set" >&2
        exit 1
    fi
    psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
        -v name="$name" -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'name', :'password')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name')\gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'name', :'password')\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'name', :'name')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name')\gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name')\gexec
SQL
    echo "database ${name} ready"
done
