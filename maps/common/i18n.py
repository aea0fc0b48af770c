"""Every user-visible label of what ``maps`` publishes (the map, the report, the figures, the GIS kit and
the document), in Indonesian (``"id"``, the default) and English (``"en"``).

Decisions:

* One flat dictionary per language, the same keys in both (a test checks it, and that no other module
  of ``maps`` keeps labels of its own). Families of keys share a prefix: ``dim_<dimension>``,
  ``swot_<category>``, ``crit_<criterion>``, ``class_<1-5>``, ``hotspot_<code>``; the document's labels
  are ``doc_<key>`` (in :mod:`maps.common.i18n_document`), the GIS kit's ``gis_<key>``. They are
  written per deliverable below and merged.
* An unknown language or key is refused with :class:`~smartcity.platform.errors.InputError` (one line
  naming it), never a bare KeyError in the middle of building a page.
* Class and hot-spot labels repeat ``smartcity.scoring.classes`` and ``smartcity.scoring.hotspots`` (a test
  keeps them equal) so that this module imports nothing heavy.
* Bare codes work as keys too (``t("governance")``, ``t("hot_99")``, ``t("ikn")``, ``t("weakness")``,
  ``t("Sangat Tinggi")``): the map builder translates the codes stored in the mart directly. Where a bare
  code is also a plain label (``assets``), the plain label wins.
* Numbers follow the language: Indonesian writes ``1.234,5``, English ``1,234.5``.
"""

from __future__ import annotations

import math
import zoneinfo
from datetime import datetime

from maps.common.i18n_document import DOCUMENT_LABELS
from maps.common.style import class_number
from smartcity.platform.errors import InputError

