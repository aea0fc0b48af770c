"""The run's report: hostile worksheet text is escaped, every section is there in both languages, the page
is self-contained, downloads are safe in a spreadsheet and exact in a GIS, figures print at 300 dpi."""

from __future__ import annotations

import ast
import json
import re
import uuid
from datetime import UTC, datetime
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import geopandas as gpd
import markupsafe
import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

from maps.common.i18n import LABELS, class_label, hotspot_label, number, percent, t
from maps.common.style import CLASS_COLOURS
from maps.figures.priority import DPI, FIGSIZE, nice_length_km, priority_figure, write_figures
from maps.web.report import build_index, neutralise_formulas, write_tables
from smartcity.platform.errors import InputError
from smartcity.platform.vocabulary import DIMENSIONS
from smartcity.scoring.classes import LABELS_EN, LABELS_ID
from smartcity.scoring.hotspots import HOTSPOT_LABELS

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(1)</script>"
QUOTES = "Desa \"Kutip\" 'satu'"
BACKTICK = "Back`tick` ${x}"
EMOJI = "Desa Ombak 🌊 Ñ"
FORMULA = '=HYPERLINK("https://evil.example/?q=1","klik")'
NAMES = [IMG, SCRIPT, QUOTES, BACKTICK, EMOJI, FORMULA]
SECTIONS = ("run", "map_pages", "top_villages", "top_districts", "intake_summary", "swot_matrix", "figures",
            "downloads", "all_villages")  # fmt: skip


@pytest.fixture(scope="module")
def districts() -> gpd.GeoDataFrame:
    """Two districts side by side near Tanah Grogot, one with a hostile name."""
    return gpd.GeoDataFrame(
        {
            "code": ["64.01.01", "64.01.02"], "name": ["Batu Sopang", "@Kuaro <b>"],
            "score": [61.25, 38.5], "rank": [1, 2], "class_no": [1, 4],
            "priority_class": ["Sangat Tinggi", "Rendah"], "issue_count": [9, 4],
            "components": [{"ikn": {"raw": 12.0, "weight": 0.2, "contribution": 20.0}}, {}],
        },
        geometry=[shapely.box(116.0, -2.0, 116.3, -1.7), shapely.box(116.3, -2.0, 116.6, -1.7)],
        crs="EPSG:4326",
    )  # fmt: skip


@pytest.fixture(scope="module")
def villages() -> gpd.GeoDataFrame:
    """Six villages (three per district), hostile names, coordinates with more than six decimals."""
    x0 = 116.0 + np.arange(6) * 0.1 + 1.23456789e-4
    components = {
        "pressure_economy": {"raw": 3.5, "normalised": 0.8, "weight": 0.3, "contribution": 24.0},
        "ikn": {"raw": None, "normalised": 0.0, "weight": 0.2, "contribution": 0.0, "missing": True},
        "idm": {"raw": np.float64(0.61), "normalised": 0.5, "weight": 0.1, "contribution": 5.0},
    }
    return gpd.GeoDataFrame(
        {
            "code": [f"64.01.0{1 + i // 3}.200{i}" for i in range(6)],
            "name": NAMES,
            "district_code": ["64.01.01"] * 3 + ["64.01.02"] * 3,
            "score": [80.0, 12.5, 55.25, 33.0, 70.0, 5.0],
            "rank": [1, 5, 3, 4, 2, 6],
            "class_no": [1, 4, 3, 4, 2, 5],
            "priority_class": ["Sangat Tinggi", "Rendah", "Sedang", "Rendah", "Tinggi", "Sangat Rendah"],
            "issue_count": [10, 2, 6, 3, 8, 0],
            "p_top": [0.97, 0.1, 0.5, 0.3, np.nan, 0.0],
            "rank_p05": [1, 3, 2, 3, 1, 5],
            "rank_p95": [2, 6, 4, 6, 3, 6],
            "hotspot": ["hot_99", "none", "hot_90", None, "cold_95", "none"],
            "gi_z": [2.9, -0.4, 1.8, 0.0, -2.1, -1.0],
            "run_id": [uuid.UUID(int=7)] * 6,
            "components": [components] * 6,
        },
        geometry=[shapely.box(x, -1.95, x + 0.1, -1.75) for x in x0],
        crs="EPSG:4326",
    )  # fmt: skip


