"""Make the demo agency worksheets (*kertas kerja*) of Kabupaten Paser, as agencies really send them.

Eight agencies, about 200 rows: short problem descriptions in Bahasa Indonesia fitting each agency,
all six smart city dimensions, mostly *Kelemahan*, placed by Kemendagri code, by a point near the
village centroid, by village and district name (with the variants people type: "Desa X", "Kel. Y",
upper/lower case, the aliases of ``sources/paser_aliases.csv``) or by district only. The formats
differ as they do in practice: the official template (``smartcity.intake.answer.template``), two home-made
layouts with merged title rows and other header wordings, a ``;``-separated Windows-1252 CSV and a
UTF-8 CSV with decimal commas. A few rows carry planted mistakes for the demo to catch (see
``PLANTED`` and geodata/README.md): they are the only rows meant to be rejected or warned about.

Everything follows from ``sources/paser_places.csv``, ``sources/paser_aliases.csv`` and ``SEED``;
workbooks are saved with fixed timestamps, so a re-run gives byte-identical files.

    python geodata/make_demo_worksheets.py [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
from dataclasses import dataclass, replace
from pathlib import Path

os.environ.setdefault("OPENPYXL_LXML", "False")  # byte-for-byte reproducible (see smartcity/__init__.py)

from openpyxl import Workbook  # noqa: E402 - after the XML writer is chosen
from openpyxl.styles import Alignment, Font

from smartcity.intake.answer.template import (
    HEADER_ROW,
    HEADERS,
    build_template,
    save_reproducibly,
    template_reference_frames,
)
from smartcity.platform.vocabulary import DIMENSIONS

HERE = Path(__file__).resolve().parent
PLACES_CSV = HERE / "sources" / "paser_places.csv"
ALIASES_CSV = HERE / "sources" / "paser_aliases.csv"
OUTPUT_DIR = HERE / "demo" / "worksheets"
SEED = 6401
REGION = "Paser"
JITTER_DEG = 0.0008  # about 90 m: points stay well inside the village around its centroid
# centroids that lie outside their own official village polygon (see README): never used for points
OFF_POLYGON_CENTROIDS = {"64.01.07.2006", "64.01.08.2006"}
DIMENSION_LABEL = {k: f"Smart {k.title()}" for k in DIMENSIONS}
URGENCY_WORDS = {1: "Sangat Rendah", 2: "Rendah", 3: "Sedang", 4: "Tinggi", 5: "Sangat Tinggi"}


@dataclass(frozen=True)
class Row:
    """One data row as the agency wrote it; ``dimension`` is the intended key (None when planted wrong)."""

    description: str | None
    dimension: str | None
    dimension_text: str | None
    swot: str | None
    severity: int | str | None
    district: str | None = None
    village: str | None = None
    code: str | None = None
    lat: float | None = None
    lon: float | None = None
    year: int | None = None
    readiness: str | None = None  # the template's "Aspek Kesiapan" (the other layouts have no such column)
    notes: str | None = None
    flaw: str | None = None  # what the row plants for the demo to show; None for a clean row
    place: str | None = None  # the place as the description names it ("Desa Busui", "Kecamatan Kuaro")
    place_code: str | None = None  # where the row must land (village, or district for district-only rows);
    # None when a planted mistake leaves that to the matcher's rules (wrong district, swapped coordinates)


@dataclass(frozen=True)
class Agency:
    slug: str  # file name stem
    name: str  # as written on the agency line (or in the OPD column)
    layout: str  # template | rekap | ringkas | csv_1252 | csv_koma
    rows: int
    locate: tuple[tuple[str, int], ...]  # location mode and weight: code, point, names, district
    problems: tuple[tuple[str, str, int, int, str], ...]  # dimension, SWOT, urgency low/high, text
    notes: tuple[str | None, ...] = (None, None, "Hasil Musrenbang kecamatan", "Survei lapangan 2025")


def _problems(table: str) -> tuple[tuple[str, str, int, int, str], ...]:
    """Problems from lines "dimension SWOT low-high description" ({tempat} = the place, {n} = a number)."""
    parsed = []
    for line in table.strip().splitlines():
        dimension, swot, urgency, text = line.split(maxsplit=3)
        low, high = urgency.split("-")
        parsed.append((dimension, swot, int(low), int(high), text))
    return tuple(parsed)


_CODE_NAMES_POINT = (("code", 3), ("names", 3), ("point", 2), ("district", 2))
AGENCIES = (
    Agency(
        "bappedalitbang",
        "Bappedalitbang Kabupaten Paser",
        "template",
        22,
        _CODE_NAMES_POINT,
        _problems("""
