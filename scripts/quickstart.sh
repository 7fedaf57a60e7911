#!/bin/sh
# The README's quick start: install what is missing, then `make run` (build
# and boot a guest) or `make check` (build and run every test).
set -e
cd "$(dirname "$0")/.."
case "${1:-}" in
run|check|bench) ;;
*) echo "usage: scripts/quickstart.sh run|check|bench" >&2; exit 1 ;;
esac
sh scripts/install-deps.sh
exec make "$1"
