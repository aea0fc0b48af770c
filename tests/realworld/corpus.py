"""Agency worksheets (kertas kerja) shaped as Paser's OPDs really make them, and the fate of every row.

Each :class:`CorpusFile` writes one file (xlsx with openpyxl, ods with odfpy, xls with xlwt, csv with
the csv module) and says, for every non-blank row of every sheet the intake reads, whether the row is
loaded (where, which dimension and urgency, which warning), rejected (the blocking reason) or skipped
(header, title, numbering, total, note, signature). Rows are written as ``(cells, expectation)`` pairs,
so row numbers are counted by the code, never typed by hand. Names and codes come from
``geodata/sources/paser_places.csv``; points lie well inside the village polygons (a point on the
surface of the polygon shrunk by up to a kilometre, so neither rounding nor degrees-minutes-seconds can
push it over a border). Files are byte-for-byte deterministic: zip entries and workbook dates are fixed.

One module longer than the house's ~400 lines: the brief allows three new files, and the fifteen
worksheets read best side by side, each next to what it must give.
"""

# Headers used, for role recognition (each contains an accepted name as a whole word sequence):
#   description:  "Uraian Permasalahan", "Permasalahan", "Uraian Masalah", "Uraian",
#                 "Uraian permasalahan / potensi" (Google Forms), "Deskripsi" (GPS waypoint list)
#   dimension:    "Dimensi", "Dimensi Smart City"
#   swot:         "Kategori", "Kategori (SWOT)"
#   urgency:      "Urgensi", "Tingkat Urgensi", "Prioritas", "Tingkat urgensi (1-5)"
#   district:     "Kecamatan"
#   village:      "Desa", "Desa/Kelurahan"
#   code:         "Kode Desa"
#   one cell:     "Alamat", "Titik Koordinat", "Link Lokasi", "Titik koordinat (opsional)",
#                 "Koordinat (UTM)"
#   lat / lon:    "Latitude", "Longitude" (GPS waypoint list)
#   agency:       "Nama Perangkat Daerah" (Google Forms); lines "Perangkat Daerah : Dinas X" above headers
#   not roles:    "No", "Keterangan", "Cap waktu", "Name", "Altitude (m)", "Tanggal", and in the failing
#                 workbook "Program", "Kegiatan", "Sub Kegiatan", "Pagu Anggaran (Rp)", "Sumber Dana"
#   group header: "Lokasi" merged over the sub-headers "Kecamatan | Desa/Kelurahan" (files 01 and 07):
#                 the sub-headers are the columns; "Lokasi" there is no one-cell location.
# Sheets named by dimension ("Smart Governance", "Smart Economy", "Living", "Smart Environment") or by
# SWOT category ("Kekuatan", "Kelemahan", "Peluang", "Ancaman") give that value to all their rows.

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import odf.namespaces
import openpyxl
import shapely
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableColumnProperties, TextProperties
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
from odf.text import P
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from pyproj import Transformer
from shapely.geometry import shape

REPO = Path(__file__).resolve().parents[2]
PLACES_CSV = REPO / "geodata" / "sources" / "paser_places.csv"
VILLAGE_POLYGONS = REPO / "geodata" / "sources" / "boundaries" / "paser_desa_kelurahan.geojson"
FIXED_TIME = dt.datetime(2025, 5, 14, 9, 30, 0)
BORDER_MARGIN = 0.002  # degrees (~220 m): how far a written point stays from its village border
BALIKPAPAN = (-1.2379, 116.8529)  # city centre, outside Paser
SEPAKU = (-0.9600, 116.7400)  # Penajam Paser Utara, outside Paser


@dataclass(frozen=True)
class Expect:
    """What the intake must make of one row."""

    status: str  # "loaded" | "rejected" | "skipped"
    village: str | None = None  # official village code when placed in a village
    district: str | None = None  # official district code when placed (village's district, or district level)
    level: str | None = None  # "village" | "district" | "regency" for loaded rows
    code: str | None = None  # rejected: blocking reason; skipped: skip code; loaded: a warning or None
    dimension: str | None = None  # loaded rows: governance|branding|economy|living|society|environment
    severity: int | None = None  # loaded rows: urgency 1..5 (3 when not given or unreadable)
    swot: str | None = None  # loaded rows, when the file says it (strength|weakness|...); None: not checked


@dataclass
class CorpusFile:
    """One worksheet file, how to write it, and the expected outcome of each of its rows."""

    name: str
    make: Callable[[Path], Path]  # writes the file into a folder, returns its path
    rows: dict[tuple[str, int], Expect]  # (sheet name, '' for CSV; 1-based row / physical line) -> outcome
    skipped_sheets: dict[str, str] = field(default_factory=dict)  # sheet -> "hidden"|"summary"|"no_table"
    fails: str | None = None  # the whole workbook is refused, and why


# ------------------------------------------------------------------------------------------- places
@cache
def _places() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Village name -> (code, district code), and district name -> code, from paser_places.csv."""
    villages: dict[str, tuple[str, str]] = {}
    districts: dict[str, str] = {}
    with PLACES_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["kind"] == "kecamatan":
                districts[row["name"]] = row["code"]
            elif row["kind"] in ("desa", "kelurahan"):
                if row["name"] in villages:
                    raise ValueError(f"two villages named {row['name']!r}: name them by code")
                villages[row["name"]] = (row["code"], row["district_code"])
    return villages, districts


def village(name: str) -> dict[str, str]:
    """Where a row placed in village ``name`` (gazetteer spelling) lands."""
    code, district_code = _places()[0][name]
    return {"village": code, "district": district_code, "level": "village"}


def district(name: str) -> dict[str, str]:
    """Where a row placed at district ``name`` (gazetteer spelling) lands."""
    return {"district": _places()[1][name], "level": "district"}


REGENCY = {"level": "regency"}


@cache
def _polygons() -> dict[str, shapely.Geometry]:
    data = json.loads(VILLAGE_POLYGONS.read_text(encoding="utf-8"))
    return {f["properties"]["kode"]: shape(f["geometry"]) for f in data["features"]}


def _check_point(name: str, lat: float, lon: float) -> None:
    """Fail unless (lat, lon) is inside village ``name`` and not near its border."""
    polygon = _polygons()[village(name)["village"]]
    point = shapely.Point(lon, lat)
    if not polygon.contains(point) or polygon.boundary.distance(point) < BORDER_MARGIN:
        raise ValueError(f"({lat}, {lon}) is not well inside {name}")


def _check_outside(lat: float, lon: float) -> None:
    point = shapely.Point(lon, lat)
    if any(polygon.intersects(point) for polygon in _polygons().values()):
        raise ValueError(f"({lat}, {lon}) lies inside Paser")


@cache
def point_in(name: str) -> tuple[float, float]:
    """(lat, lon) to five decimals, well inside village ``name``: never a centroid near a border."""
    polygon = _polygons()[village(name)["village"]]
    for inset in (0.01, 0.006, 0.004, 0.0025):
        inner = polygon.buffer(-inset)
        if not inner.is_empty:
            break
    else:
        raise ValueError(f"{name} is too narrow for a point away from its border")
    surface = inner.point_on_surface()
    lat, lon = round(surface.y, 5), round(surface.x, 5)
    _check_point(name, lat, lon)
    return lat, lon


def _dms(value: float) -> tuple[int, int, int]:
    seconds = round(abs(value) * 3600)
    return seconds // 3600, seconds // 60 % 60, seconds % 60


def dms_text(name: str, spaced: bool) -> str:
    """The point of village ``name`` in degrees, minutes, seconds: 1°52'10"S 116°4'3"E or with LS/BT."""
    lat, lon = point_in(name)
    (a, b, c), (d, e, f) = _dms(lat), _dms(lon)
    _check_point(name, -(a + b / 60 + c / 3600), d + e / 60 + f / 3600)
    if spaced:
        return f"{a}° {b}' {c}\" LS {d}° {e}' {f}\" BT"
    return f"{a}°{b}'{c}\"S {d}°{e}'{f}\"E"


@cache
def _utm_transformer() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:32750", always_xy=True)  # UTM zone 50 south


def utm_text(lat: float, lon: float) -> str:
    """'50M 412345 9791234' (zone, latitude band, easting, northing in metres), as a handheld GPS shows."""
    easting, northing = _utm_transformer().transform(lon, lat)
    return f"50M {round(easting)} {round(northing)}"


def utm_of(name: str) -> str:
    return utm_text(*point_in(name))


# ------------------------------------------------------------------------------------------- outcomes
def ok(dimension: str, where: dict, severity: int = 3, code: str | None = None, swot: str | None = None):
    """A loaded row: placed at ``where`` (village(), district() or REGENCY)."""
    return Expect("loaded", dimension=dimension, severity=severity, code=code, swot=swot, **where)


