"""Priority scores: hand-computed small cases, the model file, and real runs published in PostGIS."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
import sqlalchemy as sa

from smartcity.platform.errors import InputError
from smartcity.scoring.model import load_config
from smartcity.scoring.scores import score_areas, spread_district_issues

AREAS = pd.DataFrame({
    "code": ["64.01.01.2001", "64.01.01.2002", "64.01.02.2001"], "name": ["A", "B", "C"],
    "area_km2": [10.0, 20.0, 40.0], "population": [1000, 4000, None],
    "ikn_distance_km": [5.0, 60.0, None], "ikn_ring": [0, 2, None], "idm_score": [0.5, 0.7, None],
})  # fmt: skip
# A: two living weaknesses of urgency 3; B: one living threat of urgency 5; C: one strength of urgency 4
TALLIES = pd.DataFrame({
    "code": ["64.01.01.2001", "64.01.01.2002", "64.01.02.2001"], "dimension": ["living"] * 3,
    "swot": ["weakness", "threat", "strength"], "severity": [3, 5, 4], "count": [2.0, 1.0, 1.0],
})  # fmt: skip


def model(tmp_path, text: str):
    path = tmp_path / "model.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def test_pressure_alone_is_min_max_normalised_urgency_weighted_problems(tmp_path):
    config = model(
        tmp_path,
        """
