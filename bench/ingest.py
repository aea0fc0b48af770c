"""Benchmark: worksheet intake end to end, split into read, validate, match and load.

Run: .venv/bin/python bench/ingest.py [--rows 100000 1000000] [--xlsx-rows 100000 1000000]
     .venv/bin/python bench/ingest.py --dirty 1000000 --rows --xlsx-rows    (the dirty-file comparison only)
     .venv/bin/python bench/ingest.py --location-rows 1000000 --sheets-rows 100000 --rows --xlsx-rows --dirty
     .venv/bin/python bench/ingest.py --baseline 6efb1d6 --rows 1000000 --xlsx-rows --dirty
Makes a throwaway PostGIS cluster (fast mode), loads the real 144 villages of Paser (shipped in
geodata/sources), generates worksheets (CSV with decimal commas and mixed locations: 40 % codes,
20 % points, 20 % village and district names, 20 % district only; XLSX likewise) and prints rows/s
per stage, and the same rows through a bare binary COPY (into a regular table with the same columns
but no index or constraint), and through a binary COPY that keeps what core.issue promises (its
CHECKs, indexes and foreign keys).

``--dirty N`` (issue 21): N CSV rows of which 15 % are rejected and 30 % carry a warning, against the
same N clean rows, each ingested end to end by a ``smartcity ingest`` process of its own (read,
validate, place, load, the agency's feedback workbook for the dirty one), its fixed start-up (measured
on a one-row file) subtracted, and against ``ogr2ogr`` loading the same CSV into PostGIS with
PG_USE_COPY=YES when ogr2ogr is installed; with each process's peak memory (max RSS).

``--location-rows N`` (issue 17): N CSV rows whose location is ONE free-text column (addresses with
streets, RT and dusun, "Desa X Kec. Y", district-only, regency-wide, and coordinates as decimal pairs
in both orders, with decimal commas, hemisphere letters, DMS, UTM and map links; 30 % points), end to
end, beside the same N rows with separate location columns (the baseline, in the same run).
``--unlisted-rows N`` (issue 27): the same N CSV rows under the usual headers and under headers on no
alias list, so every column is recognised by its content (a sample of each column): the cost of that.
``--sheets-rows N`` (issue 17): an XLSX of N rows spread over 10 sheets named after the dimensions (no
dimension column), beside the same rows on one sheet. ``--baseline REV``: the same benchmark run by the
code of git revision REV (a temporary worktree, this venv), for "no slower than before".
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from unittest import mock
from xml.sax.saxutils import escape

import pandas as pd
import sqlalchemy as sa
from _scratch import new_database, paser_database, scratch_cluster
from psycopg import sql

from smartcity.intake.answer.validation import validate_rows
from smartcity.intake.load import ISSUE_COLUMNS, ingest_file
from smartcity.intake.locate.matching import match_places
from smartcity.intake.read.worksheets import read_workbook
from smartcity.platform import db
from smartcity.platform.settings import Settings
from smartcity.reference.load import LoadOptions, load_reference

REPO = Path(__file__).resolve().parents[1]
VILLAGES = REPO / "geodata" / "sources" / "boundaries" / "paser_desa_kelurahan.geojson"
HEADER = ["Uraian Permasalahan", "Dimensi", "Kategori", "Urgensi", "Kecamatan", "Desa", "Kode Wilayah",
          "Lintang", "Bujur", "Tahun", "OPD"]  # fmt: skip


def generated_rows(n: int) -> list[list[str]]:
    places = pd.read_csv(REPO / "geodata" / "sources" / "paser_places.csv", dtype=str)
    villages = places[places["kind"].isin(["desa", "kelurahan"])].to_dict("records")
    dims = ["Smart Living", "Ekonomi", "GOV", "Smart Environment", "masyarakat", "Branding"]
    swot = ["Kelemahan", "Kekuatan", "Peluang", "Ancaman", "W"]
    rng = random.Random(6401)
    rows = []
    for i in range(n):
        p, kind = villages[rng.randrange(len(villages))], i % 5
        point = kind == 2
        rows.append([
            f"Masalah nomor {i} di {p['name']}", dims[i % 6], swot[i % 5], str(1 + i % 5),
            p["district_name"] if kind in (3, 4) else "", p["name"] if kind == 3 else "",
            p["code"] if kind < 2 else "", p["lat"].replace(".", ",") if point else "",
            p["lon"].replace(".", ",") if point else "", "2025", "Dinas Uji",
        ])  # fmt: skip
    return rows


# the same columns as HEADER under names no alias list has: each is recognised by what it holds
UNLISTED_HEADER = ["Hal yang dirasakan warga", "Bidang", "Sifat temuan", "Seberapa penting", "Wilayah",
                   "Nama tempat", "Nomor induk wilayah", "Posisi U-S", "Posisi B-T", "Periode",
                   "Pengisi lembar"]  # fmt: skip
LOCATION_HEADER = ["Uraian Permasalahan", "Dimensi", "Kategori", "Urgensi", "Lokasi", "Tahun", "OPD"]


def location_rows(n: int) -> list[list[str]]:
    """Rows with one free-text location cell, written the ways agency staff write them (see --location-rows);
    the points are village centres, so every point lies in the region."""
    places = pd.read_csv(REPO / "geodata" / "sources" / "paser_places.csv", dtype=str)
    villages = places[places["kind"].isin(["desa", "kelurahan"])].to_dict("records")
    dims = ["Smart Living", "Ekonomi", "GOV", "Smart Environment", "masyarakat", "Branding"]
    rng = random.Random(6417)
    rows = []
    for i in range(n):
        p, kind = villages[rng.randrange(len(villages))], i % 10
        lat, lon = float(p["lat"]), float(p["lon"])
        if kind < 2:
            where = f"Jl. Poros No. {rng.randrange(1, 200)} RT {rng.randrange(1, 30)}, Desa {p['name']}"
        elif kind == 2:
            where = f"Dusun {rng.randrange(1, 6)}, Desa {p['name']} Kec. {p['district_name']}"
        elif kind == 3:
            where = f"Kec. {p['district_name']}"
        elif kind == 4:
            where = rng.choice(["Seluruh wilayah Kabupaten Paser", "Kab. Paser", "10 Kecamatan"])
        elif kind == 5:
            where = f"{lat:.6f}, {lon:.6f}".replace(".", ",").replace(", ", "; ")
        elif kind == 6:
            where = f"{abs(lat):.5f} LS {lon:.5f} BT"
        elif kind == 7:
            where = f"https://www.google.com/maps?q={lat:.6f},{lon:.6f}"
        elif kind == 8:
            (d, m), (e, f) = divmod(abs(lat) * 60, 60), divmod(lon * 60, 60)
            south, east = f"{(abs(lat) * 3600) % 60:.1f}", f"{(lon * 3600) % 60:.1f}"
            where = f"{int(d)}°{int(m)}'{south}\"S {int(e)}°{int(f)}'{east}\"E"
        else:
            where = f"Kel. {p['name']}"
        rows.append([f"Masalah nomor {i} di {p['name']}", dims[i % 6], "Kelemahan", str(1 + i % 5), where,
                     "2025", "Dinas Uji"])  # fmt: skip
    return rows


def dirtied(rows: list[list[str]]) -> list[list[str]]:
    """The rows with 15 % made unusable (a dimension that is none: rejected) and 30 % made doubtful (no
    urgency: 3 assumed, a warning), spread evenly."""
    for i, row in enumerate(rows):
        if i % 100 < 15:
            row[1] = "Kesehatan"
        elif i % 100 < 45:
            row[3] = ""
    return rows


def timed_process(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, str]:
    """Seconds, peak memory (MB: the process's VmHWM, polled; its own image only, not the memory of
    this benchmark it was forked from) and output."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(argv, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _high_water_kb(process.pid))
            time.sleep(0.05)
        seconds = time.perf_counter() - start
        output.seek(0)
        text = output.read().decode(errors="replace")
    if process.returncode not in (0, 1):  # 1: a file not loaded
        raise RuntimeError(f"{argv[:4]} failed: {text[-2000:]}")
    return seconds, peak / 1024, text