def rejected(code: str) -> Expect:
    return Expect("rejected", code=code)


def skipped(code: str) -> Expect:
    return Expect("skipped", code=code)


TITLE, HEADER, NUMBERING = skipped("title"), skipped("header"), skipped("numbering")
TOTAL, NOTE, SIGNATURE = skipped("total"), skipped("note"), skipped("signature")

Line = tuple[list, Expect | None]  # the cells of one sheet row (or CSV record) and its outcome
BLANK: Line = ([], None)


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _numbered(sheet: str, lines: list[Line], into: dict[tuple[str, int], Expect]) -> list[list]:
    """The cells of ``lines`` as sheet rows 1, 2, ...; each non-blank row's outcome goes ``into``."""
    rows = []
    for number, (cells, expect) in enumerate(lines, start=1):
        if all(_blank(c) for c in cells) != (expect is None):
            raise ValueError(f"{sheet} row {number}: a blank row has no outcome, any other row has one")
        if expect is not None:
            into[(sheet, number)] = expect
        rows.append(cells)
    return rows


def _data(items: list[tuple[list, Expect]], first: int = 1) -> list[Line]:
    """Data rows numbered in the first column (No) from ``first``."""
    return [([first + i, *cells], expect) for i, (cells, expect) in enumerate(items)]


# ------------------------------------------------------------------------------------------- writers
_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_NUMBER_FILL = PatternFill("solid", fgColor="F2F2F2")


@dataclass
class _Sheet:
    """One openpyxl sheet: rows from A1, and how it is dressed."""

    name: str
    rows: list[list]
    header: tuple[int, ...] = ()  # 1-based rows drawn bold, centred, on a fill
    table: tuple[int, int] | None = None  # first and last 1-based row with borders
    titles: tuple[int, ...] = ()  # rows in bold (letterhead)
    merges: tuple[str, ...] = ()
    widths: tuple[float, ...] = ()
    hidden_rows: tuple[int, ...] = ()
    hidden: bool = False
    autofilter: str | None = None
    filter_on: tuple[int, list[str]] | None = None  # (column index within the filter range, values shown)
    formats: dict[int, str] = field(default_factory=dict)  # 1-based column -> number format
    freeze: str | None = None


def _dress(ws, sheet: _Sheet) -> None:
    width = max((len(r) for r in sheet.rows), default=0)
    for index, value in enumerate(sheet.widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = value
    for row in sheet.titles:
        for cell in ws[row]:
            cell.font = Font(bold=True, size=12)
            cell.alignment = Alignment(horizontal="center")
    if sheet.table:
        first, last = sheet.table
        for row in ws.iter_rows(min_row=first, max_row=last, max_col=width):
            for cell in row:
                cell.border = _BOX
                cell.alignment = Alignment(vertical="top", wrap_text=True)
    for number in sheet.header:
        for cell in ws[number][:width]:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, number_format in sheet.formats.items():
        for (cell,) in ws.iter_rows(min_col=column, max_col=column, min_row=2):
            if cell.value is not None:
                cell.number_format = number_format


def _save_xlsx(path: Path, sheets: list[_Sheet]) -> Path:
    """Write ``sheets`` with openpyxl, dressed as an agency would, with fixed dates."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    book.properties.creator = "Operator OPD"
    book.properties.created = book.properties.modified = FIXED_TIME
    for sheet in sheets:
        ws = book.create_sheet(sheet.name)
        for row in sheet.rows:
            ws.append(row)
        _dress(ws, sheet)
        for cell_range in sheet.merges:
            ws.merge_cells(cell_range)
        for number in sheet.hidden_rows:
            ws.row_dimensions[number].hidden = True
        if sheet.autofilter:
            ws.auto_filter.ref = sheet.autofilter
            if sheet.filter_on:
                ws.auto_filter.add_filter_column(*sheet.filter_on)
                ws.sheet_properties.filterMode = True  # as Excel saves a sheet with a filter applied
        if sheet.freeze:
            ws.freeze_panes = sheet.freeze
        if sheet.hidden:
            ws.sheet_state = "hidden"
    book.save(path)
    _freeze_zip(path)
    return path


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(<)")


def _freeze_zip(path: Path) -> None:
    """Rewrite a zipped workbook with fixed entry times and modification date (same bytes every run)."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            elif info.filename in _ODF_PARTS:
                data = _ROOT_TAG.sub(_sorted_namespaces, data, count=1)
            archive.writestr(fixed, data)


# odfpy declares on each root element the namespaces met so far in the process, in no fixed order:
# declare all of odfpy's namespaces, sorted (as LibreOffice declares some forty), for the same bytes.
_ODF_PARTS = {"content.xml", "styles.xml", "meta.xml", "settings.xml"}
_ODF_NAMESPACES = {prefix: uri.encode() for uri, prefix in odf.namespaces.nsdict.items() if prefix != "xml"}
_ROOT_TAG = re.compile(rb"<(office:document-\w+)(\s[^>]*)>")
_NAMESPACE = re.compile(rb'\s+xmlns:([\w-]+)="([^"]*)"')


def _sorted_namespaces(match: re.Match) -> bytes:
    attributes = match.group(2)
    declared = {k.decode(): v for k, v in _NAMESPACE.findall(attributes)} | _ODF_NAMESPACES
    rest = _NAMESPACE.sub(b"", attributes)
    namespaces = b"".join(b' xmlns:%s="%s"' % (k.encode(), declared[k]) for k in sorted(declared))
    return b"<" + match.group(1) + namespaces + rest + b">"


def _save_csv(path: Path, lines: list[Line], newline: str = "\r\n") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator=newline).writerows(cells for cells, _ in lines)
    return path


def _csv_numbered(lines: list[Line], into: dict[tuple[str, int], Expect], newline: str = "\r\n") -> None:
    """Each record's outcome ``into`` ('', physical line where the record starts)."""
    line = 1
    for cells, expect in lines:
        if expect is None:
            raise ValueError("no blank records in the CSV files")
        into[("", line)] = expect
        text = io.StringIO()
        csv.writer(text, lineterminator=newline).writerow(cells)
        line += text.getvalue().count("\n")


