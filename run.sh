#!/usr/bin/env bash
# The README's two commands, for a fresh Debian/Ubuntu machine (needs only bash; make is optional):
#   ./run.sh demo   run the pipeline on the bundled demo data (starts a local PostGIS when none is configured)
#   ./run.sh test   run the test suite against a real, throwaway PostGIS
# Each installs what is missing first (scripts/bootstrap.sh): Debian packages as root or with sudo,
# then the .venv. Extra arguments go to the command (./run.sh test -k migrations).
set -euo pipefail
cd "$(dirname "$0")"
what=${1:-}
shift || true
case $what in
    demo)
        bash scripts/bootstrap.sh
        export SMARTCITY_AGENCY_ROSTER=${SMARTCITY_AGENCY_ROSTER:-geodata/demo/agency_roster.csv}
        exec .venv/bin/smartcity run --inbox geodata/demo/worksheets "$@"
        ;;
    test)
        export SMARTCITY_BOOTSTRAP_BROWSER=1  # the browser tests need Debian's chromium + chromedriver
        bash scripts/bootstrap.sh
        started=$(date +%s)
        status=0
        .venv/bin/python -m pytest -n auto --dist loadfile "$@" || status=$?  # every core, a file per worker
        echo "run.sh: the tests took $(( $(date +%s) - started )) s on $(nproc) cores (installs not counted)"
        exit $status
        ;;
    *)
        echo "usage: ./run.sh demo|test [args...]" >&2
        exit 2
        ;;
esac
