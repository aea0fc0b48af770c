"""Helpers shared by tests: run the real CLI in a subprocess, with a clean environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def clean_env(**overrides: str) -> dict[str, str]:
    """The current environment without any SMARTCITY_* or PREFECT_* variable, plus ``overrides``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMARTCITY_", "PREFECT_"))}
    env.update(overrides)
    return env


def run_cli(*args: str, env: dict[str, str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``smartcity ARGS`` as a user would, from ``cwd`` (so no stray .env is read)."""
    return subprocess.run(
        [sys.executable, "-m", "smartcity", *args],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


# The real public data the tests read, shipped in the checkout (geodata/sources/SOURCES.md says where
# each file comes from): boundaries/, tables/ and cahyadsn_kel_64/ (upstream .sql files). Tests and
# benchmarks read nothing outside the checkout (tests/test_data_paths.py checks).
DATA = REPO / "geodata" / "sources"


def scalar(engine, statement: str, **params):
    """The single value a SQL statement returns (tests read the database through this)."""
    import sqlalchemy as sa

    with engine.connect() as conn:
        return conn.execute(sa.text(statement), params).scalar()


def latest_artifact(key: str):
    """The data of the newest Prefect artifact with this key (markdown text, or a table's rows), from
    the Prefect API of this process (the session's test harness)."""
    import json

    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        (artifact,) = [a for a in client.read_latest_artifacts() if a.key == key]
    if artifact.type == "table":
        return json.loads(artifact.data) if isinstance(artifact.data, str) else artifact.data
    return artifact.data


def load_demo(engine) -> None:
    """The demo region into ``engine``'s database: Paser's reference data, IKN and the eight demo
    worksheets, as ``./run.sh demo`` loads them (without scoring)."""
    from smartcity.intake.load import ingest_file, load_gazetteer, worksheet_files
    from smartcity.platform.settings import Settings
    from smartcity.reference.ensure import ensure_ikn, ensure_reference

    settings = Settings(_env_file=None)
    ensure_reference(engine, settings)
    ensure_ikn(engine, settings)
    gazetteer = load_gazetteer(engine, "64.01")
    for path in worksheet_files([str(REPO / "geodata" / "demo" / "worksheets")]):
        ingest_file(engine, path, gazetteer)


def paser_villages():
    """Paser's 144 real villages (shipped) as code, name, district_code, geometry (EPSG:4326)."""
    import geopandas as gpd

    frame = gpd.read_file(DATA / "boundaries" / "paser_desa_kelurahan.geojson")
    frame = frame.rename(columns={"kode": "code", "nama": "name"})
    frame["district_code"] = frame["code"].str[:8]
    return frame[["code", "name", "district_code", "geometry"]]


def as_read(text: str) -> str:
    """``text`` as a reader sees it: JSON ``\\uXXXX`` escapes and HTML/XML character references decoded
    (repeatedly: text escaped for HTML and then put in JSON is escaped twice)."""
    import html
    import re

    for _ in range(3):
        decoded = html.unescape(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text))
        if decoded == text:
            break
        text = decoded
    return text