@pytest.fixture(scope="module")
def swot() -> pd.DataFrame:
    """Reports per district and dimension, hostile texts first, one cell longer than the visible five."""
    many = [f"Masalah jalan nomor {i}" for i in range(8)]
    return pd.DataFrame(
        [
            ["64.01.01", "Batu Sopang", "economy", 1, 2, 0, 1, [EMOJI], [IMG, "jalan rusak"], [], [SCRIPT]],
            ["64.01.02", "@Kuaro <b>", "economy", 0, 8, 1, 0, [], many, [BACKTICK], []],
            ["64.01.01", "Batu Sopang", "governance", 0, 1, 0, 0, [], [QUOTES], [], []],
        ],
        columns=["district_code", "district_name", "dimension", "strengths", "weaknesses", "opportunities",
                 "threats", "strength_texts", "weakness_texts", "opportunity_texts", "threat_texts"],
    )  # fmt: skip


INTAKE = [
    {"file": f"{IMG}.xlsx", "agency": SCRIPT, "status": "partial", "rows": 1250, "loaded": 1200,
     "rejected": 50, "by code": 900, "by point": 200, "by name": 90, "by district": 10, "error": ""},
    {"file": "dinas`pu'.ods", "agency": QUOTES, "status": "failed", "rows": 0, "loaded": 0, "rejected": 0,
     "by code": 0, "by point": 0, "by name": 0, "by district": 0, "error": f"bad header {IMG}"},
]  # fmt: skip
RUN = {
    "run_id": "0f8c6f5e-1111-4222-8333-944445555666", "region_name": "Paser",
    "started_at": datetime(2026, 11, 28, 6, 0, tzinfo=UTC),
    "finished_at": datetime(2026, 11, 28, 6, 1, tzinfo=UTC),
    "config_source": "scoring_default.toml", "config_hash": "0123456789abcdef", "submission_ids": [1, 2],
    "issue_count": 1250,
}  # fmt: skip


def esc(text: str) -> str:
    """``text`` as the page writes it (Jinja2's autoescape: & < > " ' become entities)."""
    return str(markupsafe.escape(text))


