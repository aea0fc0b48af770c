"""The submission roster: agency names as worksheets write them are matched to the region's agencies, exactly
(aliases, case, spacing, abbreviations), and never to a different agency."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest

from smartcity.intake.roster import load_roster, match_agency, parse_roster, submission_status
from smartcity.platform.errors import InputError
from tests.helpers import DATA, REPO

ROSTER = REPO / "geodata" / "demo" / "agency_roster.csv"

MATCHES = [  # as written in a worksheet -> the roster's name (None: must NOT match)
    ("Dinas Kesehatan", "Dinas Kesehatan"),
    ("dinas  KESEHATAN ", "Dinas Kesehatan"),
    ("Dinkes", "Dinas Kesehatan"),
    ("DINKES.", "Dinas Kesehatan"),
    ("Dinas Kesehatan Kabupaten Paser", "Dinas Kesehatan"),
    ("Dinas Kesehatan Kab. Paser", "Dinas Kesehatan"),
    ("Dinas PUPR", "Dinas Pekerjaan Umum dan Tata Ruang"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Tata Ruang"),
    ("Dinas Pekerjaan Umum & Tata Ruang", "Dinas Pekerjaan Umum dan Tata Ruang"),
    ("Disdikbud", "Dinas Pendidikan dan Kebudayaan"),
    ("Dinas Pendidikan", "Dinas Pendidikan dan Kebudayaan"),
    ("Dinas Pendidikan, dan Kebudayaan", "Dinas Pendidikan dan Kebudayaan"),
    ("Bappedalitbang Kabupaten Paser", "Badan Perencanaan Pembangunan Daerah Penelitian dan Pengembangan"),
    ("Diskominfostaper", "Dinas Komunikasi Informatika Statistik dan Persandian"),
    ("Dinas Komunikasi, Informatika, Statistik & Persandian",
     "Dinas Komunikasi Informatika Statistik dan Persandian"),
    ("DLH", "Dinas Lingkungan Hidup"),
    ("Dinas Pariwisata", "Dinas Pemuda Olahraga dan Pariwisata"),
    ("dishub", "Dinas Perhubungan"),
    ("DPM-PTSP", "Dinas Penanaman Modal Pelayanan Terpadu Satu Pintu"),
    ("Sekretariat Daerah Kabupaten Paser", "Sekretariat Daerah Kabupaten Paser"),
    ("Setda", "Sekretariat Daerah Kabupaten Paser"),
    # must NOT match: other agencies, other levels of government, units, fragments
    ("Dinas Kesehatan Hewan", None),
    ("Dinas Kesehatan Provinsi Kalimantan Timur", None),
    ("Dinas", None),
    ("Kesehatan", None),
    ("UPTD Puskesmas Long Ikis", None),
    ("Dishub Kaltim", None),
    ("Bappenas", None),
    ("Dinas Pendidikan Provinsi", None),
    ("Kabupaten Paser", None),
    ("", None),
    (None, None),
]  # fmt: skip


@pytest.fixture(scope="module")
def roster():
    return load_roster(ROSTER)


@pytest.mark.parametrize(("written", "expected"), MATCHES)
def test_agency_names_match_the_roster_exactly(roster, written, expected):
    agency = match_agency(written, roster)
    assert (agency.name if agency else None) == expected


def test_every_demo_worksheet_agency_is_on_the_roster_and_the_roster_holds_the_real_opd(roster):
    demo_agencies = ["Bappedalitbang Kabupaten Paser",
                     "Dinas Komunikasi Informatika Statistik dan Persandian",
                     "Dinas PUPR", "Dinas Kesehatan", "Dinas Pendidikan", "Dinas Lingkungan Hidup",
                     "Dinas Pariwisata", "Dinas Perhubungan"]  # fmt: skip
    assert all(match_agency(a, roster) for a in demo_agencies)
    with open(DATA / "tables" / "paser_opd.csv", encoding="utf-8") as handle:
        real = [row["nama_perangkat_daerah"] for row in csv.DictReader(handle)]
    assert {a.name for a in roster.agencies} >= set(real)
    assert len(roster.agencies) > len(
        {match_agency(a, roster).name for a in demo_agencies}
    )  # some never sent


def test_status_says_who_submitted_when_how_many_rows_and_who_has_not(roster):
    t1, t2 = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 3, 5, tzinfo=UTC)
    statuses = submission_status(roster, [
        {"agency": "Dinkes", "received_at": t1, "rows": 10, "loaded": 8, "rejected": 2},
        {"agency": "Dinas Kesehatan", "received_at": t2, "rows": 5, "loaded": 5, "rejected": 0},
        {"agency": "<b>Unknown</b>", "received_at": t1, "rows": 3, "loaded": 3, "rejected": 0},
    ])  # fmt: skip
    by_name = {s["agency"]: s for s in statuses}
    health = by_name["Dinas Kesehatan"]
    assert (health["worksheets"], health["rows"], health["rejected"], health["last_received"]) == (
        2,
        15,
        2,
        t2,
    )
    assert health["written_as"] == ["Dinkes"] and health["on_roster"]
    assert not by_name["Dinas Perhubungan"]["submitted"]
    assert by_name["<b>Unknown</b>"]["on_roster"] is False and statuses[-1]["agency"] == "<b>Unknown</b>"
    assert submission_status(None, [])[:1] == []


def test_a_roster_naming_two_agencies_alike_or_without_names_is_refused(tmp_path):
    with pytest.raises(InputError, match="names both"):
        parse_roster(
            [{"name": "Dinas Kesehatan", "short_name": "DK"}, {"name": "Dinas Kebudayaan", "aliases": "DK"}]
        )
    with pytest.raises(InputError, match="no name"):
        parse_roster([{"name": " "}])
    with pytest.raises(InputError, match="not found"):
        load_roster(tmp_path / "missing.csv")