# ------------------------------------------------------------------------------------------- 01
def dinkes_official() -> CorpusFile:
    """Excel as a Dinas prints it: letterhead, two-row header under 'Lokasi', numbering, filter, hidden
    rows, JUMLAH, notes and a signature block."""
    name, sheet = "01_dinkes_kertas_kerja_2025.xlsx", "Kertas Kerja"
    data = _data([
        (["Puskesmas Long Kali kekurangan dokter gigi dan tenaga analis laboratorium", "Smart Living",
          "Kelemahan", 4, "Long Kali", "Long Kali", None],
         ok("living", village("Long Kali"), 4)),
        (["Angka stunting balita masih tinggi di desa pedalaman", "Smart Society", "Kelemahan", 5,
          "Muara Komam", "Swan Slutung", "Data EPPGBM 2024"],
         ok("society", village("Swan Slutung"), 5)),
        (["Posyandu belum memiliki alat timbang digital dan antropometri standar", "Smart Living",
          "Kelemahan", 3, "Batu Engau", None, None],
         ok("living", district("Batu Engau"), 3)),
        (["Rekam medis elektronik puskesmas belum terintegrasi dengan SATUSEHAT", "Smart Governance",
          "Kelemahan", 4, "Semua Kecamatan", None, None],
         ok("governance", REGENCY, 4)),
        (["Kader kesehatan dan gerakan GERMAS aktif di tingkat RT", "Smart Society", "Kekuatan", 2,
          "Tanah Grogot", "Tanah Grogot", None],
         ok("society", village("Tanah Grogot"), 2)),
        (["Kasus demam berdarah meningkat setiap musim hujan", "Smart Environment", "Ancaman", 5,
          "Tanah Grogot", "Janju, Jone", None],
         ok("environment", district("Tanah Grogot"), 5, "several_villages")),
        (["Akses air bersih rumah tangga rendah, warga memakai air sungai", "Smart Living", "Kelemahan", 4,
          "Kuaro, Long Ikis", None, None],
         rejected("several_districts")),
        (["Puskesmas keliling terbatas armada dan bahan bakar", "Kesehatan", "Kelemahan", 3,
          "Muara Samu", "Biu", None],
         rejected("invalid_dimension")),
        (["Rumah sakit pratama belum memiliki dokter spesialis anak", None, "Kelemahan", 4,
          "Batu Sopang", "Batu Kajang", None],
         rejected("missing_dimension")),
        ([None, "Smart Living", "Kelemahan", 3, "Long Ikis", "Olung", "data menyusul"],
         rejected("missing_description")),
        (["Dukungan CSR perusahaan sawit untuk ambulans desa", "Smart Economy", "Peluang", 3,
          "Long Ikis", "Tajur", None],
         ok("economy", village("Tajur"), 3)),
        (["Jaringan internet di puskesmas pembantu tidak stabil", "Smart Governance", "Kelemahan", None,
          "Muara Samu", "Rantau Atas", None],
         ok("governance", village("Rantau Atas"), 3, "default_severity")),
        (["Poskesdes tidak memiliki bidan yang menetap", "Smart Living", "Kelemahan", 4,
          "Tanjung Harapan", "Senipah", None],
         ok("living", village("Senipah"), 4)),
    ])  # fmt: skip
    total = sum(cells[4] for cells, _ in data if isinstance(cells[4], int))
    signature = [None] * 5
    lines: list[Line] = [
        (["PEMERINTAH KABUPATEN PASER"], TITLE),
        (["DINAS KESEHATAN"], TITLE),
        (["Jl. Jenderal Sudirman, Tanah Grogot, Kabupaten Paser 76251"], TITLE),
        (["KERTAS KERJA SMART CITY TAHUN 2025"], TITLE),
        (["Perangkat Daerah : Dinas Kesehatan"], TITLE),
        BLANK,
        (["No", "Uraian Permasalahan", "Dimensi Smart City", "Kategori (SWOT)", "Tingkat Urgensi", "Lokasi",
          None, "Keterangan"], HEADER),
        ([None, None, None, None, None, "Kecamatan", "Desa/Kelurahan", None], HEADER),
        ([f"({i})" for i in range(1, 9)], NUMBERING),
        *data,
        (["JUMLAH", None, None, None, total], TOTAL),
        BLANK,
        ([None, "Keterangan:"], NOTE),
        ([None, "- Dimensi mengacu pada enam dimensi Smart City (Governance, Branding, Economy, Living, "
                "Society, Environment)."], NOTE),
        ([None, "- Tingkat urgensi: 1 = sangat rendah s.d. 5 = sangat tinggi."], NOTE),
        BLANK,
        ([*signature, "Tanah Grogot, 14 Mei 2025"], SIGNATURE),
        ([*signature, "Kepala Dinas Kesehatan"], SIGNATURE),
        ([*signature, "Kabupaten Paser,"], SIGNATURE),
        BLANK,
        BLANK,
        BLANK,
        ([*signature, "dr. H. Amir Faisal, M.Kes"], SIGNATURE),
        ([*signature, "Pembina Utama Muda"], SIGNATURE),
        ([*signature, "NIP. 19700101 199503 1 001"], SIGNATURE),
    ]  # fmt: skip
    rows: dict[tuple[str, int], Expect] = {}
    cells = _numbered(sheet, lines, rows)
    first, last = 10, 9 + len(data)
    filtered = [first + i for i, (c, _) in enumerate(data) if c[3] != "Kelemahan"]  # hidden by the filter
    by_hand = [last]  # the Senipah row, hidden by hand
    total_row, notes = last + 1, range(last + 3, last + 6)
    signed = [r for (_, r), e in rows.items() if e is SIGNATURE]
    spec = _Sheet(
        sheet, cells, header=(7, 8, 9), table=(7, total_row), titles=(1, 2, 4),
        merges=("A1:H1", "A2:H2", "A3:H3", "A4:H4", "A5:D5", "A7:A8", "B7:B8", "C7:C8", "D7:D8", "E7:E8",
                "F7:G7", "H7:H8", f"A{total_row}:D{total_row}", *(f"B{r}:H{r}" for r in notes),
                *(f"F{r}:H{r}" for r in signed)),
        widths=(5, 48, 18, 14, 10, 18, 20, 18), hidden_rows=(*filtered, *by_hand),
        autofilter=f"A9:H{last}", filter_on=(3, ["Kelemahan"]), freeze="C10",
    )  # fmt: skip
    return CorpusFile(name, lambda folder: _save_xlsx(folder / name, [spec]), rows)


# ------------------------------------------------------------------------------------------- 02
def bappeda_sheet_per_dimension() -> CorpusFile:
    """One sheet per dimension and no dimension column; instructions, a summary and a hidden old sheet."""
    name = "02_bappedalitbang_per_dimensi.xlsx"
    header = ["No", "Uraian Permasalahan", "Kategori", "Urgensi", "Kecamatan", "Desa/Kelurahan"]
    sheets_data = {
        ("Smart Governance", "governance"): [
            (["Perencanaan pembangunan desa belum memakai data spasial", "Kelemahan", 4, "Semua Kecamatan",
              None], REGENCY, 4, None),
            (["Usulan musrenbang kecamatan masih manual sehingga sulit dilacak", "Kelemahan", 3, "Long Ikis",
              None], district("Long Ikis"), 3, None),
            (["Kantor desa belum terhubung internet", "Kelemahan", 4, "Muara Komam", "Lusan"],
             village("Lusan"), 4, None),
        ],
        ("Smart Economy", "economy"): [
            (["Harga TBS sawit petani swadaya tidak stabil", "Ancaman", 4, "Long Kali", "Muara Toyu"],
             village("Muara Toyu"), 4, None),
            (["Potensi agrowisata durian lokal belum dikembangkan", "Peluang", 2, "Batu Sopang",
              "Rantau Layung"], village("Rantau Layung"), 2, None),
            (["UMKM olahan hasil laut belum memiliki izin edar P-IRT", "Kelemahan", 3, "Tanjung Harapan",
              "Tanjung Aru"], village("Tanjung Aru"), 3, None),
        ],
        ("Living", "living"): [
            (["Rumah tidak layak huni masih banyak di kawasan pesisir", "Kelemahan", 4, "Tanjung Harapan",
              "Labuangkallo"], village("Labuangkallo"), 4, None),
            (["Jalan poros desa rusak berat saat musim hujan", "Kelemahan", 5, "Muara Samu", "Muser"],
             village("Muser"), 5, None),
        ],
        ("Smart Environment", "environment"): [
            (["Banjir tahunan di bantaran Sungai Kandilo", "Ancaman", 5, "Tanah Grogot", "Tepian Batang"],
             village("Tepian Batang"), 5, None),
            (["Sampah plastik di pesisir belum tertangani", "Kelemahan", 3, "Tanjung Harapan", "Senipah"],
             village("Senipah"), 3, None),
            ([None, "Kelemahan", 2, "Kuaro", "Lolo"], None, None, "missing_description"),
        ],
    }  # fmt: skip
    rows: dict[tuple[str, int], Expect] = {}
    specs = [_Sheet("Petunjuk", [
        ["PETUNJUK PENGISIAN KERTAS KERJA SMART CITY"],
        [],
        ["1. Setiap lembar berisi satu dimensi Smart City; isi permasalahan pada lembar dimensinya."],
        ["2. Kolom Uraian Permasalahan diisi singkat dan jelas, satu permasalahan per baris."],
        ["3. Kategori diisi Kekuatan, Kelemahan, Peluang atau Ancaman."],
        ["4. Urgensi diisi angka 1 (sangat rendah) sampai 5 (sangat tinggi)."],
        ["5. Kecamatan dan Desa/Kelurahan ditulis sesuai nama Kemendagri."],
    ], titles=(1,), widths=(100,))]  # fmt: skip
    for (sheet, dimension), items in sheets_data.items():
        data = _data([
            (cells, ok(dimension, where, severity) if where else rejected(reason))
            for cells, where, severity, reason in items
        ])  # fmt: skip
        lines: list[Line] = [
            ([f"KERTAS KERJA SMART CITY KABUPATEN PASER TAHUN 2025 - DIMENSI {sheet.upper()}"], TITLE),
            (["Perangkat Daerah : Bappedalitbang"], TITLE),
            BLANK,
            (header, HEADER),
            *data,
        ]
        cells = _numbered(sheet, lines, rows)
        specs.append(_Sheet(sheet, cells, header=(4,), table=(4, len(cells)), titles=(1,),
                            merges=("A1:F1",), widths=(5, 55, 12, 9, 18, 20)))  # fmt: skip
    summary = [
        ["REKAPITULASI PERMASALAHAN PER DIMENSI"],
        [],
        ["No", "Dimensi", "Jumlah Permasalahan", "Rata-rata Urgensi"],
        [1, "Smart Governance", 3, 3.67],
        [2, "Smart Economy", 3, 3],
        [3, "Living", 2, 4.5],
        [4, "Smart Environment", 3, 3.33],
        [None, "Total", 11, None],
    ]
    old = [
        ["No", "Uraian Permasalahan", "Dimensi", "Kategori", "Urgensi", "Kecamatan", "Desa/Kelurahan"],
        [1, "Website OPD belum memakai domain go.id", "Smart Governance", "Kelemahan", 3, "Tanah Grogot",
         "Tanah Grogot"],
        [2, "Pasar induk belum memiliki sistem retribusi elektronik", "Smart Economy", "Kelemahan", 4,
         "Tanah Grogot", "Tanah Periuk"],
        [3, "Abrasi pantai di kawasan permukiman nelayan", "Smart Environment", "Ancaman", 5,
         "Tanjung Harapan", "Random"],
    ]  # fmt: skip
    specs.append(_Sheet("Rekap", summary, header=(3,), table=(3, 8), titles=(1,), widths=(5, 22, 20, 18)))
    specs.append(_Sheet("Data 2024", old, header=(1,), table=(1, 4), hidden=True))
    skipped_sheets = {"Petunjuk": "summary", "Rekap": "summary", "Data 2024": "hidden"}
    return CorpusFile(name, lambda folder: _save_xlsx(folder / name, specs), rows, skipped_sheets)