LANGUAGES = ("id", "en")
LANGUAGE_TAGS = {"id": "id-ID", "en": "en-US"}  # a document's language (spelling, hyphenation)

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "title": "Peta Prioritas Smart City",
        "region": "Wilayah",
        "village": "Desa/Kelurahan",
        "villages": "Desa/Kelurahan",
        "district": "Kecamatan",
        "districts": "Kecamatan",
        "code": "Kode",
        "score": "Skor",
        "rank": "Peringkat",
        "priority_class": "Kelas prioritas",
        "issues": "Isu",
        "problems": "Masalah",
        "assets": "Aset",
        "robustness": "Peluang tetap di 10 besar",
        "rank_interval": "Rentang peringkat (p5–p95)",
        "hotspot": "Titik panas (Gi*)",
        "hotspot_hot_99": "Titik panas 99%",
        "hotspot_hot_95": "Titik panas 95%",
        "hotspot_hot_90": "Titik panas 90%",
        "hotspot_cold_99": "Titik dingin 99%",
        "hotspot_cold_95": "Titik dingin 95%",
        "hotspot_cold_90": "Titik dingin 90%",
        "hotspot_none": "Tidak signifikan",
        "dimension": "Dimensi",
        "dim_governance": "Tata Kelola (Smart Governance)",
        "dim_branding": "Pencitraan Daerah (Smart Branding)",
        "dim_economy": "Ekonomi (Smart Economy)",
        "dim_living": "Kehidupan (Smart Living)",
        "dim_society": "Masyarakat (Smart Society)",
        "dim_environment": "Lingkungan (Smart Environment)",
        "swot_strength": "Kekuatan",
        "swot_weakness": "Kelemahan",
        "swot_opportunity": "Peluang",
        "swot_threat": "Ancaman",
        "crit_pressure_governance": "Tekanan masalah: Tata Kelola",
        "crit_pressure_branding": "Tekanan masalah: Pencitraan Daerah",
        "crit_pressure_economy": "Tekanan masalah: Ekonomi",
        "crit_pressure_living": "Tekanan masalah: Kehidupan",
        "crit_pressure_society": "Tekanan masalah: Masyarakat",
        "crit_pressure_environment": "Tekanan masalah: Lingkungan",
        "crit_ikn": "Kedekatan ke IKN",
        "crit_idm": "Kebutuhan (IDM)",
        "crit_assets": "Aset (kekuatan dan peluang)",
        "criterion": "Kriteria",
        "raw_value": "Nilai asli",
        "weight": "Bobot",
        "contribution": "Kontribusi",
        "missing_value": "tidak ada data",
        "why": "Mengapa desa ini?",
        "class_1": "Sangat Tinggi",
        "class_2": "Tinggi",
        "class_3": "Sedang",
        "class_4": "Rendah",
        "class_5": "Sangat Rendah",
        "no_data": "Tanpa data",
        "ikn_boundary": "Batas IKN",
        "ikn_zones": "Zona jarak IKN",
        "issue_points": "Titik isu",
        "heat_map": "Peta kepadatan isu",
        "run": "Proses skoring",
        "run_id": "ID proses",
        "date": "Tanggal",
        "generated": "Dibuat",
        "model": "Model skoring",
        "model_hash": "Sidik model",
        "worksheets": "Lembar kerja",
        "inputs": "Masukan",
        "downloads": "Unduhan",
        "map_pages": "Halaman peta",
        "figures": "Peta cetak (PNG)",
        "intake_summary": "Ringkasan masukan lembar kerja",
        "swot_matrix": "Matriks SWOT",
        "top_villages": "Desa/kelurahan prioritas teratas",
        "top_districts": "Kecamatan prioritas teratas",
        "all_villages": "Semua desa/kelurahan menurut peringkat",
        "all_villages_caption": "Tabel semua desa/kelurahan, diurutkan menurut peringkat prioritas",
        "contents": "Daftar isi",
        "file": "Berkas",
        "status": "Status",
        "rows": "Baris",
        "loaded": "Dimuat",
        "rejected": "Ditolak",
        "skipped": "Dilewati (bukan data)",
        "error": "Galat",
        "placed_by": "Lokasi ditentukan dari",
        "by_code": "Kode",
        "by_point": "Titik",
        "by_name": "Nama",
        "by_district": "Kecamatan",
        "by_regency": "Seluruh kabupaten",
        "regency_wide": "Seluruh kabupaten (tidak dihitung dalam skor wilayah)",
        "agency": "OPD",
        "urgency": "Urgensi",
        "description": "Uraian",
        "more": "lainnya",
        "none_reported": "Tidak ada",
        "nothing": "Tidak ada data.",
        "source": "Sumber",
        "data_sources": "Sumber data",
        "src_boundaries": "Batas wilayah",
        "src_attributes": "Atribut desa (IDM)",
        "src_names": "Nama wilayah",
        "src_ikn": "Batas IKN",
        "src_model": "Model dan proses penilaian",
        "approximate": "batas perkiraan",
        "licence": "lisensi",
        "ikn_boundary_approx": "Batas IKN (batas perkiraan)",
        "placed_code": "Lokasi dari kode wilayah",
        "placed_point": "Lokasi dari koordinat",
        "placed_name": "Lokasi dari nama desa",
        "placed_district": "Lokasi dari kecamatan",
        "shown_at_centre": "ditampilkan di titik tengah wilayah",
        "villages_layer": "Prioritas desa/kelurahan",
        "hotspots_layer": "Titik panas dan dingin (Gi*)",
        "districts_layer": "Batas kecamatan",
        "district_labels": "Nama kecamatan",
        "search_village": "Cari desa/kelurahan",
        "value": "Nilai",
        "points": "Poin skor",
        "status_loaded": "dimuat",
        "status_partial": "sebagian",
        "status_failed": "gagal",
        "status_duplicate": "duplikat",
        "download_villages": "Prioritas desa/kelurahan",
        "download_districts": "Prioritas kecamatan",
        "north": "U",
    },
    "en": {
        "title": "Smart City priority map",
        "region": "Region",
        "village": "Village",
        "villages": "Villages",
        "district": "District",
        "districts": "Districts",
        "code": "Code",
        "score": "Score",
        "rank": "Rank",
        "priority_class": "Priority class",
        "issues": "Issues",
        "problems": "Problems",
        "assets": "Assets",
        "robustness": "Share of draws in the top 10",
        "rank_interval": "Rank interval (p5–p95)",
        "hotspot": "Hot spot (Gi*)",
        "hotspot_hot_99": "Hot spot 99%",
        "hotspot_hot_95": "Hot spot 95%",
        "hotspot_hot_90": "Hot spot 90%",
        "hotspot_cold_99": "Cold spot 99%",
        "hotspot_cold_95": "Cold spot 95%",
        "hotspot_cold_90": "Cold spot 90%",
        "hotspot_none": "Not significant",
        "dimension": "Dimension",
        "dim_governance": "Smart Governance",
        "dim_branding": "Smart Branding",
        "dim_economy": "Smart Economy",
        "dim_living": "Smart Living",
        "dim_society": "Smart Society",
        "dim_environment": "Smart Environment",
        "swot_strength": "Strengths",
        "swot_weakness": "Weaknesses",
        "swot_opportunity": "Opportunities",
        "swot_threat": "Threats",
        "crit_pressure_governance": "Problem pressure: Smart Governance",
        "crit_pressure_branding": "Problem pressure: Smart Branding",
        "crit_pressure_economy": "Problem pressure: Smart Economy",
        "crit_pressure_living": "Problem pressure: Smart Living",
        "crit_pressure_society": "Problem pressure: Smart Society",
        "crit_pressure_environment": "Problem pressure: Smart Environment",
        "crit_ikn": "Proximity to IKN",
        "crit_idm": "Need (IDM)",
        "crit_assets": "Assets (strengths and opportunities)",
        "criterion": "Criterion",
        "raw_value": "Raw value",
        "weight": "Weight",
        "contribution": "Contribution",
        "missing_value": "no data",
        "why": "Why this village?",
        "class_1": "Very high",
        "class_2": "High",
        "class_3": "Medium",
        "class_4": "Low",
        "class_5": "Very low",
        "no_data": "No data",
        "ikn_boundary": "IKN boundary",
        "ikn_zones": "IKN distance zones",
        "issue_points": "Issue points",
        "heat_map": "Issue heat map",
        "run": "Scoring run",
        "run_id": "Run id",
        "date": "Date",
        "generated": "Generated",
        "model": "Scoring model",
        "model_hash": "Model hash",
        "worksheets": "Worksheets",
        "inputs": "Inputs",
        "downloads": "Downloads",
        "map_pages": "Map pages",
        "figures": "Printable maps (PNG)",
        "intake_summary": "Worksheet intake summary",
        "swot_matrix": "SWOT matrix",
        "top_villages": "Top priority villages",
        "top_districts": "Top priority districts",
        "all_villages": "All villages by rank",
        "all_villages_caption": "All villages, sorted by priority rank",
        "contents": "Contents",
        "file": "File",
        "status": "Status",
        "rows": "Rows",
        "loaded": "Loaded",
        "rejected": "Rejected",
        "skipped": "Skipped (not data)",
        "error": "Error",
        "placed_by": "Placed by",
        "by_code": "Code",
        "by_point": "Point",
        "by_name": "Name",
        "by_district": "District",
        "by_regency": "Regency-wide",
        "regency_wide": "Whole regency (counted in no area score)",
        "agency": "Agency",
        "urgency": "Urgency",
        "description": "Description",
        "more": "more",
        "none_reported": "None",
        "nothing": "No data.",
        "source": "Source",
        "data_sources": "Data sources",
        "src_boundaries": "Boundaries",
        "src_attributes": "Village attributes (IDM)",
        "src_names": "Place names",
        "src_ikn": "IKN boundary",
        "src_model": "Model and scoring run",
        "approximate": "approximate boundary",
        "licence": "licence",
        "ikn_boundary_approx": "IKN boundary (approximate boundary)",
        "placed_code": "Placed by area code",
        "placed_point": "Placed by coordinates",
        "placed_name": "Placed by village name",
        "placed_district": "Placed by district",
        "shown_at_centre": "shown at the area's centre",
        "villages_layer": "Village priority",
        "hotspots_layer": "Hot and cold spots (Gi*)",
        "districts_layer": "District boundaries",
        "district_labels": "District names",
        "search_village": "Search village",
        "value": "Value",
        "points": "Score points",
        "status_loaded": "loaded",
        "status_partial": "partial",
        "status_failed": "failed",
        "status_duplicate": "duplicate",
        "download_villages": "Village priorities",
        "download_districts": "District priorities",
        "north": "N",
    },
}


