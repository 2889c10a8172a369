#!/usr/bin/env bash
# The soak drill (ops/SOAK.md): three replicas behind nginx, PgBouncer in front
# of a private PostgreSQL, a mixed load while boxes are killed and restarted.
#
#   bash ops/soak.sh [--duration-secs 600] [--keep] [other accord-soak flags]
#
# Release build (as production). Set ACCORD_PGBOUNCER to a PgBouncer >= 1.21.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec nice cargo run --release -p accord-bench --bin accord-soak -- "$@"