# ------------------------------------------------------------------------------------------- 03
def distan_sheet_per_swot() -> CorpusFile:
    """One sheet per SWOT category (no SWOT column), the dimension in a column."""
    name = "03_distan_swot.xlsx"
    header = ["No", "Uraian", "Dimensi", "Prioritas", "Kecamatan", "Desa"]
    sheets_data = {
        ("Kekuatan", "strength"): [
            (["Lahan sawah beririgasi teknis yang produktif", "Smart Economy", 2, "Long Ikis",
              "Krayan Makmur"], "economy", village("Krayan Makmur"), 2),
            (["Kelompok tani aktif dan terdaftar di SIMLUHTAN", "Smart Society", 1, "Kuaro", "Kerta Bumi"],
             "society", village("Kerta Bumi"), 1),
        ],
        ("Kelemahan", "weakness"): [
            (["Alsintan (traktor, combine harvester) kurang dan sering rusak", "Smart Economy", 4,
              "Long Ikis", "Sawit Jaya"], "economy", village("Sawit Jaya"), 4),
            (["Jumlah penyuluh pertanian lapangan tidak mencukupi", "Smart Governance", 3, "Batu Engau",
              None], "governance", district("Batu Engau"), 3),
            (["Saluran irigasi tersier rusak dan dangkal", "Smart Living", 4, "Paser Belengkong",
              "Olong Pinang"], "living", village("Olong Pinang"), 4),
        ],
        ("Peluang", "opportunity"): [
            (["Pasar hasil pertanian ke Ibu Kota Nusantara", "Smart Economy", 3, "Semua Kecamatan", None],
             "economy", REGENCY, 3),
            (["Program cetak sawah baru dari Kementerian Pertanian", "Smart Economy", 3, "Muara Samu",
              "Rantau Bintungan"], "economy", village("Rantau Bintungan"), 3),
        ],
        ("Ancaman", "threat"): [
            (["Alih fungsi lahan pertanian menjadi kebun sawit", "Smart Environment", 5, "Long Kali",
              "Pinang Jatus"], "environment", village("Pinang Jatus"), 5),
            (["Serangan hama tikus dan wereng batang coklat", "Smart Environment", 4, "Tanah Grogot",
              "Sempulang"], "environment", village("Sempulang"), 4),
            (["Kekeringan panjang saat El Nino", "Lingkungan", 4, "Kuaro", "Rangan"],
             "environment", village("Rangan"), 4),
        ],
    }  # fmt: skip
    rows: dict[tuple[str, int], Expect] = {}
    specs = []
    for (sheet, swot), items in sheets_data.items():
        data = _data([(cells, ok(dim, where, sev, swot=swot)) for cells, dim, where, sev in items])
        lines: list[Line] = [
            (["ANALISIS SWOT SMART CITY - DINAS PERTANIAN KABUPATEN PASER"], TITLE),
            ([f"Kategori: {sheet}"], TITLE),
            BLANK,
            (header, HEADER),
            *data,
        ]
        cells = _numbered(sheet, lines, rows)
        specs.append(_Sheet(sheet, cells, header=(4,), table=(4, len(cells)), titles=(1,),
                            widths=(5, 55, 18, 10, 18, 18)))  # fmt: skip
    return CorpusFile(name, lambda folder: _save_xlsx(folder / name, specs), rows)


# ------------------------------------------------------------------------------------------- 04
def pupr_addresses() -> CorpusFile:
    """The location is one 'Alamat' column of free-text addresses."""
    name, sheet = "04_dpupr_alamat.xlsx", "Sheet1"
    data = _data([
        (["Drainase tersumbat menyebabkan genangan di pusat kota", "Smart Environment", "Kelemahan", 4,
          "Jl. Jend. Sudirman No. 4 RT 12, Kelurahan Tanah Grogot"],
         ok("environment", village("Tanah Grogot"), 4)),
        (["Jembatan kayu penghubung antar dusun lapuk", "Smart Living", "Kelemahan", 5,
          "Dusun III, Desa Lori"],
         ok("living", village("Lori"), 5)),
        (["Jalan poros desa rusak berat saat musim hujan", "Smart Living", "Kelemahan", 5,
          "Desa Busui Kec. Batu Sopang"],
         ok("living", village("Busui"), 5)),
        (["Penerangan jalan umum padam di ruas antar desa", "Smart Living", "Kelemahan", 3,
          "Desa Janju dan Desa Jone, Kec. Tanah Grogot"],
         ok("living", district("Tanah Grogot"), 3, "several_villages")),
        (["Ruas jalan kabupaten berlubang dan bergelombang", "Smart Living", "Kelemahan", 4,
          "Kec. Kuaro dan Kec. Long Ikis"],
         rejected("several_districts")),
        (["Jaringan air bersih belum menjangkau permukiman baru", "Smart Living", "Kelemahan", 4,
          "semua desa di Kec. Long Kali"],
         ok("living", district("Long Kali"), 4)),
        (["Rencana Detail Tata Ruang belum ditetapkan", "Smart Governance", "Kelemahan", 3,
          "seluruh wilayah Kabupaten Paser"],
         ok("governance", REGENCY, 3)),
        (["Longsor tebing pada jalan poros menuju perbatasan", "Smart Environment", "Ancaman", 4,
          "Kec. Sepaku, Kab. Penajam Paser Utara"],
         rejected("other_regency")),
        (["Data kondisi jalan dan jembatan belum diperbarui sejak 2021", "Smart Governance", "Kelemahan", 2,
          "Se-Kabupaten Paser"],
         ok("governance", REGENCY, 2)),
        (["Saluran irigasi jebol di persawahan warga", "Smart Economy", "Kelemahan", 4,
          "RT 05, Desa Pasir Mayang, Kecamatan Kuaro"],
         ok("economy", village("Pasir Mayang"), 4)),
        (["Pasar rakyat becek dan atap los bocor", "Smart Economy", "Kelemahan", 3,
          "Jl. Noto Sunardi, Kelurahan Long Ikis, Kec. Long Ikis"],
         ok("economy", village("Long Ikis"), 3)),
        (["Talud penahan abrasi pantai rusak", "Smart Environment", "Ancaman", 4, None],
         rejected("no_location")),
        # a real village of another regency of Kaltim (Kutai Kartanegara): outside, named as such
        (["Gorong-gorong tersumbat sedimen", "Smart Living", "Kelemahan", 3, "Desa Sumber Sari"],
         rejected("other_regency")),
    ])  # fmt: skip
    lines: list[Line] = [
        (["DATA PERMASALAHAN INFRASTRUKTUR SMART CITY"], TITLE),
        (["Perangkat Daerah : Dinas Pekerjaan Umum dan Penataan Ruang (PUPR)"], TITLE),
        BLANK,
        (["No", "Uraian Permasalahan", "Dimensi", "Kategori", "Urgensi", "Alamat"], HEADER),
        *data,
    ]
    rows: dict[tuple[str, int], Expect] = {}
    cells = _numbered(sheet, lines, rows)
    spec = _Sheet(sheet, cells, header=(4,), table=(4, len(cells)), titles=(1,),
                  widths=(5, 50, 18, 12, 9, 50))  # fmt: skip
    return CorpusFile(name, lambda folder: _save_xlsx(folder / name, [spec]), rows)


