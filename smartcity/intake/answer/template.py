"""The official worksheet (*kertas kerja*) agencies fill in: instructions, data sheet, region reference.

The workbook has three sheets. "Petunjuk" explains in Bahasa Indonesia what to write and how;
"Data" holds a title, a "Perangkat Daerah:" line (label in A2, value in B2) and the header row, with
drop-down lists for the dimension, SWOT category, urgency, place names and the optional readiness aspect
(aspek kesiapan); "Referensi Wilayah" lists the districts and villages with their Kemendagri codes,
which the drop-downs read. The values offered are the ones the intake accepts ("Smart Governance",
"Kelemahan", 1-5, official names and codes, "Suprastruktur").

Files are saved reproducibly (fixed timestamps, fixed zip entry dates), so the same inputs give the
same bytes; :func:`save_reproducibly` is shared with the demo worksheet generator.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from smartcity.platform.vocabulary import DIMENSIONS, LAT_RANGE, LON_RANGE, READINESS

INSTRUCTIONS_SHEET = "Petunjuk"
DATA_SHEET = "Data"
REFERENCE_SHEET = "Referensi Wilayah"
HEADERS = (
    "No", "Perangkat Daerah", "Dimensi", "Kategori (SWOT)", "Uraian Permasalahan", "Tingkat Urgensi",
    "Kecamatan", "Desa/Kelurahan", "Kode Wilayah", "Lintang", "Bujur", "Tahun", "Aspek Kesiapan",
    "Keterangan",
)  # fmt: skip
COLUMN_WIDTHS = (6, 24, 20, 16, 60, 10, 20, 24, 16, 11, 11, 8, 16, 30)
AGENCY_ROW, HEADER_ROW = 2, 4  # 1-based; the title is row 1, row 3 is left empty
DATA_ROWS = 1000  # rows carrying the drop-downs and formats
# "Smart <Dimension>" (the drop-down) -> what it covers, in the vocabulary's order of the dimensions
DIMENSION_HELP = dict(zip((f"Smart {name.title()}" for name in DIMENSIONS), (
    "Tata kelola pemerintahan: pelayanan publik, manajemen birokrasi, kebijakan publik.",
    "Pemasaran dan citra daerah: pariwisata, bisnis, wajah kota.",
    "Ekonomi: industri, kesejahteraan rakyat, ekosistem transaksi keuangan.",
    "Kehidupan: harmonisasi tata ruang, kesehatan, transportasi (mobilitas).",
    "Masyarakat: komunitas, ekosistem belajar, keamanan masyarakat.",
    "Lingkungan: proteksi lingkungan, pengelolaan sampah/limbah, pengelolaan energi.",
), strict=True))  # fmt: skip
SWOT_HELP = {
    "Kekuatan": "hal positif dari dalam daerah/perangkat daerah yang dapat diandalkan.",
    "Kelemahan": "masalah atau kekurangan dari dalam yang perlu diatasi (kategori paling umum).",
    "Peluang": "keadaan dari luar yang dapat dimanfaatkan (program pusat, investasi, IKN, ...).",
    "Ancaman": "keadaan dari luar yang dapat merugikan (bencana, harga komoditas, ...).",
}
URGENCY = {
    1: "Sangat rendah: dapat ditangani kapan saja.",
    2: "Rendah: perlu ditangani dalam beberapa tahun.",
    3: "Sedang: perlu ditangani dalam 1-2 tahun (dipakai bila kolom dikosongkan).",
    4: "Tinggi: perlu ditangani tahun depan.",
    5: "Sangat tinggi: mendesak, menyangkut keselamatan atau layanan dasar banyak warga.",
}
READINESS_CHOICES = tuple(aspect.title() for aspect in READINESS)  # Suprastruktur, Struktur, Infrastruktur
FIXED_TIMESTAMP = datetime(2025, 1, 1)

_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


def template_reference_frames(places_csv: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Districts (code, name) and villages (code, name, district_code, district_name) of a places table."""
    places = pd.read_csv(places_csv, dtype=str, keep_default_na=False)
    districts = places.loc[places["kind"] == "kecamatan", ["code", "name"]]
    villages = places.loc[
        places["kind"].isin(["desa", "kelurahan"]), ["code", "name", "district_code", "district_name"]
    ]
    return (
        districts.sort_values("code").reset_index(drop=True),
        villages.sort_values("code").reset_index(drop=True),
    )