# Labels of the planners' deliverable (issue 20): the weights panel, the submission roster, what changed.
_PLAN_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "weights_panel": "Coba bobot",
        "weights_intro": "Geser bobot kriteria (dan bobot dimensi di dalam tekanan masalah): tabel dan peta "
        "kecil di bawah langsung diurutkan dan diwarnai ulang dari nilai ternormalisasi run ini. Tombol "
        "salin memberi berkas model untuk perintah \u201csmartcity score --config\u201d.",
        "weights_noscript": "Panel bobot memerlukan JavaScript (berkas lokal assets/report_weights.js).",
        "weights_criteria": "Bobot kriteria",
        "weights_dimensions": "Bobot dimensi dalam tekanan masalah",
        "w_pressure": "Tekanan masalah",
        "w_ikn": "Kedekatan ke IKN",
        "w_idm": "Kebutuhan (IDM)",
        "w_assets": "Aset (kekuatan dan peluang)",
        "w_no_data": "tidak ada data di run ini",
        "reset": "Kembalikan bobot run",
        "copy_model": "Salin sebagai berkas model",
        "copied": "Disalin. Simpan sebagai berkas .toml untuk smartcity score --config.",
        "copy_by_hand": "Pilih teks di bawah dan salin (Ctrl+C).",
        "no_criterion": "Beri bobot pada setidaknya satu kriteria yang ada datanya.",
        "no_dimension": "Beri bobot pada setidaknya satu dimensi.",
        "toml_comment": "Model penilaian dari halaman laporan run",
        "run_rank": "Peringkat run",
        "rank_move": "Perubahan",
        "small_map": "Peta kecil desa/kelurahan menurut kelas prioritas",
        "agencies": "Pengiriman OPD",
        "short_name": "Singkatan",
        "submitted": "Sudah mengirim",
        "not_submitted": "Belum mengirim",
        "last_received": "Terakhir diterima",
        "worksheets_count": "Kertas kerja",
        "not_on_roster": "Tidak ada di daftar OPD",
        "agencies_summary": "{submitted} dari {total} OPD di daftar sudah mengirim; {missing} belum.",
        "changes": "Perubahan sejak run sebelumnya",
        "previous_run": "Run sebelumnya",
        "no_previous_run": "Belum ada run sebelumnya untuk dibandingkan.",
        "new_submissions": "Kiriman baru",
        "moved_villages": "Desa/kelurahan yang berpindah peringkat",
        "previous_rank": "Peringkat sebelumnya",
        "new_hotspots": "Titik panas baru",
        "gone_hotspots": "Titik panas yang hilang",
        "masterplan_doc": "Dokumen analisis masterplan (Word)",
        "issues_workbook": "Lampiran isu lengkap (Excel)",
        "legend": "Legenda",
        "and_more": "… dan {n} lainnya: lihat peringkat semua desa/kelurahan",
        "unit_km": "km",
        "unit_index": "(indeks 0–1)",
        "unit_points": "poin",
        "reads_as": "Arah",
        "reads_ikn": "makin dekat ke IKN, makin tinggi",
        "reads_idm": "makin rendah indeksnya, makin tinggi kebutuhannya",
        "reads_pressure": "makin banyak dan makin mendesak masalahnya, makin tinggi",
        "reads_assets": "makin banyak kekuatan dan peluangnya, makin tinggi",
        "why_how": "Poin = nilai kriteria yang dinormalisasi 0–1 di antara semua desa/kelurahan × bobot "
        "× 100. Setiap kriteria dinormalisasi sendiri, sehingga nilai asli yang sama dapat memberi poin "
        "yang berbeda pada kriteria yang berbeda.",
    },
    "en": {
        "weights_panel": "Try the weights",
        "weights_intro": "Move the criterion weights (and the dimension weights within problem pressure): "
        "the table and the small map below re-rank and recolour at once from this run's normalised values. "
        "The copy button gives the model file for the command \u201csmartcity score --config\u201d.",
        "weights_noscript": "The weights panel needs JavaScript (the local file assets/report_weights.js).",
        "weights_criteria": "Criterion weights",
        "weights_dimensions": "Dimension weights within problem pressure",
        "w_pressure": "Problem pressure",
        "w_ikn": "Proximity to IKN",
        "w_idm": "Need (IDM)",
        "w_assets": "Assets (strengths and opportunities)",
        "w_no_data": "no data in this run",
        "reset": "Reset to the run's weights",
        "copy_model": "Copy as model file",
        "copied": "Copied. Save it as a .toml file for smartcity score --config.",
        "copy_by_hand": "Select the text below and copy it (Ctrl+C).",
        "no_criterion": "Give at least one criterion with data a weight.",
        "no_dimension": "Give at least one dimension a weight.",
        "toml_comment": "Scoring model from the report page of run",
        "run_rank": "Rank in the run",
        "rank_move": "Change",
        "small_map": "Small map of the villages by priority class",
        "agencies": "Agencies' submissions",
        "short_name": "Short name",
        "submitted": "Submitted",
        "not_submitted": "Not submitted",
        "last_received": "Last received",
        "worksheets_count": "Worksheets",
        "not_on_roster": "Not on the roster",
        "agencies_summary": "{submitted} of the {total} agencies on the roster have submitted; "
        "{missing} have not.",
        "changes": "What changed since the previous run",
        "previous_run": "Previous run",
        "no_previous_run": "No previous run to compare with yet.",
        "new_submissions": "New submissions",
        "moved_villages": "Villages that moved in rank",
        "previous_rank": "Previous rank",
        "new_hotspots": "New hot spots",
        "gone_hotspots": "Hot spots that vanished",
        "masterplan_doc": "Master plan analysis document (Word)",
        "issues_workbook": "Complete list of issues (Excel)",
        "legend": "Legend",
        "and_more": "… and {n} more: see the ranking of all villages",
        "unit_km": "km",
        "unit_index": "(index 0–1)",
        "unit_points": "points",
        "reads_as": "Direction",
        "reads_ikn": "the closer to IKN, the higher",
        "reads_idm": "the lower the index, the higher the need",
        "reads_pressure": "the more and the more urgent the problems, the higher",
        "reads_assets": "the more strengths and opportunities, the higher",
        "why_how": "Points = the criterion's value normalised to 0–1 across all villages × weight × 100. "
        "Each criterion is normalised on its own, so the same raw value can give different points for "
        "different criteria.",
    },
}


