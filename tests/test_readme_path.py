"""The README's path, in a fresh state folder, with the product's own commands only: `smartcity db up`
makes a local cluster, the demo runs, `smartcity features` serves the priorities to a client as the
read-only role, the GeoPackage opens with GDAL, `smartcity db down` stops it all. Nothing here is made
by a fixture, so what users get is what is tested."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request

import pytest

from tests.helpers import REPO, clean_env, run_cli
from tests.test_pipeline_flow import free_port, wait_for

pytestmark = [pytest.mark.db, pytest.mark.e2e]


def test_db_up_demo_features_geopackage_db_down(tmp_path, prefect_server):
    env = clean_env(
        SMARTCITY_STATE_DIR=str(tmp_path / "state"),
        SMARTCITY_OUTPUT_DIR=str(tmp_path / "output"),
        SMARTCITY_LOCAL_PG_FAST="true",
        SMARTCITY_AGENCY_ROSTER=str(REPO / "geodata" / "demo" / "agency_roster.csv"),
        PREFECT_API_URL=prefect_server,  # a server that is up (the Prefect side is tested elsewhere)
    )
    up = run_cli("db", "up", env=env, cwd=tmp_path)
    assert up.returncode == 0, up.stderr
    try:
        demo = run_cli("run", "--inbox", str(REPO / "geodata" / "demo" / "worksheets"), env=env, cwd=tmp_path,
                       timeout=600)  # fmt: skip
        assert demo.returncode == 0, demo.stderr[-3000:]
        (gpkg,) = (tmp_path / "output" / "site").glob("*/data/*.gpkg")
        info = subprocess.run(["ogrinfo", "-ro", "-so", "-al", str(gpkg)], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        village_layer = info.split("Layer name: village_priority", 1)[1].split("Layer name:", 1)[0]
        assert "Geometry: Multi Polygon" in village_layer and "Feature Count: 144" in village_layer

        port = free_port()
        command = [sys.executable, "-m", "smartcity", "features", "--port", str(port)]
        server = subprocess.Popen(
            command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/collections", 120)
            with urllib.request.urlopen(f"{base}/collections/mart.village_priority/items", timeout=30) as r:  # noqa: S310
                page = json.load(r)
            assert page["numberMatched"] == page["numberReturned"] == 144
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        url = run_cli("db", "url", "--reader", env=env, cwd=tmp_path)
        assert "smartcity_reader" in url.stdout
    finally:
        down = run_cli("db", "down", env=env, cwd=tmp_path)
    assert down.returncode == 0, down.stderr
    status = run_cli("db", "status", env=env, cwd=tmp_path)
    assert "stopped" in status.stdout.lower() or "not running" in status.stdout.lower(), status.stdout
