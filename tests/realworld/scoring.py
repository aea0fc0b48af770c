"""Score the product's intake against generated worksheets' truth (:mod:`tests.realworld.generator`).

Two ways to get the intake's outcome of a file, both the product's own code:

- :func:`ingest_outcome`: ``smartcity.intake.load.ingest_file`` into PostGIS, then each row read back
  from ``core.issue``, ``intake.rejected_row`` and ``intake.skipped_row`` and the file's counts from
  ``intake.submission`` (the real thing, as the pipeline runs it);
- :func:`judge_outcome`: ``read_workbook`` then ``judged`` (read, validate, place: the same steps
  without the database), several times faster, for long benchmarks.

Rows are matched to their truth by the token each data row carries ("[G17-03]"), wherever the intake
put the text (description, notes or the raw record), so row numbering never matters. Each data row is
right or gets one *problem*; ``wrong_place`` (loaded in a village or district other than the truth's,
or a place of another regency loaded inside the region) is the one that must never happen, kept apart
from the rows merely refused or left less precise. Rows that are not data are scored per file by count.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import sqlalchemy as sa

from smartcity.intake.answer.reasons import CATALOGUE
from tests.realworld.generator import TOKEN, GeneratedFile, TruthRow

PROBLEMS = (
    "missing",  # the row is nowhere: the file failed, or the row was never read as a row
    "skipped_as_not_data",  # set apart as a header, note, signature...
    "duplicated",  # the token turns up in several rows
    "wrong_place",  # loaded in another village or district than the truth's: must never happen
    "rejected_should_load",
    "loaded_should_reject",
    "wrong_reason",  # refused, for another reason than the truth's
    "imprecise_place",  # loaded at a coarser level of the right place (district for a village)
    "wrong_dimension",
    "wrong_swot",
    "wrong_severity",
)


@dataclass(frozen=True)
class Seen:
    """One row as the intake left it."""

    status: str  # loaded | rejected | skipped
    codes: tuple[str, ...]  # reason codes: blocking ones first; a skipped row's reason
    text: str  # all the row's text, where its token is looked for
    village: str | None = None
    district: str | None = None
    dimension: str | None = None
    swot: str | None = None
    severity: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What the intake made of one file."""

    answered: bool  # the file got a submission (loaded, partial or failed): it was not lost
    status: str
    rows: tuple[Seen, ...]
    reconciled: bool  # rows seen = loaded + rejected + skipped
    error: str | None = None


@dataclass(frozen=True)
class FileScore:
    """One file's rows compared with the truth."""

    name: str
    fmt: str
    status: str
    answered: bool
    reconciled: bool
    data_rows: int
    data_right: int
    skipped_expected: int
    skipped_seen: int  # rows without a token the intake set apart as not data
    extra_rows: int  # rows without a token the intake loaded or refused (not data, taken for data)
    problems: dict[str, int]
    failures: tuple[tuple[str, str, tuple[str, ...]], ...]  # (token, problem, traits)
    error: str | None = None

    @property
    def rows_total(self) -> int:
        return self.data_rows + self.skipped_expected

    @property
    def rows_right(self) -> int:
        return self.data_right + min(self.skipped_expected, self.skipped_seen)

    @property
    def wrong_place(self) -> int:
        return self.problems.get("wrong_place", 0)

    def line(self) -> str:
        problems = ", ".join(f"{k} {v}" for k, v in sorted(self.problems.items())) or "-"
        right = f"{self.rows_right}/{self.rows_total} rows right ({self.data_right}/{self.data_rows} data)"
        return f"{self.name}: {right}, wrong place {self.wrong_place}; {self.status}; {problems}"


# ------------------------------------------------------------------------------------------- verdicts
def _wrong_place(truth: TruthRow, row: Seen) -> bool:
    """A loaded row placed in a village or district the truth does not name (a row at regency level
    names none); a row the truth puts in another regency is wrong anywhere in the region."""
    if row.village is None and row.district is None:
        return False
    expect = truth.expect
    if expect.level is None:
        return True
    return (row.village is not None and row.village != expect.village) or (
        row.district is not None and row.district != expect.district
    )


def verdict(truth: TruthRow, seen: list[Seen]) -> str | None:
    """None when the intake did with the row what the truth says, else the problem (PROBLEMS)."""
    if not seen:
        return "missing"
    if len(seen) > 1:
        return "duplicated"
    row, expect = seen[0], truth.expect
    if row.status == "skipped":
        return "skipped_as_not_data"
    if row.status == "loaded" and _wrong_place(truth, row):
        return "wrong_place"
    if expect.status == "rejected":
        if row.status == "loaded":
            return "loaded_should_reject"
        return None if expect.code in row.codes else "wrong_reason"
    if row.status == "rejected":
        return "rejected_should_load"
    level = "village" if row.village else "district" if row.district else "regency"
    if (row.village, row.district, level) != (expect.village, expect.district, expect.level):
        return "imprecise_place"
    for attribute in ("dimension", "swot", "severity"):
        if getattr(row, attribute) != getattr(expect, attribute):
            return f"wrong_{attribute}"
    return None