def parsed_tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag of the page with its attributes, as an HTML parser sees them."""
    tags = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, attrs))

    Collector().feed(page)
    return tags


def index(villages, districts, swot, lang: str = "id", **overrides) -> str:
    args = {
        "pages": [(t("title", lang), "peta prioritas.html")],
        "downloads": [("Villages (CSV)", "data/priority_villages.csv")],
        "figures": [(f"Figure {IMG}", "figures/priority_map.png")],
        "lang": lang,
    }
    args.update(overrides)
    return build_index(RUN, villages, districts, INTAKE, swot, **args)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_hostile_text_is_escaped_everywhere(villages, districts, swot, lang):
    page = index(villages, districts, swot, lang)
    assert "<img src=x" not in page
    assert "<script" not in page.lower()
    assert "</script" not in page.lower()
    assert "<b>" not in page
    assert esc(IMG) in page  # names, descriptions, file names, figure titles
    assert esc(SCRIPT) in page  # agency and a threat's description
    assert "Desa &#34;Kutip&#34; &#39;satu&#39;" in page
    assert "Back`tick` ${x}" in page and "Ombak 🌊 Ñ" in page  # text stays text: no attribute holds it
    assert "@Kuaro &lt;b&gt;" in page
    assert "bad header " + esc(IMG) in page
    # as a browser parses it: no script element, no event handler, only our own image
    tags = parsed_tags(page)
    assert "script" not in {tag for tag, _ in tags}
    assert not [name for _, attrs in tags for name, _ in attrs if name.startswith("on")]
    assert {value for tag, attrs in tags if tag == "img" for name, value in attrs if name == "src"} == {
        "figures/priority_map.png"
    }


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_section_is_there_in_the_language(villages, districts, swot, lang):
    page = index(villages, districts, swot, lang)
    headings = re.findall(r"<h2>(.*?)</h2>", page)
    assert headings == [esc(t(key, lang)) for key in SECTIONS]
    assert f'<html lang="{lang}">' in page
    for key in ("swot_strength", "swot_weakness", "swot_opportunity", "swot_threat", "dim_economy"):
        assert f">{esc(t(key, lang))}" in page
    assert esc(t("robustness", lang)) in page
    assert f"{t('title', lang)}: Paser" in page
    assert "0f8c6f5e-1111-4222-8333-944445555666" in page and "0123456789abcdef" in page
    # the run's time in the region's zone (Asia/Makassar: WITA, UTC+8), in words
    assert {"id": "28 November 2026 pukul 14.01 WITA", "en": "28 November 2026, 14:01 WITA"}[lang] in page
    assert f"1{'.' if lang == 'id' else ','}250" in page  # numbers the language's way


def test_top_tables_show_rank_score_class_robustness_and_interval(villages, districts, swot):
    page = index(villages, districts, swot, "id", top_n=3)
    top = page.split('id="top-villages-table"')[1].split("</table></div>")[0]
    rows = top.split('<tr><td class="num">')[1:]  # a row of the table, not of a breakdown inside it
    assert len(rows) == 3
    assert "80,0" in rows[0] and "97%" in rows[0] and "1–2" in rows[0] and "Titik panas 99%" in rows[0]
    assert 'style="background:#b2182b;color:#ffffff">Sangat Tinggi</span>' in rows[0]
    assert esc(EMOJI) in rows[1] and "–" in rows[1]  # rank 2: its p_top is missing
    assert "Batu Sopang" in rows[0] and "@Kuaro &lt;b&gt;" in rows[1]  # district names, not codes
    assert "Mengapa desa ini?" in top and "Kedekatan ke IKN" in top and "tidak ada data" in top
    districts_table = page.split('id="top-districts"')[1].split("</section>")[0]
    assert districts_table.index("Batu Sopang") < districts_table.index("@Kuaro")
    assert "#fddbc7;color:#1a1a1a" in page  # the light class gets dark text


def test_companion_table_lists_all_villages_by_rank_for_screen_readers(villages, districts, swot):
    page = index(villages, districts, swot, "en", top_n=2)
    table = page.split('id="all-villages"')[1].split("</section>")[0]
    assert f"<caption>{t('all_villages_caption', 'en')}</caption>" in table
    assert table.count('<th scope="col">') == 10 and '<th scope="row">' in table
    order = [esc(n) for n in villages.sort_values("rank")["name"]]
    positions = [table.index(name) for name in order]
    assert positions == sorted(positions)


def test_swot_matrix_groups_texts_per_district_most_reports_first(villages, districts, swot):
    page = index(villages, districts, swot, "id")
    economy = page.split('id="swot-economy"')[1].split("</section>")[0]
    weakness = economy.split('class="swot-weakness"')[1].split('class="swot-opportunity"')[0]
    assert "Kelemahan (10)" in weakness
    assert weakness.index("@Kuaro &lt;b&gt; (8)") < weakness.index("Batu Sopang (2)")
    assert "+3 lainnya" in weakness and '<ol start="6">' in weakness  # 8 texts: five shown, three folded
    assert weakness.index(esc(IMG)) < weakness.index("jalan rusak")  # most urgent first, as given
    assert page.index('id="swot-governance"') < page.index('id="swot-economy"')  # the model's order
    governance = page.split('id="swot-governance"')[1].split("</section>")[0]
    assert governance.count("Tidak ada") == 3


def test_page_is_self_contained(villages, districts, swot):
    page = index(villages, districts, swot, "id")
    assert "<link" not in page and "@import" not in page and "url(" not in page and "<script" not in page
    links = [value for _, attrs in parsed_tags(page) for name, value in attrs if name in ("href", "src")]
    assert links and not [link for link in links if "//" in link or ":" in link]
    assert "https://evil.example" in page  # a URL in worksheet text stays text
    assert "script-src 'none'" in page
    style = page.split("<style>")[1].split("</style>")[0]
    assert ".swot>div" in style and '"Segoe UI"' in style  # the page's own CSS is not escaped
    assert 'href="peta%20prioritas.html"' in page
    assert '<img src="figures/priority_map.png"' in page


def test_the_page_is_our_template_file_rendered_with_autoescape_and_strict_undefined():
    import jinja2

    from maps.web import report

    env = report._ENV
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined
    assert report._TEMPLATE.name == "report.html.j2" and report._TEMPLATE.environment is env
    for name in report.TEMPLATES:  # package files, read with importlib.resources: the wheel carries them
        assert resources.files("maps.web").joinpath("templates", name).is_file(), name
    parent = ".." + "/report.py"  # a path up from the templates (spelt so as not to look like a data path)
    for name in ("{{ 7 * 7 }}", parent, "report.html"):  # only our two files are ever source
        with pytest.raises(jinja2.TemplateNotFound):
            env.get_template(name)
    assert isinstance(env.globals["css"], markupsafe.Markup)  # the one text marked safe: our CSS file
    assert str(env.globals["css"]) == report._our_file("report.css")


@pytest.mark.parametrize(
    "href", ["https://evil.example/x.html", "javascript:alert(1)", "/etc/passwd", "//evil/x"]
)
def test_absolute_links_are_refused(villages, districts, swot, href):
    with pytest.raises(InputError, match="relative"):
        index(villages, districts, swot, "id", pages=[("x", href)])


def test_empty_run_still_renders(villages, districts, swot):
    page = build_index(
        {"run_id": "r1"}, villages.iloc[:0], districts.iloc[:0], [], swot.iloc[:0], [], [], [], "en"
    )
    assert page.count("No data.") == 8
    assert re.findall(r"<h2>(.*?)</h2>", page) == [esc(t(key, "en")) for key in SECTIONS]


def test_csv_is_excel_ready_and_safe_from_formulas(villages, districts, tmp_path):
    files = write_tables(villages, districts, tmp_path)
    assert [name for _, name in files] == [
        f"priority_{level}.{ext}" for level in ("villages", "districts") for ext in ("csv", "geojson")
    ]
    raw = (tmp_path / "priority_villages.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(tmp_path / "priority_villages.csv", encoding="utf-8-sig", dtype={"code": str})
    assert "geometry" not in table.columns
    assert list(table["name"]) == [*NAMES[:5], "'" + FORMULA]
    assert table["gi_z"].min() == -2.1  # numbers stay numbers, negative ones too
    components = json.loads(table["components"][0])
    assert components["pressure_economy"]["contribution"] == 24.0 and components["idm"]["raw"] == 0.61
    assert table["run_id"][0] == str(uuid.UUID(int=7))
    districts_csv = pd.read_csv(tmp_path / "priority_districts.csv", encoding="utf-8-sig")
    assert list(districts_csv["name"]) == ["Batu Sopang", "'@Kuaro <b>"]


def test_neutralise_formulas_only_touches_text_cells():
    frame = pd.DataFrame(
        {"text": ["=1+1", "+62 811", "-x", "@SUM(A1)", "\tcmd", "ok", None], "n": range(-3, 4)}
    )
    out = neutralise_formulas(frame)
    assert list(out["text"][:6]) == ["'=1+1", "'+62 811", "'-x", "'@SUM(A1)", "'\tcmd", "ok"]
    assert pd.isna(out["text"][6]) and out["text"].dtype == frame["text"].dtype
    assert list(out["n"]) == list(range(-3, 4))
    assert list(frame["text"])[0] == "=1+1"  # a copy: the input is left alone


def test_geojson_reads_back_with_the_same_codes_in_wgs84(villages, districts, tmp_path):
    write_tables(villages.to_crs(32750), districts, tmp_path)
    back = gpd.read_file(tmp_path / "priority_villages.geojson")
    assert back.crs.to_epsg() == 4326
    assert list(back["code"]) == list(villages["code"])
    assert list(back["name"]) == NAMES  # data, not a spreadsheet: left as written
    # the same areas (to the 6-decimal grid), each written as a MultiPolygon (one type per layer)
    assert set(back.geom_type) == {"MultiPolygon"} and back.is_valid.all()
    assert (shapely.hausdorff_distance(back.geometry.values, villages.geometry.values) < 1e-5).all()
    geometry = json.loads((tmp_path / "priority_villages.geojson").read_text())["features"][0]["geometry"]
    coordinates = re.findall(r"-?\d+\.\d+", json.dumps(geometry))
    assert coordinates and all(len(c.split(".")[1]) <= 6 for c in coordinates)
    assert list(gpd.read_file(tmp_path / "priority_districts.geojson")["code"]) == list(districts["code"])


@pytest.fixture(scope="module")
def figures(villages, districts, tmp_path_factory) -> tuple[Path, list[tuple[str, str]]]:
    """All figures of a run, written once: classes per dimension, one dimension without any class."""
    folder = tmp_path_factory.mktemp("figures")
    zones = gpd.GeoDataFrame(
        {"name": ["0-25 km", "25-50 km"]},
        geometry=[shapely.Point(116.3, -1.5).buffer(0.25), shapely.Point(116.3, -1.5).buffer(0.5).difference(
            shapely.Point(116.3, -1.5).buffer(0.25))],
        crs="EPSG:4326",
    )  # fmt: skip
    classes = {
        d: pd.Series([(i + k) % 5 + 1 for i in range(6)], index=villages.index)
        for k, d in enumerate(DIMENSIONS)
    }
    classes["society"] = pd.Series([np.nan] * 6, index=villages.index)
    written = write_figures(
        villages, districts, zones, classes, folder, "id", caption="Run 0f8c6f5e · model abc"
    )
    return folder, written


def test_figures_one_per_dimension_and_the_main_one(figures):
    folder, written = figures
    assert [name for _, name in written] == ["priority_map.png", *(f"priority_{d}.png" for d in DIMENSIONS)]
    assert written[0][0] == "Peta Prioritas Smart City"
    assert written[1][0].endswith("Tata Kelola (Smart Governance)")
    assert sorted(p.name for p in folder.iterdir()) == sorted(name for _, name in written)


@pytest.mark.parametrize("name", ["priority_map.png", "priority_society.png"])
def test_figures_print_at_300_dpi_on_a4_landscape_and_are_not_blank(figures, name):
    folder, _ = figures
    with Image.open(folder / name) as image:
        assert image.format == "PNG"
        width, height = image.size
        assert abs(width - FIGSIZE[0] * DPI) <= 3 and abs(height - FIGSIZE[1] * DPI) <= 3
        assert all(abs(d - DPI) < 1 for d in image.info["dpi"])
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24)
    assert len(colours) > 5


def test_figure_draws_classes_legend_arrow_scale_and_caption(villages, districts):
    import matplotlib.pyplot as plt

    # classes 3-5 empty, one village without a class
    frame = villages.assign(class_no=[1, 1, 2, 2, np.nan, 1])
    fig = priority_figure(frame, districts, None, title="Judul $x$", lang="en", caption="run 42")
    texts = [text.get_text() for text in fig.legends[0].get_texts()]
    assert texts == [*LABELS_EN, "No data", "District"]
    drawn = [text.get_text() for artist in [*fig.axes, fig] for text in artist.texts]
    assert "N" in drawn and "Source: run 42" in drawn and any(s.endswith(" km") for s in drawn)
    assert fig._suptitle.get_text() == "Judul $x$"
    assert plt.get_fignums() == []  # never registered with pyplot: nothing to close, nothing leaks
    with pytest.raises(InputError, match="no column"):
        priority_figure(villages, None, None, column="nope", title="x")


def test_scale_bar_lengths_are_round():
    assert nice_length_km(100) == 20
    assert nice_length_km(26) == 5
    assert nice_length_km(9) == 1
    assert nice_length_km(0.7) == 0.1


def test_labels_match_in_both_languages_and_with_the_core():
    assert LABELS["id"].keys() == LABELS["en"].keys()
    assert [class_label(n, "id") for n in range(1, 6)] == list(LABELS_ID)
    assert [class_label(n, "en") for n in range(1, 6)] == list(LABELS_EN)
    for code, (label_id, label_en) in HOTSPOT_LABELS.items():
        assert (hotspot_label(code, "id"), hotspot_label(code, "en")) == (label_id, label_en)
    assert t("robustness") == "Peluang tetap di 10 besar"
    assert t("robustness", "en") == "Share of draws in the top 10"
    assert t("crit_idm") == "Kebutuhan (IDM)" and t("swot_threat") == "Ancaman"
    # bare codes as keys, as the map builder uses them
    assert t("governance", "en") == "Smart Governance" and t("Sangat Tinggi", "en") == "Very high"
    assert class_label(None) == "Tanpa data" and set(CLASS_COLOURS) == {1, 2, 3, 4, 5}
    assert number(1234.56, 1, "id") == "1.234,6" and number(1234.56, 1, "en") == "1,234.6"
    assert percent(0.456) == "46%" and percent(None) == "–" and number(float("nan")) == "–"


def test_every_deliverable_has_the_same_labels_in_both_languages_and_uses_t():
    from maps.common import i18n

    for part in (i18n._PLAN_LABELS, i18n.DOCUMENT_LABELS, i18n._GIS_LABELS):
        assert part.keys() == set(i18n.LANGUAGES) and part["id"].keys() == part["en"].keys()
        assert all(part[lang].items() <= LABELS[lang].items() for lang in i18n.LANGUAGES)
    assert {"doc_title", "doc_tows_column", "gis_group_issues", "gis_download_gpkg"} <= LABELS["en"].keys()
    # no other module of maps/ keeps labels of its own: no {"id": ..., "en": ...} literal outside i18n (and
    # the document's labels, merged into it)
    found = []
    for path in sorted((Path(__file__).resolve().parent.parent / "maps").rglob("*.py")):
        if path.parts[-2:] in (("common", "i18n.py"), ("common", "i18n_document.py")):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                if {"id", "en"} <= keys:
                    found.append(f"{path.name}:{node.lineno}")
    assert not found, f"labels outside maps/common/i18n.py and i18n_document.py: {found}"
    with pytest.raises(ValueError, match="written twice for 'id': title"):
        i18n._merge({"id": {"title": "x"}}, {"id": {"title": "y"}})


def test_unknown_language_or_label_is_an_input_error():
    with pytest.raises(InputError, match="unknown language 'fr'"):
        t("title", "fr")
    with pytest.raises(InputError, match="no 'en' label for 'nope'"):
        t("nope", "en")
    with pytest.raises(InputError, match="unknown language"):
        build_index({}, pd.DataFrame(), pd.DataFrame(), [], pd.DataFrame(), [], [], [], lang="fr")


def villages_page(data, **options) -> str:
    """The report of ``data``'s areas alone (no intake, SWOT, pages, downloads or figures)."""
    run = {"run_id": "r", "region_name": "Paser"}
    return build_index(run, data.villages, data.districts, [], pd.DataFrame(), [], [], [], **options)


