"""OGC API Features: `smartcity features` serves the published views to QGIS and web clients as the
read-only role, answers data and never SQL, and shows no database error to a visitor.

One server for the module, started by the product's own command on a database the product made (a
copy of the migrated template, whose database-level grants are the product's: see test_test_databases).
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from smartcity.platform.errors import SetupError
from smartcity.platform.feature_server import CQL2_CONFORMANCE, server_command
from smartcity.platform.settings import Settings
from tests.test_pipeline_flow import free_port, wait_for

pytestmark = [pytest.mark.db, pytest.mark.e2e]


def get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback test server
        return json.load(response)


def status_and_body(url: str) -> tuple[int, dict, dict]:
    """(status, JSON body, headers) of a request that may fail."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback test server
            return response.status, json.load(response), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), dict(error.headers)


@dataclass
class Served:
    base: str
    engine: sa.Engine
    log: list[str]
    process: subprocess.Popen


@pytest.fixture(scope="module")
def served(pg_creds, template_db, tmp_path_factory):
    """`smartcity features` on a scored demo database, as a user starts it (the command, not tipg)."""
    from smartcity.scoring.model import load_config
    from smartcity.scoring.runs import score_region
    from tests.conftest import create_database, db_url, drop_database
    from tests.helpers import clean_env, load_demo

    name = "t_features_module"
    drop_database(pg_creds, name)
    create_database(pg_creds, name, template=template_db)
    engine = sa.create_engine(db_url(pg_creds, name), poolclass=sa.pool.NullPool)
    load_demo(engine)
    score_region(engine, "64.01", load_config())
    reader = pg_creds.url(reader=True).rsplit("/", 1)[0] + "/" + name
    port = free_port()
    folder = tmp_path_factory.mktemp("features")
    env = clean_env(
        SMARTCITY_DATABASE_URL=engine.url.render_as_string(hide_password=False),
        SMARTCITY_READER_DATABASE_URL=reader,
        SMARTCITY_STATE_DIR=str(folder / "state"),
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "smartcity", "features", "--port", str(port)],
        env=env, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    log: list[str] = []
    import threading

    threading.Thread(target=lambda: log.extend(iter(process.stdout.readline, "")), daemon=True).start()
    try:
        wait_for(f"http://127.0.0.1:{port}/collections", 120)
        yield Served(f"http://127.0.0.1:{port}", engine, log, process)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        engine.dispose()
        drop_database(pg_creds, name)


def test_it_serves_mart_and_ref_and_answers_bbox_queries(served):
    base = served.base
    ids = {c["id"] for c in get(f"{base}/collections?limit=100")["collections"]}
    assert {
        "mart.village_priority",
        "mart.district_priority",
        "mart.village_priority_living",
        "mart.district_swot",
        "mart.village_priority_change",
        "mart.issue",
        "ref.village",
    } <= ids
    # only what is published: no intake, core or bookkeeping collection, nor tipg's own functions
    assert all(i.split(".")[0] in ("mart", "ref") for i in ids), ids
    bbox = (116.15, -1.95, 116.25, -1.85)  # Tanah Grogot's surroundings: every feature intersects the box
    items = get(f"{base}/collections/mart.village_priority/items?bbox={','.join(map(str, bbox))}&limit=200")
    assert items["type"] == "FeatureCollection" and 0 < items["numberReturned"] < 144
    for feature in items["features"]:
        assert {"code", "score", "rank", "priority_class", "components"} <= set(feature["properties"])
        xs = [p[0] for ring in feature["geometry"]["coordinates"] for part in ring for p in part]
        ys = [p[1] for ring in feature["geometry"]["coordinates"] for part in ring for p in part]
        assert min(xs) <= bbox[2] and max(xs) >= bbox[0] and min(ys) <= bbox[3] and max(ys) >= bbox[1]
    one = get(f"{base}/collections/mart.village_priority_living/items/{items['features'][0]['id']}")
    assert one["id"] == items["features"][0]["id"]


def test_it_describes_pages_caches_and_filters_with_cql2(served):
    base = served.base
    collections = {c["id"]: c for c in get(f"{base}/collections?limit=100")["collections"]}
    villages = collections["mart.village_priority"]
    assert villages["title"].startswith("Priority score of each village")
    assert villages["description"].startswith("Priority score of each village (desa/kelurahan)")
    assert collections["mart.issue"]["title"].startswith("Every issue as one point layer")
    with urllib.request.urlopen(f"{base}/collections/mart.village_priority/items", timeout=30) as response:
        page = json.load(response)  # noqa: S310 - loopback
        cache = response.headers["cache-control"]
        assert len(response.headers["x-request-id"]) == 16
    assert page["numberReturned"] == page["numberMatched"] == 144  # the default page holds every village
    assert cache == "no-cache"
    assert set(CQL2_CONFORMANCE) <= set(get(f"{base}/conformance")["conformsTo"])
    living = get(f"{base}/collections/mart.issue/items?filter=dimension%3D%27living%27&filter-lang=cql2-text")
    assert living["numberMatched"] > 0
    assert {f["properties"]["dimension"] for f in living["features"]} == {"living"}
    assert "raw" not in living["features"][0]["properties"]  # no raw worksheet row is served
    box = "POLYGON((116.15 -1.95,116.25 -1.95,116.25 -1.85,116.15 -1.85,116.15 -1.95))"
    spatial = urllib.parse.quote(f"S_INTERSECTS(geom, {box}) AND score > 0")
    assert get(f"{base}/collections/mart.village_priority/items?filter={spatial}")["numberMatched"] > 0


