"""OGC API Features: tipg serves the published views to QGIS and web clients, as the read-only role."""

from __future__ import annotations

import json
import subprocess
import urllib.request

import pytest

from smartcity.platform.errors import SetupError
from smartcity.platform.feature_server import server_command
from smartcity.platform.settings import Settings
from smartcity.scoring.model import load_config
from smartcity.scoring.runs import score_region
from tests.test_pipeline_flow import free_port, wait_for
from tests.test_scoring import demo  # noqa: F401 - the demo region, worksheets loaded

pytestmark = [pytest.mark.db, pytest.mark.e2e]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - loopback test server
        return json.load(response)


def test_tipg_serves_mart_and_ref_collections_and_bbox_queries(demo, pg_creds):  # noqa: F811
    score_region(demo, "64.01", load_config())
    reader = pg_creds.url(reader=True).rsplit("/", 1)[0] + "/" + demo.url.database
    settings = Settings(
        _env_file=None,
        database_url=demo.url.render_as_string(hide_password=False),
        reader_database_url=reader,
    )
    port = free_port()
    argv, env = server_command(settings, "127.0.0.1", port)
    assert "smartcity_reader" in env["DATABASE_URL"]  # never the owner
    server = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/collections", 60)
        ids = {c["id"] for c in get(f"{base}/collections")["collections"]}
        assert {
            "mart.village_priority",
            "mart.district_priority",
            "mart.village_priority_living",
            "mart.district_swot",
            "mart.village_priority_change",
            "ref.village",
        } <= ids
        # Tanah Grogot's surroundings: every feature returned intersects the box
        bbox = (116.15, -1.95, 116.25, -1.85)
        items = get(
            f"{base}/collections/mart.village_priority/items?bbox={','.join(map(str, bbox))}&limit=200"
        )
        assert items["type"] == "FeatureCollection" and 0 < items["numberReturned"] < 144
        for feature in items["features"]:
            assert {"code", "score", "rank", "priority_class", "components"} <= set(feature["properties"])
            xs = [p[0] for ring in feature["geometry"]["coordinates"] for part in ring for p in part]
            ys = [p[1] for ring in feature["geometry"]["coordinates"] for part in ring for p in part]
            assert min(xs) <= bbox[2] and max(xs) >= bbox[0] and min(ys) <= bbox[3] and max(ys) >= bbox[1]
        everything = get(f"{base}/collections/mart.village_priority/items?limit=1000")
        assert everything["numberMatched"] == 144
        one = get(f"{base}/collections/mart.village_priority_living/items/{items['features'][0]['id']}")
        assert one["id"] == items["features"][0]["id"]
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_features_refuse_to_serve_an_external_database_as_its_owner():
    settings = Settings(_env_file=None, database_url="postgresql://owner:secret@db.example/smartcity")
    with pytest.raises(SetupError, match="SMARTCITY_READER_DATABASE_URL"):
        server_command(settings, "127.0.0.1", 8081)


def test_smartcity_features_describes_pages_caches_and_stops_on_sigterm(demo, pg_creds, tmp_path):  # noqa: F811
    import signal
    import socket
    import sys
    import urllib.request

    from smartcity.platform.feature_server import CQL2_CONFORMANCE
    from tests.helpers import clean_env

    score_region(demo, "64.01", load_config())
    reader = pg_creds.url(reader=True).rsplit("/", 1)[0] + "/" + demo.url.database
    port = free_port()
    env = clean_env(
        SMARTCITY_DATABASE_URL=demo.url.render_as_string(hide_password=False),
        SMARTCITY_READER_DATABASE_URL=reader,
        SMARTCITY_STATE_DIR=str(tmp_path / "state"),
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "smartcity", "features", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/collections", 90)
        collections = {c["id"]: c for c in get(f"{base}/collections?limit=100")["collections"]}
        villages = collections["mart.village_priority"]
        assert villages["title"].startswith("Priority score of each village")
        assert villages["description"].startswith("Priority score of each village (desa/kelurahan)")
        assert collections["mart.issue"]["title"].startswith("Every issue as one point layer")
        with urllib.request.urlopen(
            f"{base}/collections/mart.village_priority/items", timeout=30
        ) as response:
            page = json.load(response)  # noqa: S310 - loopback
            cache = response.headers["cache-control"]
        assert page["numberReturned"] == page["numberMatched"] == 144  # the default page holds every village
        assert cache == "no-cache"
        assert set(CQL2_CONFORMANCE) <= set(get(f"{base}/conformance")["conformsTo"])
        living = get(
            f"{base}/collections/mart.issue/items?filter=dimension%3D%27living%27&filter-lang=cql2-text"
        )
        assert living["numberMatched"] > 0 and {f["properties"]["dimension"] for f in living["features"]} == {
            "living"
        }
        with demo.connect() as conn:  # the command's own check connected as the owner, then let go
            owners = conn.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND usename = 'smartcity' AND pid <> pg_backend_pid()"
            ).scalar()
        assert owners == 0
    finally:
        server.send_signal(signal.SIGTERM)
        code = server.wait(timeout=30)
    assert code in (0, -signal.SIGTERM)
    with socket.socket() as sock:  # nothing is left listening on the port
        assert sock.connect_ex(("127.0.0.1", port)) != 0