def test_the_movers_list_says_how_many_it_leaves_out_with_districts_and_local_times():
    from maps.common.i18n import local_time
    from maps.common.views import MOVED_SHOWN, run_changes
    from tests.test_maps import grid_villages, issues_in, map_data

    villages = grid_villages(6, 5)  # 30 villages
    data = map_data(villages, issues_in(villages, 10))
    pairs = enumerate(zip(villages["code"], villages["name"], strict=True))
    moved = [{"code": c, "name": n, "district_code": c[:8], "rank": i + 1, "previous_rank": 30 - i,
              "rank_change": 29 - 2 * i} for i, (c, n) in pairs if 29 - 2 * i]  # fmt: skip
    data.changes = {
        "previous": {"run_id": "x", "finished_at": datetime(2026, 12, 1, 1, 30, tzinfo=UTC)},
        "moved": moved, "previous_hotspots": {},
        "new_submissions": [{"file": "a.csv", "agency": "Dinkes", "received_at": datetime(2026, 12, 7, 23, 5,
                                                                                              tzinfo=UTC),
                             "rows": 3, "rejected": 0}],
    }  # fmt: skip
    changes = run_changes(data, "id", when=lambda v: local_time(v, "Asia/Makassar", "id"))
    assert len(changes["moved"]) == MOVED_SHOWN and changes["moved_more"] == len(moved) - MOVED_SHOWN
    assert changes["moved"][0]["district"] == "Kecamatan " + moved[0]["code"][:8]
    assert changes["previous"]["date"] == "1 Desember 2026 pukul 09.30 WITA"
    assert changes["new_submissions"][0]["when"] == "8 Desember 2026 pukul 07.05 WITA"  # the next day there
    page = villages_page(data, changes=changes)
    more = t("and_more", "id").replace("{n}", str(len(moved) - MOVED_SHOWN))
    assert f'<p id="changes-moved-more"><a href="#all-villages">{esc(more)}</a></p>' in page
    assert "<td>Kecamatan 64.01.01</td>" in page


@pytest.mark.parametrize("lang", ["id", "en"])
def test_why_opens_as_a_full_width_row_with_units_and_which_way_each_value_counts(lang):
    from tests.test_maps import grid_villages, issues_in, map_data

    villages = grid_villages()
    data = map_data(villages, issues_in(villages, 10))
    page = villages_page(data, lang=lang)
    assert f'<th scope="col">{esc(t("why", lang))}</th>' not in page  # no narrow last column any more
    rows = re.findall(r'<tr class="why-row"><td colspan="(\d+)">', page)
    header = re.search(r'<table id="top-villages-table">.*?<thead><tr>(.*?)</tr></thead>', page, re.S).group(
        1
    )
    assert rows and set(rows) == {str(header.count("<th "))}  # as wide as the table
    number = "12,50" if lang == "id" else "12.50"
    assert f'<td class="num">{number} {t("unit_km", lang)}</td><td>{esc(t("reads_ikn", lang))}</td>' in page
    assert esc(t("why_how", lang)) in page and esc(t("reads_pressure", lang)) in page
