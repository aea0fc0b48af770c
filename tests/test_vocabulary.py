"""The domain's words, defined once (smartcity.platform.vocabulary), and what used to drift apart when
they were restated: the inbox lists every suffix the reader reads; one regency-code check everywhere."""

from __future__ import annotations

import pytest

from smartcity.intake.load import worksheet_files
from smartcity.platform.vocabulary import WORKSHEET_SUFFIXES, regency_code


def test_the_inbox_hands_the_reader_every_suffix_it_reads(tmp_path):
    for suffix in WORKSHEET_SUFFIXES:  # .xlsb was read but skipped by the inbox without a word
        (tmp_path / f"opd{suffix}").write_bytes(b"x")
        (tmp_path / f"upper{suffix.upper()}").write_bytes(b"x")
    listed = {p.rsplit("/", 1)[1] for p in worksheet_files([str(tmp_path)])}
    assert listed == {f"opd{s}" for s in WORKSHEET_SUFFIXES} | {
        f"upper{s.upper()}" for s in WORKSHEET_SUFFIXES
    }


@pytest.mark.parametrize("value, code", [("64.01", "64.01"), ("6401", "64.01"), (" 64-01 ", "64.01")])
def test_regency_codes_in_any_written_form(value, code):
    assert regency_code(value) == code


@pytest.mark.parametrize("value", ["64", "64.01.04", "Paser", "", None, "99.999"])
def test_what_is_not_a_regency_code_is_refused_in_one_line(value):
    with pytest.raises(ValueError, match="not a regency code like 64.01"):
        regency_code(value)
