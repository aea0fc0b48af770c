"""How clerks write each value and each column title: the vocabulary of the generated worksheets.

Every table here maps a canonical value (a dimension, a SWOT category, an urgency 1-5, a column's role)
to the spellings seen in agencies' files, grouped by *style* so that a file can keep to one style with
a few strays, as people do. The truth of a written value is the canonical key it was drawn from: the
generator never guesses back from text. Pure data and small pure functions taking an ``rng``.

Two spellings are deliberate traps with a known verdict: "Lingkungan Hidup" is refused as ambiguous
(the product reads it as living or environment: smartcity/intake/validation.py), and a sub-title
"Potensi" means strength (an internal potential).
"""

from __future__ import annotations

import random

DIMENSIONS = ("governance", "branding", "economy", "living", "society", "environment")
SWOTS = ("strength", "weakness", "opportunity", "threat")

# dimension style -> dimension -> spellings
DIMENSION_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "smart": {d: (f"Smart {d.title()}",) for d in DIMENSIONS},
    "english": {d: (d.title(),) for d in DIMENSIONS},
    "indonesian": {
        "governance": ("Tata Kelola", "Tata Kelola Pemerintahan", "Pemerintahan"),
        "branding": ("Pemasaran Daerah", "Citra Daerah"),
        "economy": ("Ekonomi", "Perekonomian"),
        "living": ("Kehidupan",),
        "society": ("Masyarakat", "Sosial", "Kemasyarakatan"),
        "environment": ("Lingkungan",),
    },
    "kominfo": {
        "governance": ("GOV",),
        "branding": ("BRD",),
        "economy": ("ECO",),
        "living": ("LIV",),
        "society": ("SOC",),
        "environment": ("ENV",),
    },  # fmt: skip
}
AMBIGUOUS_DIMENSION = "Lingkungan Hidup"  # living or environment: refused (ambiguous_dimension)

# codes written in the dimension column when a legend defines them, in DIMENSIONS order (the neutral
# letters A-F are assigned in a random order, as numbers are)
DIMENSION_CODE_SETS: tuple[tuple[str, ...], ...] = (
    ("SG", "SB", "SEc", "SL", "SS", "SEn"),
    ("G", "B", "E", "L", "S", "Env"),
    ("TK", "PD", "EK", "KH", "MS", "LH"),
    ("A", "B", "C", "D", "E", "F"),
)

SWOT_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "indonesian": {"strength": ("Kekuatan",), "weakness": ("Kelemahan",), "opportunity": ("Peluang",),
                   "threat": ("Ancaman",)},
    "english": {"strength": ("Strength",), "weakness": ("Weakness",), "opportunity": ("Opportunity",),
                "threat": ("Threat",)},
    "letter": {"strength": ("S",), "weakness": ("W",), "opportunity": ("O",), "threat": ("T",)},
    "problem": {"strength": ("Kekuatan",), "weakness": ("Masalah", "Permasalahan"),
                "opportunity": ("Peluang",), "threat": ("Tantangan",)},
    "both": {"strength": ("Kekuatan (S)",), "weakness": ("Kelemahan (W)",), "opportunity": ("Peluang (O)",),
             "threat": ("Ancaman (T)",)},
}  # fmt: skip
SUBTITLES: dict[str, tuple[str, ...]] = {
    "strength": ("Potensi", "Kekuatan"),
    "weakness": ("Permasalahan", "Kelemahan"),
    "opportunity": ("Peluang",),
    "threat": ("Ancaman",),
}

_ID_WORDS = {5: ("sangat tinggi", "sangat mendesak", "kritis"), 4: ("tinggi", "mendesak", "penting"),
             3: ("sedang", "cukup"), 2: ("rendah", "kurang"), 1: ("sangat rendah",)}  # fmt: skip
_EN_WORDS = {5: ("very high",), 4: ("high",), 3: ("medium",), 2: ("low",), 1: ("very low",)}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V"}
URGENCY_STYLES = ("digits", "words_id", "words_en", "roman", "number_word", "stars", "percent")
NOT_CP1252 = {"stars"}  # styles whose characters Windows-1252 cannot hold


def urgency(severity: int, style: str, rng: random.Random) -> str | int:
    """Urgency ``severity`` (1-5) written in ``style``; a percentage is severity x 20 (80% = 4)."""
    if style == "digits":
        return severity if rng.random() < 0.6 else str(severity)
    if style == "words_id":
        return cased(rng.choice(_ID_WORDS[severity]), rng)
    if style == "words_en":
        return cased(rng.choice(_EN_WORDS[severity]), rng)
    if style == "roman":
        return _ROMAN[severity]
    if style == "number_word":
        word = rng.choice(_ID_WORDS[severity]).title()
        return rng.choice((f"{severity} - {word}", f"{severity} ({word.lower()})", f"{word} ({severity})"))
    if style == "stars":
        return "★" * severity + ("☆" * (5 - severity) if rng.random() < 0.4 else "")
    if style == "percent":
        return f"{severity * 20}%"
    raise ValueError(style)


