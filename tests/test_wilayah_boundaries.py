"""Village boundaries from cahyadsn/wilayah_boundaries: parsing the upstream SQL, and downloading it.

Parsing runs on the unmodified upstream files of province 64 (East Kalimantan) and on small synthetic
SQL texts. Downloads go through a real HTTP server on 127.0.0.1 that mirrors the upstream layout
(``db/kel/64`` is a symlink to the raw files), or that misbehaves on purpose; nothing is mocked.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from smartcity.platform.errors import FetchError, InputError
from smartcity.reference.wilayah_boundaries import (
    DEFAULT_BASE_URL,
    download_regency_villages,
    parse_boundaries_sql,
    read_boundaries_sql,
    regency_file_url,
)
from tests.helpers import DATA

RAW = DATA / "cahyadsn_kel_64"
PASER = RAW / "wilayah_boundaries_kel_64.01.sql"
PPU = RAW / "wilayah_boundaries_kel_64.09.sql"

# Synthetic paths, in the upstream's [lat, lng] order.
SQUARE = [[-1.0, 116.0], [-1.0, 117.0], [-2.0, 117.0], [-2.0, 116.0], [-1.0, 116.0]]
HOLE = [[-1.4, 116.4], [-1.4, 116.6], [-1.6, 116.6], [-1.6, 116.4], [-1.4, 116.4]]
ISLAND = [[-3.0, 118.0], [-3.0, 118.5], [-3.5, 118.5], [-3.0, 118.0]]


def record(kode: str, path: object, *, nama: str = "'Desa'", lat: str = "-1.5", lng: str = "116.5") -> str:
    """One upstream tuple; ``nama`` is given as a SQL literal, ``path`` as JSON (or raw text)."""
    path_text = path if isinstance(path, str) else json.dumps(path)
    return f"('{kode}',{nama},{lat},{lng},'{path_text}')"


HEADER = (
    "/*\nMIT License; copyright (c) 2025 by cahya dsn\n*/\n"
    "DELETE FROM wilayah_boundaries WHERE kode LIKE '64.01.%' AND LENGTH(kode)=13;\n"
)
INSERT = "INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path) VALUES\n\t"


def sql_file(*records: str) -> str:
    """An upstream-shaped file: license comment, DELETE, one INSERT of ``records``."""
    return "".join([HEADER, INSERT, ",\n\t".join(records), ";\n"])


# --- parsing the real upstream files --------------------------------------------------------------


def test_paser_file_gives_its_144_villages_in_lon_lat():
    villages = read_boundaries_sql(PASER)

    assert len(villages) == 144
    assert villages.crs.to_epsg() == 4326
    assert list(villages.columns) == ["kode", "nama", "centroid_lat", "centroid_lng", "geometry"]
    assert villages["kode"].is_unique
    assert villages["kode"].str.startswith("64.01.").all()
    assert set(villages.geom_type) <= {"Polygon", "MultiPolygon"}
    # [lat, lng] was swapped: Paser lies at lon 115.4..116.8, lat -2.6..-1.0 (unswapped, x would be ~-1.9).
    points = shapely.point_on_surface(villages.geometry.values)
    x, y = shapely.get_x(points), shapely.get_y(points)
    assert ((x > 115.4) & (x < 116.8)).all(), (x.min(), x.max())
    assert ((y > -2.6) & (y < -1.0)).all(), (y.min(), y.max())


def test_upstream_centroid_matches_the_geometry():
    villages = read_boundaries_sql(PASER)

    centroids = shapely.centroid(villages.geometry.values)
    distance = np.hypot(
        shapely.get_x(centroids) - villages["centroid_lng"],
        shapely.get_y(centroids) - villages["centroid_lat"],
    )
    # Upstream computed them from the same rings: they agree to ~0.0004 deg; 0.01 deg is about 1 km.
    assert (distance < 0.01).all(), villages.loc[distance.idxmax(), "kode"]


def test_the_shipped_regencies_parse_to_198_unique_villages():
    # Paser (144) and Penajam Paser Utara (54), the upstream files shipped in geodata/sources; a quoted
    # name (Long La'ai, written 'Long La''ai' upstream in Mahakam Ulu) is covered by the synthetic tests
    files = sorted(RAW.glob("wilayah_boundaries_kel_64.*.sql"))
    villages = pd.concat([read_boundaries_sql(path) for path in files], ignore_index=True)

    assert [f.name for f in files] == ["wilayah_boundaries_kel_64.01.sql", "wilayah_boundaries_kel_64.09.sql"]
    assert len(villages) == 198
    assert villages["kode"].is_unique
    assert set(villages.geom_type) == {"Polygon", "MultiPolygon"}


# --- parsing synthetic SQL: quoting, shapes, errors ---------------------------------------------


@pytest.mark.parametrize(
    ("literal", "name"),
    [
        (r"'Long La\'ai'", "Long La'ai"),
        ("'Long La''ai'", "Long La'ai"),
        (r"'Tanah Grogot \\ Kota'", "Tanah Grogot \\ Kota"),
        ("'Kuaro, Ujung (lama); baru'", "Kuaro, Ujung (lama); baru"),
    ],
)
def test_names_keep_their_quotes_and_punctuation(literal, name):
    villages = parse_boundaries_sql(sql_file(record("64.01.01.2001", [SQUARE], nama=literal)))

    assert villages.loc[0, "nama"] == name


def test_a_polygon_is_swapped_to_lon_lat_and_keeps_its_hole():
    villages = parse_boundaries_sql(
        sql_file(record("64.01.01.2001", [SQUARE, HOLE], lat="-1.5", lng="116.5"))
    )

    polygon = villages.geometry[0]
    assert polygon.geom_type == "Polygon"
    assert polygon.bounds == (116.0, -2.0, 117.0, -1.0)
    assert len(polygon.interiors) == 1
    assert polygon.area == pytest.approx(1.0 - 0.04)
    assert (villages.loc[0, "centroid_lat"], villages.loc[0, "centroid_lng"]) == (-1.5, 116.5)


def test_a_depth_four_path_is_a_multipolygon_in_file_order():
    text = sql_file(
        record("64.01.01.2001", [[SQUARE, HOLE], [ISLAND]]),
        record("64.01.01.2002", [SQUARE]),
    )

    villages = parse_boundaries_sql(text)

    assert list(villages["kode"]) == ["64.01.01.2001", "64.01.01.2002"]
    multi = villages.geometry[0]
    assert multi.geom_type == "MultiPolygon"
    assert len(multi.geoms) == 2
    assert len(multi.geoms[0].interiors) == 1
    assert multi.geoms[1].bounds == (118.0, -3.5, 118.5, -3.0)


def test_geometry_is_built_as_given_not_repaired():
    bowtie = [[-1.0, 116.0], [-2.0, 117.0], [-1.0, 117.0], [-2.0, 116.0], [-1.0, 116.0]]

    villages = parse_boundaries_sql(sql_file(record("64.01.01.2001", [bowtie])))

    assert not villages.geometry[0].is_valid  # make_valid is the validation step's job


def test_several_inserts_and_other_statements_are_read_together():
    other = "SET NAMES utf8mb4; -- a comment with a ' quote\n"
    text = "".join(
        [sql_file(record("64.01.01.2001", [SQUARE])), other, INSERT, record("64.01.01.2002", [SQUARE]), ";"]
    )

    assert list(parse_boundaries_sql(text)["kode"]) == ["64.01.01.2001", "64.01.01.2002"]


@pytest.mark.parametrize(
    ("bad_record", "problem"),
    [
        (record("64.01.01.2002", "[[[-1.0,116.0],[-1.0,117.0]"), "path is not valid JSON"),
        (record("64.01.01.2002", SQUARE), "nesting depth 2"),
        (record("64.01.01.2002", [SQUARE[:2]]), "cannot build a polygon"),
        (record("64.01.01.2002", [[[-1.0, 116.0, 3.0]] * 4]), "ring 1 is not a list of [lat, lng] pairs"),
        (record("64.01.01.2002", [SQUARE], lat="'utara'"), "lat is not a number"),
        ("('64.01.01.2002','Desa',-1.5,116.5)", "has 4 values, expected 5"),
        (record("6401012002", [SQUARE]), "not a dotted village code"),
        (record("64.01.01.2001", [SQUARE]), "kode repeats record 1"),
    ],
)
def test_a_malformed_record_is_named_by_source_ordinal_and_code(bad_record, problem):
    text = sql_file(record("64.01.01.2001", [SQUARE]), bad_record, record("64.01.01.2003", [SQUARE]))

    with pytest.raises(InputError) as caught:
        parse_boundaries_sql(text, source="kel_64.01.sql")

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("kel_64.01.sql: record 2 (")
    assert "line 7" in message
    assert problem in message


@pytest.mark.parametrize(
    ("statements", "where", "problem"),
    [
        (
            f"INSERT INTO wilayah_boundaries VALUES\n{record('64.01.01.2001', [SQUARE])}\n(",
            4,
            "after a record",
        ),
        ("INSERT INTO wilayah_boundaries(kode,nama) VALUES\n('64.01.01.2001','Desa');", 2, "lists columns"),
        ("INSERT INTO wilayah_boundaries\nSELECT * FROM staging;", 3, "expected VALUES"),
    ],
)
def test_a_broken_statement_is_named_by_line(statements, where, problem):
    text = "/* license */\n" + statements

    with pytest.raises(InputError) as caught:
        parse_boundaries_sql(text, source="x.sql")

    assert str(caught.value).startswith(f"x.sql: line {where}: ")
    assert problem in str(caught.value)


@pytest.mark.parametrize("text", ["", "/* only a license */\nDELETE FROM wilayah_boundaries;\n"])
def test_a_file_without_records_is_refused(tmp_path, text):
    path = tmp_path / "wilayah_boundaries_kel_64.01.sql"
    path.write_text(text)

    with pytest.raises(InputError, match="no INSERT INTO wilayah_boundaries records") as caught:
        read_boundaries_sql(path)

    assert str(path) in str(caught.value)


def test_a_latin1_file_is_read(tmp_path):
    path = tmp_path / "latin1.sql"
    path.write_bytes(sql_file(record("64.01.01.2001", [SQUARE], nama="'Sungai T\xe9ras'")).encode("latin-1"))

    assert read_boundaries_sql(path).loc[0, "nama"] == "Sungai T\xe9ras"


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_boundaries_sql(tmp_path / "absent.sql")


# --- file URLs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["6401", "64.01", " 64.01 "])
def test_regency_file_url_follows_the_upstream_layout(code):
    url = regency_file_url(code, "https://mirror.example/wb/")

    assert url == "https://mirror.example/wb/db/kel/64/wilayah_boundaries_kel_64.01.sql"


def test_default_url_points_at_the_upstream_repository():
    assert regency_file_url("64.09", DEFAULT_BASE_URL) == (
        "https://raw.githubusercontent.com/cahyadsn/wilayah_boundaries/main/db/kel/64/wilayah_boundaries_kel_64.09.sql"
    )


@pytest.mark.parametrize("code", ["64.01.04.2012", "64.01.04", "64", "Paser", ""])
def test_regency_file_url_needs_a_regency_code(code):
    with pytest.raises(InputError, match="not a regency code"):
        regency_file_url(code, DEFAULT_BASE_URL)


# --- downloads through a real local HTTP server -------------------------------------------------


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Base URL of a threaded HTTP server on 127.0.0.1 running ``handler``; stopped and closed after."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def mirror_root(tmp_path) -> Path:
    """A folder laid out like the upstream repository: db/kel/64 -> the raw province-64 files."""
    root = tmp_path / "mirror"
    (root / "db" / "kel").mkdir(parents=True)
    (root / "db" / "kel" / "64").symlink_to(RAW, target_is_directory=True)
    return root


def mirror_handler(
    root: Path, failures: tuple[int, ...] = ()
) -> tuple[type[BaseHTTPRequestHandler], list[str]]:
    """A static-file handler over ``root`` answering first each status in ``failures``; its request log."""
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):  # keep the test output quiet
            pass

        def do_GET(self):
            requests.append(self.path)
            if len(requests) <= len(failures):
                self.send_error(failures[len(requests) - 1])
            else:
                super().do_GET()

    return Handler, requests


def test_download_mirrors_upstream_byte_for_byte(mirror_root, tmp_path):
    handler, requests = mirror_handler(mirror_root)
    dest = tmp_path / "downloads"

    with serving(handler) as base_url:
        path = download_regency_villages("6409", dest, base_url=base_url)

    assert path == dest / "wilayah_boundaries_kel_64.09.sql"
    assert path.read_bytes() == PPU.read_bytes()
    assert requests == ["/db/kel/64/wilayah_boundaries_kel_64.09.sql"]
    assert [p.name for p in dest.iterdir()] == [path.name]  # no temporary file left
    villages = read_boundaries_sql(path)
    assert len(villages) == 54
    assert villages["kode"].str.startswith("64.09.").all()


def test_a_missing_regency_is_a_404_without_retries(mirror_root, tmp_path):
    handler, requests = mirror_handler(mirror_root)
    dest = tmp_path / "downloads"

    with serving(handler) as base_url, pytest.raises(FetchError) as caught:
        download_regency_villages("64.99", dest, base_url=base_url, retries=3, backoff=0.01)

    message = str(caught.value)
    assert message.startswith("no village boundaries for regency 64.99 at http://127.0.0.1:")
    assert "(HTTP 404): check the code, or the mirror (--base-url)" in message
    assert "\n" not in message
    assert len(requests) == 1
    assert not dest.exists() or not any(dest.iterdir())


def test_a_forbidden_answer_is_not_retried(mirror_root, tmp_path):
    handler, requests = mirror_handler(mirror_root, failures=(403, 403, 403))

    with serving(handler) as base_url, pytest.raises(FetchError, match="HTTP 403"):
        download_regency_villages("64.09", tmp_path, base_url=base_url, retries=3, backoff=0.01)

    assert len(requests) == 1


@pytest.mark.parametrize("failures", [(503, 503), (429,), (500, 502)])
def test_transient_server_errors_are_retried(mirror_root, tmp_path, failures):
    handler, requests = mirror_handler(mirror_root, failures=failures)

    with serving(handler) as base_url:
        path = download_regency_villages("64.09", tmp_path, base_url=base_url, retries=3, backoff=0.01)

    assert len(requests) == len(failures) + 1
    assert path.read_bytes() == PPU.read_bytes()


def test_a_server_that_keeps_failing_gives_up_after_the_retries(mirror_root, tmp_path):
    handler, requests = mirror_handler(mirror_root, failures=(503,) * 10)
    dest = tmp_path / "downloads"

    with serving(handler) as base_url, pytest.raises(FetchError) as caught:
        download_regency_villages("64.09", dest, base_url=base_url, retries=3, backoff=0.01)

    assert len(requests) == 3
    assert "HTTP 503" in str(caught.value)
    assert "after 3 attempts" in str(caught.value)
    assert not dest.exists()


def free_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_no_server_means_offline_and_points_at_regions_load(tmp_path):
    base_url = f"http://127.0.0.1:{free_port()}"

    with pytest.raises(FetchError) as caught:
        download_regency_villages("64.09", tmp_path, base_url=base_url, timeout=2, retries=3, backoff=0.01)

    message = str(caught.value)
    assert message.startswith("could not reach 127.0.0.1 (connection refused) after 3 attempts")
    assert "offline" in message
    assert "`smartcity regions load PATH`" in message
    assert "\n" not in message
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_never_answers_times_out_and_is_retried(tmp_path):
    requests: list[str] = []
    release = threading.Event()

    class Silent(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            release.wait(10)  # answer nothing until the test is over

    with serving(Silent) as base_url:
        try:
            with pytest.raises(FetchError, match=r"\(timed out\) after 2 attempts"):
                download_regency_villages(
                    "64.09", tmp_path, base_url=base_url, timeout=0.3, retries=2, backoff=0.01
                )
        finally:
            release.set()

    assert len(requests) == 2


def test_an_html_page_is_not_a_boundaries_file(tmp_path):
    class CaptivePortal(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<!DOCTYPE html><html><body>Login to the hotel wifi</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep the test output quiet
            pass

    old = tmp_path / "wilayah_boundaries_kel_64.09.sql"
    old.write_text("previous download")

    with serving(CaptivePortal) as base_url, pytest.raises(FetchError) as caught:
        download_regency_villages("64.09", tmp_path, base_url=base_url, retries=1)

    assert "did not return a boundaries SQL file" in str(caught.value)
    assert "<!DOCTYPE html>" in str(caught.value)
    assert old.read_text() == "previous download"  # the earlier file is kept as it was
    assert list(tmp_path.iterdir()) == [old]


def test_an_invalid_code_is_refused_before_any_request(tmp_path):
    with pytest.raises(InputError, match="not a regency code"):
        download_regency_villages("64.01.04", tmp_path, base_url="http://127.0.0.1:9")
