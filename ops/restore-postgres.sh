#!/usr/bin/env bash
# Restore a dump made by ops/backup-postgres.sh into an EMPTY database.
#
#   createdb -O accord accord_restored
#   bash ops/restore-postgres.sh accord-2026-12-01.dump postgres://accord@db/accord_restored
#
# Then start Accord on it with the same ACCORD_IDENTITY_KEYS (and
# ACCORD_JWT_SECRET) as the server the dump came from: without the keys the
# identity fields cannot be opened. Check it with `accord audit verify`.
#
# All or nothing: one transaction, stopped at the first error.
# Exit status: 0 restored, 1 pg_restore failed, 2 usage or the target is not empty.
set -euo pipefail

dump=${1:-}
target=${2:-}
if [[ -z $dump || -z $target ]]; then
    echo "usage: $0 DUMP postgres://…/EMPTY_DATABASE" >&2
    exit 2
fi
[[ -f $dump ]] || { echo "restore-postgres.sh: no such file: $dump" >&2; exit 2; }
command -v pg_restore >/dev/null || { echo "restore-postgres.sh: pg_restore not installed (postgresql-client)" >&2; exit 2; }

existing=$(psql -X -w -At -v ON_ERROR_STOP=1 -d "$target" \
    -c "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
if [[ $existing != 0 ]]; then
    echo "restore-postgres.sh: the target database already has $existing tables; restore into an empty one" >&2
    exit 2
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target" "$dump"
echo "restore-postgres.sh: restored into the target; now run: DATABASE_URL=… accord audit verify"