def cased(text: str, rng: random.Random) -> str:
    """The text as typed: as it is, UPPER, lower or Title case."""
    return rng.choice((text, text, text.upper(), text.lower(), text.title()))


DITTO_MARKS = ("idem", "sda", "s.d.a.", "dto", '"', "〃", "-do-", "ditto")
REGENCY_WORDS = ("Seluruh Kabupaten", "Semua Kecamatan", "Se-Kabupaten Paser",
                 "Seluruh Wilayah Kabupaten Paser", "10 Kecamatan", "Seluruh Kecamatan")  # fmt: skip

# column role -> header style -> names. "unlisted" names are on no alias list of the product; a column
# with "blank" style has no header text at all (only for columns whose content says what they are).
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "no": {"canonical": ("No", "No.", "NO"), "synonym": ("Nomor", "No Urut"), "english": ("#", "No."),
           "abbrev": ("No",), "unlisted": ("Nmr",)},
    "description": {
        "canonical": ("Uraian Permasalahan", "Permasalahan"), "synonym": ("Uraian", "Uraian Masalah", "Isu"),
        "english": ("Issue Description", "Problem", "Description"), "abbrev": ("Urn. Masalah",),
        "unlisted": ("Kondisi Eksisting", "Isu Strategis", "Uraian Kondisi")},
    "dimension": {"canonical": ("Dimensi", "Dimensi Smart City"), "synonym": ("Dimensi Smart", "Dimensi SC"),
                  "english": ("Dimension", "Smart City Dimension"), "abbrev": ("Dim.",),
                  "unlisted": ("Bidang", "Aspek", "Pilar Smart City")},
    "swot": {"canonical": ("Kategori", "Kategori (SWOT)"), "synonym": ("SWOT", "Jenis"),
             "english": ("Category", "SWOT Category"), "abbrev": ("Kat.",),
             "unlisted": ("Jenis Isu", "Klasifikasi", "Sifat Isu")},
    "severity": {"canonical": ("Tingkat Urgensi", "Urgensi"), "synonym": ("Prioritas", "Tingkat Prioritas"),
                 "english": ("Urgency", "Severity"), "abbrev": ("Urg.",),
                 "unlisted": ("Skala Prioritas", "Bobot", "Tingkat Kepentingan")},
    "district": {"canonical": ("Kecamatan",), "synonym": ("Nama Kecamatan", "Kec."), "english": ("District",),
                 "abbrev": ("Kec",), "unlisted": ("Wilayah Kecamatan", "Distrik")},
    "village": {"canonical": ("Desa/Kelurahan", "Desa"), "synonym": ("Kelurahan/Desa", "Nama Desa"),
                "english": ("Village",), "abbrev": ("Ds/Kel", "Desa/Kel."),
                "unlisted": ("Nama Wilayah", "Lokasi Desa", "Kampung")},
    "code": {"canonical": ("Kode Wilayah", "Kode Desa"), "synonym": ("Kode Kemendagri", "Kode"),
             "english": ("Area Code", "Code"), "abbrev": ("Kd. Wil.",), "unlisted": ("Kode Wil. Adm.",)},
    "lat": {"canonical": ("Lintang",), "synonym": ("Latitude",), "english": ("Latitude", "Lat"),
            "abbrev": ("Lat.",), "unlisted": ("Y (LS)",)},
    "lon": {"canonical": ("Bujur",), "synonym": ("Longitude",), "english": ("Longitude", "Long"),
            "abbrev": ("Long.",), "unlisted": ("X (BT)",)},
    "point": {"canonical": ("Titik Koordinat", "Koordinat"), "synonym": ("Titik Lokasi",),
              "english": ("Coordinates",), "abbrev": ("Koord.",), "unlisted": ("Posisi GPS",)},
    "year": {"canonical": ("Tahun",), "synonym": ("Tahun Anggaran",), "english": ("Year",),
             "abbrev": ("Thn",), "unlisted": ("Tahun Data",)},
    "notes": {"canonical": ("Keterangan",), "synonym": ("Catatan",), "english": ("Notes",),
              "abbrev": ("Ket.",), "unlisted": ("Sumber Data",)},
}  # fmt: skip
HEADER_STYLES = ("canonical", "synonym", "english", "abbrev", "typo", "unlisted")
SELF_EVIDENT = ("dimension", "swot", "code", "year", "point")  # content says what the column is