governance Kelemahan 3-4 Perencanaan pembangunan belum memakai data spasial desa yang mutakhir
governance Kelemahan 3-5 Usulan Musrenbang {tempat} belum terpantau sampai tahap pelaksanaan
governance Kelemahan 2-4 Data profil {tempat} tidak seragam antar-perangkat daerah
economy Kelemahan 3-5 Pendapatan petani di {tempat} bergantung pada satu komoditas, sawit
economy Kelemahan 3-4 UMKM di {tempat} sulit mengakses permodalan dan pasar daring
economy Ancaman 3-5 Harga tandan buah segar sawit berfluktuasi tajam
economy Peluang 2-4 Kedekatan dengan IKN membuka pasar baru bagi hasil pertanian {tempat}
economy Kekuatan 1-3 Sawah di {tempat} surplus beras setiap musim panen
society Kelemahan 3-4 Angka kemiskinan di {tempat} di atas rata-rata kabupaten
governance Peluang 2-3 Program Satu Data Indonesia dapat menyatukan data pembangunan daerah
"""),
    ),
    Agency(
        "diskominfostaper",
        "Dinas Komunikasi Informatika Statistik dan Persandian",
        "template",
        26,
        (("point", 4), ("code", 2), ("names", 3), ("district", 1)),
        _problems("""
society Kelemahan 4-5 Blank spot sinyal seluler di {tempat}, warga naik ke bukit untuk menelepon
governance Kelemahan 3-5 Kantor pemerintahan di {tempat} belum terhubung internet
governance Kelemahan 3-4 Aplikasi layanan publik belum terintegrasi, warga mengisi data berulang
governance Kelemahan 2-3 Website {tempat} tidak diperbarui sejak {n} tahun
society Kelemahan 3-4 Literasi digital perangkat desa dan warga {tempat} masih rendah
governance Kekuatan 1-2 Menara BTS 4G sudah beroperasi di {tempat}
society Peluang 2-4 Program BAKTI untuk internet desa 3T dapat menjangkau {tempat}
governance Ancaman 4-5 Serangan siber dan kebocoran data pada server pemerintah daerah
branding Kelemahan 2-3 Informasi potensi {tempat} belum tersedia di kanal digital resmi
"""),
    ),
    Agency(
        "dinas_pupr",
        "Dinas PUPR",
        "rekap",
        34,
        (("names", 5), ("point", 3), ("district", 1)),
        _problems("""
living Kelemahan 4-5 Jalan poros {tempat} rusak berat sepanjang ± {n} km, tidak bisa dilalui saat hujan
living Kelemahan 3-5 Jembatan kayu penghubung antar-RT di {tempat} lapuk dan membahayakan
environment Kelemahan 3-5 Drainase tersumbat, permukiman {tempat} tergenang setiap hujan deras
environment Ancaman 4-5 Banjir tahunan di permukiman bantaran sungai {tempat}
economy Kelemahan 3-4 Jalan usaha tani ke kebun warga {tempat} belum diperkeras
living Kelemahan 2-4 Penerangan jalan umum belum ada di ruas utama {tempat}
living Kelemahan 3-5 Jaringan air bersih belum menjangkau {n} RT di {tempat}
living Kekuatan 1-2 Jalan kabupaten ke {tempat} sudah diaspal dan dalam kondisi baik
living Peluang 2-3 Rencana jalan penghubung ke IKN melintasi {tempat}
"""),
    ),
    Agency(
        "dinas_kesehatan",
        "Dinas Kesehatan",
        "template",
        28,
        _CODE_NAMES_POINT,
        _problems("""
