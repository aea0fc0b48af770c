"""The state of a pipeline run, typed: what the flow learned so far of the run and of each region.

The pipeline flow fills a :class:`PipelineRun` as its stages go (a field is None until its stage has
answered), returns it, and the run summary artifact and ``smartcity run`` read it, complete or not.
The tasks' reports stay the dicts the tasks return (the database, reference and IKN reports, the
per-file outcomes shaped as :class:`smartcity.intake.load.FileResult`, the scoring run); what the flow
decides about a region (reused, pages, outcome) is a field of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal["completed", "unchanged", "failed"]


@dataclass
class RegionRun:
    """One region's part of a pipeline run."""

    code: str
    #: the reference_in_place report: ``loaded`` (bool), and ``features``, ``source``, ... when loaded
    reference: dict | None = None
    #: every file of the region's inbox as the intake returned it (FileResult-shaped dicts, duplicates
    #: included); None until the intake stage starts
    intake: list[dict] | None = None
    #: the last scoring run (``run_id``, ``issues``), reused because nothing changed since it
    reused: dict | None = None
    #: this run's scoring run (the score task's report), when the region was scored
    score: dict | None = None
    #: the index page of the region's pages (written by this run, or the reused run's)
    pages: str | None = None
    #: the top villages of the region's scoring run (this run's or the reused one)
    top: list[dict] = field(default_factory=list)
    outcome: Outcome | None = None
    #: the one-line error that failed the region
    error: str | None = None

    @property
    def new_files(self) -> list[dict]:
        """The files this run read (every status but ``duplicate``: loaded, partial or failed)."""
        return [r for r in self.intake or [] if r["status"] != "duplicate"]

    @property
    def duplicates(self) -> int:
        """How many of the region's files were already loaded by an earlier run."""
        return len(self.intake or []) - len(self.new_files)

    @property
    def rows_total(self) -> int:
        """Rows of the new files."""
        return sum(r.get("rows_total") or 0 for r in self.new_files)

    @property
    def rows_loaded(self) -> int:
        """Rows of the new files loaded into core.issue."""
        return sum(r.get("accepted") or 0 for r in self.new_files)

    @property
    def rows_rejected(self) -> int:
        """Rows of the new files rejected (kept with their reasons)."""
        return sum(r.get("rejected") or 0 for r in self.new_files)

    @property
    def rows_skipped(self) -> int:
        """Rows of the new files that are not data (header, letterhead, totals, signatures)."""
        return sum(r.get("skipped") or 0 for r in self.new_files)

    @property
    def files_failed(self) -> int:
        """New files that could not be loaded at all."""
        return sum(r["status"] == "failed" for r in self.new_files)

    @property
    def scoring_run_id(self) -> str | None:
        """The scoring run the region's scores and pages are of: the reused one, or this run's."""
        if self.reused is not None:
            return self.reused["run_id"]
        return None if self.score is None else self.score["run_id"]


@dataclass
class PipelineRun:
    """A pipeline run over one region or several."""

    regions: dict[str, RegionRun]
    #: the folder the pages are written under (<site>/<scoring run id>/index.html)
    site: str
    #: the ensure_database report: ``database``, ``postgis``, ``migrations_applied``
    database: dict | None = None
    #: the ikn_in_place report: ``loaded`` (bool), and ``source``, ... when loaded
    ikn: dict | None = None
    #: the one-line error that failed the whole run
    error: str | None = None

    @classmethod
    def start(cls, codes: list[str], site: str) -> PipelineRun:
        """A run of these regions that has not done anything yet."""
        return cls(regions={code: RegionRun(code) for code in codes}, site=site)

    @property
    def failed(self) -> list[str]:
        """The regions whose scoring or publishing failed, in run order."""
        return [code for code, region in self.regions.items() if region.outcome == "failed"]

    @property
    def unfinished(self) -> list[RegionRun]:
        """The regions without an outcome yet (what a run that stops early marks failed in its log)."""
        return [region for region in self.regions.values() if region.outcome is None]
