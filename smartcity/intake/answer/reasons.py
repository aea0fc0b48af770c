"""Why a worksheet row was rejected (or kept with a warning), in English and Bahasa Indonesia.

A reason is a short code plus the column and value it concerns. The code is what the pipeline keeps
(``intake.rejected_row.reasons``, as rendered English text) and what feedback to agencies renders in
Bahasa Indonesia ("Catatan validasi"), with how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartcity.platform.vocabulary import DIMENSIONS, SWOT

_DIMENSIONS = ", ".join(DIMENSIONS)  # governance, branding, ..., environment
_DIMENSION_CHOICE = ", ".join(d.title() for d in DIMENSIONS[:-1]) + f" atau {DIMENSIONS[-1].title()}"

# code: (blocking?, English template, Indonesian template). Templates may use {column} and {value}.
CATALOGUE: dict[str, tuple[bool, str, str]] = {
    "missing_description": (
        True, "the description is empty",
        "Uraian permasalahan kosong: isi kolom {column}.",
    ),
    "invalid_dimension": (
        True, "{value!r} is not a smart city dimension (" + _DIMENSIONS + ")",
        "{value!r} bukan dimensi smart city: pilih " + _DIMENSION_CHOICE + " (kolom {column}).",
    ),
    "missing_dimension": (
        True, "the dimension is empty", "Dimensi kosong: pilih " + _DIMENSION_CHOICE + " (kolom {column}).",
    ),
    "dimension_code_without_legend": (
        True,
        "{value!r} looks like a code for a dimension, and no legend in the file says what it means",
        "{value!r} tampaknya kode dimensi, tetapi tidak ada keterangan (legenda) di berkas yang menjelaskan "
        "artinya: tulis nama dimensinya (misalnya Smart Living) atau tambahkan keterangan kode di bawah "
        "tabel, misalnya 1 = Smart Governance (kolom {column}).",
    ),
    "ambiguous_dimension": (
        True, "{value!r} may mean living or environment: write Living or Environment",
        "{value!r} bisa berarti Living (kehidupan) atau Environment (lingkungan): tulis Smart Living atau "
        "Smart Environment (kolom {column}).",
    ),
    "invalid_swot": (
        True, "{value!r} is not a SWOT category (" + ", ".join(SWOT) + ")",
        "{value!r} bukan kategori SWOT: pilih Kekuatan, Kelemahan, Peluang atau Ancaman (kolom {column}).",
    ),
    "invalid_year": (
        True, "{value!r} is not a year",
        "{value!r} bukan tahun: isi tahun empat angka, misalnya 2025 (kolom {column}).",
    ),
    "invalid_coordinates": (
        True, "{value!r} are not coordinates in degrees",
        "{value!r} bukan koordinat: isi lintang dan bujur dalam derajat desimal, misalnya -1.91 dan 116.20.",
    ),
    "swapped_coordinates": (
        True, "latitude and longitude look swapped ({value})",
        "Lintang dan bujur tampaknya tertukar ({value}): lintang Paser sekitar -1 sampai -2.5, bujur "
        "sekitar 115.5 sampai 116.7.",
    ),
    "outside_region": (
        True, "the point {value} lies outside the region",
        "Titik {value} berada di luar wilayah kabupaten: periksa koordinat.",
    ),
    "unknown_code": (
        True, "{value!r} is not a code of a village or district of the region",
        "Kode wilayah {value!r} tidak dikenal: gunakan kode Kemendagri dari lembar referensi.",
    ),
    "unknown_village": (  # only without a district: with one, the row stays at its level (village_not_found)
        True, "no village named {value!r} in the region, and no district given",
        "Desa/kelurahan {value!r} tidak ditemukan di wilayah ini dan kecamatan kosong: periksa ejaan "
        "(lihat lembar referensi) dan isi kolom kecamatan.",
    ),
    "unknown_district": (
        True, "no district named {value!r}",
        "Kecamatan {value!r} tidak dikenal: periksa ejaan (lihat lembar referensi).",
    ),
    "no_location": (
        True, "no location: give a code, coordinates, a village or a district",
        "Lokasi kosong: isi kode wilayah, koordinat, desa/kelurahan atau kecamatan.",
    ),
    "ambiguous_village": (
        True, "{value!r} names villages in several districts: give the district",
        "{value!r} ada di beberapa kecamatan: isi juga kolom kecamatan.",
    ),
    # warnings: the row is kept
    "ignored_code": (
        False, "code {value!r} is unknown; the row was placed by its other location columns",
        "Kode wilayah {value!r} tidak dikenal; lokasi diambil dari kolom lokasi lainnya.",
    ),
    "village_not_found": (
        False, "no village named {value!r} in the district: kept at district level",
        "Desa/kelurahan {value!r} tidak ditemukan di kecamatan tersebut: dicatat di tingkat kecamatan. "
        "Periksa ejaan (lihat lembar referensi).",
    ),
    "village_in_other_district": (
        False, "village {value!r} is not in the named district: kept at district level",
        "Desa/kelurahan {value!r} tidak berada di kecamatan yang disebut: dicatat di tingkat kecamatan.",
    ),
    "fuzzy_village": (
        False, "village name {value} matched by similarity",
        "Nama desa/kelurahan {value} dicocokkan berdasarkan kemiripan ejaan: mohon periksa.",
    ),
    "fuzzy_district": (
        False, "district name {value} matched by similarity",
        "Nama kecamatan {value} dicocokkan berdasarkan kemiripan ejaan: mohon periksa.",
    ),
    "default_severity": (
        False, "no urgency given: 3 assumed", "Tingkat urgensi kosong: dianggap 3 (sedang).",
    ),
    "unreadable_severity": (
        False, "{value!r} is not an urgency from 1 to 5: 3 assumed",
        "{value!r} bukan tingkat urgensi: dianggap 3 (sedang). Isi angka 1 sampai 5 atau sangat rendah/"
        "rendah/sedang/tinggi/sangat tinggi (kolom {column}).",
    ),
    "unreadable_readiness": (
        False, "{value!r} is not a readiness aspect (suprastruktur, struktur or infrastruktur): left empty",
        "{value!r} bukan aspek kesiapan: dibiarkan kosong. Pilih Suprastruktur (kebijakan, regulasi), "
        "Struktur (kelembagaan, SDM, anggaran) atau Infrastruktur (TIK, jaringan, sarana prasarana), atau "
        "kosongkan (kolom {column}).",
    ),
    "default_swot": (
        False, "no SWOT category given: weakness assumed", "Kategori SWOT kosong: dianggap Kelemahan.",
    ),
    # the one-cell location column (Lokasi, Alamat, Titik Koordinat, Link Lokasi)
    "several_districts": (
        True, "the location {value!r} names several districts: one row for one place",
        "Lokasi {value!r} menyebut lebih dari satu kecamatan: satu baris untuk satu lokasi, pisahkan menjadi "
        "beberapa baris (kolom {column}).",
    ),
    "several_villages": (
        False, "the location {value!r} names several villages of one district: kept at district level",
        "Lokasi {value!r} menyebut beberapa desa/kelurahan dalam satu kecamatan: dicatat di tingkat "
        "kecamatan. Satu baris untuk satu desa bila lokasinya perlu tepat.",
    ),
    "link_unreadable": (
        True, "the map link {value!r} holds no coordinates and is not followed (offline): paste the "
        "coordinates instead",
        "Tautan peta {value!r} tidak memuat koordinat (tautan pendek tidak dibuka): salin koordinat dari "
        "aplikasi peta, misalnya -1.912, 116.203, atau isi desa dan kecamatan (kolom {column}).",
    ),
    "other_regency": (
        True, "{value!r} is a place of another regency, outside the region",
        "{value!r} berada di luar wilayah kabupaten ini (di kabupaten/kota lain): periksa lokasi; baris "
        "untuk kabupaten/kota lain tidak dipakai (kolom {column}).",
    ),
    "unreadable_location": (
        True, "the location {value!r} cannot be read as a place or coordinates",
        "Lokasi {value!r} tidak dapat dibaca: tulis misalnya Desa Lori, Kec. Long Kali, atau koordinat "
        "lintang, bujur seperti -1.912, 116.203 (kolom {column}).",
    ),
    "point_name_mismatch": (
        False, "the point and the place named disagree ({value}): the point was kept",
        "Titik koordinat dan nama lokasi tidak cocok ({value}): lokasi diambil dari titik koordinat; "
        "periksa.",
    ),
    "personal_data_masked": (
        False, "personal data (an e-mail address, a phone or identity number) in the text was masked",
        "Data pribadi (alamat surel, nomor telepon atau nomor identitas) di kolom {column} disamarkan "
        "sebelum disimpan: jangan tulis data pribadi di uraian atau keterangan.",
    ),
    "broken_code": (
        False, "code {value!r} was cut by the spreadsheet's scientific notation: ignored, placed by names",
        "Kode wilayah {value!r} rusak oleh format angka ilmiah (E+09): diabaikan, lokasi diambil dari nama. "
        "Format kolom kode sebagai Teks.",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Reason:
    """One finding about one row."""

    code: str
    column: str | None = None
    value: str | None = None

    @property
    def blocking(self) -> bool:
        """True when the row cannot be used (rejected); False for a warning (row kept)."""
        return CATALOGUE[self.code][0]

    def english(self) -> str:
        return CATALOGUE[self.code][1].format(column=self.column or "-", value=self.value)

    def indonesian(self) -> str:
        return CATALOGUE[self.code][2].format(column=self.column or "-", value=self.value)

    def __str__(self) -> str:
        where = f"column {self.column}: " if self.column else ""
        return where + self.english()
