"""Fuzz the worksheet intake: random bytes, truncated and mutated real workbooks, removed zip entries,
cut XML and wrong suffixes. Every file must end loaded, partial or failed with a one-line reason and a
submission row: never a crash, a hang or a missing row. The files are ingested in a child process
under a memory limit (RLIMIT_AS) with a time limit per file (SIGALRM) and for the whole batch."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from smartcity.reference.load import LoadOptions, load_reference
from tests.conftest import make_settings
from tests.helpers import DATA, REPO, scalar

pytestmark = [pytest.mark.db]

DEMO = REPO / "geodata" / "demo" / "worksheets"
VILLAGES = DATA / "boundaries" / "paser_desa_kelurahan.geojson"
SECONDS_PER_FILE = 10
MEMORY_BYTES = 3 << 30

CHILD = """
import json, resource, signal, sys
from pathlib import Path
import sqlalchemy as sa
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[3]), int(sys.argv[3])))
from smartcity.intake.load import ingest_file, load_gazetteer

class Hang(Exception):
    pass

def alarm(signum, frame):
    raise Hang()

signal.signal(signal.SIGALRM, alarm)
engine = sa.create_engine(sys.argv[1], poolclass=sa.pool.NullPool)
gazetteer = load_gazetteer(engine, "64.01")
for path in sorted(Path(sys.argv[2]).iterdir()):
    signal.alarm(int(sys.argv[4]))
    try:
        r = ingest_file(engine, path, gazetteer)
        line = {"file": path.name, "status": r.status, "id": r.submission_id, "error": r.error}
    except Hang:
        line = {"file": path.name, "status": "hang"}
    except BaseException as exc:
        line = {"file": path.name, "status": "crash", "error": f"{type(exc).__name__}: {exc}"[:300]}
    finally:
        signal.alarm(0)
    print(json.dumps(line), flush=True)
"""


def samples(folder: Path, rng: random.Random) -> None:
    """About 60 hostile variants of the demo worksheets, written to ``folder``."""
    sources = sorted(DEMO.iterdir())
    xlsx = [p for p in sources if p.suffix == ".xlsx"]
    csvs = [p for p in sources if p.suffix == ".csv"]
    for i in range(8):  # random bytes, under every suffix
        size = rng.choice([1, 7, 100, 4096, 70_000])
        (folder / f"random_{i}{rng.choice(['.xlsx', '.csv', '.xls', '.ods'])}").write_bytes(
            rng.randbytes(size)
        )
    for i in range(10):  # truncated anywhere
        source = rng.choice(sources)
        data = source.read_bytes()
        (folder / f"cut_{i}{source.suffix}").write_bytes(data[: rng.randrange(1, len(data))])
    for i in range(12):  # bytes flipped
        source = rng.choice(sources)
        data = bytearray(source.read_bytes())
        for _ in range(rng.choice([1, 5, 50])):
            data[rng.randrange(len(data))] = rng.randrange(256)
        (folder / f"flip_{i}{source.suffix}").write_bytes(bytes(data))
    for i in range(6):  # a zip entry removed
        source = rng.choice(xlsx)
        (folder / f"noentry_{i}.xlsx").write_bytes(_rezip(source, drop=rng))
    for i in range(8):  # an XML part cut or garbled inside a valid zip
        source = rng.choice(xlsx)
        (folder / f"xmlcut_{i}.xlsx").write_bytes(_rezip(source, cut=rng))
    for i, source in enumerate(xlsx[:2]):  # wrong suffixes
        (folder / f"xlsx_as_{i}.csv").write_bytes(source.read_bytes())
        (folder / f"xlsx_as_{i}.ods").write_bytes(source.read_bytes())
    for i, source in enumerate(csvs):
        (folder / f"csv_as_{i}.xlsx").write_bytes(source.read_bytes())
        (folder / f"csv_utf16_{i}.csv").write_bytes(
            source.read_bytes().decode("cp1252", "replace").encode("utf-16-be")
        )
        (folder / f"csv_nul_{i}.csv").write_bytes(source.read_bytes().replace(b";", b"\x00", 3))
    (folder / "empty.csv").write_bytes(b"")
    (folder / "spaces.csv").write_bytes(b" \n\t\n" * 10)
    (folder / "quote.csv").write_bytes(b'Uraian;Dimensi\n"never closed;Smart Living\n')


def _rezip(source: Path, drop: random.Random | None = None, cut: random.Random | None = None) -> bytes:
    with zipfile.ZipFile(source) as book:
        items = [(info, book.read(info)) for info in book.infolist()]
    if drop is not None:
        items.pop(drop.randrange(len(items)))
    if cut is not None:
        index = cut.randrange(len(items))
        info, data = items[index]
        data = data[: cut.randrange(len(data) + 1)] if cut.random() < 0.5 else data.replace(b"<", b"<x", 3)
        items[index] = (info, data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for info, data in items:
            book.writestr(info.filename, data)
    return out.getvalue()


def test_every_hostile_file_ends_loaded_partial_or_failed_with_a_row(engine, tmp_path):
    load_reference(engine, VILLAGES, make_settings(), LoadOptions(regions=["64.01"]))
    folder = tmp_path / "fuzz"
    folder.mkdir()
    samples(folder, random.Random(6401))
    count = len(list(folder.iterdir()))
    url = engine.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, str(folder), str(MEMORY_BYTES), str(SECONDS_PER_FILE)],
        capture_output=True, text=True, timeout=120, cwd=REPO, check=False,
    )  # fmt: skip
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0 and len(lines) == count, done.stderr[-2000:]
    bad = [line for line in lines if line["status"] not in ("loaded", "partial", "failed", "duplicate")]
    assert bad == [], bad
    for line in lines:
        if line["status"] == "failed":
            assert line["id"] is not None and line["error"] and "\n" not in line["error"], line
    received = {line["id"] for line in lines if line["status"] != "duplicate"}
    assert scalar(engine, "SELECT count(*) FROM intake.submission") == len(received)