living Kelemahan 4-5 Puskesmas {tempat} kekurangan dokter umum, hanya {n} dokter untuk seluruh wilayah
living Kelemahan 3-5 Pustu di {tempat} tidak memiliki bidan yang menetap
living Kelemahan 4-5 Prevalensi stunting balita di {tempat} masih tinggi
living Kelemahan 3-4 Tidak ada ambulans desa, rujukan dari {tempat} ke RSUD lebih dari {n} jam
living Kelemahan 2-4 Rekam medis puskesmas di {tempat} masih dicatat manual
living Kekuatan 1-2 Posyandu di {tempat} aktif setiap bulan
living Ancaman 3-5 Kasus demam berdarah meningkat setiap musim hujan di {tempat}
living Peluang 2-3 Layanan telemedisin dapat menjangkau warga {tempat} yang jauh dari puskesmas
society Kelemahan 2-3 Kader kesehatan {tempat} belum terlatih memakai aplikasi pencatatan
"""),
    ),
    Agency(
        "dinas_pendidikan",
        "Dinas Pendidikan",
        "ringkas",
        26,
        (("code", 5), ("names", 4), ("district", 1)),
        _problems("""
society Kelemahan 4-5 {n} ruang kelas SD di {tempat} rusak berat
society Kelemahan 3-5 SD dan SMP di {tempat} kekurangan guru, satu guru mengajar dua kelas
society Kelemahan 3-4 Sekolah di {tempat} belum terhubung internet untuk asesmen berbasis komputer
society Kelemahan 2-3 Perpustakaan sekolah di {tempat} koleksinya sedikit dan usang
society Kelemahan 3-4 Angka putus sekolah di {tempat} naik karena anak membantu di kebun
society Kekuatan 1-2 Komunitas literasi warga {tempat} aktif mengadakan kelas membaca
society Peluang 2-3 Program sekolah penggerak dapat diperluas ke {tempat}
living Kelemahan 3-4 Jalan ke sekolah di {tempat} rusak, siswa berjalan kaki {n} km
"""),
    ),
    Agency(
        "dlh",
        "Dinas Lingkungan Hidup",
        "csv_koma",
        24,
        (("point", 5), ("names", 3), ("district", 1)),
        _problems("""
environment Kelemahan 3-5 Tumpukan sampah di TPS liar {tempat} tidak terangkut
environment Kelemahan 2-4 Belum ada bank sampah di {tempat}
environment Kelemahan 4-5 Sungai di {tempat} tercemar limbah cair pabrik kelapa sawit
environment Ancaman 4-5 Kebakaran hutan dan lahan saat kemarau di sekitar {tempat}
environment Ancaman 3-5 Abrasi mengancam permukiman tepi sungai dan pesisir {tempat}
environment Kekuatan 1-2 Hutan mangrove dan hutan adat di {tempat} masih terjaga
environment Kelemahan 3-5 TPA mendekati kapasitas penuh, pemilahan sampah belum berjalan
environment Peluang 2-3 Sampah organik pasar {tempat} dapat diolah menjadi kompos
environment Kelemahan 2-3 Penerangan jalan dan kantor di {tempat} belum hemat energi
"""),
    ),
    Agency(
        "dinas_pariwisata",
        "Dinas Pariwisata",
        "rekap",
        18,
        (("names", 5), ("point", 2), ("district", 1)),
        _problems("""
branding Kelemahan 3-4 Promosi wisata {tempat} belum dikemas digital dan tidak ada di media sosial resmi
branding Kelemahan 3-4 Papan penunjuk arah ke objek wisata {tempat} belum ada
branding Kelemahan 2-4 Homestay di {tempat} belum terstandar dan belum terdaftar
branding Kelemahan 2-3 Oleh-oleh khas Paser buatan UMKM {tempat} belum bermerek dan berkemasan
branding Kekuatan 1-2 Tradisi budaya Paser di {tempat} menarik wisatawan
branding Peluang 2-4 Wisatawan dari IKN dapat diarahkan ke objek wisata {tempat}
living Kelemahan 3-4 Akses jalan ke objek wisata {tempat} rusak
economy Kelemahan 2-3 Pembayaran di lokasi wisata {tempat} belum menerima QRIS
"""),
    ),
    Agency(
        "dinas_perhubungan",
        "Dinas Perhubungan",
        "csv_1252",
        22,
        (("names", 6), ("district", 2)),
        _problems("""