# ------------------------------------------------------------------------------------------- 05
def dlh_coordinates() -> CorpusFile:
    """'Titik Koordinat' in one cell, in the forms people type; a Desa column beside it."""
    name, sheet = "05_dlh_titik_koordinat.xlsx", "Koordinat"

    def pair(place: str, pattern: str) -> str:
        lat, lon = point_in(place)
        return pattern.format(lat=f"{lat:.5f}", lon=f"{lon:.5f}", s=f"{-lat:.5f}")

    comma = pair("Sebakung", "{lat}; {lon}").replace(".", ",")
    data = _data([
        (["Timbulan sampah di TPA melebihi kapasitas", "Smart Environment", "Kelemahan", 5,
          pair("Janju", "{lat}, {lon}"), None],
         ok("environment", village("Janju"), 5)),
        (["Pembakaran lahan gambut saat kemarau", "Smart Environment", "Ancaman", 5,
          pair("Olung", "{lon}, {lat}"), None],
         ok("environment", village("Olung"), 5)),
        (["Limbah cair pabrik kelapa sawit ke anak sungai", "Smart Environment", "Ancaman", 4, comma, None],
         ok("environment", village("Sebakung"), 4)),
        (["Mangrove pesisir rusak akibat tambak", "Smart Environment", "Kelemahan", 4,
          pair("Lomu", "LS {s} BT {lon}"), None],
         ok("environment", village("Lomu"), 4)),
        (["Bank sampah desa aktif dan menghasilkan pendapatan", "Smart Economy", "Kekuatan", 2,
          pair("Keresik Bura", "{s} LS, {lon} BT"), None],
         ok("economy", village("Keresik Bura"), 2)),
        (["Sungai tercemar limbah rumah tangga", "Smart Environment", "Kelemahan", 3,
          dms_text("Rantau Panjang", spaced=False), None],
         ok("environment", village("Rantau Panjang"), 3)),
        (["Ruang terbuka hijau desa belum tersedia", "Smart Living", "Kelemahan", 2,
          dms_text("Pondong Baru", spaced=True), None],
         ok("living", village("Pondong Baru"), 2)),
        (["Pengangkutan sampah antar kabupaten belum diatur", "Smart Governance", "Kelemahan", 3,
          f"{BALIKPAPAN[0]}, {BALIKPAPAN[1]}", None],
         rejected("outside_region")),
        (["Tambang galian C tanpa izin di tepi sungai", "Smart Environment", "Ancaman", 4,
          pair("Suatang", "{lat}, {lon}"), "Damit"],
         ok("environment", village("Suatang"), 4, "point_name_mismatch")),
        (["Abrasi muara sungai mengancam permukiman", "Smart Environment", "Ancaman", 4, None, "Muara Pasir"],
         ok("environment", village("Muara Pasir"), 4)),
    ])  # fmt: skip
    lines: list[Line] = [
        (["KERTAS KERJA SMART CITY - DINAS LINGKUNGAN HIDUP"], TITLE),
        (["Perangkat Daerah : Dinas Lingkungan Hidup"], TITLE),
        BLANK,
        (["No", "Permasalahan", "Dimensi", "Kategori", "Urgensi", "Titik Koordinat", "Desa"], HEADER),
        *data,
    ]
    rows: dict[tuple[str, int], Expect] = {}
    cells = _numbered(sheet, lines, rows)
    spec = _Sheet(sheet, cells, header=(4,), table=(4, len(cells)), titles=(1,),
                  widths=(5, 48, 18, 12, 9, 34, 16))  # fmt: skip
    return CorpusFile(name, lambda folder: _save_xlsx(folder / name, [spec]), rows)


# ------------------------------------------------------------------------------------------- 06
def kominfo_map_links() -> CorpusFile:
    """'Link Lokasi': Google Maps links of every shape, a WhatsApp location message, short links."""
    name, sheet = "06_diskominfo_link_lokasi.xlsx", "Blank Spot"

    def at(place: str) -> tuple[str, str]:
        lat, lon = point_in(place)
        return f"{lat:.5f}", f"{lon:.5f}"

    (a, b), (c, d), (e, f) = at("Kepala Telake"), at("Lusan"), at("Putang")
    (g, h), (i, j), (k, m) = at("Kerang"), at("Bai Jaya"), at("Jemparing")
    links = {
        "q": f"https://www.google.com/maps?q={a},{b}",
        "place": f"https://www.google.com/maps/place/Kantor+Desa+Lusan/@{c},{d},15z",
        "data": f"https://www.google.com/maps/place/Menara+BTS/data=!4m6!3m5!1s0x2df0e5b3c4a1d2f7:0x9a1b"
        f"2c3d4e5f6a7b!8m2!3d{e}!4d{f}!16s%2Fg%2F11c1q2w3e4",
        "ll": f"https://maps.google.com/?ll={g},{h}&z=16",
        "encoded": f"https://www.google.com/maps/search/?api=1&query={i}%2C{j}",
        "whatsapp": f"12/05/25 10.15 - Operator Desa: lokasi: https://maps.google.com/?q={k},{m}",
    }
    data = _data([
        (["Desa blank spot, tidak ada sinyal seluler", "Smart Governance", 5, None, links["q"]],
         ok("governance", village("Kepala Telake"), 5)),
        (["Kantor desa belum memiliki akses internet", "Smart Governance", 4, None, links["place"]],
         ok("governance", village("Lusan"), 4)),
        (["Menara BTS belum beroperasi karena listrik", "Smart Governance", 4, None, links["data"]],
         ok("governance", village("Putang"), 4)),
        (["Website desa tidak aktif dan tidak diperbarui", "Smart Branding", 2, None, links["ll"]],
         ok("branding", village("Kerang"), 2)),
        (["Penyebaran hoaks di grup percakapan warga", "Smart Society", 3, None, links["encoded"]],
         ok("society", village("Bai Jaya"), 3)),
        (["Warga belum paham layanan pengaduan online", "Smart Society", 3, None, links["whatsapp"]],
         ok("society", village("Jemparing"), 3)),
        (["Titik wifi publik rusak", "Smart Governance", 3, None, "https://maps.app.goo.gl/9xQkLm2VbRtYpZaE8"],
         rejected("link_unreadable")),
        (["CCTV simpang jalan tidak berfungsi", "Smart Governance", 3, "Munggu",
          "https://maps.app.goo.gl/Hq7TnW3sKd5FvJcR6"],
         ok("governance", village("Munggu"), 3)),
        (["Potensi desa wisata digital belum dipromosikan", "Smart Branding", 2, "Kerang Dayo", None],
         ok("branding", village("Kerang Dayo"), 2)),
    ])  # fmt: skip
    lines: list[Line] = [
        (["INVENTARISASI PERMASALAHAN TIK - DISKOMINFO KABUPATEN PASER"], TITLE),
        BLANK,
        (["No", "Uraian Masalah", "Dimensi", "Prioritas", "Desa", "Link Lokasi"], HEADER),
        *data,
    ]
    rows: dict[tuple[str, int], Expect] = {}
    cells = _numbered(sheet, lines, rows)
    spec = _Sheet(sheet, cells, header=(3,), table=(3, len(cells)), titles=(1,),
                  widths=(5, 45, 18, 10, 16, 60))  # fmt: skip
    return CorpusFile(name, lambda folder: _save_xlsx(folder / name, [spec]), rows)


# ------------------------------------------------------------------------------------------- 07
def dinsos_ods() -> CorpusFile:
    """LibreOffice Calc: merged two-row header, a Kecamatan typed once and merged down over its rows."""
    name, sheet = "07_dinsos_kertas_kerja.ods", "Kertas Kerja"
    data = _data([
        (["Lansia terlantar belum terdata dalam DTKS", "Smart Society", "Kelemahan", 4, "Long Kali",
          "Muara Toyu"], ok("society", village("Muara Toyu"), 4)),
        (["Penyaluran bansos non tunai terkendala sinyal", "Smart Governance", "Kelemahan", 3, None,
          "Perkuwen"], ok("governance", village("Perkuwen"), 3)),
        (["Rumah singgah bagi keluarga pasien rujukan belum ada", "Smart Living", "Kelemahan", 3, None, None],
         ok("living", district("Long Kali"), 3)),
        (["Penyandang disabilitas belum mendapat alat bantu", "Smart Society", "Kelemahan", 4, "Batu Engau",
          "Segendang"], ok("society", village("Segendang"), 4)),
        (["Karang Taruna aktif mengelola bank sampah", "Smart Society", "Kekuatan", 2, None, "Riwang"],
         ok("society", village("Riwang"), 2)),
        (["Anak putus sekolah karena ekonomi keluarga", "Smart Society", "Kelemahan", 4, "Tanjung Harapan",
          "Random"], ok("society", village("Random"), 4)),
        (["Data Terpadu Kesejahteraan Sosial belum dimutakhirkan", "Smart Governance", "Kelemahan", 4,
          "10 Kecamatan", None], ok("governance", REGENCY, 4)),
    ])  # fmt: skip
    lines: list[Line] = [
        (["KERTAS KERJA SMART CITY DINAS SOSIAL KABUPATEN PASER TAHUN 2025"], TITLE),
        BLANK,
        (["No", "Uraian Permasalahan", "Dimensi", "Kategori", "Urgensi", "Lokasi", None], HEADER),
        ([None, None, None, None, None, "Kecamatan", "Desa/Kelurahan"], HEADER),
        *data,
    ]
    rows: dict[tuple[str, int], Expect] = {}
    cells = _numbered(sheet, lines, rows)
    # (row, column) 0-based -> (rows spanned, columns spanned)
    spans = {(0, 0): (1, 7), **{(2, c): (2, 1) for c in range(5)}, (2, 5): (1, 2),
             (4, 5): (3, 1), (7, 5): (2, 1)}  # fmt: skip
    return CorpusFile(name, lambda folder: _save_ods(folder / name, sheet, cells, spans), rows)