def write_template(out: Path, *, region_name: str, districts: pd.DataFrame, villages: pd.DataFrame) -> Path:
    """Write the empty official worksheet for ``region_name`` to ``out`` (.xlsx) and return the path."""
    workbook = build_template(region_name=region_name, districts=districts, villages=villages)
    return save_reproducibly(workbook, out)


def build_template(*, region_name: str, districts: pd.DataFrame, villages: pd.DataFrame) -> Workbook:
    """The official worksheet as an openpyxl Workbook (the demo generator fills its "Data" sheet)."""
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions, region_name)
    data = workbook.create_sheet(DATA_SHEET)
    reference = workbook.create_sheet(REFERENCE_SHEET)
    # the reference sheet first: the data sheet's drop-downs point into it by defined names
    _write_reference(workbook, reference, districts, villages)
    _write_data_sheet(data, region_name)
    _add_validations(data, contiguous=_villages_grouped_by_district(villages))
    return workbook


def save_reproducibly(workbook: Workbook, out: Path, *, timestamp: datetime = FIXED_TIMESTAMP) -> Path:
    """Save ``workbook`` so that the same content always gives the same bytes (fixed dates everywhere)."""
    # openpyxl's save_workbook stamps "modified" with the current time: call its writer directly
    workbook.properties.created = workbook.properties.modified = timestamp
    buffer = io.BytesIO()
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    # zipfile dates each entry with the current time: copy the entries with a fixed date
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=timestamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))
    return out


def _write_instructions(sheet: Worksheet, region_name: str) -> None:
    """The "Petunjuk" sheet: purpose, one row per finding, each column, dimensions, SWOT, urgency, place."""
    lines: list[tuple[str, str]] = [
        (f"Petunjuk Pengisian Kertas Kerja Masterplan Smart City — Kabupaten {region_name}", ""),
        ("", ""),
        ("Untuk apa", "Kertas kerja ini menghimpun permasalahan, kekuatan, peluang dan ancaman yang dicatat "
         "setiap perangkat daerah, sebagai bahan analisis Masterplan Smart City. Setiap baris dipetakan ke "
         "desa/kelurahan atau kecamatan, lalu digabung dengan isian perangkat daerah lain untuk menentukan "
         "wilayah dan dimensi yang menjadi prioritas."),
        ("Satu baris", "Satu baris = satu permasalahan (atau kekuatan, peluang, ancaman) di satu lokasi. "
         "Bila masalah yang sama terjadi di beberapa desa, tulis satu baris untuk setiap desa."),
        ("Mulai", "Isi nama perangkat daerah di sebelah 'Perangkat Daerah:' pada lembar Data, lalu isi baris "
         "mulai di bawah judul kolom. Jangan mengubah judul kolom. Baris kosong dilewati."),
        ("", ""),
        ("Kolom", "Cara mengisi"),
        ("No", "Nomor urut (boleh dikosongkan)."),
        ("Perangkat Daerah", "Boleh dikosongkan; isi hanya bila baris ini berasal dari perangkat daerah lain "
         "dari yang tertulis di atas."),
        ("Dimensi", "Wajib. Pilih salah satu dari enam dimensi smart city (daftar di bawah)."),
        ("Kategori (SWOT)", "Pilih Kekuatan, Kelemahan, Peluang atau Ancaman. "
         "Bila kosong dianggap Kelemahan."),
        ("Uraian Permasalahan", "Wajib. Uraian singkat dan jelas: apa masalahnya, seberapa parah, siapa yang "
         "terdampak. Contoh: Jalan poros desa rusak berat sepanjang 3 km, tidak bisa dilalui saat hujan."),
        ("Tingkat Urgensi", "Angka 1 sampai 5 (arti di bawah). Bila kosong dianggap 3 (sedang)."),
        ("Kecamatan", "Pilih dari daftar (lembar Referensi Wilayah)."),
        ("Desa/Kelurahan", "Pilih dari daftar; daftar menyesuaikan kecamatan yang sudah dipilih."),
        ("Kode Wilayah", "Kode Kemendagri desa/kelurahan atau kecamatan dari lembar Referensi Wilayah, "
         "misalnya 64.01.04.2012."),
        ("Lintang", "Derajat desimal, negatif di selatan khatulistiwa, misalnya -1.8820."),
        ("Bujur", "Derajat desimal, misalnya 116.2848."),
        ("Tahun", "Tahun data atau kejadian, empat angka, misalnya 2025."),
        ("Aspek Kesiapan", "Boleh dikosongkan. Aspek kesiapan daerah yang menjadi pokok baris ini: "
         "Suprastruktur (kebijakan, regulasi, peraturan daerah/bupati, SOP), Struktur (kelembagaan, "
         "organisasi, SDM, anggaran) atau Infrastruktur (TIK, jaringan, internet, pusat data, aplikasi, "
         "sarana dan prasarana fisik)."),
        ("Keterangan", "Sumber data atau catatan lain (boleh dikosongkan)."),
        ("", ""),
        ("Lokasi", "Isi minimal salah satu: (a) Kode Wilayah, atau (b) Lintang dan Bujur (titik di dalam "
         "desa), atau (c) Desa/Kelurahan dan Kecamatan, atau (d) Kecamatan saja bila masalahnya meliputi "
         "seluruh kecamatan. Bila diisi lebih dari satu, semuanya harus menunjuk lokasi yang sama."),
        ("", ""),
        ("Dimensi", "Penjelasan"),
        *DIMENSION_HELP.items(),
        ("", ""),
        ("Kategori (SWOT)", "Penjelasan"),
        *SWOT_HELP.items(),
        ("", ""),
        ("Tingkat Urgensi", "Arti"),
        *((str(level), meaning) for level, meaning in URGENCY.items()),
        ("", ""),
        ("Rumus", "Rumus (formula) Excel tidak dibaca dan tidak dihitung: ketik nilainya langsung, bukan "
         "rumus atau tautan ke berkas lain."),
        ("Umpan balik", "Hasil pemeriksaan dikirim kembali sebagai salinan isian dengan kolom 'Catatan "
         "validasi' untuk setiap baris: perbaiki baris yang ditandai lalu kirim ulang."),
    ]  # fmt: skip
    for label, text in lines:
        sheet.append([label or None, text or None])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    for row in sheet.iter_rows(min_row=2):
        row[0].font = _BOLD
        row[0].alignment = _WRAP_TOP
        row[1].alignment = _WRAP_TOP
        if row[1].value in ("Cara mengisi", "Penjelasan", "Arti"):  # table headings
            for cell in row:
                cell.fill = _HEADER_FILL