def _high_water_kb(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1])


def bench_dirty(creds, folder: Path, n: int) -> None:
    """Clean vs dirty N rows through `smartcity ingest` processes, vs ogr2ogr (see the module docstring)."""
    url = new_database(creds, f"bench_dirty_{n}")
    db.apply_migrations(sa.create_engine(url, poolclass=sa.pool.NullPool))
    load_reference(sa.create_engine(url, poolclass=sa.pool.NullPool), VILLAGES, Settings(_env_file=None),
                   LoadOptions(regions=["64.01"]))  # fmt: skip
    files = {
        "2 rows (warm-up, Prefect's first start)": write_csv(folder / "warm_up.csv", generated_rows(2)),
        "one row (start-up)": write_csv(folder / "one_row.csv", generated_rows(1)),
        f"clean {n:,}": write_csv(folder / f"clean_{n}.csv", generated_rows(n)),
        f"dirty {n:,} (15 % rejected, 30 % warned)": write_csv(
            folder / f"dirty_{n}.csv", dirtied(generated_rows(n))
        ),
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SMARTCITY_", "PREFECT_"))}
    env.update(SMARTCITY_DATABASE_URL=url, SMARTCITY_STATE_DIR=str(folder / "state"),
               SMARTCITY_OUTPUT_DIR=str(folder / "output"), PREFECT_HOME=str(folder / "prefect"))  # fmt: skip
    print(f"\n== {n:,} CSV rows end to end, one `smartcity ingest` process each (peak memory = max RSS)")
    times = {}
    for label, path in files.items():
        seconds, peak, output = timed_process(
            [sys.executable, "-m", "smartcity", "ingest", str(path)], env, folder
        )
        times[label] = seconds
        print(f"  {label:<44} {seconds:7.2f} s  peak {peak:6.0f} MB", flush=True)
    startup = times["one row (start-up)"]
    clean, dirty = (times[k] - startup for k in list(files)[2:])
    print(
        f"  fixed start-up subtracted: clean {clean:.2f} s, dirty {dirty:.2f} s; "
        f"dirty / clean: {dirty / clean:.2f}x (goal 2x)"
    )
    ogr = shutil.which("ogr2ogr")
    if ogr is None:
        print("  ogr2ogr: not installed (apt-get install gdal-bin), no comparison")
        return
    pg = sa.engine.make_url(url)
    target = (
        f"PG:host={pg.host} port={pg.port} dbname={pg.database} user={pg.username} password={pg.password}"
    )
    argv = [ogr, "-f", "PostgreSQL", target, str(files[f"clean {n:,}"]), "-nln", "public.bench_ogr",
            "-overwrite", "-lco", "GEOMETRY_NAME=geom", "-oo", "SEPARATOR=SEMICOLON",
            "--config", "PG_USE_COPY", "YES"]  # fmt: skip
    seconds, peak, _ = timed_process(argv, {**os.environ, "PG_USE_COPY": "YES"}, folder)
    print(f"  {'ogr2ogr, the clean CSV (PG_USE_COPY=YES)':<44} {seconds:7.2f} s  peak {peak:6.0f} MB")
    print(
        f"  smartcity (start-up subtracted) / ogr2ogr: clean {clean / seconds:.2f}x, "
        f"dirty {dirty / seconds:.2f}x (goal 3x)"
    )


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def write_xlsx(path: Path, rows: list[list[str]], sheets: list[str] | None = None) -> Path:
    """An .xlsx laid out as Excel saves it (texts in the shared-strings table, whole numbers as numbers),
    written directly as SpreadsheetML: openpyxl's write-only mode needs about 2 minutes for a million
    rows, this about 10 s. Checked against openpyxl in test_bench_files.py. One sheet "Data", or the rows
    dealt over ``sheets`` (each with the header, without the dimension column: the sheet's name gives
    it)."""
    letters = [chr(ord("A") + k) for k in range(len(HEADER))]
    strings: dict[str, int] = {}
    names = sheets or ["Data"]

    def cell(ref: str, value: str) -> str:
        if value.isdigit() and len(value) < 10:
            return f'<c r="{ref}"><v>{value}</v></c>'
        index = strings.setdefault(value, len(strings))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    per_sheet = -(-len(rows) // len(names)) if rows else 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for name, text in _xlsx_parts(names).items():
            book.writestr(name, text)
        for k, _ in enumerate(names, start=1):
            part = rows[(k - 1) * per_sheet : k * per_sheet]
            header = HEADER
            if sheets:  # the dimension comes from the sheet's name
                header = [h for h in HEADER if h != "Dimensi"]
                part = [[v for j, v in enumerate(r) if HEADER[j] != "Dimensi"] for r in part]
            with book.open(f"xl/worksheets/sheet{k}.xml", "w") as sheet:
                sheet.write(f"{XML}<worksheet {MAIN}><sheetData>".encode())
                lines = []
                for number, values in enumerate(itertools.chain([header], part), start=1):
                    cells = "".join(
                        cell(f"{a}{number}", v) for a, v in zip(letters, values, strict=False) if v
                    )
                    lines.append(f'<row r="{number}">{cells}</row>')
                    if len(lines) == 10_000:
                        sheet.write("".join(lines).encode())
                        lines.clear()
                sheet.write(("".join(lines) + "</sheetData></worksheet>").encode())
        with book.open("xl/sharedStrings.xml", "w") as table:
            table.write(f'{XML}<sst {MAIN} count="{len(strings)}" uniqueCount="{len(strings)}">'.encode())
            for start in range(0, len(strings), 10_000):
                chunk = itertools.islice(strings, start, start + 10_000)
                table.write("".join(f"<si><t>{escape(text)}</t></si>" for text in chunk).encode())
            table.write(b"</sst>")
    return path


_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006"


def _xlsx_parts(names: list[str]) -> dict[str, str]:
    """The workbook's parts around its sheets (sheet1.xml... in ``names``' order) and shared strings."""
    numbered = list(enumerate(names, start=1))
    sheets = "".join(f'<sheet name="{escape(name)}" sheetId="{k}" r:id="rId{k}"/>' for k, name in numbered)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="{_CT}.worksheet+xml"/>'
        for k, _ in numbered
    )
    relations = "".join(
        f'<Relationship Id="rId{k}" Target="worksheets/sheet{k}.xml" Type="{_REL}/worksheet"/>'
        for k, _ in numbered
    )
    return {
        "[Content_Types].xml": (
            f'{XML}<Types xmlns="{_PKG}/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}.sheet.main+xml"/>{overrides}'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{XML}<Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Target="xl/workbook.xml" Type="{_REL}/officeDocument"/></Relationships>'
        ),
        "xl/workbook.xml": f'{XML}<workbook {MAIN} xmlns:r="{_REL}"><sheets>{sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": (
            f'{XML}<Relationships xmlns="{_PKG}/relationships">{relations}'
            f'<Relationship Id="rId{len(names) + 1}" Target="sharedStrings.xml" Type="{_REL}/sharedStrings"/>'
            "</Relationships>"
        ),
    }


