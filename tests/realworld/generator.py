"""Seeded generator of agency worksheets whose truth is known by construction (issue #27, item 7).

The hand-made corpus (:mod:`tests.realworld.corpus`) is a list; this is the method that makes such
lists. From a seed it draws a *correct table* of real Paser places, dimensions, SWOT categories,
urgencies and descriptions (:mod:`tests.realworld.gen_table`), applies in random combination what
agency staff do to such a table (:mod:`tests.realworld.gen_layout`: renamed, translated, abbreviated,
misspelt, unlisted or missing column titles; shuffled and blank columns; letterheads, notes, signature
blocks; merged cells; section rows; ditto marks; dimension codes with a legend under, beside or above
the table or on another sheet; a table per SWOT category under sub-titles; values written as people
write them) and writes it as .xlsx, .csv, .ods, .docx or .pdf (:mod:`tests.realworld.gen_writers`).

The truth of every row the file holds is returned with it: for each data row, keyed by the unique
token written in its description ("[G17-03]"), what the intake must do with it (a
:class:`~tests.realworld.corpus.Expect`: loaded where, with which values, or rejected and why) and
which transformations touched it; for the rows that are not data, how many of each kind. The same seed
and formats give byte-identical files. :mod:`tests.realworld.scoring` compares an intake's outcome
with this truth.
"""

from __future__ import annotations

import os

# openpyxl's standard-library XML writer, as the product's workbooks use (smartcity/__init__.py): the same
# bytes whether or not lxml is installed. Must run before openpyxl is imported (gen_writers, corpus).
os.environ.setdefault("OPENPYXL_LXML", "False")

import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tests.realworld import gen_writers as writers
from tests.realworld.corpus import Expect
from tests.realworld.gen_layout import lay_out
from tests.realworld.gen_table import Plan, choose_plan, expectation, make_issues

FORMATS = ("xlsx", "csv", "ods", "docx", "pdf")
FAST_FORMATS = ("xlsx", "csv", "ods", "docx")  # PDF needs LibreOffice: seconds a file
TOKEN = re.compile(r"\[G\d+-\d+\]")


@dataclass(frozen=True)
class TruthRow:
    """One data row: its token, what must become of it, and the transformations that touched it."""

    token: str
    expect: Expect
    traits: tuple[str, ...]


@dataclass(frozen=True)
class GeneratedFile:
    """A generated worksheet and its truth."""

    path: Path
    seed: int
    fmt: str
    rows: dict[str, TruthRow]  # token -> truth, for every data row
    skipped: dict[str, int]  # kind -> rows that are not data (header, title, section, legend, ...)
    traits: tuple[str, ...]  # transformations of the whole file
    passed_over: tuple[str, ...]  # sheets that hold no table (a legend's sheet)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def planned(seed: int, formats: tuple[str, ...] = FAST_FORMATS) -> tuple[random.Random, Plan]:
    """The plan of ``seed``'s worksheet (format drawn from ``formats``) and the generator's state after it."""
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise ValueError(f"formats must be some of {FORMATS}, not {sorted(unknown) or 'none'}")
    rng = random.Random(seed)
    fmt = rng.choice(sorted(formats))
    return rng, choose_plan(rng, fmt, seed)


def generate(seed: int, folder: Path, formats: tuple[str, ...] = FAST_FORMATS) -> GeneratedFile:
    """Write the worksheet of ``seed`` into ``folder`` (its format drawn from ``formats``); its truth."""
    rng, plan = planned(seed, formats)
    fmt = plan.fmt
    issues = make_issues(rng, plan)
    layout = lay_out(rng, plan, issues)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^a-z]+", "_", plan.agency.lower()).strip("_")
    path = folder / f"g{seed}_{stem}.{fmt}"
    traits = set(layout.file_traits)
    if fmt == "xlsx":
        skipped = writers.save_xlsx(path, layout)
    elif fmt == "ods":
        skipped = writers.save_ods(path, layout)
    elif fmt == "csv":
        skipped = writers.save_csv(path, layout, plan.delimiter, plan.encoding)
        traits |= {f"csv:{'semicolon' if plan.delimiter == ';' else 'comma'}", f"csv:{plan.encoding}"}
    elif fmt == "docx":
        skipped = writers.save_docx(path, layout)
    else:  # from the Word document: the machines have LibreOffice Writer, not Calc
        skipped = writers.save_pdf(path, layout)
    rows = {i.token: TruthRow(i.token, expectation(i), layout.traits[i.token]) for i in issues}
    passed_over = tuple(name for name, _ in layout.extra_sheets)
    return GeneratedFile(path, seed, fmt, rows, dict(Counter(skipped)), tuple(sorted(traits)), passed_over)


def file_seeds(seed: int, count: int) -> list[int]:
    """``count`` distinct file seeds drawn from ``seed`` (so tokens never repeat across the files)."""
    return random.Random(seed).sample(range(1, 10_000_000), count)


def generate_many(
    seed: int, count: int, folder: Path, formats: tuple[str, ...] = FAST_FORMATS
) -> list[GeneratedFile]:
    """``count`` worksheets from one seed, each with its own seed (:func:`file_seeds`)."""
    return [generate(s, folder, formats) for s in file_seeds(seed, count)]