def score(generated: GeneratedFile, outcome: Outcome) -> FileScore:
    """Every data row of the file judged against its truth; rows that are not data counted."""
    by_token: dict[str, list[Seen]] = {}
    skipped_seen = extra = 0
    for row in outcome.rows:
        tokens = set(TOKEN.findall(row.text))
        for token in tokens:
            by_token.setdefault(token, []).append(row)
        if not tokens:
            skipped_seen += row.status == "skipped"
            extra += row.status != "skipped"
    problems: Counter = Counter()
    failures = []
    for token, truth in generated.rows.items():
        problem = verdict(truth, by_token.get(token, []))
        if problem:
            problems[problem] += 1
            failures.append((token, problem, tuple(sorted({*truth.traits, *generated.traits}))))
    return FileScore(
        generated.path.name, generated.fmt, outcome.status, outcome.answered, outcome.reconciled,
        len(generated.rows), len(generated.rows) - len(failures), generated.skipped_total, skipped_seen,
        extra, dict(problems), tuple(failures), outcome.error,
    )  # fmt: skip


# ------------------------------------------------------------------------------------------- outcomes
@cache
def _reason_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """Each reason code with a pattern of its English text as stored (``column X: ...``)."""
    found = []
    for code, (_, english, _) in CATALOGUE.items():
        body = ".*?".join(re.escape(part) for part in re.split(r"\{[^}]*\}", english))
        found.append((code, re.compile(rf"(?:column .*?: )?{body}", re.DOTALL)))
    return tuple(found)


def reason_codes(texts: list[str]) -> tuple[str, ...]:
    """The codes of reasons stored as text in ``intake.rejected_row.reasons`` (in their order)."""
    return tuple(code for text in texts for code, pattern in _reason_patterns() if pattern.fullmatch(text))


ROWS_SQL = {
    "loaded": "SELECT concat_ws(' ', description, notes, raw::text), village_code, district_code, dimension, "
    "swot, severity FROM core.issue WHERE submission_id = :id",
    "rejected": "SELECT raw::text, reasons FROM intake.rejected_row WHERE submission_id = :id",
    "skipped": "SELECT raw::text, reason FROM intake.skipped_row WHERE submission_id = :id",
}
SUBMISSION_SQL = (
    "SELECT status, error, rows_total, rows_accepted, rows_rejected, rows_skipped FROM intake.submission "
    "WHERE id = :id"
)


def ingest_outcome(engine: sa.Engine, gazetteer, path: Path) -> Outcome:
    """The file ingested for real (``ingest_file``), its rows read back from the database."""
    from smartcity.intake.load import ingest_file

    result = ingest_file(engine, Path(path), gazetteer)
    if result.submission_id is None:
        return Outcome(False, result.status, (), False, result.error)
    params = {"id": result.submission_id}
    with engine.connect() as conn:
        sub = conn.execute(sa.text(SUBMISSION_SQL), params).one()
        loaded = conn.execute(sa.text(ROWS_SQL["loaded"]), params).all()
        rejected = conn.execute(sa.text(ROWS_SQL["rejected"]), params).all()
        skipped = conn.execute(sa.text(ROWS_SQL["skipped"]), params).all()
    rows = [Seen("loaded", (), text, village, district, dimension, swot, severity)
            for text, village, district, dimension, swot, severity in loaded]  # fmt: skip
    rows += [Seen("rejected", reason_codes(list(reasons)), text) for text, reasons in rejected]
    rows += [Seen("skipped", (reason,), text) for text, reason in skipped]
    counts = (sub.rows_accepted or 0, sub.rows_rejected or 0, sub.rows_skipped or 0)
    reconciled = (sub.rows_total or 0) == sum(counts) and counts == (len(loaded), len(rejected), len(skipped))
    return Outcome(True, sub.status, tuple(rows), reconciled, sub.error)


def judge_outcome(gazetteer, path: Path) -> Outcome:
    """The file read, validated and placed by the intake's own steps without a database (``read_workbook``
    then ``judged``, as ``ingest_file`` does before its COPY); a file the reader refuses or crashes on is
    'failed', as ``ingest_file`` records it."""
    from smartcity.intake.load import judged, reader_names
    from smartcity.intake.read.worksheets import read_workbook

    path = Path(path)
    try:
        book = read_workbook(path, names=reader_names(gazetteer))
    except Exception as exc:  # noqa: BLE001 - ingest_file records any reader failure as a failed file
        return Outcome(True, "failed", (), True, f"{type(exc).__name__}: {exc}")
    rows: list[Seen] = []
    for sheet in book.sheets:
        rows += [Seen("skipped", (str(reason),), json.dumps(raw, ensure_ascii=False, default=str))
                 for _, reason, raw in sheet.skipped.itertuples(index=False)]  # fmt: skip
        table = sheet.table.reset_index(drop=True)
        texts = {
            int(r[0]): " ".join(str(v) for v in r[1:] if v is not None) for r in table.itertuples(index=False)
        }
        for part in judged(sheet, table, gazetteer, book.agency_hint or path.stem):
            for row in part.itertuples():
                blocking = [r.code for r in row.reasons if r.blocking]
                codes = (*blocking, *(r.code for r in row.reasons if not r.blocking))
                rows.append(Seen("rejected" if blocking else "loaded", codes, texts[int(row.row_number)],
                                 row.village_code, row.district_code, row.dimension, row.swot,
                                 None if row.severity is None else int(row.severity)))  # fmt: skip
    status = "partial" if any(r.status == "rejected" for r in rows) else "loaded"
    return Outcome(True, status, tuple(rows), len(rows) == book.rows_seen)