def _write_data_sheet(sheet: Worksheet, region_name: str) -> None:
    """Title, the agency line and the header row; column widths and formats; frozen header."""
    last = get_column_letter(len(HEADERS))
    sheet["A1"] = f"Kertas Kerja Masterplan Smart City — Kabupaten {region_name}"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.merge_cells(f"A1:{last}1")
    sheet.cell(AGENCY_ROW, 1, "Perangkat Daerah:").font = _BOLD
    sheet.cell(AGENCY_ROW, 2).fill = _INPUT_FILL
    sheet.merge_cells(start_row=AGENCY_ROW, start_column=2, end_row=AGENCY_ROW, end_column=5)
    for column, (header, width) in enumerate(zip(HEADERS, COLUMN_WIDTHS, strict=True), start=1):
        cell = sheet.cell(HEADER_ROW, column, header)
        cell.font, cell.fill, cell.border = _BOLD, _HEADER_FILL, _BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    # codes stay text (Excel would turn 64.10 into 64.1); coordinates show four decimals
    sheet.column_dimensions[_letter("Kode Wilayah")].number_format = "@"
    sheet.column_dimensions[_letter("Lintang")].number_format = "0.0000"
    sheet.column_dimensions[_letter("Bujur")].number_format = "0.0000"
    sheet.column_dimensions[_letter("Uraian Permasalahan")].alignment = Alignment(wrap_text=True)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW}"