# The GIS kit (maps.gis): the QGIS project's layer groups, layout texts, and the downloads: gis_<key>.
_GIS_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "gis_group_issues": "Isu",
        "gis_group_ikn": "IKN",
        "gis_group_dimensions": "Per dimensi",
        "gis_group_priorities": "Prioritas",
        "gis_all_issues": "Semua isu",
        "gis_legend": "Legenda",
        "gis_run": "Run",
        "gis_crs": "Proyeksi",
        "gis_download_gpkg": "GeoPackage untuk GIS (dengan gaya QGIS)",
        "gis_download_project": "Proyek QGIS (buka bersama GeoPackage)",
    },
    "en": {
        "gis_group_issues": "Issues",
        "gis_group_ikn": "IKN",
        "gis_group_dimensions": "Per dimension",
        "gis_group_priorities": "Priorities",
        "gis_all_issues": "All issues",
        "gis_legend": "Legend",
        "gis_run": "Run",
        "gis_crs": "Projection",
        "gis_download_gpkg": "GeoPackage for GIS (with QGIS styles)",
        "gis_download_project": "QGIS project (opens the GeoPackage)",
    },
}


def _merge(labels: dict[str, dict[str, str]], *parts: dict[str, dict[str, str]]) -> None:
    """Each deliverable's labels into ``labels``; a key written twice is a mistake, refused at import."""
    for part in parts:
        for lang, extra in part.items():
            twice = labels[lang].keys() & extra.keys()
            if twice:
                raise ValueError(f"labels written twice for {lang!r}: {', '.join(sorted(twice))}")
            labels[lang].update(extra)