# core.issue's own indexes and foreign keys, rewritten for the comparison table (catalogue text only)
INDEXES = """
SELECT regexp_replace(pg_get_indexdef(i.indexrelid),
                      '^CREATE (UNIQUE )?INDEX \\S+ ON (ONLY )?core\\.issue',
                      'CREATE \\1INDEX ON public.bench_bare')
FROM pg_index i WHERE i.indrelid = 'core.issue'::regclass
"""
FOREIGN_KEYS = """
SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'core.issue'::regclass AND contype = 'f'
"""


def timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def bench_file(engine, gazetteer, path: Path, label: str, partition_rows: int) -> None:
    """Read, validate and match timed alone (for information), then the intake of the worksheet as
    read: ``ingest_file`` with its reader handed the sheet read above, so what it times is fingerprint,
    validation, placing, formatting and the load, overlapped as they run; end to end = read + that."""
    book, t_read = timed(lambda: read_workbook(path))
    sheet = book.sheets[0]
    table = sheet.table.reset_index(drop=True)
    valid, t_valid = timed(lambda: validate_rows(table, sheet.roles, "x"))
    _, t_match = timed(lambda: match_places(valid, gazetteer))
    with mock.patch("smartcity.intake.load.read_workbook", lambda *_: book):  # bench only: the file as read
        result, t_load = timed(lambda: ingest_file(engine, path, gazetteer, partition_rows=partition_rows))
    n = result.accepted + result.rejected
    t_total = t_read + t_load
    print(f"\n== {label}: {n:,} data rows ({path.stat().st_size / 1e6:.0f} MB); {result.line()}")
    stages = [("read", t_read), ("  validate (alone)", t_valid), ("  match (alone)", t_match),
              ("validate, place, load (overlapped)", t_load), ("end to end", t_total)]  # fmt: skip
    for stage, seconds in stages:
        print(f"  {stage:<36} {seconds:7.2f} s  {n / seconds:>12,.0f} rows/s")
    ((_, t_bare),) = bare_binary_copy(engine, result.submission_id)
    print(f"  {'bare binary COPY of the same rows':<36} {t_bare:7.2f} s  {n / t_bare:>12,.0f} rows/s")
    print(f"  validate, place, load / bare binary COPY: {t_load / t_bare:.2f}x")
    steps = bare_binary_copy(engine, result.submission_id, same_guarantees=True)
    t_same = sum(seconds for _, seconds in steps)
    label = "binary COPY + core.issue's indexes,"
    print(f"  {label:<36} {t_same:7.2f} s  {n / t_same:>12,.0f} rows/s")
    print(f"  {'  CHECKs and foreign keys':<36}")
    for step, seconds in steps:
        print(f"    {step:<60} {seconds:6.2f} s")
    print(f"  validate, place, load / binary COPY with the same guarantees: {t_load / t_same:.2f}x")