@cache
def paser_gazetteer():
    """Paser's gazetteer from the shipped boundary files (for :func:`judge_outcome`, no database)."""
    import geopandas as gpd
    import pandas as pd

    from smartcity.intake.locate.matching import Gazetteer
    from tests.realworld.corpus import REPO

    sources = REPO / "geodata" / "sources"
    renamed = {"kode": "code", "nama": "name", "kec_kode": "district_code"}
    villages = gpd.read_file(sources / "boundaries" / "paser_desa_kelurahan.geojson").rename(columns=renamed)
    districts = gpd.read_file(sources / "boundaries" / "paser_kecamatan.geojson").rename(columns=renamed)
    aliases = pd.read_csv(sources / "paser_aliases.csv", dtype=str)
    return Gazetteer.from_frames("64.01", districts, villages, aliases, regency_name="Paser")


# ------------------------------------------------------------------------------------------- summary
@dataclass
class Summary:
    """Many files' scores added up."""

    files: int = 0
    answered: int = 0
    reconciled: int = 0
    rows_total: int = 0
    rows_right: int = 0
    data_rows: int = 0
    data_right: int = 0
    wrong_place: int = 0
    problems: Counter = field(default_factory=Counter)
    trait_rows: Counter = field(default_factory=Counter)  # data rows carrying each transformation
    trait_wrong: Counter = field(default_factory=Counter)  # of those, rows not right
    by_format: dict[str, list[int]] = field(default_factory=dict)  # fmt -> [data right, data rows]
    wrong_places: list[str] = field(default_factory=list)  # "file: token (traits)" of each wrong place
    unread_type: int = 0  # files of a type the intake does not read (left out of the transformations)

    def add(self, generated: GeneratedFile, scored: FileScore) -> None:
        self.files += 1
        self.answered += scored.answered
        self.reconciled += scored.reconciled
        self.rows_total += scored.rows_total
        self.rows_right += scored.rows_right
        self.data_rows += scored.data_rows
        self.data_right += scored.data_right
        self.wrong_place += scored.wrong_place
        self.problems.update(scored.problems)
        counts = self.by_format.setdefault(scored.fmt, [0, 0])
        counts[0] += scored.data_right
        counts[1] += scored.data_rows
        if scored.error and "unsupported file type" in scored.error:
            self.unread_type += 1  # its rows say nothing of the transformations
            return
        for truth in generated.rows.values():
            self.trait_rows.update({*truth.traits, *generated.traits})
        for token, problem, traits in scored.failures:
            self.trait_wrong.update(traits)
            if problem == "wrong_place":
                self.wrong_places.append(f"{scored.name}: {token} ({', '.join(traits)})")

    def lines(self, top: int = 25) -> list[str]:
        """The report: totals, problems, per format, and the transformations the wrong rows had most."""
        share = self.rows_right / self.rows_total if self.rows_total else 0.0
        data = self.data_right / self.data_rows if self.data_rows else 0.0
        out = [
            f"worksheets {self.files} (answered {self.answered}, reconciled {self.reconciled})",
            f"rows {self.rows_total} (data {self.data_rows}); right {self.rows_right} = {share:.1%} "
            f"(data rows right {self.data_right} = {data:.1%})",
            f"rows in a wrong place: {self.wrong_place} (must be 0)",
            "problems: " + (", ".join(f"{k} {v}" for k, v in self.problems.most_common()) or "none"),
            "data rows right by format: " + ", ".join(
                f"{fmt} {r}/{n} = {r / n:.1%}" for fmt, (r, n) in sorted(self.by_format.items()) if n
            ),
            f"transformations by share of their rows not right (wrong / rows with it), over the files of a "
            f"type the intake reads ({self.files - self.unread_type}):",
        ]  # fmt: skip
        floor = max(10, self.data_rows // 200)  # transformations seen on too few rows say little
        ranked = sorted((t for t in self.trait_rows if self.trait_rows[t] >= floor),
                        key=lambda t: (-self.trait_wrong[t] / self.trait_rows[t], t))  # fmt: skip
        for trait in ranked[:top]:
            wrong, rows = self.trait_wrong[trait], self.trait_rows[trait]
            out.append(f"  {trait:36} {wrong:6} / {rows:6} = {wrong / rows:.0%}")
        out += [f"  wrong place: {w}" for w in self.wrong_places[:20]]
        return out
