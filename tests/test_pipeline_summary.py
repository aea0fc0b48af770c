"""What a data engineer reads after a run: the Markdown summary artifact (pure), and which failures
Prefect retries (transient database trouble) and which it never retries (bad input)."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa
from prefect.states import Completed, Failed

from smartcity.pipeline.state import PipelineRun, RegionRun
from smartcity.pipeline.summary import page_link, summary_markdown
from smartcity.platform.errors import DatabaseUnavailable, InputError
from tasks.retry import transient_only

DATABASE = {"database": "127.0.0.1:55432/smartcity", "postgis": "3.3", "migrations_applied": []}
NAMES = ["Senaken", "Janju & Co", "Pepara", "Lolo", "Rantau", "Jone"]
TOP = [{"rank": k, "village": name, "code": f"64.01.04.200{k}", "score": 90.0 - k, "class": "Sangat tinggi",
        "issues": 10 - k} for k, name in enumerate(NAMES, start=1)]  # fmt: skip


def region(tmp_path, code="64.01", **extra) -> RegionRun:
    intake = [
        {"file_name": "dlh|2025.csv", "agency": "<b>DLH</b>", "status": "partial", "rows_total": 24,
         "accepted": 22, "rejected": 2, "error": None},
        {"file_name": "rusak.xlsx", "status": "failed", "error": "rusak.xlsx: the file is not a workbook"},
        {"file_name": "pupr.xlsx", "status": "duplicate"},
    ]  # fmt: skip
    fields = {
        "reference": {"loaded": False}, "intake": intake, "outcome": "completed",
        "score": {"run_id": "abc", "villages": 144, "issues": 22, "config_source": "default",
                  "config_hash": "h"},
        "top": TOP, "pages": str(tmp_path / "site" / "abc" / "index.html"),
    }  # fmt: skip
    return RegionRun(code, **(fields | extra))


def test_the_summary_lists_files_counts_top_villages_and_links_the_maps(tmp_path):
    summary = PipelineRun(database=DATABASE, ikn={"loaded": False}, site=str(tmp_path / "site"),
                          regions={"64.01": region(tmp_path)})  # fmt: skip
    text = summary_markdown(summary)
    assert "Outcome: **completed**" in text
    assert (
        "- worksheets: 2 new files, 24 rows, 22 loaded, 2 rejected, 1 files failed; 1 already loaded" in text
    )
    assert "- IKN boundary: in place" in text and "- reference geography: in place" in text
    # file names and agencies from worksheets: escaped, and a '|' cannot split the table's cells
    assert "| dlh&#124;2025.csv | &lt;b&gt;DLH&lt;/b&gt; | partial | 24 | 22 | 2 | 0 |  |" in text
    assert "| rusak.xlsx |  | failed | 0 | 0 | 0 | 0 | rusak.xlsx: the file is not a workbook |" in text
    assert "pupr.xlsx" not in text  # a duplicate is counted, not listed
    assert "- priority scores: run `abc`, 144 villages, 22 issues, model default `h`" in text
    # the five top villages, names already escaped by the scoring task are not escaped twice
    assert "| 2 | Janju &amp; Co | 88.0 | Sangat tinggi | 8 |" in text and "Jone" not in text
    index = tmp_path / "site" / "abc" / "index.html"
    assert f"- maps and report: [index.html]({index.as_uri()})" in text
    served = summary_markdown(summary, site_url="https://peta.paserkab.go.id/site/")
    assert "[index.html](https://peta.paserkab.go.id/site/abc/index.html)" in served


def test_an_unchanged_region_says_which_scoring_run_it_reused(tmp_path):
    duplicates = [
        {"file_name": "dlh.csv", "status": "duplicate"},
        {"file_name": "pupr.xlsx", "status": "duplicate"},
    ]
    reused = {"run_id": "abc", "issues": 22}
    unchanged = region(tmp_path, intake=duplicates, outcome="unchanged", score=None, reused=reused)
    text = summary_markdown(PipelineRun(site=str(tmp_path / "site"), regions={"64.01": unchanged}))
    assert "Outcome: **completed**" in text
    assert "- worksheets: nothing new (2 files already loaded)" in text and "| file |" not in text
    assert (
        "- priority scores: nothing changed since scoring run `abc` (same worksheets, model and reference): "
        "reused" in text
    )
    assert "| 1 | Senaken | 89.0 |" in text and "[index.html](" in text


def test_a_failed_run_says_why_and_keeps_what_it_knew(tmp_path):
    before_intake = RegionRun("64.01", reference={"loaded": False})
    partial = PipelineRun(regions={"64.01": before_intake}, site=str(tmp_path),
                          error="the database went away while\nopd_07.csv was loading")  # fmt: skip
    text = summary_markdown(partial)
    assert "Outcome: **failed**: the database went away while opd\\_07.csv was loading" in text
    assert "- reference geography: in place" in text and "maps and report" not in text
    assert "- worksheets:" not in text  # the intake had not started
    one_region = PipelineRun(database=DATABASE, site=str(tmp_path), regions={
        "64.01": region(tmp_path),
        "64.09": region(tmp_path, "64.09", outcome="failed", error="score of 64.09 did not complete", top=[],
                        pages=None, score=None)})  # fmt: skip
    text = summary_markdown(one_region)
    assert "Outcome: **failed** for 64.09" in text and "- **failed**: score of 64.09 did not complete" in text
    assert text.count("- priority scores: run `abc`") == 1 and text.count("maps and report") == 1


def test_worksheet_text_cannot_become_a_link_an_image_or_formatting(tmp_path):
    hostile = region(tmp_path)
    hostile.intake[0] |= {"agency": "[Perbarui](https://evil.invalid) ![x](https://evil.invalid/p.png)",
                          "file_name": "**penting**_`kode`.csv"}  # fmt: skip
    text = summary_markdown(PipelineRun(site=str(tmp_path), regions={"64.01": hostile}))
    assert "| \\*\\*penting\\*\\*\\_\\`kode\\`.csv | " in text
    assert "\\[Perbarui\\]\\(https://evil.invalid\\) \\!\\[x\\]\\(https://evil.invalid/p.png\\)" in text
    assert "](https://evil" not in text


def test_a_page_outside_the_served_folder_is_linked_as_a_file(tmp_path):
    page = tmp_path / "elsewhere" / "index.html"
    assert page_link(str(page), str(tmp_path / "site"), "https://x/site") == page.as_uri()


@pytest.mark.parametrize(
    "error",
    [DatabaseUnavailable("down"), psycopg.OperationalError("connection refused"), ConnectionResetError(),
     sa.exc.OperationalError("SELECT 1", {}, psycopg.OperationalError("server closed the connection"))],
)  # fmt: skip
def test_transient_database_trouble_is_retried(error):
    assert transient_only(None, None, Failed(data=error)) is True


@pytest.mark.parametrize(
    "error",
    [InputError("opd.xlsx: no header row"), ValueError("bad value"), KeyError("x"),
     sa.exc.IntegrityError("INSERT", {}, psycopg.errors.UniqueViolation("duplicate key"))],
)  # fmt: skip
def test_bad_input_and_bugs_are_never_retried(error):
    assert transient_only(None, None, Failed(data=error)) is False


def test_a_completed_state_is_not_retried():
    assert transient_only(None, None, Completed(data=1)) is False
