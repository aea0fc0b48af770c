"""Personal data in worksheets (smartcity.intake.read.personal): columns recognised by header and by content,
contact details masked in free text, and what only looks like them (codes, coordinates, amounts, years)
left alone. Pure: no database."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from smartcity.intake.read.personal import mask, mask_series, personal_columns, personal_header

PERSONAL_HEADERS = ["Alamat email", "E-mail", "Email Address", "Surel", "Nomor HP", "No. HP/WA", "No HP",
                    "Telepon", "No. Telp.", "WhatsApp", "NIK", "No. KTP", "NIP", "Nama Pengisi",
                    "Nama Responden", "Nama", "Kontak", "Contact person", "Narahubung"]  # fmt: skip
OTHER_HEADERS = ["Uraian Permasalahan", "Kecamatan", "Desa/Kelurahan", "Teknik Pelaksanaan",
                 "Tingkat Urgensi", "Timestamp", "Stempel waktu", "Nama Perangkat Daerah", "Keterangan",
                 "Lokasi", "Tahun"]  # fmt: skip


@pytest.mark.parametrize("header", PERSONAL_HEADERS)
def test_headers_that_name_personal_data(header):
    assert personal_header(header)


@pytest.mark.parametrize("header", OTHER_HEADERS)
def test_headers_of_worksheet_fields_and_neutral_columns_are_not_personal(header):
    assert not personal_header(header)


def phone(rng: random.Random) -> str:
    """An Indonesian phone number as people type it."""
    digits = "8" + "".join(rng.choice("0123456789") for _ in range(rng.choice([9, 10, 11])))
    prefix = rng.choice(["0", "+62 ", "+62", "62", "+62-"])
    groups = [digits[:3], digits[3:7], digits[7:]]
    return prefix + rng.choice([" ", "-", ".", ""]).join(groups)


def email(rng: random.Random) -> str:
    user = rng.choice(["siti", "budi.s", "a_rahman", "kadis+opd"]) + str(rng.randint(1, 99))
    return f"{user}@{rng.choice(['gmail.com', 'paserkab.go.id', 'dinas-kesehatan.paserkab.go.id'])}"


def test_contact_details_in_free_text_are_masked_whatever_their_form():
    rng = random.Random(6401)
    for _ in range(2000):
        contact = rng.choice([phone, email])(rng)
        marker = "[surel disamarkan]" if "@" in contact else "[nomor telepon disamarkan]"
        before, after = (
            rng.choice(["Jalan rusak,", "Hubungi", "CP:", "(info"]),
            rng.choice(["", ".", ")", " x"]),
        )
        text = f"{before} {contact}{after}"
        masked = mask(text)
        assert contact not in masked and marker in masked, (text, masked)


@pytest.mark.parametrize(
    "text",
    [
        "Kode 64.01.04.2012 dan 6401042012",
        "Anggaran Rp 1.500.000.000 tahun 2025-2026",
        "Titik -1.912345, 116.203456 dan 0.812345 116.2",
        "Ruas km 12-15, lebar 4,5 m, 120 KK",
        "Jalan Poros 08 RT 12",
    ],
)
def test_what_only_looks_like_contact_details_is_left_alone(text):
    assert mask(text) == text


def test_identity_numbers_are_masked():
    assert mask("NIK 6401041234560001 dan NIP 19800101 200501 1 002") == (
        "NIK [nomor identitas disamarkan] dan NIP [nomor identitas disamarkan]"
    )


def test_a_column_of_contact_details_is_personal_by_content_whatever_its_header():
    rng = random.Random(1)
    table = pd.DataFrame(
        {
            "row_number": range(40),
            "Uraian": [f"Masalah {i}" for i in range(40)],
            "Kolom 7": [phone(rng) if i % 5 else None for i in range(40)],
            "Kolom 8": [email(rng) for _ in range(40)],
            "Kolom 9": [f"Desa {i}" for i in range(40)],
        }
    )
    assert personal_columns(table, {"description": "Uraian"}) == ["Kolom 7", "Kolom 8"]


def test_mask_series_only_changes_cells_with_contact_details():
    values = pd.Series(["Jalan rusak", None, "hubungi 0812 3456 7890", "Rp 2.000.000"], dtype=object)
    masked, changed = mask_series(values)
    assert changed.tolist() == [False, False, True, False]
    assert masked.tolist() == ["Jalan rusak", None, "hubungi [nomor telepon disamarkan]", "Rp 2.000.000"]
    assert np.array_equal(values.isna(), masked.isna())