def _save_ods(
    path: Path, sheet: str, rows: list[list], spans: dict[tuple[int, int], tuple[int, int]]
) -> Path:
    """Write one sheet with odfpy as LibreOffice does: spanned cells, then covered cells."""
    doc = OpenDocumentSpreadsheet()
    bold = Style(name="Judul", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    wide = Style(name="Lebar", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="6cm"))
    doc.automaticstyles.addElement(bold)
    doc.automaticstyles.addElement(wide)
    table = Table(name=sheet)
    width = max(len(r) for r in rows)
    for column in range(width):
        table.addElement(TableColumn(stylename=wide) if column == 1 else TableColumn())
    covered = {
        (r0 + dr, c0 + dc)
        for (r0, c0), (nr, nc) in spans.items()
        for dr in range(nr)
        for dc in range(nc)
        if dr or dc
    }
    if any(rows[r][c] is not None for r, c in covered if c < len(rows[r])):
        raise ValueError("a covered cell holds a value")
    for r, cells in enumerate(rows):
        row = TableRow()
        for c in range(width):
            value = cells[c] if c < len(cells) else None
            if (r, c) in covered:
                row.addElement(CoveredTableCell())
                continue
            attributes = {}
            if (r, c) in spans:
                attributes = {"numberrowsspanned": spans[(r, c)][0], "numbercolumnsspanned": spans[(r, c)][1]}
            if r < 4 and value is not None:
                attributes["stylename"] = bold
            if isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value, **attributes)
                cell.addElement(P(text=str(value)))
            elif value is not None:
                cell = TableCell(valuetype="string", **attributes)
                cell.addElement(P(text=value))
            else:
                cell = TableCell(**attributes)
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    _freeze_zip(path)
    return path


# ------------------------------------------------------------------------------------------- 08
def disdik_google_sheets_csv() -> CorpusFile:
    """Google Sheets 'Download > CSV': UTF-8, commas, header in line 1, line breaks inside cells."""
    name = "08_disdikbud_google_sheets.csv"
    header = ["No", "Uraian Permasalahan", "Dimensi", "Kategori", "Urgensi", "Kecamatan", "Desa/Kelurahan",
              "Keterangan"]  # fmt: skip
    lines: list[Line] = [
        (header, HEADER),
        *_data([
            (["Ruang kelas SD rusak berat\natap bocor dan plafon runtuh", "Smart Living", "Kelemahan", "5",
              "Long Ikis", "Tiwei", "Dapodik 2024"], ok("living", village("Tiwei"), 5)),
            (["Guru menumpuk di kota,\nsekolah pedalaman kekurangan guru", "Smart Society", "Kelemahan", "5",
              "Muara Komam", "Long Sayo", ""], ok("society", village("Long Sayo"), 5)),
            (["Koleksi Museum Sadurengas perlu digitalisasi", "Smart Branding", "Peluang", "3",
              "Paser Belengkong", "Pasir Belengkong", ""], ok("branding", village("Pasir Belengkong"), 3)),
            (["Internet sekolah untuk ANBK tidak stabil", "Smart Governance", "Kelemahan", "4", "Batu Sopang",
              "Rantau Buta", ""], ok("governance", village("Rantau Buta"), 4)),
            (["Pesta adat Nondoi sebagai daya tarik wisata budaya", "Smart Branding", "Kekuatan", "2",
              "Paser Belengkong", "", ""], ok("branding", district("Paser Belengkong"), 2)),
            (["Sekolah terdampak banjir tiap tahun,\n\nbuku dan arsip rusak", "Smart Environment", "Ancaman",
              "4", "Tanah Grogot", "Sungai Tuak", "foto terlampir"],
             ok("environment", village("Sungai Tuak"), 4)),
            (["Kurikulum muatan lokal bahasa Paser belum tersedia", "Smart Society", "Kelemahan", "3", "", "",
              ""], rejected("no_location")),
        ]),
    ]  # fmt: skip
    rows: dict[tuple[str, int], Expect] = {}
    _csv_numbered(lines, rows)
    return CorpusFile(name, lambda folder: _save_csv(folder / name, lines), rows)


# ------------------------------------------------------------------------------------------- 09
def google_forms_answers() -> CorpusFile:
    """Google Forms answers downloaded as xlsx: a timestamp first, long question headers, one agency a row."""
    name, sheet = "09_google_form_jawaban.xlsx", "Jawaban Formulir 1"
    kasungai, pias = point_in("Kasungai"), point_in("Muara Pias")

    def when(day: int, hour: int, minute: int, second: int) -> dt.datetime:
        return dt.datetime(2025, 5, day, hour, minute, second)

    header = [
        "Cap waktu",
        "Nama Perangkat Daerah",
        "Uraian permasalahan / potensi",
        "Dimensi Smart City",
        "Kategori",
        "Tingkat urgensi (1-5)",
        "Kecamatan",
        "Desa/Kelurahan",
        "Titik koordinat (opsional)",
    ]
    lines: list[Line] = [
        (header, HEADER),
        ([when(12, 10, 15, 32), "DPMD", "BUMDes belum berjalan karena modal dan SDM terbatas",
          "Smart Economy", "Kelemahan", 3, "Long Ikis", "Belimbing", None],
         ok("economy", village("Belimbing"), 3)),
        ([when(12, 11, 2, 7), "Dinas Perhubungan", "Halte dan rambu lalu lintas di jalan nasional kurang",
          "Smart Living", "Kelemahan", 4, "Kuaro", "Kuaro", None],
         ok("living", village("Kuaro"), 4)),
        ([when(12, 13, 40, 55), "BPBD", "Permukiman tepi sungai rawan banjir bandang", "Smart Environment",
          "Ancaman", 5, "Batu Sopang", "Kasungai", f"{kasungai[0]}, {kasungai[1]}"],
         ok("environment", village("Kasungai"), 5)),
        ([when(13, 8, 5, 11), "Disdukcapil", "Perekaman KTP-el di desa terpencil terkendala jaringan",
          "Smart Governance", "Kelemahan", 4, "Muara Komam", "Binangon", None],
         ok("governance", village("Binangon"), 4)),
        ([when(13, 9, 30, 0), "Dinas Kepemudaan, Olahraga dan Pariwisata",
          "Wisata Pantai Pasir Mayang belum dikelola dan dipromosikan", "Smart Branding", "Peluang", 3,
          "Kuaro", "Pasir Mayang", None],
         ok("branding", village("Pasir Mayang"), 3)),
        ([when(13, 14, 12, 45), "Dinas Kesehatan", "Posyandu remaja belum terbentuk", "Smart Society", None,
          2, "Long Kali", "Mendik", None],
         ok("society", village("Mendik"), 2, "default_swot", swot="weakness")),
        ([when(14, 7, 55, 20), "Dinas Lingkungan Hidup", "Pencemaran sungai oleh limbah pabrik CPO",
          "Smart Environment", "Ancaman", 5, "Long Kali", None, f"{pias[0]}, {pias[1]}"],
         ok("environment", village("Muara Pias"), 5)),
        ([when(14, 10, 1, 2), "Diskominfo", "Desa belum memiliki website resmi desa", "Smart Governance",
          "Kelemahan", 3, "Kuaro, Long Ikis, Long Kali", None, None],
         rejected("several_districts")),
        ([when(14, 15, 48, 9), "DPMD", "Batas desa belum ditetapkan dengan Perbup", "Smart Governance",
          "Kelemahan", 4, "Tanah Grogot", "Janju, Tapis", None],
         ok("governance", district("Tanah Grogot"), 4, "several_villages")),
    ]  # fmt: skip
    rows: dict[tuple[str, int], Expect] = {}
    cells = _numbered(sheet, lines, rows)
    spec = _Sheet(sheet, cells, header=(1,), widths=(20, 24, 50, 20, 12, 12, 16, 18, 24),
                  formats={1: "dd/mm/yyyy hh:mm:ss"}, freeze="A2")  # fmt: skip
    return CorpusFile(name, lambda folder: _save_xlsx(folder / name, [spec]), rows)


