#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian/Ubuntu machine, then the Python environment.
# Safe to run again: each step is skipped when already done. Called by `make demo` and `make test`.
#   - Debian packages (only when missing): PostgreSQL server + PostGIS, python3-venv; with
#     SMARTCITY_BOOTSTRAP_BROWSER=1 (./run.sh test sets it) also chromium + chromium-driver for browser tests,
#     gdal-bin, python3-qgis and qgis-providers for the GIS client tests (tests/test_gis.py).
#     Installed with apt-get when run as root, with sudo otherwise (if sudo works without a prompt).
#   - .venv with the project and its dev extra at exactly the versions of uv.lock, installed with uv
#     (uv itself comes from the package index into .venv when it is not on the PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf 'bootstrap: %s\n' "$*" >&2; }

apt_install() {
    local runner=()
    if [[ $(id -u) -ne 0 ]]; then
        if sudo -n true 2>/dev/null; then runner=(sudo -n); else
            log "missing Debian packages: $*"
            log "install them as root: apt-get install -y $*  (or set SMARTCITY_DATABASE_URL)"
            exit 1
        fi
    fi
    log "installing Debian packages: $*"
    export DEBIAN_FRONTEND=noninteractive
    "${runner[@]}" apt-get update -qq
    "${runner[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

pg_major() {
    # Newest PostgreSQL server installed, else the version Debian/Ubuntu would install.
    local found
    found=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sed -E 's#.*/postgresql/([0-9]+)/.*#\1#' | sort -n | tail -1)
    if [[ -n $found ]]; then echo "$found"; return; fi
    apt-cache policy postgresql 2>/dev/null | sed -nE 's/^ *Candidate: ([0-9]+)\+.*/\1/p'
}

need=()
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
if [[ -z ${SMARTCITY_DATABASE_URL:-} ]]; then
    major=$(pg_major || true)
    if [[ -z $major ]]; then
        # apt lists may be empty on a fresh machine: refresh them once to learn the version.
        [[ $(id -u) -eq 0 ]] && apt-get update -qq
        major=$(pg_major || true)
    fi
    [[ -n $major ]] || { log "cannot tell which PostgreSQL to install (apt-cache policy postgresql)"; exit 1; }
    [[ -x /usr/lib/postgresql/$major/bin/initdb ]] || need+=("postgresql-$major")
    [[ -f /usr/share/postgresql/$major/extension/postgis.control ]] || need+=("postgresql-$major-postgis-3")
fi
if [[ ${SMARTCITY_BOOTSTRAP_BROWSER:-} == 1 ]]; then
    [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] || need+=(chromium chromium-driver)
    [[ -x /usr/bin/soffice ]] || need+=(libreoffice-writer)  # the master plan document opens and converts
    # the issue workbook and the agencies' workbooks print through LibreOffice Calc
    [[ -d /usr/lib/libreoffice/program ]] && [[ -e /usr/lib/libreoffice/program/libsclo.so ]] \
        || need+=(libreoffice-calc)
    # Arial's metrics (Liberation Sans): the document's tables are sized with them
    [[ -f /usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf ]] || need+=(fonts-liberation2)
    [[ -x /usr/bin/pdftotext ]] || need+=(poppler-utils)
    # GIS clients the tests open the published files and the database with: GDAL's tools, QGIS (PyQGIS)
    [[ -x /usr/bin/ogrinfo && -x /usr/bin/ogr2ogr ]] || need+=(gdal-bin)
    /usr/bin/python3 -c 'import qgis.core' 2>/dev/null || need+=(python3-qgis qgis-providers)
fi
if [[ ${#need[@]} -gt 0 ]]; then apt_install "${need[@]}"; fi

# Python environment: exactly the versions of uv.lock, installed by uv. A stamp records what was
# installed, so a second run costs nothing.
PYTHON=${PYTHON:-python3}
stamp=.venv/.smartcity-installed
want=$( (cat pyproject.toml uv.lock; echo bytecode) | sha256sum | cut -c1-16)
compile_project() {
    # Our own modules as bytecode too (quietly skipped when up to date). Python reads .pyc files even
    # where PYTHONDONTWRITEBYTECODE forbids writing them, as on many CI machines and containers.
    .venv/bin/python -m compileall -q -j 0 smartcity flows tasks maps >/dev/null || true
}
if [[ -f $stamp && $(cat "$stamp") == "$want" && -x .venv/bin/smartcity ]]; then compile_project; exit 0; fi
[[ -x .venv/bin/python ]] || "$PYTHON" -m venv .venv
uv=$(command -v uv || true)
if [[ -z $uv ]]; then
    # uv is not on the PATH: take the locked release from the package index into the venv (a few
    # seconds), so a fresh machine gets the fast, exact install too.
    uv=.venv/bin/uv
    if [[ ! -x $uv ]]; then
        version=$(sed -n '/^name = "uv"$/{n;s/^version = "\(.*\)"$/\1/p;q}' uv.lock)
        log "installing uv ${version:-(latest)} into .venv"
        .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv${version:+==$version}"
    fi
fi
log "installing the locked versions (uv.lock) with $uv"
# --locked: refuse (rather than quietly re-resolve) when uv.lock no longer matches pyproject.toml
# --compile-bytecode: installed as .pyc, so no command compiles Prefect, SQLAlchemy, pandas ... from source
# on every start (measured: `import prefect` 2.6 s -> 1.2 s, `smartcity db url` 2.8 s -> 0.6 s); it
# matters most where PYTHONDONTWRITEBYTECODE is set and Python would never keep what it compiled.
UV_PROJECT_ENVIRONMENT=.venv "$uv" sync --locked --extra dev --quiet --compile-bytecode --python .venv/bin/python
compile_project
echo "$want" > "$stamp"