def _write_reference(
    workbook: Workbook, sheet: Worksheet, districts: pd.DataFrame, villages: pd.DataFrame
) -> None:
    """Districts in A:B and villages in D:F, sorted by code, plus the defined names the drop-downs use."""
    districts = districts.sort_values("code")
    villages = villages.sort_values("code")
    sheet.append(["Kode Kecamatan", "Kecamatan", None, "Kode Desa/Kelurahan", "Desa/Kelurahan", "Kecamatan"])
    for cell in sheet[1]:
        if cell.value:
            cell.font, cell.fill = _BOLD, _HEADER_FILL
    for offset, district in enumerate(districts.itertuples(index=False), start=2):
        sheet.cell(offset, 1, str(district.code)).data_type = "s"
        sheet.cell(offset, 2, str(district.name))
    for offset, village in enumerate(villages.itertuples(index=False), start=2):
        sheet.cell(offset, 4, str(village.code)).data_type = "s"
        sheet.cell(offset, 5, str(village.name))
        sheet.cell(offset, 6, str(village.district_name))
    for column, width in zip("ABCDEF", (16, 22, 3, 20, 26, 22), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    ref = quote_sheetname(REFERENCE_SHEET)
    names = {
        "Daftar_Kecamatan": f"{ref}!$B$2:$B${len(districts) + 1}",
        "Daftar_Desa": f"{ref}!$E$2:$E${len(villages) + 1}",
        "Kecamatan_Desa": f"{ref}!$F$2:$F${len(villages) + 1}",
    }
    for name, target in names.items():
        workbook.defined_names[name] = DefinedName(name, attr_text=target)


def _add_validations(sheet: Worksheet, *, contiguous: bool) -> None:
    """Drop-downs and ranges on the data rows; place names only warn (typed variants are accepted)."""
    first, last = HEADER_ROW + 1, HEADER_ROW + DATA_ROWS
    district_cell = f"${_letter('Kecamatan')}{first}"
    # villages of the chosen district (they are contiguous in the reference sheet), else all villages
    villages = (
        f"IF(COUNTIF(Kecamatan_Desa,{district_cell})=0,Daftar_Desa,OFFSET(Kecamatan_Desa,"
        f"MATCH({district_cell},Kecamatan_Desa,0)-1,-1,COUNTIF(Kecamatan_Desa,{district_cell}),1))"
        if contiguous
        else "Daftar_Desa"
    )
    rules = {
        "Dimensi": DataValidation(
            type="list", formula1='"' + ",".join(DIMENSION_HELP) + '"', errorStyle="stop",
            promptTitle="Dimensi", prompt="Pilih salah satu dari enam dimensi smart city.",
        ),
        "Kategori (SWOT)": DataValidation(
            type="list", formula1='"' + ",".join(SWOT_HELP) + '"', errorStyle="stop",
            promptTitle="Kategori (SWOT)", prompt="Kekuatan, Kelemahan, Peluang atau Ancaman.",
        ),
        "Tingkat Urgensi": DataValidation(
            type="whole", operator="between", formula1="1", formula2="5", errorStyle="stop",
            promptTitle="Tingkat Urgensi", prompt="1 = sangat rendah ... 5 = sangat tinggi.",
        ),
        "Kecamatan": DataValidation(
            type="list", formula1="Daftar_Kecamatan", errorStyle="warning",
            promptTitle="Kecamatan", prompt="Pilih dari daftar (lembar Referensi Wilayah).",
        ),
        "Desa/Kelurahan": DataValidation(
            type="list", formula1=villages, errorStyle="warning",
            promptTitle="Desa/Kelurahan", prompt="Pilih kecamatan dahulu; daftar menyesuaikan.",
        ),
        "Lintang": DataValidation(
            type="decimal", operator="between", formula1=str(LAT_RANGE[0]), formula2=str(LAT_RANGE[1]),
            errorStyle="stop", promptTitle="Lintang", prompt="Derajat desimal, misalnya -1.8820.",
        ),
        "Bujur": DataValidation(
            type="decimal", operator="between", formula1=str(LON_RANGE[0]), formula2=str(LON_RANGE[1]),
            errorStyle="stop", promptTitle="Bujur", prompt="Derajat desimal, misalnya 116.2848.",
        ),
        "Tahun": DataValidation(
            type="whole", operator="between", formula1="2000", formula2="2100", errorStyle="warning",
            promptTitle="Tahun", prompt="Empat angka, misalnya 2025.",
        ),
        "Aspek Kesiapan": DataValidation(
            type="list", formula1='"' + ",".join(READINESS_CHOICES) + '"', errorStyle="stop",
            promptTitle="Aspek Kesiapan", prompt="Boleh kosong. Suprastruktur, Struktur atau Infrastruktur.",
        ),
    }  # fmt: skip
    for header, rule in rules.items():
        rule.allow_blank = True
        rule.showInputMessage = rule.showErrorMessage = True
        rule.errorTitle = "Isian tidak sesuai"
        rule.error = f"Isian kolom {header} tidak sesuai. Lihat lembar Petunjuk."
        column = _letter(header)
        rule.add(f"{column}{first}:{column}{last}")
        sheet.add_data_validation(rule)


def _villages_grouped_by_district(villages: pd.DataFrame) -> bool:
    """True when, sorted by code, each district's villages form one block (what the drop-down needs)."""
    districts = villages.sort_values("code")["district_name"]
    blocks = (districts != districts.shift()).sum()
    return bool(blocks == districts.nunique())


def _letter(header: str) -> str:
    return get_column_letter(HEADERS.index(header) + 1)