# ------------------------------------------------------------------------------------------- 10
def bpbd_waypoints_utm() -> CorpusFile:
    """A handheld GPS waypoint list: UTM in one column, the problem typed in 'Uraian'."""
    name = "10_bpbd_waypoint_utm.csv"
    lines: list[Line] = [
        (["Name", "Koordinat (UTM)", "Altitude (m)", "Tanggal", "Uraian", "Dimensi", "Urgensi"], HEADER),
        (["WPT001", utm_of("Batu Kajang"), "64", "2025-04-20", "Titik rawan longsor tebing jalan",
          "Smart Environment", "4"], ok("environment", village("Batu Kajang"), 4)),
        (["WPT002", utm_of("Rantau Layung"), "112", "2025-04-20", "Jembatan gantung putus diterjang arus",
          "Smart Living", "5"], ok("living", village("Rantau Layung"), 5)),
        (["WPT003", utm_of("Legai"), "58", "2025-04-21", "Genangan banjir menutup jalan desa",
          "Smart Environment", "4"], ok("environment", village("Legai"), 4)),
        (["WPT004", utm_of("Lempesu"), "41", "2025-04-21", "Posko siaga bencana belum memiliki genset",
          "Smart Governance", "3"], ok("governance", village("Lempesu"), 3)),
        (["WPT005", utm_of("Bekoso"), "37", "2025-04-22", "Titik panas kebakaran hutan dan lahan",
          "Smart Environment", "5"], ok("environment", village("Bekoso"), 5)),
        (["WPT006", utm_text(*BALIKPAPAN), "18", "2025-04-23", "Gudang logistik bencana provinsi",
          "Smart Governance", "2"], rejected("outside_region")),
    ]  # fmt: skip
    rows: dict[tuple[str, int], Expect] = {}
    _csv_numbered(lines, rows)
    return CorpusFile(name, lambda folder: _save_csv(folder / name, lines), rows)


def bpbd_waypoints_decimal() -> CorpusFile:
    """A Garmin-style waypoint export: Latitude and Longitude columns, the problem in 'Deskripsi'."""
    name = "10b_bpbd_waypoint_garmin.csv"

    def wpt(label: str, place: str, altitude: str, text: str, dimension: str, urgency: str) -> list:
        lat, lon = point_in(place)
        return [label, f"{lat:.6f}", f"{lon:.6f}", altitude, text, dimension, urgency]

    lines: list[Line] = [
        (["Name", "Latitude", "Longitude", "Altitude", "Deskripsi", "Dimensi", "Urgensi"], HEADER),
        (wpt("001", "Tapis", "15", "Tanggul sungai retak", "Smart Environment", "4"),
         ok("environment", village("Tapis"), 4)),
        (wpt("002", "Lolo", "48", "Jalur evakuasi belum ada rambu", "Smart Living", "3"),
         ok("living", village("Lolo"), 3)),
        (wpt("003", "Harapan Baru", "9", "Abrasi pantai mendekati rumah warga", "Smart Environment", "5"),
         ok("environment", village("Harapan Baru"), 5)),
        (wpt("004", "Sandeley", "72", "Sirine peringatan dini tidak berbunyi", "Smart Governance", "4"),
         ok("governance", village("Sandeley"), 4)),
    ]  # fmt: skip
    rows: dict[tuple[str, int], Expect] = {}
    _csv_numbered(lines, rows, newline="\n")
    return CorpusFile(name, lambda folder: _save_csv(folder / name, lines, newline="\n"), rows)


# ------------------------------------------------------------------------------------------- 11
def dishub_urgency_words() -> CorpusFile:
    """Urgency typed in words, roman numerals and number-plus-word."""
    name, sheet = "11_dishub_urgensi_kata.xlsx", "Data"
    spoken = [
        ("Sangat Tinggi", 5, None), ("mendesak", 4, None), ("Penting", 4, None), ("sedang", 3, None),
        ("cukup", 3, None), ("rendah", 2, None), ("IV", 4, None), ("5 - Sangat Tinggi", 5, None),
        ("4 (tinggi)", 4, None), ("segera?", 3, "unreadable_severity"),
    ]  # fmt: skip
    problems = [
        ("Angkutan umum antar kecamatan belum tersedia", "Smart Living", "Kelemahan", "Long Kali", "Maruat"),
        ("Dermaga penyeberangan rusak dan membahayakan", "Smart Living", "Ancaman", "Tanjung Harapan",
         "Selengot"),
        ("Terminal tipe C tidak berfungsi", "Smart Economy", "Kelemahan", "Kuaro", "Padang Jaya"),
        ("Lampu lalu lintas di simpang empat sering mati", "Smart Living", "Kelemahan", "Long Ikis", "Pait"),
        ("Parkir liar di depan pasar", "Smart Governance", "Kelemahan", "Tanah Grogot", "Tanah Periuk"),
        ("Data uji kendaraan (KIR) belum elektronik", "Smart Governance", "Kelemahan", "Tanah Grogot", None),
        ("Jalur sepeda dan pedestrian belum ada", "Smart Living", "Kelemahan", "Paser Belengkong",
         "Suliliran Baru"),
        ("Truk bertonase berlebih merusak jalan desa", "Smart Environment", "Ancaman", "Muara Komam", "Uko"),
        ("Rambu di tikungan tajam hilang", "Smart Living", "Kelemahan", "Batu Engau", "Tempakan"),
        ("Halte sekolah belum beratap", "Smart Society", "Kelemahan", "Muara Samu", "Libur Dinding"),
    ]  # fmt: skip
    dims = {"Smart Living": "living", "Smart Economy": "economy", "Smart Governance": "governance",
            "Smart Environment": "environment", "Smart Society": "society"}  # fmt: skip
    items = []
    for (text, dim, swot, kec, desa), (word, severity, code) in zip(problems, spoken, strict=True):
        where = village(desa) if desa else district(kec)
        items.append(([text, dim, swot, word, kec, desa], ok(dims[dim], where, severity, code)))
    lines: list[Line] = [
        (["No", "Permasalahan", "Dimensi", "Kategori", "Tingkat Urgensi", "Kecamatan", "Desa/Kelurahan"],
         HEADER),
        *_data(items),
    ]  # fmt: skip
    rows: dict[tuple[str, int], Expect] = {}
    cells = _numbered(sheet, lines, rows)
    spec = _Sheet(sheet, cells, header=(1,), table=(1, len(cells)), widths=(5, 48, 18, 12, 18, 18, 18))
    return CorpusFile(name, lambda folder: _save_xlsx(folder / name, [spec]), rows)


