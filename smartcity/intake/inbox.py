"""Where each region's worksheets arrive, and where their feedback files go.

Decision (docs/pipeline.md, "Several regions"): the inbox folder holds the worksheets of the home region
(SMARTCITY_REGION_CODE) directly, and those of any region in a sub-folder named after its code
(``inbox/64.09/``; ``inbox/6409/`` is accepted too). The home region may use a sub-folder as well.
Feedback files mirror that layout: ``feedback/x_catatan_validasi.xlsx`` for ``inbox/x.xlsx``,
``feedback/64.09/...`` for ``inbox/64.09/...``. A single-region installation therefore looks exactly
as it did before regions existed. A region folder that is a symbolic link is never followed: it is
listed as one entry, which the intake refuses with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from smartcity.intake.load import worksheet_files
from smartcity.platform.errors import InputError
from smartcity.platform.vocabulary import regency_code


@dataclass(frozen=True)
class InboxFile:
    """One worksheet waiting in the inbox, the region it is for and where its feedback goes."""

    path: str
    region_code: str
    feedback_dir: str


def regency_codes(values: list[str]) -> list[str]:
    """Dotted regency codes, in the order given, without repeats; a value that is not one is refused."""
    codes: list[str] = []
    for value in values:
        try:
            code = regency_code(value)
        except ValueError as exc:
            raise InputError(str(exc)) from None
        if code not in codes:
            codes.append(code)
    if not codes:
        raise InputError("no region to run: give at least one regency code")
    return codes


def region_folders(inbox: Path) -> dict[str, Path]:
    """The inbox's sub-folders that are named after a regency code, by dotted code."""
    if not inbox.is_dir():
        return {}
    found: dict[str, Path] = {}
    for child in sorted(inbox.iterdir()):
        if child.is_dir() or child.is_symlink():
            try:
                found.setdefault(regency_code(child.name), child)
            except ValueError:
                continue  # a folder not named after a regency
    return found


def inbox_files(inbox: Path | None, regions: list[str], home: str, output_dir: Path) -> list[InboxFile]:
    """Every worksheet in the inbox for these regions, with its feedback folder (see module docstring).

    Files lying directly in the inbox belong to ``home`` and are left alone when ``home`` is not one
    of ``regions``.
    """
    if inbox is None or not inbox.is_dir():
        return []
    feedback = output_dir / "feedback"
    files: list[InboxFile] = []
    if home in regions:
        files += [InboxFile(p, home, str(feedback)) for p in worksheet_files([str(inbox)])]
    folders = region_folders(inbox)
    for code in regions:
        if code in folders and folders[code].is_symlink():  # never followed: refused by the intake, with why
            files.append(InboxFile(str(folders[code]), code, str(feedback / code)))
        elif code in folders:
            files += [InboxFile(p, code, str(feedback / code)) for p in worksheet_files([str(folders[code])])]
    return files
