"""A clone anywhere tests itself: no test or benchmark reads a path outside the checkout.

The real public data the tests need ship in ``geodata/sources/`` (see its SOURCES.md); this scans the
sources of ``tests/`` and ``bench/`` for the ways a path can leave the checkout.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import DATA, REPO

# What a path out of the checkout looks like in source text.
OUTSIDE = [
    re.compile(r"REPO\.parent\b"),
    re.compile(r"parents\[\d+\]\.parent\b"),
    re.compile(r"""["']\.\./"""),
    re.compile(r"/work/shared"),
    re.compile(r"""["']shared["']\s*/\s*["']data["']"""),
    re.compile(r"shared/data"),
]
SOURCES = sorted([*(REPO / "tests").glob("*.py"), *(REPO / "bench").glob("*.py")])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_test_or_benchmark_reads_outside_the_checkout(path):
    if path.name == "test_data_paths.py":  # the patterns themselves live here
        return
    text = path.read_text(encoding="utf-8")
    found = [
        f"line {text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
        for p in OUTSIDE
        for m in p.finditer(text)
    ]
    assert found == [], f"{path.relative_to(REPO)} reads outside the checkout: {found}"


def test_the_shipped_data_lies_inside_the_checkout_with_its_provenance():
    assert DATA.resolve().is_relative_to(REPO.resolve())
    assert (DATA / "SOURCES.md").is_file()
    listed = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    shipped = [p for p in DATA.rglob("*") if p.is_file() and p.parent != DATA]
    assert shipped
    for path in shipped:  # every third-party file is named in SOURCES.md
        assert path.name in listed, path
    licences = ["LICENSE.cahyadsn-wilayah.txt", "LICENSE.cahyadsn-wilayah_boundaries.txt",
                "LICENSE.kristonova-idm2024.txt"]  # fmt: skip
    assert sorted(p.name for p in DATA.glob("LICENSE.*")) == licences


def test_the_shipped_data_stays_small():
    size = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert size < 5_000_000, f"geodata/sources/ holds {size:,} bytes"