# ------------------------------------------------------------------------------------------- 12
def dpmd_names_as_typed() -> CorpusFile:
    """Place names and codes as people type them: prefixes, odd case, abbreviations, typos, mangled codes."""
    name, sheet = "12_dpmd_nama_desa.xlsx", "Data Desa"
    nbsp = "\u00a0"
    gov, w = "Smart Governance", "Kelemahan"
    items = [
        (["Aparatur desa belum terlatih SISKEUDES", gov, w, 3, None, "TANJUNG HARAPAN", "DS. LORI"],
         ok("governance", village("Lori"), 3)),
        (["Kantor lurah belum ramah disabilitas", "Smart Living", w, 2, None, f"Tanah{nbsp}Grogot",
          f"Kel.{nbsp}Tanah{nbsp}Grogot"], ok("living", village("Tanah Grogot"), 2)),
        (["Posyandu desa tidak memiliki gedung", "Smart Living", w, 3, None, "Batu Sopang", "Sei Terik"],
         ok("living", village("Sungai Terik"), 3)),
        (["Profil desa belum dipublikasikan", "Smart Branding", w, 2, None, "Tj. Harapan", "Tj. Aru"],
         ok("branding", village("Tanjung Aru"), 2)),
        (["Dana desa terlambat cair karena laporan", gov, w, 4, None, "Tanah Grogot", "Sei. Langir"],
         ok("governance", village("Sungai Langir"), 4)),
        (["Sengketa tapal batas dengan desa tetangga", gov, "Ancaman", 4, None, "Muara Samu", "Tj Pinang"],
         ok("governance", village("Tanjung Pinang"), 4)),
        (["BUMDes perikanan berkembang", "Smart Economy", "Kekuatan", 2, None, "Long Kali", "Muara Adang 2"],
         ok("economy", village("Muara Adang II"), 2)),
        (["Balai desa rusak ringan", gov, w, 2, None, "Tanahgrogot", "Tepian Batang"],
         ok("governance", village("Tepian Batang"), 2)),
        (["Jalan usaha tani belum dikeraskan", "Smart Economy", w, 3, None, "Tanah Grogot",
          "Padangpengrapat"],
         ok("economy", village("Padang Pengrapat"), 3)),
        (["Sistem informasi desa belum dipakai", gov, w, 3, None, "Batu Engau", "Penggurun Jaya"],
         ok("governance", village("Pengguren Jaya"), 3, "fuzzy_village")),
        (["Perpustakaan desa tidak aktif", "Smart Society", w, 2, None, "Long Ikis", "Sekurau Jaya"],
         ok("society", village("Sekurou Jaya"), 2, "fuzzy_village")),
        (["Pendamping desa kurang", gov, w, 3, None, "Tanjung Harapen", None],
         ok("governance", district("Tanjung Harapan"), 3, "fuzzy_district")),
        (["Peraturan desa belum diunggah ke JDIH", gov, w, 2, "6401042012", None, None],
         ok("governance", village("Perepat"), 2)),
        (["Pasar desa sepi pembeli", "Smart Economy", w, 3, 6401052007, None, None],
         ok("economy", village("Pasir Mayang"), 3)),
        (["Embung desa kering saat kemarau", "Smart Environment", w, 4, "6,40103E+09", "Paser Belengkong",
          "Sangkuriman"], ok("environment", village("Sangkuriman"), 4, "broken_code")),
        (["Kader posyandu belum mendapat insentif", "Smart Society", w, 3, "6.40106E+09", "Long Ikis",
          "Pait"],
         ok("society", village("Pait"), 3, "broken_code")),
        (["Desa adat belum ditetapkan", "Smart Society", "Peluang", 3, "64.01.07.2011", None, None],
         ok("society", village("Swan Slutung"), 3)),
        (["Situs makam raja belum terawat", "Smart Branding", w, 3, None, "Paser Belengkong",
          "Desa Paser Belengkong"], ok("branding", village("Pasir Belengkong"), 3)),
        (["Pemekaran desa belum tuntas", gov, w, 3, None, "Kecamatan Suka Damai", None],
         rejected("unknown_district")),
    ]  # fmt: skip
    lines: list[Line] = [
        (["Perangkat Daerah : Dinas Pemberdayaan Masyarakat dan Desa (DPMD)"], TITLE),
        (["No", "Uraian Permasalahan", "Dimensi", "Kategori", "Urgensi", "Kode Desa", "Kecamatan", "Desa"],
         HEADER),
        *_data(items),
    ]  # fmt: skip
    rows: dict[tuple[str, int], Expect] = {}
    cells = _numbered(sheet, lines, rows)
    # codes: text without dots, a number, the dotted form, and two destroyed by a CSV round trip through
    # Excel ("6,40103E+09" as an Indonesian Excel shows it, "6.40106E+09" as an English one)
    spec = _Sheet(sheet, cells, header=(2,), table=(2, len(cells)), widths=(5, 44, 18, 12, 9, 11, 20, 22))
    return CorpusFile(name, lambda folder: _save_xlsx(folder / name, [spec]), rows)


# ------------------------------------------------------------------------------------------- 13
def no_description_workbook() -> CorpusFile:
    """A budget listing sent instead of the worksheet: no sheet has a description column."""
    name = "13_dinsos_rka_tanpa_uraian.xlsx"
    program = [
        ["RENCANA KERJA DAN ANGGARAN 2025 - DINAS SOSIAL"],
        [],
        ["No", "Program", "Kegiatan", "Sub Kegiatan", "Pagu Anggaran (Rp)", "Kecamatan", "Desa"],
        [1, "Program Rehabilitasi Sosial", "Rehabilitasi Sosial Dasar Lanjut Usia",
         "Penyediaan Permakanan", 150000000, "Long Kali", "Muara Toyu"],
        [2, "Program Perlindungan dan Jaminan Sosial", "Pemeliharaan Anak Terlantar",
         "Pemberian Layanan Data dan Pengaduan", 85000000, "Tanah Grogot", "Tanah Grogot"],
        [3, "Program Penanganan Bencana", "Perlindungan Sosial Korban Bencana",
         "Penyediaan Makanan", 120000000, "Batu Sopang", "Busui"],
    ]  # fmt: skip
    sources = [
        ["No", "Sumber Dana", "Jumlah (Rp)"],
        [1, "DAU", 305000000],
        [2, "DAK Non Fisik", 50000000],
    ]
    specs = [
        _Sheet(
            "RKA 2025", program, header=(3,), table=(3, 6), titles=(1,), widths=(5, 36, 36, 36, 18, 16, 16)
        ),
        _Sheet("Sumber Dana", sources, header=(1,), table=(1, 3), widths=(5, 20, 18)),
    ]
    skipped_sheets = {"Sumber Dana": "no_table"}  # RKA 2025 is read: its longest text column looks like one
    # a budget plan: its longest text column reads as a description, and no column or sheet gives a dimension
    return CorpusFile(
        name, lambda folder: _save_xlsx(folder / name, specs), {}, skipped_sheets, "no_dimension"
    )


# ------------------------------------------------------------------------------------------- 14
def disdukcapil_xls() -> CorpusFile:
    """Excel 97-2003 (.xls) with a merged letterhead, as older office PCs still save."""
    name, sheet = "14_disdukcapil_kertas_kerja.xls", "Sheet1"
    data = _data([
        (["Cakupan akta kelahiran anak di desa pedalaman rendah", "Smart Society", "Kelemahan", 4,
          "Muara Komam", "Prayon"], ok("society", village("Prayon"), 4)),
        (["Layanan adminduk daring belum dikenal warga", "Smart Governance", "Kelemahan", 3,
          "Semua Kecamatan", None], ok("governance", REGENCY, 3)),
        (["Mobil pelayanan keliling sering rusak", "Smart Governance", "Kelemahan", 3, "Batu Sopang",
          "Songka"], ok("governance", village("Songka"), 3)),
        (["Kerja sama perekaman KTP-el di kantor desa", "Smart Governance", "Peluang", 2, "Long Ikis",
          "Lombok"], ok("governance", village("Lombok"), 2)),
    ])  # fmt: skip
    lines: list[Line] = [
        (["PEMERINTAH KABUPATEN PASER"], TITLE),
        (["DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL"], TITLE),
        (["KERTAS KERJA SMART CITY TAHUN 2025"], TITLE),
        BLANK,
        (["No", "Uraian Permasalahan", "Dimensi", "Kategori", "Urgensi", "Kecamatan", "Desa/Kelurahan"],
         HEADER),
        *data,
    ]  # fmt: skip
    rows: dict[tuple[str, int], Expect] = {}
    cells = _numbered(sheet, lines, rows)
    return CorpusFile(name, lambda folder: _save_xls(folder / name, sheet, cells), rows)


def _save_xls(path: Path, sheet: str, rows: list[list]) -> Path:
    """Write with xlwt: the letterhead merged over the table's width, the header bold with borders."""
    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    title = xlwt.easyxf("font: bold on, height 240; align: horiz center")
    head = xlwt.easyxf("font: bold on; align: horiz center, wrap on; borders: left thin, right thin, "
                       "top thin, bottom thin; pattern: pattern solid, fore_colour pale_blue")  # fmt: skip
    body = xlwt.easyxf("align: wrap on, vert top; borders: left thin, right thin, top thin, bottom thin")
    width = max(len(r) for r in rows)
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "No")
    for r, cells in enumerate(rows):
        if r < header_at:
            if cells:
                ws.write_merge(r, r, 0, width - 1, cells[0], title)
            continue
        for c in range(width):
            value = cells[c] if c < len(cells) else None
            ws.write(r, c, "" if value is None else value, head if r == header_at else body)
    for c, chars in enumerate((5, 48, 18, 12, 9, 18, 18)):
        ws.col(c).width = 256 * chars
    book.save(str(path))
    return path


# ------------------------------------------------------------------------------------------- all
def corpus() -> list[CorpusFile]:
    """Every file of the corpus, in order."""
    return [
        dinkes_official(),
        bappeda_sheet_per_dimension(),
        distan_sheet_per_swot(),
        pupr_addresses(),
        dlh_coordinates(),
        kominfo_map_links(),
        dinsos_ods(),
        disdik_google_sheets_csv(),
        google_forms_answers(),
        bpbd_waypoints_utm(),
        bpbd_waypoints_decimal(),
        dishub_urgency_words(),
        dpmd_names_as_typed(),
        no_description_workbook(),
        disdukcapil_xls(),
    ]


def write_all(folder: Path) -> list[Path]:
    """Write every corpus file into ``folder``; their paths, in corpus order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [item.make(folder) for item in corpus()]