_merge(LABELS, _PLAN_LABELS, DOCUMENT_LABELS, _GIS_LABELS)


def _add_aliases(labels: dict[str, str]) -> None:
    """Bare codes as keys too: a dimension, SWOT category, criterion or hot-spot code, a class label."""
    for prefix in ("dim_", "swot_", "crit_", "hotspot_"):
        for key in [k for k in labels if k.startswith(prefix)]:
            labels.setdefault(key.removeprefix(prefix), labels[key])
    for n, stored in enumerate(CLASS_LABELS_STORED, start=1):  # priority_class as stored in the mart
        labels.setdefault(stored, labels[f"class_{n}"])


#: the Indonesian class labels the mart stores in ``priority_class`` (smartcity.scoring.classes.LABELS_ID)
CLASS_LABELS_STORED = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")
for _labels in LABELS.values():
    _add_aliases(_labels)


def t(key: str, lang: str = "id") -> str:
    """The label ``key`` in ``lang``; an unknown language or key is an InputError naming it."""
    labels = LABELS.get(lang)
    if labels is None:
        raise InputError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    try:
        return labels[key]
    except KeyError:
        raise InputError(f"no {lang!r} label for {key!r}") from None


def check_lang(lang: str) -> str:
    """``lang`` itself when it is a known language, else an InputError."""
    if lang not in LABELS:
        raise InputError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def class_label(class_no: object, lang: str = "id") -> str:
    """Label of priority class 1-5 (1 = highest), "no data" when there is none."""
    number = class_number(class_no)
    return t("no_data" if number is None else f"class_{number}", lang)