living Kelemahan 3-5 Tidak ada angkutan umum dari {tempat} ke ibu kota kecamatan
living Kelemahan 3-4 Rambu lalu lintas di ruas jalan {tempat} rusak dan hilang
living Kelemahan 3-4 Lampu lalu lintas di simpang {tempat} sering padam
living Kelemahan 4-5 Dermaga sungai di {tempat} rusak — perahu sulit bersandar
living Kelemahan 2-3 Parkir liar di sekitar pasar {tempat} menyebabkan macet
living Ancaman 3-5 Truk angkutan batu bara melintasi jalan permukiman {tempat}
living Peluang 2-4 Arus kendaraan menuju IKN meningkat: peluang angkutan antarkota dari {tempat}
governance Kelemahan 2-3 Data uji kendaraan (KIR) masih dicatat manual
"""),
        notes=(None, None, "-", "Laporan warga", "Pengamatan petugas"),
    ),
)

# slug -> (row index, flaw): the mistakes the demo shows; every other row is meant to be accepted (rows
# with an empty SWOT category or urgency are kept with a warning, as the template's instructions say)
PLANTED = {
    "bappedalitbang": ((8, "unknown_code_with_names"),),
    "diskominfostaper": ((6, "formula_cell"),),
    "dinas_pupr": ((4, "swapped_coordinates"),),
    "dinas_kesehatan": ((2, "dimension_kesehatan"), (9, "misspelt_village")),
    "dinas_pendidikan": ((3, "urgency_6"), (9, "missing_description"), (12, "blank_row_before")),
    "dinas_pariwisata": ((1, "script_tag"), (5, "village_in_wrong_district")),
    "dinas_perhubungan": ((7, "blank_row_before"),),
    "dlh": ((10, "formula_text"),),
}


@dataclass(frozen=True)
class Places:
    """The region's villages and districts, with the spelling variants people use."""

    villages: list[dict[str, str]]  # code, name, kind, district_code, district_name, lat, lon
    districts: dict[str, str]  # code -> name
    aliases: dict[str, list[str]]  # code -> alias spellings

    @classmethod
    def read(cls, places_csv: Path = PLACES_CSV, aliases_csv: Path = ALIASES_CSV) -> Places:
        with open(places_csv, encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        aliases: dict[str, list[str]] = {}
        with open(aliases_csv, encoding="utf-8", newline="") as handle:
            for alias in csv.DictReader(handle):
                aliases.setdefault(alias["code"], []).append(alias["alias"])
        return cls(
            villages=sorted((r for r in rows if r["kind"] in ("desa", "kelurahan")), key=lambda r: r["code"]),
            districts={r["code"]: r["name"] for r in rows if r["kind"] == "kecamatan"},
            aliases=aliases,
        )

    def village_text(self, village: dict[str, str], rng: random.Random) -> str:
        """The village name as an agency might type it."""
        name = village["name"]
        prefix = "Desa" if village["kind"] == "desa" else rng.choice(["Kel.", "Kelurahan"])
        written = [name] * 3 + [f"{prefix} {name}"] * 2 + [name.upper(), name.lower()]
        return rng.choice(written + self.aliases.get(village["code"], [name]))

    def district_text(self, code: str, rng: random.Random) -> str:
        """The district name as an agency might type it."""
        name = self.districts[code]
        return rng.choice([name, name, name, f"Kec. {name}", f"Kecamatan {name}", name.upper(),
                           *self.aliases.get(code, [name]) * 2])  # fmt: skip


def make_rows(agency: Agency, places: Places, rng: random.Random) -> list[Row]:
    """The agency's clean rows: a problem of its own, a place, a location written one of several ways."""
    modes, weights = zip(*agency.locate, strict=True)
    rows = []
    for _ in range(agency.rows):
        dimension, swot, low, high, text = rng.choice(agency.problems)
        mode = rng.choices(modes, weights)[0]
        candidates = places.villages
        if mode == "point":
            candidates = [v for v in places.villages if v["code"] not in OFF_POLYGON_CENTROIDS]
        village = rng.choice(candidates)
        district_code = village["district_code"]
        place = f"Kecamatan {places.districts[district_code]}" if mode == "district" else _place(village)
        row = Row(
            description=text.format(tempat=place, n=rng.randint(2, 6)),
            dimension=dimension,
            dimension_text=_dimension_text(dimension, agency.layout, rng),
            swot=rng.choice([swot] * 8 + [swot.upper(), swot.lower(), None]),
            severity=rng.choice([*range(low, high + 1)] * 6 + [None]),
            year=rng.choice([2025] * 7 + [2024] * 2 + [None]),
            readiness=readiness_of_problem(text),
            notes=rng.choice(agency.notes),
            place=place,
            place_code=district_code if mode == "district" else village["code"],
        )
        rows.append(replace(row, **_location(mode, village, places, rng)))
    return rows


#: the readiness aspect an agency picks for a problem, by the words of its text (first match wins; none:
#: the agency left the optional column empty). No random draw: the other files stay byte-identical.
ASPECT_WORDS = (
    ("Suprastruktur", ("program", "regulasi", "kebijakan", "perda", "perencanaan", "usulan")),
    ("Struktur", ("literasi", "tenaga", "kapasitas", "data profil", "pelatihan", "petugas", "guru",
                  "dokter")),
    ("Infrastruktur", ("internet", "sinyal", "bts", "aplikasi", "website", "jalan", "jaringan", "jembatan",
                       "air bersih", "listrik", "puskesmas", "kelas", "tpa")),
)  # fmt: skip


def readiness_of_problem(text: str) -> str | None:
    """The aspect the demo's template agencies write for ``text`` (see :data:`ASPECT_WORDS`)."""
    lowered = text.lower()
    for aspect, words in ASPECT_WORDS:
        if any(word in lowered for word in words):
            return aspect
    return None


def _place(village: dict[str, str]) -> str:
    return f"{'Desa' if village['kind'] == 'desa' else 'Kelurahan'} {village['name']}"


def _dimension_text(dimension: str, layout: str, rng: random.Random) -> str:
    label = DIMENSION_LABEL[dimension]
    if layout == "template":
        return label  # chosen from the drop-down
    return rng.choice([label, label, label.upper(), label.lower(), dimension.title()])


def _location(mode: str, village: dict[str, str], places: Places, rng: random.Random) -> dict:
    """Location columns for one row, written the way ``mode`` says."""
    district_code = village["district_code"]
    if mode == "district":
        return {"district": places.district_text(district_code, rng)}
    if mode == "code":
        code = rng.choice([village["code"]] * 4 + [village["code"].replace(".", "")])
        if rng.random() < 0.4:  # a code, and the names for the reader
            return {"code": code, "village": village["name"], "district": places.districts[district_code]}
        return {"code": code}
    if mode == "point":
        lat = round(float(village["lat"]) + rng.uniform(-JITTER_DEG, JITTER_DEG), 5)
        lon = round(float(village["lon"]) + rng.uniform(-JITTER_DEG, JITTER_DEG), 5)
        district = places.districts[district_code] if rng.random() < 0.5 else None
        return {"lat": lat, "lon": lon, "district": district}
    return {
        "village": places.village_text(village, rng),
        "district": places.district_text(district_code, rng),
    }


def plant(row: Row, flaw: str, places: Places) -> Row:
    """``row`` with one mistake the demo shows (``blank_row_before`` is handled by the writers)."""
    by_name = {v["name"]: v for v in places.villages}

    def moved(name: str, **columns) -> Row:
        """``row`` about the village ``name`` (its description follows), with its location columns."""
        village = by_name[name]
        description = row.description.replace(row.place, _place(village)) if row.description else None
        location = dict.fromkeys(("code", "village", "district", "lat", "lon")) | columns
        return replace(row, description=description, place=_place(village), place_code=village["code"],
                       flaw=flaw, **location)  # fmt: skip

    if flaw == "unknown_code_with_names":  # a typo in the code; the names still place the row
        return moved("Senaken", code="64.01.04.2099", village="Senaken", district="Tanah Grogot")
    if flaw == "formula_cell":
        return replace(row, description='=HYPERLINK("https://contoh.invalid/blankspot","Peta blank spot")',
                       flaw=flaw)  # fmt: skip
    if flaw == "swapped_coordinates":
        songka = by_name["Songka"]
        return replace(moved("Songka", lat=float(songka["lon"]), lon=float(songka["lat"])), place_code=None)
    if flaw == "formula_text":  # the same in a CSV: text, which the intake keeps and must never run
        return replace(row, description='=HYPERLINK("https://contoh.invalid/tps","Foto TPS liar")', flaw=flaw)
    if flaw == "dimension_kesehatan":
        return replace(row, dimension=None, dimension_text="Kesehatan", flaw=flaw)
    if flaw == "misspelt_village":  # Batu Kajang written without its last letter
        return moved("Batu Kajang", village="Desa Batu Kajan", district="Batu Sopang")
    if flaw == "urgency_6":
        return replace(row, severity=6, flaw=flaw)
    if flaw == "missing_description":
        return replace(row, description=None, flaw=flaw)
    if flaw == "script_tag":
        return replace(row, description="Promosi wisata minim <script>alert(1)</script>", flaw=flaw)
    if flaw == "village_in_wrong_district":  # Busui lies in Batu Sopang, not in Kuaro
        return replace(moved("Busui", village="Desa Busui", district="Kuaro"), place_code=None)
    if flaw == "blank_row_before":
        return replace(row, flaw=flaw)
    raise ValueError(f"unknown flaw {flaw!r}")


def build_demo(places: Places | None = None, seed: int = SEED) -> list[tuple[Agency, list[Row]]]:
    """Every agency with its rows (clean ones and planted mistakes), reproducibly from ``seed``."""
    places = places or Places.read()
    rng = random.Random(seed)
    demo = []
    for agency in AGENCIES:
        rows = make_rows(agency, places, rng)
        for index, flaw in PLANTED.get(agency.slug, ()):
            rows[index] = plant(rows[index], flaw, places)
        demo.append((agency, rows))
    return demo


# ---------------------------------------------------------------- writers, one per layout


def _cells(row: Row, columns: tuple[str, ...], agency: Agency, number: int) -> list:
    """The row's values for ``columns`` (field names of Row, plus "no" and "agency")."""
    extra = {"no": number, "agency": agency.name}
    return [extra[c] if c in extra else getattr(row, c) for c in columns]


def _write_template(out: Path, agency: Agency, rows: list[Row], places_csv: Path) -> list[tuple[int, Row]]:
    districts, villages = template_reference_frames(places_csv)
    workbook = build_template(region_name=REGION, districts=districts, villages=villages)
    sheet = workbook["Data"]
    sheet.cell(HEADER_ROW - 2, 2, agency.name)
    columns = ("no", None, "dimension_text", "swot", "description", "severity", "district", "village", "code",
               "lat", "lon", "year", "readiness", "notes")  # fmt: skip
    assert len(columns) == len(HEADERS)
    placed, line = [], HEADER_ROW
    for number, row in enumerate(rows, start=1):
        line += 1 + (row.flaw == "blank_row_before")
        values = [None if c is None else _cells(row, (c,), agency, number)[0] for c in columns]
        for column, value in enumerate(values, start=1):
            if value is not None:
                sheet.cell(line, column, value)  # "=..." becomes a real formula, as an agency would type it
        placed.append((line, row))
    workbook.active = workbook.index(sheet)  # agencies save while looking at their data
    save_reproducibly(workbook, out)
    return placed


_HOME_MADE = {
    # layout -> (title lines, agency line, headers, Row fields)
    "rekap": (
        ("REKAPITULASI PERMASALAHAN SMART CITY", "{upper} KABUPATEN PASER TAHUN 2025"),
        "Perangkat Daerah: {name}",
        ("No.", "Uraian Masalah", "Dimensi Smart City", "Kategori", "Urgensi", "Kecamatan", "Desa/Kel.",
         "Lintang", "Bujur", "Keterangan"),
        ("no", "description", "dimension_text", "swot", "severity", "district", "village", "lat", "lon",
         "notes"),
    ),
    "ringkas": (
        ("IDENTIFIKASI MASALAH SMART CITY — {upper}",),
        "OPD: {name}",
        ("NO", "DIMENSI SMART CITY", "SWOT", "URAIAN MASALAH", "URGENSI", "KODE DESA", "DESA", "KECAMATAN",
         "TAHUN", "KET"),
        ("no", "dimension_text", "swot", "description", "severity", "code", "village", "district", "year",
         "notes"),
    ),
}  # fmt: skip


def _write_home_made(out: Path, agency: Agency, rows: list[Row]) -> list[tuple[int, Row]]:
    """A layout made by the agency itself: merged title rows, its own header words, no drop-downs."""
    titles, agency_line, headers, columns = _HOME_MADE[agency.layout]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Rekap" if agency.layout == "rekap" else "Sheet1"
    for line, title in enumerate(titles, start=1):
        sheet.cell(line, 1, title.format(upper=agency.name.upper()))
        sheet.cell(line, 1).font = Font(bold=True, size=12)
        sheet.cell(line, 1).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=line, start_column=1, end_row=line, end_column=len(headers))
    sheet.cell(len(titles) + 1, 1, agency_line.format(name=agency.name))
    header_line = len(titles) + 3
    for column, header in enumerate(headers, start=1):
        sheet.cell(header_line, column, header).font = Font(bold=True)
    sheet.column_dimensions["B" if columns[1] == "description" else "D"].width = 60
    placed, line = [], header_line
    for number, row in enumerate(rows, start=1):
        line += 1 + (row.flaw == "blank_row_before")
        for column, value in enumerate(_cells(row, columns, agency, number), start=1):
            if value is not None:  # text stays text here (only the template file holds a formula)
                sheet.cell(line, column, value).data_type = "s" if isinstance(value, str) else "n"
        placed.append((line, row))
    save_reproducibly(workbook, out)
    return placed