def header(role: str, style: str, rng: random.Random) -> str:
    """A column title for ``role`` in ``style`` ("typo": a canonical name with one slip of the hand)."""
    if style == "typo":
        return typo(rng.choice(HEADERS[role]["canonical"]), rng)
    return rng.choice(HEADERS[role][style])


def typo(text: str, rng: random.Random) -> str:
    """One slip in a word of at least five letters: two neighbours swapped, one dropped, one doubled."""
    spots = [i for i in range(1, len(text) - 2) if text[i].isalpha() and text[i + 1].isalpha()]
    if len(text) < 5 or not spots:
        return text
    i = rng.choice(spots)
    kind = rng.randrange(3)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


AGENCIES = (
    "Dinas Kesehatan", "Dinas Pendidikan dan Kebudayaan", "Dinas Pekerjaan Umum dan Penataan Ruang",
    "Dinas Lingkungan Hidup", "Dinas Sosial", "Dinas Perhubungan", "Dinas Komunikasi dan Informatika",
    "Dinas Pertanian", "Dinas Pemberdayaan Masyarakat dan Desa", "Badan Penanggulangan Bencana Daerah",
    "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Pariwisata", "Dinas Koperasi dan UKM",
    "Bappedalitbang", "Dinas Perikanan",
)  # fmt: skip
SIGNERS = (
    ("Ir. H. Syahrul Ramadhan, M.T.", "Pembina Utama Muda", "19680412 199403 1 006"),
    ("dr. Hj. Nurul Aini, M.Kes", "Pembina Tk. I", "19750903 200212 2 004"),
    ("Drs. Abdul Karim, M.Si", "Pembina", "19700101 199503 1 001"),
    ("Rahmawati, S.Sos., M.AP", "Penata Tk. I", "19820517 200604 2 011"),
)
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")  # fmt: skip
NOTES = ("Data BPS 2024", "Hasil musrenbang", "Survei lapangan", "Perlu verifikasi", "Laporan warga",
         "Data Dapodik", "Usulan desa")  # fmt: skip

# description templates per dimension: {place} and numbers {n}, {m}, {y}
PHRASES: dict[str, tuple[str, ...]] = {
    "governance": (
        "Pelayanan administrasi kependudukan di {place} masih manual, rata-rata {m} hari per dokumen",
        "Kantor pelayanan di {place} belum terhubung internet, {m} komputer rusak",
        "Data perencanaan {place} belum terintegrasi, {m} aplikasi berjalan sendiri-sendiri",
        "Pengaduan warga {place} belum tertangani, {n} laporan menumpuk sejak {y}",
    ),
    "branding": (
        "Potensi wisata air terjun di {place} belum dipromosikan, kunjungan hanya {n} orang per bulan",
        "Produk anyaman rotan {place} belum memiliki merek dan kemasan, {m} pengrajin aktif",
        "Festival budaya Paser di {place} belum masuk kalender event sejak {y}",
        "Situs sejarah di {place} belum terdata, {m} objek belum bertanda",
    ),
    "economy": (
        "Harga TBS sawit petani {place} turun hingga Rp{n}0 per kg",
        "Sebanyak {n} UMKM di {place} belum memiliki NIB dan akses permodalan",
        "Pasar rakyat {place} sepi pembeli, {m} los kosong",
        "Hasil tangkapan nelayan {place} turun {m} persen dibanding {y}",
    ),
    "living": (
        "Jalan poros {place} rusak sepanjang {m} km saat musim hujan",
        "Sebanyak {n} rumah tidak layak huni di {place}",
        "Air bersih belum menjangkau {n} KK di {place}",
        "Puskesmas pembantu {place} kekurangan {m} tenaga kesehatan",
    ),
    "society": (
        "Angka stunting balita di {place} mencapai {m} persen",
        "Sebanyak {n} anak putus sekolah di {place} sejak {y}",
        "Karang taruna {place} aktif dengan {n} anggota",
        "Kader posyandu {place} belum terlatih, {m} posyandu tanpa kader tetap",
    ),
    "environment": (
        "Banjir tahunan merendam {n} rumah di {place}",
        "Timbulan sampah {place} sekitar {m} ton per hari belum terangkut",
        "Abrasi pantai {place} mundur {m} meter per tahun",
        "Pembakaran lahan di {place} mencapai {n} hektare pada musim kemarau {y}",
    ),
}


def description(dimension: str, place: str, rng: random.Random) -> str:
    """A problem as a clerk writes it: a phrase of the dimension, the place, a few numbers."""
    text = rng.choice(PHRASES[dimension])
    return text.format(place=place, n=rng.randint(12, 480), m=rng.randint(2, 60), y=rng.randint(2019, 2024))