def bare_binary_copy(engine, submission_id: int, same_guarantees: bool = False) -> list[tuple[str, float]]:
    """Seconds, step by step, to COPY (binary) this submission's loaded rows into a plain table with the
    same columns.

    ``same_guarantees``: then also what core.issue promises its readers, in the cheapest order (COPY
    with the CHECK constraints, then each of core.issue's indexes built in one sort, then its foreign
    keys validated): the floor for any load into the published table, whatever its client does.
    """
    columns = sql.SQL(", ").join(map(sql.Identifier, ISSUE_COLUMNS))
    dump = sql.SQL("COPY (SELECT {} FROM core.issue WHERE submission_id = {}) TO STDOUT (FORMAT binary)")
    data = bytearray()
    with engine.begin() as conn:
        cursor = conn.connection.driver_connection.cursor()
        with cursor.copy(dump.format(columns, sql.Literal(submission_id))) as copy:
            for chunk in copy:
                data.extend(chunk)
        if same_guarantees:
            cursor.execute("CREATE TABLE public.bench_bare (LIKE core.issue INCLUDING ALL EXCLUDING INDEXES)")
        else:
            cursor.execute("CREATE TABLE public.bench_bare AS SELECT * FROM core.issue WITH NO DATA")
        indexes = conn.execute(sa.text(INDEXES)).scalars().all() if same_guarantees else []
        keys = conn.execute(sa.text(FOREIGN_KEYS)).scalars().all() if same_guarantees else []
    with engine.begin() as conn:
        cursor = conn.connection.driver_connection.cursor()
        steps = []
        start = time.perf_counter()
        load = sql.SQL("COPY public.bench_bare ({}) FROM STDIN (FORMAT binary)").format(columns)
        with cursor.copy(load) as copy:
            for offset in range(0, len(data), 1 << 20):
                copy.write(data[offset : offset + (1 << 20)])
        steps.append(
            ("COPY" + (" with the CHECK constraints" if same_guarantees else ""), time.perf_counter() - start)
        )
        for definition in indexes:  # definitions from the catalogue, not data
            start = time.perf_counter()
            cursor.execute(definition)
            steps.append((definition.replace("CREATE ", "").replace(" ON public.bench_bare", ""),
                          time.perf_counter() - start))  # fmt: skip
        for definition in keys:
            start = time.perf_counter()
            cursor.execute(sql.SQL("ALTER TABLE public.bench_bare ADD ") + sql.SQL(definition))
            steps.append((definition.split(" ON ")[0], time.perf_counter() - start))
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE public.bench_bare")
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--xlsx-rows", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--partition-rows", type=int, default=Settings().intake_partition_rows)
    parser.add_argument("--dirty", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--location-rows", type=int, nargs="*", default=[])
    parser.add_argument("--sheets-rows", type=int, nargs="*", default=[])
    parser.add_argument("--unlisted-rows", type=int, nargs="*", default=[])
    parser.add_argument("--baseline", help="also run this benchmark with the code of this git revision")
    args = parser.parse_args()
    if args.baseline:
        run_baseline(args.baseline, sys.argv[1:])
    with scratch_cluster() as (settings, creds, folder):
        engine, gazetteer = paser_database(creds, settings, "bench_ingest")
        for n in args.dirty:
            bench_dirty(creds, folder, n)
        for n in args.rows:
            path = write_csv(folder / f"rows_{n}.csv", generated_rows(n))
            bench_file(engine, gazetteer, path, f"CSV {n:,}", args.partition_rows)
        for n in args.xlsx_rows:
            path, t_write = timed(lambda n=n: write_xlsx(folder / f"rows_{n}.xlsx", generated_rows(n)))
            bench_file(
                engine, gazetteer, path, f"XLSX {n:,} (written in {t_write:.0f} s)", args.partition_rows
            )
        for n in args.location_rows:
            columns = [[*r[:-1], "Dinas Kolom"] for r in generated_rows(n)]  # not a copy of --rows' file
            bench_end_to_end(engine, gazetteer, [
                (f"CSV {n:,}, separate location columns (baseline)",
                 write_csv(folder / f"columns_{n}.csv", columns)),
                (f"CSV {n:,}, one free-text location column (goal: under 20 s)",
                 write_csv(folder / f"location_{n}.csv", location_rows(n), LOCATION_HEADER)),
            ], args.partition_rows)  # fmt: skip
        for n in args.unlisted_rows:
            for run in (1, 2):  # twice, in turn: the first file of a process pays for warming up
                rows = [[*r[:-1], f"Dinas Isi {run}"] for r in generated_rows(n)]  # a file of its own each
                listed = write_csv(folder / f"listed_{n}_{run}.csv", rows)
                unlisted = write_csv(folder / f"unlisted_{n}_{run}.csv", rows, UNLISTED_HEADER)
                bench_end_to_end(engine, gazetteer, [
                    (f"CSV {n:,}, headers on the alias list (baseline), run {run}", listed),
                    (f"CSV {n:,}, every header off the list: columns known by content (goal: under 5 % more),"
                     f" run {run}", unlisted),
                ], args.partition_rows)  # fmt: skip
        for n in args.sheets_rows:
            rows = generated_rows(n)
            names = [
                f"Smart {d}"
                for d in ("Governance", "Branding", "Economy", "Living", "Society", "Environment")
            ] + ["Living (2)", "Economy 2", "7. Society", "Tata Kelola"]  # continued, numbered, Indonesian
            for k, row in enumerate(
                rows
            ):  # the dimension the sheet's name gives (written without the column)
                row[1] = names[k * len(names) // len(rows)]
            bench_end_to_end(engine, gazetteer, [
                (f"XLSX {n:,} rows on one sheet (baseline)", write_xlsx(folder / f"one_{n}.xlsx", rows)),
                (f"XLSX {n:,} rows on 10 sheets named after the dimensions (goal: 40,000 rows/s)",
                 write_xlsx(folder / f"ten_{n}.xlsx", rows, sheets=names)),
            ], args.partition_rows)  # fmt: skip


def bench_end_to_end(engine, gazetteer, files: list[tuple[str, Path]], partition_rows: int) -> None:
    """Each file through ``ingest_file`` as the pipeline runs it (read included), side by side."""
    print()
    for label, path in files:
        result, seconds = timed(
            lambda p=path: ingest_file(engine, p, gazetteer, partition_rows=partition_rows)
        )
        n = result.accepted + result.rejected
        print(f"== {label}: {n:,} data rows in {seconds:.2f} s, {n / seconds:,.0f} rows/s end to end")
        print(f"   {result.line()}")


def run_baseline(revision: str, argv: list[str]) -> None:
    """This benchmark, with the code of ``revision`` (a temporary git worktree, the same venv)."""
    rest, skipping = [], False
    for arg in argv:  # drop --baseline REV and the options the old code may not know, with their values
        if arg.startswith("--"):
            skipping = arg in ("--baseline", "--location-rows", "--sheets-rows")
        if not skipping:
            rest.append(arg)
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "baseline"
        add = ["git", "-C", str(REPO), "worktree", "add", "--detach", str(tree), revision]
        subprocess.run(add, check=True, capture_output=True)
        try:
            print(f"#### baseline: the code of {revision}", flush=True)
            bench = tree / "bench" / "ingest.py"
            subprocess.run([sys.executable, str(bench), *rest], cwd=tree, check=False,
                           env={**os.environ, "PYTHONPATH": str(tree)})  # fmt: skip
            print(f"#### this checkout ({REPO})", flush=True)
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(tree)], check=False)


if __name__ == "__main__":
    main()