def hotspot_label(code: object, lang: str = "id") -> str:
    """Label of a Gi* hot-spot code (``hot_99`` ... ``none``); missing means not computed: "no data"."""
    if not isinstance(code, str) or not code:
        return t("no_data", lang)
    return t(f"hotspot_{code}", lang)


def dimension_label(dimension: str, lang: str = "id") -> str:
    """Label of a smart-city dimension (``governance`` ... ``environment``)."""
    return t(f"dim_{dimension}", lang)


def number(value: object, digits: int = 0, lang: str = "id") -> str:
    """``value`` with ``digits`` decimals and the language's separators; an en dash when missing."""
    check_lang(lang)
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(x):
        return "–"
    text = f"{x:,.{digits}f}"
    if lang == "id":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def percent(value: object, lang: str = "id") -> str:
    """A share 0-1 as a whole percentage (``0.456`` -> ``46%``); an en dash when missing."""
    try:
        share = float(value) * 100.0  # type: ignore[arg-type]
    except (TypeError, ValueError):
        share = math.nan
    shown = number(share, 0, lang)
    return shown if shown == "–" else f"{shown}%"


#: Indonesia's time zones by their IANA names, as Indonesians write them
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}  # fmt: skip


def local_time(value: object, timezone: str, lang: str = "id", *, with_time: bool = True) -> str:
    """A moment as the region reads it: ``8 Desember 2026 pukul 12.38 WITA`` (``8 December 2026, 12:38
    WITA``); a moment without a zone is taken as UTC; not a moment: an en dash."""
    check_lang(lang)
    if not isinstance(value, datetime):
        return "–"
    zone = zoneinfo.ZoneInfo(timezone)
    local = (value if value.tzinfo else value.replace(tzinfo=zoneinfo.ZoneInfo("UTC"))).astimezone(zone)
    day = f"{local.day} {MONTHS[lang][local.month - 1]} {local.year}"
    if not with_time:
        return day
    name = ZONE_NAMES.get(timezone) or local.tzname() or timezone
    if lang == "id":
        return f"{day} pukul {local:%H.%M} {name}"
    return f"{day}, {local:%H:%M} {name}"
