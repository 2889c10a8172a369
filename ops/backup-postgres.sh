#!/usr/bin/env bash
# Back up Accord's PostgreSQL database with pg_dump, while the server runs.
#
#   DATABASE_URL=postgres://accord@db/accord bash ops/backup-postgres.sh /var/backups/accord/accord-$(date +%F).dump
#
# pg_dump reads one consistent snapshot (a single REPEATABLE READ transaction),
# so writes may go on meanwhile. The dump is PostgreSQL's custom format
# (compressed; restore it with ops/restore-postgres.sh). It holds case
# identities only as ciphertext: ACCORD_IDENTITY_KEYS and ACCORD_JWT_SECRET are
# not in the database and must be kept apart from every copy of it.
#
# Exit status: 0 written and readable, 1 pg_dump or the check failed, 2 usage.
set -euo pipefail

out=${1:-}
if [[ -z $out || -z ${DATABASE_URL:-} ]]; then
    echo "usage: DATABASE_URL=postgres://… $0 OUTPUT.dump" >&2
    exit 2
fi
if [[ -e $out ]]; then
    echo "backup-postgres.sh: $out exists; give a new file" >&2
    exit 2
fi
command -v pg_dump >/dev/null || { echo "backup-postgres.sh: pg_dump not installed (postgresql-client)" >&2; exit 2; }

umask 077
partial="$out.partial"
trap 'rm -f "$partial"' EXIT
pg_dump --format=custom --no-owner --no-privileges --file="$partial" "$DATABASE_URL"
# A dump that cannot be listed cannot be restored: check before calling it done.
tables=$(pg_restore --list "$partial" | grep -c ' TABLE DATA ' || true)
if [[ $tables -lt 1 ]]; then
    echo "backup-postgres.sh: the dump lists no table data; not keeping it" >&2
    exit 1
fi
mv "$partial" "$out"
trap - EXIT
echo "backup-postgres.sh: $out written ($(wc -c <"$out") bytes, $tables tables); keys are not in it"