_CSV = {
    # layout -> (encoding, delimiter, decimal comma?, lines above the header, headers, Row fields)
    "csv_1252": (
        "cp1252", ";", False, (),
        ("No", "OPD", "Uraian Permasalahan", "Dimensi", "Kategori SWOT", "Urgensi", "Kecamatan",
         "Desa/Kelurahan", "Tahun", "Keterangan"),
        ("no", "agency", "description", "dimension_text", "swot", "severity", "district", "village", "year",
         "notes"),
    ),
    "csv_koma": (
        "utf-8-sig", ",", True, ("Instansi: {name}",),
        ("No", "Uraian Permasalahan", "Dimensi", "Kategori", "Tingkat Urgensi", "Kecamatan", "Desa",
         "Lintang", "Bujur", "Tahun", "Keterangan"),
        ("no", "description", "dimension_text", "swot", "severity", "district", "village", "lat", "lon",
         "year", "notes"),
    ),
}  # fmt: skip


def _write_csv(out: Path, agency: Agency, rows: list[Row], rng: random.Random) -> list[tuple[int, Row]]:
    """A CSV as Excel exports it (CRLF, every line as wide as the header)."""
    encoding, delimiter, decimal_comma, above, headers, columns = _CSV[agency.layout]
    lines = [[text.format(name=agency.name)] + [""] * (len(headers) - 1) for text in above]
    lines.append(list(headers))
    placed = []
    for number, row in enumerate(rows, start=1):
        if row.flaw == "blank_row_before":
            lines.append([""] * len(headers))
        values = _cells(row, columns, agency, number)
        if agency.layout == "csv_1252" and isinstance(row.severity, int) and rng.random() < 0.3:
            values[columns.index("severity")] = URGENCY_WORDS.get(row.severity, str(row.severity))
        text = ["" if v is None else str(v) for v in values]
        if decimal_comma:
            text = [
                t.replace(".", ",") if c in ("lat", "lon") else t for c, t in zip(columns, text, strict=True)
            ]
        lines.append(text)
        placed.append((len(lines), row))
    with open(out, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(lines)
    return placed


def write_demo(out_dir: Path = OUTPUT_DIR, places_csv: Path = PLACES_CSV, aliases_csv: Path = ALIASES_CSV,
               seed: int = SEED) -> dict[Path, list[tuple[int, Row]]]:  # fmt: skip
    """Write every agency's worksheet into ``out_dir``; returns, per file, its rows by row/line number."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)  # formats only; the rows come from build_demo
    written = {}
    for agency, rows in build_demo(Places.read(places_csv, aliases_csv), seed):
        if agency.layout == "template":
            path = out_dir / f"{agency.slug}.xlsx"
            written[path] = _write_template(path, agency, rows, places_csv)
        elif agency.layout in _HOME_MADE:
            path = out_dir / f"{agency.slug}.xlsx"
            written[path] = _write_home_made(path, agency, rows)
        else:
            path = out_dir / f"{agency.slug}.csv"
            written[path] = _write_csv(path, agency, rows, rng)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT_DIR, help="folder for the worksheets")
    args = parser.parse_args()
    written = write_demo(args.out)
    for path, placed in written.items():
        flaws = ", ".join(f"row {n}: {row.flaw}" for n, row in placed if row.flaw)
        print(
            f"{path.name}: {len(placed)} rows, {path.stat().st_size:,} bytes"
            + (f"; {flaws}" if flaws else "")
        )


if __name__ == "__main__":
    main()