ATTACKS = {
    # the result of any query, in the error text of a 500
    "query_to_xml": "int4(array_to_string(xpath('//text()',query_to_xml('select rolname from pg_user',"
    "true,true,'')),','))=1",
    "personal data": "int4(array_to_string(xpath('//text()',query_to_xml('select raw from core.issue',"
    "true,true,'')),','))=1",
    "sleep per row": "pg_sleep(2) IS NULL",
    "a function in a comparison": "upper(name) = 'LOLO'",
    "a quoted column that is SQL": '"name"" = name OR 1=1 --" = 1',
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_filter_runs_cql2_operators_only(served, attack):
    query = urllib.parse.quote(ATTACKS[attack])
    url = f"{served.base}/collections/mart.village_priority/items?filter={query}"
    status, body, headers = status_and_body(url)
    assert status == 400, body  # refused by the guard, before tipg and the database see it
    assert body["code"] == "InvalidParameter" and "\n" not in body["description"]
    assert "smartcity_reader" not in json.dumps(body) and "@" not in json.dumps(body)
    assert headers.get("x-request-id")


def test_cql2_json_filters_are_checked_the_same_way(served):
    attack = {"op": "=", "args": [{"op": "current_setting", "args": ["data_directory"]}, "x"]}
    query = urllib.parse.urlencode({"filter": json.dumps(attack), "filter-lang": "cql2-json"})
    status, body, _ = status_and_body(f"{served.base}/collections/mart.village_priority/items?{query}")
    assert status == 400 and "current_setting" in body["description"]
    fine = {"op": "<", "args": [{"property": "rank"}, 4]}
    query = urllib.parse.urlencode({"filter": json.dumps(fine), "filter-lang": "cql2-json"})
    assert get(f"{served.base}/collections/mart.village_priority/items?{query}")["numberMatched"] == 3


@pytest.mark.parametrize("query", ["offset=10000000000000000000000000", "limit=-1", "offset=1&offset=2"])
def test_paging_numbers_postgresql_cannot_take_are_a_400(served, query):
    status, body, _ = status_and_body(f"{served.base}/collections/mart.village_priority/items?{query}")
    assert status == 400 and body["code"] == "InvalidParameter"


def test_a_database_error_reaches_the_visitor_as_a_generic_message_and_the_log_in_full(served):
    # text compared with a number: PostgreSQL refuses ("operator does not exist"), tipg answers 500
    status, body, headers = status_and_body(
        f"{served.base}/collections/mart.village_priority/items?filter={urllib.parse.quote('name > 5')}"
    )
    assert status >= 500
    request_id = headers["x-request-id"]
    assert body == {
        "code": "ServerError",
        "description": f"the server could not answer this request (request id {request_id}); its "
        "administrator can find the details in the server's log",
    }
    deadline = time.monotonic() + 10
    while not any(request_id in line and "operator" in line for line in served.log):
        assert time.monotonic() < deadline, served.log[-5:]
        time.sleep(0.2)


def test_unpublished_tables_are_not_collections(served):
    for collection in ("core.issue", "intake.submission", "intake.rejected_row", "smartcity.pipeline_run"):
        status, _, _ = status_and_body(f"{served.base}/collections/{collection}/items")
        assert status == 404, collection


def test_it_holds_no_owner_connection_and_its_own_are_bounded(served):
    with served.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT usename, application_name FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).all()
    assert rows and {r[0] for r in rows} == {"smartcity_reader"}  # the check's owner connection let go
    assert {r[1] for r in rows} == {"smartcity-features"} and len(rows) <= 10


def test_the_reader_creates_nothing_not_even_temporary_objects(served, pg_creds):
    import psycopg

    reader = pg_creds.url(reader=True).rsplit("/", 1)[0] + "/" + served.engine.url.database
    with psycopg.connect(reader) as conn:
        for statement in (
            "CREATE TEMP TABLE x (a int)",
            "CREATE FUNCTION pg_temp.f() RETURNS int AS 'SELECT 1' LANGUAGE sql",
            "CREATE TABLE tipg.x (a int)",
            "CREATE TABLE mart.x (a int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()


def test_its_connections_stop_a_statement_past_the_timeout(served, pg_creds):
    """The pool the server makes (the same function) sets the timeout on every connection."""
    import asyncio
    import os

    import asyncpg
    from fastapi import FastAPI
    from tipg.settings import PostgresSettings

    from smartcity.platform.feature_server import _connect_to_db

    reader = pg_creds.url(reader=True).rsplit("/", 1)[0] + "/" + served.engine.url.database

    async def attempt():
        app = FastAPI()
        await _connect_to_db(app, schemas=["mart"], settings=PostgresSettings(database_url=reader))
        try:
            async with app.state.pool.acquire() as conn:
                assert await conn.fetchval("SHOW statement_timeout") == "300ms"
                with pytest.raises(asyncpg.exceptions.QueryCanceledError):
                    await conn.fetchval("SELECT pg_sleep(2)")
        finally:
            await app.state.pool.close()

    os.environ["SMARTCITY_FEATURES_STATEMENT_TIMEOUT_S"] = "0.3"
    try:
        asyncio.run(attempt())
    finally:
        del os.environ["SMARTCITY_FEATURES_STATEMENT_TIMEOUT_S"]


def test_it_stops_on_sigterm_and_leaves_nothing_listening(served):
    port = int(served.base.rsplit(":", 1)[1])
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=30) in (0, -signal.SIGTERM)
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def test_features_refuse_to_serve_an_external_database_as_its_owner():
    settings = Settings(_env_file=None, database_url="postgresql://owner:secret@db.example/smartcity")
    with pytest.raises(SetupError, match="SMARTCITY_READER_DATABASE_URL"):
        server_command(settings, "127.0.0.1", 8081)
