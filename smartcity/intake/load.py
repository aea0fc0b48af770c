"""Worksheet intake: one agency file in, every row either placed in ``core.issue`` or kept with its reasons.

A recipe per file:
0. a symbolic link, a device or anything but a regular file is refused unread (reported as failed,
   with its reason; without a submission row, as it has no content to fingerprint);
1. fingerprint the bytes; the same content twice is a no-op reported as a duplicate (saying so when
   the earlier one failed: it was received, never loaded);
2. read every sheet that holds a worksheet table (:mod:`smartcity.intake.read.worksheets`, within its
   limits), rows that are not data (header, letterhead, numbering, totals, notes, signatures) set
   apart with their reason; a file that cannot be used at all, or whose load fails for any reason but
   the database going away, becomes a *failed* submission with a one-line error, the agency gets a
   feedback workbook saying what was missing and how to fix it, and the run goes on with the others;
3. validate values (:mod:`smartcity.intake.answer.validation`) and place rows
   (:mod:`smartcity.intake.locate.matching`);
4. in ONE transaction: the submission (with the reconciliation of every sheet: rows seen = loaded +
   rejected + skipped), its accepted rows (COPY into ``core.issue``), its rejected rows with all their
   reasons and raw values (``intake.rejected_row``) and its skipped rows (``intake.skipped_row``);
   with ``replace``, the agency's earlier rows are removed and its earlier submissions superseded;
5. write the agency's rows back with a "Catatan validasi" column when anything was rejected or assumed.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

from smartcity.intake.answer.reasons import Reason
from smartcity.intake.answer.validation import validate_rows
from smartcity.intake.locate.location_cell import merge_location_cells
from smartcity.intake.locate.matching import Gazetteer, match_places
from smartcity.intake.read.columns import describe
from smartcity.intake.read.limits import DEFAULT_LIMITS, ReadLimits, WorkbookProblem
from smartcity.intake.read.names import RegionNames
from smartcity.intake.read.personal import mask, mask_series
from smartcity.intake.read.worksheets import Workbook, Worksheet, read_workbook
from smartcity.platform import copyformat, db
from smartcity.platform.errors import InputError, one_line, printable
from smartcity.platform.files import UnsafePath, refusal, safe_folder
from smartcity.platform.queries import query
from smartcity.reference.province import shipped_province_names

ISSUE_COLUMNS = [
    "submission_id", "sheet", "row_number", "agency", "dimension", "swot", "description", "severity", "year",
    "district_code", "village_code", "geom", "location_method", "location_score", "notes", "warnings", "raw",
    "readiness",
]  # fmt: skip


@dataclass
class FileResult:
    """What happened to one file: the per-file line of the intake summary."""

    file_name: str
    sha256: str
    status: str  # loaded | partial | failed | duplicate
    agency: str | None = None
    rows_total: int = 0  # rows seen = accepted + rejected + skipped
    accepted: int = 0
    rejected: int = 0
    warnings: int = 0
    skipped: int = 0  # rows that are not data (header, letterhead, totals, signatures...)
    sheets: list[dict] = field(default_factory=list)  # per sheet: seen, loaded, rejected, skipped, ...
    placed: dict[str, int] = field(default_factory=dict)  # by location_method
    error: str | None = None
    submission_id: int | None = None
    feedback_file: str | None = None
    superseded: int = 0
    earlier_status: str | None = None  # of a duplicate: what became of the file the first time

    @property
    def not_loaded(self) -> bool:
        """Whether this file's content is not in the database for a fault of the file: it failed now,
        or it is a copy of one that failed before."""
        return self.status == "failed" or (self.status == "duplicate" and self.earlier_status == "failed")

    def add_note(self, note: str) -> None:
        """Something the agency or the operator should know about a loaded file (kept in ``error``)."""
        self.error = f"{self.error}; {note}" if self.error else note

    def line(self) -> str:
        """One line for a terminal or a log (control characters of names escaped)."""
        name = printable(self.file_name)
        if self.status == "duplicate" and self.earlier_status == "failed":
            return (
                f"{name}: already received as submission {self.submission_id}, which failed "
                f"({self.error}); nothing loaded: correct the file and send it again"
            )
        if self.status == "duplicate":
            return f"{name}: duplicate of submission {self.submission_id}, nothing loaded"
        if self.status == "failed":
            return f"{name}: failed: {printable(self.error)}"
        placed = ", ".join(f"{k} {v}" for k, v in sorted(self.placed.items()))
        line = (
            f"{name} ({printable(self.agency)}): {self.rows_total} rows, {self.accepted} loaded, "
            f"{self.rejected} rejected, {self.skipped} skipped; placed by {placed or '-'}"
        )
        return f"{line}; {printable(self.error)}" if self.error else line  # e.g. feedback not written


# files an inbox holds that are no one's worksheet: never answered (system files of file managers)
NOT_SUBMISSIONS = frozenset({"thumbs.db", "desktop.ini", ".ds_store"})


def worksheet_files(paths: list[str]) -> list[str]:
    """Files to ingest: files as given, folders searched (not recursively) for every file in them.

    Every file of a folder is listed, whatever its kind, so that each one is answered (read, or refused
    with its reason): a Word or PDF worksheet, a photo of a printed sheet, a file of an unknown kind.
    Lock files of office programs (``~$x.xlsx``, ``.~lock.x#``), hidden files and the system files of
    file managers are left out. Entries that are symbolic links or not regular files are listed too, so
    that the intake refuses them with a reason instead of passing over them in silence (none is ever
    read).
    """
    found: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(
                str(p) for p in path.iterdir()
                if not p.name.startswith(("~$", ".")) and p.name.casefold() not in NOT_SUBMISSIONS
                and not p.is_dir()  # folders (a region's, even through a link) are the inbox's business
            )  # fmt: skip
        elif path.exists() or path.is_symlink():
            found.append(str(path))
        else:
            raise InputError(f"{printable(raw)}: no such file or folder")
    return found


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a regular file's bytes, read without following a symbolic link."""
    import os

    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_gazetteer(engine: sa.Engine, region_code: str) -> Gazetteer:
    """The region's districts, villages (with polygons) and name variants, from ``ref``."""
    with engine.connect() as conn:
        params = {"regency": region_code}
        districts = pd.DataFrame(
            conn.execute(query("intake", "gazetteer_districts"), params).mappings().all()
        )
        villages = db.read_geoframe(conn, query("intake", "gazetteer_villages"), params)
        aliases = pd.DataFrame(conn.execute(query("intake", "gazetteer_aliases"), params).mappings().all())
    if villages.empty or districts.empty:
        raise InputError(
            f"no reference geography for {region_code} in the database: load it first "
            f"(smartcity regions load PATH, or smartcity regions fetch {region_code})"
        )
    return Gazetteer(region_code=region_code, districts=districts, villages=villages, aliases=aliases)


@lru_cache(maxsize=8)
def reader_names(gazetteer: Gazetteer) -> RegionNames:
    """The region's place names as the reader uses them (columns and section rows known by content),
    with the names of the rest of the province (shipped code list) as places outside the region."""
    outside: dict[str, set[str]] = {}
    for (level, key), places in shipped_province_names().by_key.items():
        if any(p.regency_code != gazetteer.region_code for p in places):
            outside.setdefault(key, set()).add(level)
    return RegionNames.from_aliases(gazetteer.aliases, {k: frozenset(v) for k, v in outside.items()})


def regency_name(engine: sa.Engine, region_code: str) -> str:
    """The regency's name as loaded in ``ref.regency`` (its code when none is loaded)."""
    with engine.connect() as conn:
        name = conn.execute(query("intake", "regency_name"), {"regency": region_code}).scalar()
    return name or region_code


def known_submission(
    engine: sa.Engine, path: Path, region_code: str, sha: str | None = None
) -> FileResult | None:
    """The file's result when the same content was already received for this region (a duplicate,
    with what became of it: a copy of a failed file says why it failed). None for a new file, and for
    a path that is not read at all (a symbolic link, not a regular file: :func:`ingest_file` says why)."""
    if sha is None:
        if refusal(Path(path)) is not None:
            return None
        sha = file_sha256(path)
    with engine.connect() as conn:
        known = conn.execute(
            query("intake", "find_submission"), {"sha256": sha, "region_code": region_code}
        ).first()
    if known is None:
        return None
    error = known.error if known.status == "failed" else None
    return FileResult(Path(path).name, sha, "duplicate", submission_id=known.id, error=error,
                      earlier_status=known.status)  # fmt: skip


def received(engine: sa.Engine, files: list[tuple[str, str]]) -> dict[str, FileResult]:
    """Of these (path, region) pairs, the files already received for their region, by path: their
    duplicate results (:func:`known_submission`). A file that cannot be read now (no permission, gone
    meanwhile) is not among them: :func:`ingest_file` answers it with its reason."""
    found = {}
    for path, region_code in files:
        try:
            known = known_submission(engine, Path(path), region_code)
        except OSError:
            continue
        if known is not None:
            found[path] = known
    return found


def received_before(engine: sa.Engine, paths: list[str], region_code: str) -> list[FileResult] | None:
    """The duplicate results of these files when every one of them was received before for the region
    (nothing to read: a command can answer at once, without a flow run); None when any file is new,
    or is one the intake refuses or cannot read (the intake then says why)."""
    found = received(engine, [(path, region_code) for path in paths])
    return [found[path] for path in paths] if all(path in found for path in paths) else None


def ingest_file(
    engine: sa.Engine,
    path: Path,
    gazetteer: Gazetteer,
    *,
    replace: bool = False,
    feedback_dir: Path | None = None,
    flow_run_id: str | None = None,
    partition_rows: int = 50_000,
    slice_rows: int = 100_000,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> FileResult:
    """Ingest one worksheet file; never raises but for the database going away (the result says what
    happened: any other failure, expected or not, is a failed submission with a one-line reason).

    Rows are validated, placed and formatted ``slice_rows`` at a time inside the COPY, so PostgreSQL
    stores one slice while Python works on the next (the two run on different cores; a million-row
    file loads ~1.4 s sooner than when each step ran over the whole file first). The submission row
    is written first, in the same transaction, and completed once every slice is in: nobody sees it
    before that. The agency's feedback file is written after the commit. A file of at least
    ``partition_rows`` rows (rows read, before validation: the decision is taken before the first
    row is judged) gets a partition of core.issue of its own (see :func:`_load_own_partition`);
    smaller ones share the default partition.
    """
    path = Path(path)
    why = refusal(path)
    if why is not None:  # never read: a link, a device, a pipe, a folder
        return FileResult(path.name, "", "failed", error=f"{path.name}: {why}")
    try:
        sha = file_sha256(path)
    except OSError as exc:
        return FileResult(path.name, "", "failed", error=f"{path.name}: cannot read the file: {exc.strerror}")
    known = known_submission(engine, path, gazetteer.region_code, sha)
    if known is not None:
        return known
    try:
        book = read_workbook(path, limits, reader_names(gazetteer))
    except InputError as exc:
        result = _record_failure(engine, gazetteer.region_code, path.name, sha, str(exc), flow_run_id)
        _answer_failure(engine, result, exc, feedback_dir)
        return result
    except Exception as exc:  # noqa: BLE001 - a file that breaks the reader fails alone, recorded
        result = _record_failure(engine, gazetteer.region_code, path.name, sha, unexpected(path.name, exc),
                                 flow_run_id)  # fmt: skip
        _answer_failure(engine, result, WorkbookProblem(result.error or "", "unreadable"), feedback_dir)
        return result
    try:
        return _load(engine, path, sha, book, gazetteer, replace, feedback_dir, flow_run_id, partition_rows,
                     slice_rows)  # fmt: skip
    except Exception as exc:
        if db.is_transient(exc):
            raise  # the database went away: retried by the task, the file stays for the next run
        # the transaction was rolled back (nothing of the file is kept): record why, and go on
        return _record_failure(engine, gazetteer.region_code, path.name, sha, unexpected(path.name, exc),
                               flow_run_id)  # fmt: skip


def unexpected(name: str, error: BaseException) -> str:
    """One line for a file that failed on something the intake did not foresee: the database refused
    its rows (a final SQLSTATE), or a bug met the file (please report it with the file)."""
    original = getattr(error, "orig", None) or error
    state = getattr(original, "sqlstate", None)
    first = one_line(str(original).splitlines()[0] if str(original).strip() else type(original).__name__, 300)
    if state:
        return f"{name}: the database refused the file's rows (SQLSTATE {state}): {first}"
    return f"{name}: could not be read ({type(original).__name__}: {first}); please report it with the file"


def _load(
    engine: sa.Engine, path: Path, sha: str, book: Workbook, gazetteer: Gazetteer, replace: bool,
    feedback_dir: Path | None, flow_run_id: str | None, partition_rows: int, slice_rows: int,
) -> FileResult:  # fmt: skip
    """The load of a file read (steps 3-5 of the module docstring)."""
    fallback = book.agency_hint or path.stem
    sheets = [(sheet, _without_nul(sheet.table.reset_index(drop=True))) for sheet in book.sheets]
    tally = _Tally()
    skipped = sum(len(sheet.skipped) for sheet in book.sheets)
    with engine.begin() as conn:
        submission_id = conn.execute(
            query("intake", "insert_submission"),
            {
                "region_code": gazetteer.region_code, "sha256": sha, "file_name": path.name,
                "agency": fallback, "status": "received", "rows_total": book.rows_seen, "rows_accepted": None,
                "rows_rejected": None, "error": None, "flow_run_id": flow_run_id, "feedback_file": None,
            },
        ).scalar()  # fmt: skip
        if submission_id is None:  # the same file, loaded by a concurrent run meanwhile
            return FileResult(path.name, sha, "duplicate")

        def slices() -> Iterator[bytes]:
            for sheet, table in sheets:
                for rows in judged(sheet, table, gazetteer, fallback, slice_rows):
                    accepted = tally.add(sheet.sheet, rows)
                    yield from _issue_payload(submission_id, sheet.sheet, accepted, table, sheet.roles,
                                              sheet.personal)  # fmt: skip

        if sum(len(table) for _, table in sheets) >= partition_rows:
            _load_own_partition(conn, submission_id, slices(), keep=lambda: tally.accepted > 0)
        else:
            db.copy_payload(conn, "core.issue", ISSUE_COLUMNS, slices())
        tables = {sheet.sheet: table for sheet, table in sheets}
        personal = {sheet.sheet: sheet.personal for sheet, _ in sheets}
        for sheet_name, rejected in tally.rejected:
            payload = _rejected_payload(submission_id, sheet_name, rejected, tables[sheet_name],
                                        personal[sheet_name])  # fmt: skip
            db.copy_payload(conn, "intake.rejected_row", REJECTED_COLUMNS, payload)
        if skipped:
            db.copy_rows(
                conn, "intake.skipped_row", ["submission_id", "sheet", "row_number", "reason", "raw"],
                ((submission_id, sheet.sheet, int(number), reason,
                  json.dumps(_masked(raw), ensure_ascii=False))
                 for sheet in book.sheets
                 for number, reason, raw in sheet.skipped.itertuples(index=False)),
            )  # fmt: skip
        result = FileResult(
            path.name, sha, "partial" if tally.rejected_count else "loaded",
            agency=tally.main_agency(fallback), rows_total=book.rows_seen, accepted=tally.accepted,
            rejected=tally.rejected_count, warnings=tally.warnings, placed=dict(tally.placed),
            submission_id=submission_id, skipped=skipped, sheets=sheet_counts(book, tally),
        )  # fmt: skip
        if replace and result.accepted:
            params = {"new_id": submission_id, "agency": result.agency, "region_code": gazetteer.region_code}
            result.superseded = conn.execute(query("intake", "supersede_agency"), params).rowcount
            conn.execute(query("intake", "delete_superseded_issues"), params)
        elif replace:  # a correction with no usable row would only erase the agency's earlier rows
            result.add_note("nothing replaced: no row of this file could be used, earlier rows kept")
        conn.execute(
            query("intake", "finish_submission"),
            {
                "id": submission_id, "agency": result.agency, "status": result.status,
                "rows_accepted": result.accepted, "rows_rejected": result.rejected, "error": result.error,
                "rows_skipped": result.skipped, "sheets": json.dumps(result.sheets, ensure_ascii=False),
            },
        )  # fmt: skip
    # after the commit: writing a workbook must not hold the load's locks (ATTACH locks core.issue's
    # default partition until commit); a run killed here keeps every row, without the feedback file
    if feedback_dir is not None and tally.findings:
        try:
            result.feedback_file = str(_write_feedback(book, tables, tally.findings, feedback_dir))
        except OSError as exc:  # an unwritable output folder must not cost the agency its rows
            result.add_note(f"feedback file not written to {feedback_dir}: {exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 - nor may a workbook the writer chokes on
            result.add_note(f"feedback file not written: {type(exc).__name__}: {one_line(exc, 200)}")
        with engine.begin() as conn:
            params = {"id": submission_id, "feedback_file": result.feedback_file, "error": result.error}
            conn.execute(query("intake", "record_feedback"), params)
    return result


def judged(
    sheet: Worksheet, table: pd.DataFrame, gazetteer: Gazetteer, fallback: str, slice_rows: int = 100_000
) -> Iterator[pd.DataFrame]:
    """The data rows of one sheet validated and placed, ``slice_rows`` at a time, with their reasons
    (pure: no database). A one-cell location column is merged in before placing."""
    location = sheet.roles.get("location")
    for start in range(0, len(table), slice_rows):
        part = table.iloc[start : start + slice_rows]
        rows = validate_rows(part, sheet.roles, fallback, sheet.codes)
        cells = part[location].to_numpy(object) if location is not None else None  # address, point, link
        rows = merge_location_cells(
            rows, cells, regency_names=gazetteer.regency_names, utm_epsg=gazetteer.utm_epsg
        )
        yield masked_personal_text(match_places(rows, gazetteer, location_column=location), sheet.roles)


def masked_personal_text(rows: pd.DataFrame, roles: dict[str, str]) -> pd.DataFrame:
    """Rows whose description and notes have e-mail addresses, phone and identity numbers masked (they
    are published), each changed row warned (smartcity.intake.read.personal)."""
    for field_name in ("description", "notes"):
        values, changed = mask_series(rows[field_name])
        if changed.any():
            rows[field_name] = values
            reason = Reason("personal_data_masked", roles.get(field_name, field_name))
            reasons = rows["reasons"].to_numpy(object, copy=True)
            for i in np.flatnonzero(changed):
                reasons[i] = [*reasons[i], reason]
            rows["reasons"] = reasons
    return rows


def _evidence(found: dict | None) -> dict:
    """How a column was recognised, for ``intake.submission.sheets``: by its header, or by what it holds
    ("by content: 14 of 15 values are village names")."""
    return {"evidence": describe(found)} if found else {}


def sheet_counts(book: Workbook, tally: _Tally) -> list[dict]:
    """Per sheet: rows seen = loaded + rejected + skipped, what was skipped and why, and what each
    column was read as; then the sheets passed over and why (``intake.submission.sheets``)."""
    counts = []
    for sheet in book.sheets:
        loaded, rejected = tally.by_sheet.get(sheet.sheet, (0, 0))
        reasons = sheet.skipped["reason"].value_counts().to_dict() if len(sheet.skipped) else {}
        counts.append({
            "sheet": sheet.sheet, "seen": sheet.rows_seen, "loaded": loaded, "rejected": rejected,
            "skipped": len(sheet.skipped), "skipped_by_reason": {str(k): int(v) for k, v in reasons.items()},
            "header_row": sheet.header_row,
            "columns": [{"header": header, "read_as": role, **_evidence(sheet.evidence.get(header))}
                        for header, role in sheet.columns_read],
            "from_sheet_name": dict(sheet.from_name),
        })  # fmt: skip
    counts += [{"sheet": name, "skipped_sheet": why} for name, why in book.passed_over]
    return counts


@dataclass
class _Tally:
    """What the slices of one file added up to, counted as they go by."""

    accepted: int = 0
    warnings: int = 0
    placed: Counter = field(default_factory=Counter)  # by location_method, accepted rows
    agencies: Counter = field(default_factory=Counter)  # agency values of accepted rows
    rejected: list[tuple[str, pd.DataFrame]] = field(default_factory=list)  # (sheet, rows)
    findings: dict[str, dict[int, list]] = field(default_factory=dict)  # sheet -> row_number -> reasons
    by_sheet: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet -> (loaded, rejected)

    def add(self, sheet: str, rows: pd.DataFrame) -> pd.DataFrame:
        """Count one slice of placed rows; return its accepted rows (the rejected ones are kept)."""
        blocking = _blocking_mask(rows["reasons"])
        if blocking.any():
            accepted, rejected = rows[~blocking], rows[blocking]
            self.rejected.append((sheet, rejected))
        else:
            accepted = rows
        self.accepted += len(accepted)
        loaded, refused = self.by_sheet.get(sheet, (0, 0))
        self.by_sheet[sheet] = (loaded + len(accepted), refused + len(rows) - len(accepted))
        self.placed.update(accepted["location_method"].value_counts().to_dict())
        self.agencies.update(accepted["agency"].value_counts().to_dict())
        numbers, reasons = rows["row_number"].tolist(), rows["reasons"].tolist()
        findings = self.findings.setdefault(sheet, {})
        for number, found, blocks in zip(numbers, reasons, blocking.tolist(), strict=True):
            if found:
                findings[int(number)] = list(found)
                self.warnings += not blocks
        if not findings:
            del self.findings[sheet]
        return accepted

    @property
    def rejected_count(self) -> int:
        return sum(len(rows) for _, rows in self.rejected)

    def main_agency(self, fallback: str) -> str:
        """The agency a file speaks for: its most frequent agency value, the smallest of a tie (the
        file's name or "Perangkat Daerah:" line when no row was accepted)."""
        if not self.agencies:
            return fallback
        return str(min(self.agencies.items(), key=lambda item: (-item[1], item[0]))[0])


def _load_own_partition(
    conn: sa.Connection, submission_id: int, chunks: Iterator[bytes], keep: Callable[[], bool]
) -> None:
    """A large file's rows into a table of their own, attached to core.issue once loaded.

    COPY into a table without indexes or foreign key is as fast as COPY gets (its CHECK constraints are
    evaluated as rows arrive); attaching it then builds each index of core.issue in one sort and checks
    the foreign key with one query. A CHECK that every row has this submission's id, evaluated during
    the COPY, spares ATTACH its scan for the partition bound (0.4-0.9 s per million rows); it is
    dropped once attached, where the bound says the same. When ``keep()`` says no after the COPY (no
    row was accepted), the table is dropped instead of attached. Everything runs in the file's
    transaction: a failure leaves neither the table nor its rows.
    """
    from psycopg import sql

    partition = sql.Identifier("core", f"issue_s{int(submission_id)}")
    bound = sql.Identifier(f"issue_s{int(submission_id)}_bound")
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor:
        like = (
            "CREATE TABLE {} (LIKE core.issue INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED)"
        )
        cursor.execute(sql.SQL(like).format(partition))
        setup = "ALTER TABLE {} ALTER COLUMN id SET DEFAULT nextval({}), ADD CONSTRAINT {} CHECK (submission_id = {})"  # noqa: E501
        cursor.execute(
            sql.SQL(setup).format(
                partition, sql.Literal("core.issue_id_seq"), bound, sql.Literal(int(submission_id))
            )
        )
    db.copy_payload(conn, f"core.issue_s{int(submission_id)}", ISSUE_COLUMNS, chunks)
    with raw.cursor() as cursor:
        if not keep():
            cursor.execute(sql.SQL("DROP TABLE {}").format(partition))
            return
        cursor.execute(
            sql.SQL("ALTER TABLE core.issue ATTACH PARTITION {} FOR VALUES IN ({})").format(
                partition, sql.Literal(int(submission_id))
            )
        )
        cursor.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(partition, bound))
        cursor.execute(
            sql.SQL("COMMENT ON TABLE {} IS {}").format(
                partition,
                sql.Literal(f"Partition of core.issue: the rows of submission {int(submission_id)}."),
            )
        )


def _record_failure(
    engine: sa.Engine, region_code: str, name: str, sha: str, error: str, flow_run_id: str | None
) -> FileResult:
    with engine.begin() as conn:
        submission_id = conn.execute(
            query("intake", "insert_submission"),
            {
                "region_code": region_code, "sha256": sha, "file_name": name, "agency": None,
                "status": "failed", "rows_total": None,
                "rows_accepted": None, "rows_rejected": None, "error": error, "flow_run_id": flow_run_id,
                "feedback_file": None,
            },
        ).scalar()  # fmt: skip
    return FileResult(name, sha, "failed", error=error, submission_id=submission_id)


def _without_nul(table: pd.DataFrame) -> pd.DataFrame:
    """PostgreSQL text cannot hold NUL characters: drop them (the only change ever made to a cell)."""
    for column in table.columns:
        values = table[column]
        if values.dtype == object and _has_nul(values.to_numpy()):
            table[column] = values.str.replace("\x00", "", regex=False)
    return table


def _has_nul(values: np.ndarray) -> bool:
    """Whether any text cell holds a NUL: one search through the column's texts joined (a cell-by-cell
    ``str.contains`` took a second per million rows of an 11-column worksheet)."""
    texts = values.tolist()
    try:
        return "\x00" in "".join(filter(None, texts))  # None (an empty cell) is filtered out
    except TypeError:  # a cell that is not text (not made by read_worksheet, but cheap to allow)
        return any("\x00" in v for v in texts if isinstance(v, str))


def _blocking_mask(reasons: pd.Series) -> np.ndarray:
    """True for rows with a blocking reason; rows without any reason (most) are skipped by length."""
    values = reasons.to_numpy()
    some = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) > 0
    mask = np.zeros(len(values), dtype=bool)
    mask[some] = [any(r.blocking for r in row) for row in values[some]]
    return mask


def _masked(raw: dict) -> dict:
    """A skipped row's cells with personal data masked (a signature block's NIP, a letterhead's phone)."""
    return {k: mask(v) if isinstance(v, str) else v for k, v in raw.items()}


def _raw_records(
    table: pd.DataFrame, roles: dict[str, str], rows: pd.Index, personal: tuple[str, ...] = ()
) -> list[str]:
    """These rows as JSON text (header -> cell text), without the columns mapped to a role and without
    the columns of personal data (never stored: smartcity.intake.read.personal).

    Accepted rows keep only their unmapped columns (their mapped ones live in typed columns): the raw
    record of every column was most of the bytes a large load wrote. Rejected rows keep all columns.
    """
    data = table.loc[rows].drop(columns=["row_number", *roles.values(), *personal], errors="ignore")
    if not len(rows) or not len(data.columns):
        return ["{}"] * len(rows)
    # split on "\n" only: JSON escapes it in strings; \x85 and \u2028 stay raw, and splitlines cuts there
    return data.to_json(orient="records", lines=True, force_ascii=False).rstrip("\n").split("\n")


def _issue_payload(
    submission_id: int, sheet: str, accepted: pd.DataFrame, table: pd.DataFrame, roles: dict[str, str],
    personal: tuple[str, ...] = (), rows: int = 50_000,
) -> Iterator[bytes]:  # fmt: skip
    """COPY text for core.issue, built a slice at a time so PostgreSQL parses one slice while Python
    builds the next (the two run on different cores)."""
    for start in range(0, len(accepted), rows):
        part = accepted.iloc[start : start + rows]
        fields = _issue_fields(submission_id, sheet, part, _raw_records(table, roles, part.index, personal))
        yield from copyformat.payload(fields, rows_per_chunk=rows)


def _issue_fields(submission_id: int, sheet: str, accepted: pd.DataFrame, raw: list[str]) -> list[list[str]]:
    """core.issue's columns (ISSUE_COLUMNS order) as COPY fields, built a column at a time."""
    text = ["agency", "dimension", "swot", "description", "district_code", "village_code", "readiness"]
    fields = {c: copyformat.text_field(accepted[c]) for c in text}
    fields["notes"] = copyformat.text_field(accepted["notes"])
    for column in ("row_number", "severity", "year", "location_score"):
        fields[column] = copyformat.number_field(accepted[column])
    fields["submission_id"] = copyformat.repeat_field(submission_id, len(accepted))
    fields["sheet"] = copyformat.repeat_field(sheet, len(accepted))
    fields["geom"] = copyformat.point_field(accepted["point_lon"], accepted["point_lat"])
    fields["location_method"] = copyformat.text_field(accepted["location_method"])
    fields["warnings"] = copyformat.array_field(
        [[str(r) for r in reasons] if reasons else None for reasons in accepted["reasons"]]
    )
    fields["raw"] = copyformat.json_field(raw)
    return [fields[c] for c in ISSUE_COLUMNS]


REJECTED_COLUMNS = ["submission_id", "sheet", "row_number", "reasons", "raw"]


def _rejected_payload(
    submission_id: int,
    sheet: str,
    rejected: pd.DataFrame,
    table: pd.DataFrame,
    personal: tuple[str, ...] = (),
) -> Iterator[bytes]:
    """COPY text for intake.rejected_row, a column at a time (rows of one file share few combinations of
    reasons: each combination is rendered once)."""
    rendered: dict[tuple, list[str]] = {}
    reasons = []
    for found in rejected["reasons"].tolist():
        key = tuple(found)
        text = rendered.get(key)
        if text is None:
            text = rendered[key] = [str(x) for x in found]
        reasons.append(text)
    fields = [
        copyformat.repeat_field(submission_id, len(rejected)),
        copyformat.repeat_field(sheet, len(rejected)),
        copyformat.number_field(rejected["row_number"]),
        copyformat.array_field(reasons),
        copyformat.json_field(_raw_records(table, {}, rejected.index, personal)),
    ]
    return copyformat.payload(fields)


def _write_feedback(book: Workbook, tables: dict[str, pd.DataFrame], findings: dict, folder: Path) -> Path:
    from smartcity.intake.answer.feedback import SheetFeedback, write_workbook_feedback

    sheets = [
        SheetFeedback(
            sheet.sheet, tables[sheet.sheet].drop(columns=list(sheet.synthetic)), sheet.file_columns,
            findings.get(sheet.sheet, {}), sheet.columns_read,
            sheet.skipped["reason"].value_counts().to_dict() if len(sheet.skipped) else {},
            sheet.header_row, sheet.from_name, sheet.evidence,
        )
        for sheet in book.sheets
    ]  # fmt: skip
    out = _feedback_folder(folder) / feedback_name(book.source)
    return write_workbook_feedback(out, sheets, book.passed_over)


def feedback_name(source: str) -> str:
    """The feedback file of a worksheet file: ``<stem>_catatan_validasi.xlsx``."""
    return f"{Path(source).stem}_catatan_validasi.xlsx"


def _answer_failure(engine: sa.Engine, result: FileResult, error: Exception, folder: Path | None) -> None:
    """Write the feedback of a file that could not be used (what was missing, how to fix it) and record
    where it is; a feedback that cannot be written is noted, the failure stands."""
    if folder is None or result.submission_id is None:
        return
    from smartcity.intake.answer.feedback import SheetFeedback, write_problem_feedback

    code = getattr(error, "code", "unreadable")
    found = getattr(error, "sheets", ())
    sheets = [SheetFeedback(s.sheet, s.table.iloc[:0], [], {}, s.columns_read, {}, s.header_row, s.from_name,
                            s.evidence) for s in found]  # fmt: skip
    try:
        out = _feedback_folder(folder) / feedback_name(result.file_name)
        result.feedback_file = str(
            write_problem_feedback(
                out, result.file_name, code, str(error), sheets, getattr(error, "passed_over", ())
            )
        )
    except (OSError, UnsafePath) as exc:
        result.add_note(f"feedback file not written to {folder}: {getattr(exc, 'strerror', None) or exc}")
        return
    with engine.begin() as conn:
        params = {"id": result.submission_id, "feedback_file": result.feedback_file, "error": result.error}
        conn.execute(query("intake", "record_feedback"), params)


def _feedback_folder(folder: Path) -> Path:
    """The feedback folder, made if missing; a region's sub-folder (feedback/64.09) that is a symbolic
    link is refused (UnsafePath), so nothing is written through it."""
    folder = Path(folder)
    if folder.parent.name == "feedback" and not folder.exists():
        return safe_folder(folder.parent, folder.name)
    if folder.is_symlink() and folder.parent.name == "feedback":
        raise UnsafePath(f"{folder} is a symbolic link: refusing to write into it")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def summary_table(results: list[FileResult]) -> list[dict]:
    """One dict per file for the terminal and the Prefect table artifact."""
    return [
        {
            "file": r.file_name, "agency": r.agency or "", "status": r.status, "rows": r.rows_total,
            "loaded": r.accepted, "rejected": r.rejected, "skipped": r.skipped,
            **{f"by {m}": r.placed.get(m, 0) for m in ("code", "point", "name", "district", "regency")},
            "error": r.error or "",
        }
        for r in results
    ]  # fmt: skip