[criteria]
pressure = 1
ikn = 0
idm = 0
[dimensions]
weights = { living = 1, governance = 0, branding = 0, economy = 0, society = 0, environment = 0 }
""",
    )
    scores = score_areas(AREAS, TALLIES, config)
    frame = scores.areas.set_index("name")
    # pressure: A = 2 x 3 = 6, B = 1 x 5 = 5, C = 0 (a strength is not a problem) -> 6/6, 5/6, 0
    assert frame["score"].to_dict() == pytest.approx({"A": 100.0, "B": 500 / 6, "C": 0.0})
    assert frame["rank"].to_dict() == {"A": 1, "B": 2, "C": 3}
    assert frame.loc["A", "components"]["pressure_living"] == {
        "raw": 6.0, "normalised": 1.0, "weight": 1.0, "contribution": 100.0,
    }  # fmt: skip
    assert (frame["problem_count"].to_dict(), frame["asset_count"].to_dict()) == (
        {"A": 2, "B": 1, "C": 0}, {"A": 0, "B": 0, "C": 1},
    )  # fmt: skip
    assert scores.dropped == []


def test_default_model_by_hand_and_contributions_sum_to_the_score():
    scores = score_areas(AREAS, TALLIES, load_config())
    frame = scores.areas.set_index("name")
    # weights: pressure 0.6 shared by six dimensions (0.1 each), IKN 0.2, IDM 0.2 (assets 0)
    # A: living 1.0 x 0.1 + ring 0 (1.0) x 0.2 + IDM need (0.7 - 0.5) / 0.2 = 1.0 x 0.2 -> 50
    # B: living 5/6 x 0.1 + ring 2 (0.333) x 0.2 + IDM need 0 -> 8.333 + 6.66
    # C: nothing (no ring, no IDM: missing, counted 0)
    assert frame.loc["A", "score"] == pytest.approx(50.0)
    assert frame.loc["B", "score"] == pytest.approx(100 * (0.1 * 5 / 6 + 0.2 * 0.333))
    assert frame.loc["C", "score"] == pytest.approx(0.0)
    for _, area in frame.iterrows():
        parts = area["components"]
        assert sum(p["contribution"] for p in parts.values()) == pytest.approx(area["score"], abs=1e-9)
        assert sum(p["weight"] for p in parts.values()) == pytest.approx(1.0)
    assert frame.loc["C", "components"]["idm"]["missing"] is True
    assert frame.loc["B", "components"]["ikn"]["raw"] == 60.0


def test_per_capita_and_per_km2_pressure(tmp_path):
    per_km2 = model(tmp_path, '[pressure]\nper = "km2"\n[criteria]\nikn = 0\nidm = 0\n')
    frame = score_areas(AREAS, TALLIES, per_km2).areas.set_index("name")
    # A: 6 / 10 km2 = 0.6; B: 5 / 20 = 0.25 -> living normalised 1 and 0.25 / 0.6
    assert frame.loc["B", "components"]["pressure_living"]["normalised"] == pytest.approx(0.25 / 0.6)
    per_capita = model(tmp_path, '[pressure]\nper = "capita"\n[criteria]\nikn = 0\nidm = 0\n')
    frame = score_areas(AREAS, TALLIES, per_capita).areas.set_index("name")
    # A: 6 per 1,000 people; B: 5 per 4,000 = 1.25; C has no population: missing
    assert frame.loc["A", "components"]["pressure_living"]["raw"] == pytest.approx(6.0)
    assert frame.loc["B", "components"]["pressure_living"]["raw"] == pytest.approx(1.25)
    assert frame.loc["C", "components"]["pressure_living"]["missing"] is True
    no_people = AREAS.assign(population=None)
    with pytest.raises(InputError, match="capita needs population"):
        score_areas(no_people, TALLIES, per_capita)


def test_decay_assets_and_criteria_without_data_are_left_out(tmp_path):
    config = model(tmp_path, '[criteria]\nassets = 0.2\n[ikn]\nmethod = "decay"\ndecay_km = 50\n')
    no_idm = AREAS.assign(idm_score=None)
    scores = score_areas(no_idm, TALLIES, config)
    assert scores.dropped == ["idm"]
    assert scores.weights.sum() == pytest.approx(1.0) and "idm" not in scores.weights
    frame = scores.areas.set_index("name")
    assert frame.loc["A", "components"]["ikn"]["normalised"] == pytest.approx(math.exp(-5 / 50))
    assert frame.loc["C", "components"]["assets"]["normalised"] == 1.0  # the only area with assets


def test_identical_areas_share_rank_and_the_middle_class():
    same = AREAS.assign(ikn_ring=1, idm_score=0.6, ikn_distance_km=30.0)
    scores = score_areas(same, TALLIES.iloc[0:0], load_config())
    assert set(scores.areas["rank"]) == {1}
    assert set(scores.areas["priority_class"]) == {"Sedang"}


def test_classes_rank_from_sangat_tinggi(tmp_path):
    areas = pd.DataFrame({
        "code": [f"64.01.01.20{i:02d}" for i in range(10)], "name": list("abcdefghij"),
        "area_km2": 1.0, "population": None, "ikn_distance_km": None, "ikn_ring": None, "idm_score": None,
    })  # fmt: skip
    counts = [1, 2, 3, 10, 11, 12, 30, 31, 50, 90]
    tallies = pd.DataFrame({"code": areas["code"], "dimension": "economy", "swot": "weakness", "severity": 1,
                            "count": [float(c) for c in counts]})  # fmt: skip
    config = model(tmp_path, '[classes]\nmethod = "quantiles"\n')
    frame = score_areas(areas, tallies, config).areas
    assert frame.loc[frame["name"] == "j", "priority_class"].item() == "Sangat Tinggi"
    assert frame.loc[frame["name"] == "a", "priority_class"].item() == "Sangat Rendah"
    per_class = frame.groupby("class_no").size().to_dict()
    assert per_class == {1: 2, 2: 2, 3: 2, 4: 2, 5: 2}


def test_district_issues_spread_to_villages_only_when_asked():
    villages = pd.DataFrame({"code": ["64.01.01.2001", "64.01.01.2002"], "district_code": ["64.01.01"] * 2})
    tallies = pd.DataFrame({
        "district_code": ["64.01.01", "64.01.01"], "village_code": [None, "64.01.01.2001"],
        "dimension": ["living", "living"], "swot": ["weakness", "weakness"], "severity": [3, 3],
        "count": [4.0, 1.0],
    })  # fmt: skip
    spread = spread_district_issues(tallies, villages)
    assert spread.groupby("code")["count"].sum().to_dict() == {"64.01.01.2001": 3.0, "64.01.01.2002": 2.0}


def test_the_model_file_overrides_only_what_it_says_and_refuses_mistakes(tmp_path):
    default = load_config()
    same = model(tmp_path, "[criteria]\npressure = 0.6\n")
    assert same.hash == default.hash  # the effective model decides the hash, not the file
    assert model(tmp_path, "[criteria]\npressure = 0.7\n").hash != default.hash
    with pytest.raises(InputError, match=r"model.toml: unknown key 'criteria.presure'"):
        model(tmp_path, "[criteria]\npresure = 1\n")
    with pytest.raises(InputError, match="pressure.per must be one of none, km2, capita"):
        model(tmp_path, '[pressure]\nper = "people"\n')
    with pytest.raises(InputError, match="not valid TOML"):
        model(tmp_path, "[criteria\n")
    with pytest.raises(InputError, match="scoring configuration not found"):
        load_config(tmp_path / "missing.toml")


def test_ahp_weights_from_the_model_and_an_inconsistent_matrix_refused(tmp_path):
    config = model(
        tmp_path,
        """
[dimensions]
method = "ahp"
order = ["living", "economy", "governance"]
matrix = [[1, 3, 5], [0.333333, 1, 3], [0.2, 0.333333, 1]]
""",
    )
    assert config.dimension_weights["living"] == pytest.approx(0.637, abs=1e-3)
    assert config.dimension_weights["society"] == 0.0
    assert config.ahp_cr == pytest.approx(0.033, abs=1e-3)
    with pytest.raises(InputError, match=r"consistency ratio .* > 0.10"):
        model(
            tmp_path,
            """
[dimensions]
method = "ahp"
order = ["living", "economy", "governance"]
matrix = [[1, 9, 0.111111], [0.111111, 1, 9], [9, 0.111111, 1]]
""",
        )


# -- with PostGIS: the demo region, the demo worksheets, real runs --------------------------------


@pytest.mark.db
def test_a_run_publishes_scores_history_and_lineage(demo):
    from smartcity.scoring.runs import score_region

    result = score_region(demo, "64.01", load_config())
    with demo.connect() as conn:
        villages = pd.read_sql(sa.text("SELECT * FROM mart.village_priority"), conn)
        districts = conn.execute(sa.text("SELECT count(*), min(rank) FROM mart.district_priority")).one()
        run = conn.execute(sa.text("SELECT * FROM mart.scoring_run")).mappings().one()
        history = conn.execute(sa.text("SELECT level, count(*) FROM mart.priority_history GROUP BY 1")).all()
        per_dimension = conn.execute(sa.text("SELECT count(*) FROM mart.village_priority_living")).scalar()
        issues = conn.execute(sa.text("SELECT count(*) FROM core.issue")).scalar()
    assert len(villages) == 144 and tuple(districts) == (10, 1)
    assert villages["score"].between(0, 100).all() and villages["rank"].min() == 1
    assert set(villages["priority_class"]) <= {"Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah"}
    for _, row in villages.iterrows():
        parts = row["components"]
        assert sum(p["contribution"] for p in parts.values()) == pytest.approx(row["score"], abs=1e-6)
    assert villages["p_top"].between(0, 1).all() and villages["hotspot"].notna().all()
    assert str(run["run_id"]) == result.run_id and run["config_hash"] == load_config().hash
    assert run["issue_count"] == issues and len(run["submission_ids"]) == 8
    assert dict(history) == {"village": 144, "district": 10}
    assert per_dimension == 144
    assert villages["issue_count"].sum() <= issues  # district-level issues are not in any village


@pytest.mark.db
def test_scoring_twice_gives_identical_results_and_the_change_view_compares_runs(demo):
    from smartcity.scoring.runs import score_region

    columns = "code, score, rank, priority_class, components, gi_z, p_fdr, hotspot, p_top, rank_p05, rank_p95"

    def latest():
        with demo.connect() as conn:
            return conn.execute(sa.text(f"SELECT {columns} FROM mart.village_priority ORDER BY code")).all()  # noqa: S608

    first_run = score_region(demo, "64.01", load_config())
    first = latest()
    second_run = score_region(demo, "64.01", load_config())
    assert latest() == first and first_run.run_id != second_run.run_id
    with demo.connect() as conn:
        change = conn.execute(
            sa.text(
                "SELECT count(*), max(abs(score_change)), count(DISTINCT previous_run_id) "
                "FROM mart.village_priority_change"
            )  # fmt: skip
        ).one()
    assert change[0] == 144 and change[1] == 0 and change[2] == 1


@pytest.mark.db
def test_the_swot_view_groups_what_agencies_reported(demo):
    with demo.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT dimension, strengths, weaknesses, opportunities, threats, weakness_texts "
                "FROM mart.district_swot WHERE district_code = '64.01.04'"
            )  # fmt: skip
        ).all()
        totals = conn.execute(
            sa.text("SELECT (SELECT count(*) FROM core.issue), "
                    "(SELECT sum(strengths + weaknesses + opportunities + threats) FROM mart.district_swot)")
        ).one()  # fmt: skip
    assert rows and all(len(r.weakness_texts) == r.weaknesses for r in rows)
    assert totals[0] == totals[1]


@pytest.mark.db
def test_components_are_json_objects_a_gis_team_can_query(demo):
    from smartcity.scoring.runs import score_region

    score_region(demo, "64.01", load_config())
    with demo.connect() as conn:
        value = conn.execute(
            sa.text("SELECT components -> 'ikn' ->> 'weight' FROM mart.village_priority LIMIT 1")
        ).scalar()
        weights, dropped = conn.execute(
            sa.text("SELECT weights, dropped_criteria FROM mart.scoring_run")
        ).one()
    # the demo region ships with IDM 2024: every criterion of the shipped model is active, none dropped
    assert dropped == []
    assert json.loads(value) == pytest.approx(0.2) == weights["village"]["ikn"]
    assert weights["village"]["idm"] == pytest.approx(0.2)


# -- the flow and the command ------------------------------------------------------------------------


@pytest.mark.e2e
def test_cli_score_runs_the_flow_and_prints_the_top_villages(cli, engine, tmp_path):
    from tests.helpers import DATA, REPO

    assert cli("regions", "load", str(DATA / "boundaries" / "paser_desa_kelurahan.geojson")).exit_code == 0
    assert cli("ingest", str(REPO / "geodata" / "demo" / "worksheets")).exit_code == 0
    model = tmp_path / "living_first.toml"
    model.write_text("[dimensions.weights]\nliving = 3\n[robustness]\ndraws = 200\n", encoding="utf-8")
    result = cli("score", "--config", str(model), "--top", "5")
    assert result.exit_code == 0, result.output
    assert "Top priority villages" in result.output and "model living_first.toml" in result.output
    with engine.connect() as conn:
        run = conn.execute(sa.text("SELECT config, config_source, flow_run_id FROM mart.scoring_run")).one()
        top = conn.execute(sa.text("SELECT name FROM mart.village_priority WHERE rank = 1")).scalars().first()
    assert run.config["dimensions"]["weights"]["living"] == 3 and run.config["robustness"]["draws"] == 200
    assert run.config_source == "living_first.toml" and run.flow_run_id is not None
    assert top in result.output


@pytest.mark.e2e
def test_cli_score_refuses_a_bad_model_in_one_line_before_prefect_starts(cli, tmp_path):
    model = tmp_path / "bad.toml"
    model.write_text("[criteria]\nikn = -1\n", encoding="utf-8")
    result = cli("score", "--config", str(model))
    assert result.exit_code == 1
    assert (
        result.output.strip().splitlines()[-1] == "error: bad.toml: criteria.ikn must be at least 0.0, not -1"
    )


@pytest.mark.db
def test_the_reader_can_read_every_mart_table_and_view(demo, pg_creds):
    from smartcity.scoring.runs import score_region
    from tests.test_reader_role import reader_connection

    score_region(demo, "64.01", load_config())
    with demo.connect() as conn:
        relations = (
            conn.execute(
                sa.text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'mart' AND c.relkind IN ('r', 'v', 'p', 'm')"
                )  # fmt: skip
            )
            .scalars()
            .all()
        )
    assert len(relations) >= 13
    with reader_connection(pg_creds, demo) as conn:
        for relation in relations:
            count = conn.execute(f'SELECT count(*) FROM mart."{relation}"').fetchone()[0]  # noqa: S608
            assert count > 0, relation
