"""Priority scores per area, explainable term by term (pure: data frames in, data frames out).

The recipe, for villages or districts alike:
1. **criteria**: problem pressure per dimension (weaknesses and threats, weighted by urgency, optionally
   per km2 or per 1,000 people), closeness to IKN (by buffer ring or distance decay), need by the
   village development index IDM (lower index, higher need) and assets (strengths and opportunities);
2. **normalise** each criterion to 0-1 across the areas (min-max; a criterion equal everywhere carries
   no information and is 0 everywhere; IKN values are already 0-1 and kept as they are);
3. **weigh**: criterion weights from the model, the pressure weight shared among the six dimensions
   (direct weights or AHP); a criterion with no data for any area (no IDM loaded, no IKN) is left out
   and the others scaled up, which the run records;
4. **score** = 100 x sum(weight x normalised value), so it lies in 0-100 and the ``components``
   (raw value, normalised value, weight, contribution per criterion) sum to it exactly;
5. **rank** (1 = highest; ties share the better rank) and **class** (Fisher-Jenks or quantiles; 1 =
   Sangat Tinggi).
A missing value (a village without IDM, without population for a per-capita pressure) counts as 0
for that area and is marked ``"missing": true`` in its components.

Each dimension also gets a score of its own (100 x its normalised pressure), rank and class: the
per-dimension views read them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from smartcity.platform.errors import InputError
from smartcity.platform.vocabulary import DIMENSIONS
from smartcity.scoring.classes import assign_classes, class_breaks, class_labels
from smartcity.scoring.model import ScoringConfig

TALLY_COLUMNS = ("code", "dimension", "swot", "severity", "count")


@dataclass
class Scores:
    """The result for one level: one row per area, one row per area and dimension, and the criteria."""

    areas: pd.DataFrame  # code, name, counts, score, rank, class_no, priority_class, components
    dimensions: pd.DataFrame  # code, dimension, issue_count, pressure, score, rank, class_no, priority_class
    criteria: pd.DataFrame  # areas x criteria: normalised values (for the robustness draws)
    weights: pd.Series  # criterion -> weight, summing to 1
    dropped: list[str]  # criteria left out for lack of data


def score_areas(areas: pd.DataFrame, tallies: pd.DataFrame, config: ScoringConfig) -> Scores:
    """Scores of these areas from the issues placed in them (``tallies``: counts per code, dimension,
    SWOT and urgency; counts may be fractional when district issues are spread)."""
    areas = areas.reset_index(drop=True)
    if areas.empty:
        raise InputError("no areas to score: load the region's boundaries first (smartcity regions load)")
    codes = areas["code"]
    counts = _counts(tallies, codes, config)
    raw, missing = _raw_criteria(areas, counts, config)
    normalised = _normalised(raw, missing, _ikn_values(raw, areas["ikn_ring"], config))
    weights, dropped = _weights(raw, missing, config)
    contributions = normalised[weights.index] * weights * 100.0
    score = contributions.sum(axis=1)
    result = pd.DataFrame({
        "code": codes, "name": areas["name"],
        "issue_count": counts["issues"].round().astype(int),
        "problem_count": counts["problems"].round().astype(int),
        "asset_count": counts["assets"].round().astype(int),
        "severity_sum": counts["severity"].round().astype(int),
        "score": score.clip(0.0, 100.0),
    })  # fmt: skip
    result["rank"], result["class_no"], result["priority_class"] = _rank_and_class(result["score"], config)
    result["components"] = _components(raw, normalised, weights, contributions, missing)
    dimension_rows = _dimension_scores(codes, counts, normalised, config)
    return Scores(result, dimension_rows, normalised[weights.index], weights, dropped)


def spread_district_issues(tallies: pd.DataFrame, villages: pd.DataFrame) -> pd.DataFrame:
    """District-level tallies (``village_code`` missing) shared equally among the district's villages."""
    district_level = tallies[tallies["village_code"].isna()]
    per_district = villages.groupby("district_code")["code"].apply(list)
    shared = district_level.merge(per_district.rename("villages"), on="district_code", how="inner")
    shared["count"] = shared["count"] / shared["villages"].map(len)
    shared = shared.explode("villages").drop(columns=["village_code"]).rename(columns={"villages": "code"})
    own = tallies[tallies["village_code"].notna()].rename(columns={"village_code": "code"})
    columns = list(TALLY_COLUMNS)
    return pd.concat([own[columns], shared[columns]], ignore_index=True)


def _counts(tallies: pd.DataFrame, codes: pd.Series, config: ScoringConfig) -> pd.DataFrame:
    """Per area: issues, problems, assets, urgency sum, and the weighted pressure per dimension."""
    pressure = config.section("pressure")
    severity_weight = dict(zip(range(1, 6), pressure["severity_weights"], strict=True))
    t = tallies[tallies["code"].isin(set(codes))].copy()
    t["weighted"] = t["count"] * t["severity"].map(severity_weight).astype(float)
    is_problem = t["swot"].isin(pressure["swot"])
    frame = pd.DataFrame(index=pd.Index(codes, name="code"))
    frame["issues"] = t.groupby("code")["count"].sum()
    frame["problems"] = t[is_problem].groupby("code")["count"].sum()
    frame["assets"] = t[t["swot"].isin(["strength", "opportunity"])].groupby("code")["count"].sum()
    frame["asset_weight"] = t[t["swot"].isin(["strength", "opportunity"])].groupby("code")["weighted"].sum()
    frame["severity"] = (t["count"] * t["severity"]).groupby(t["code"]).sum()
    by_dimension = t[is_problem].pivot_table(
        index="code", columns="dimension", values="weighted", aggfunc="sum", fill_value=0.0
    )
    by_count = t.pivot_table(index="code", columns="dimension", values="count", aggfunc="sum", fill_value=0.0)
    for d in DIMENSIONS:
        frame[f"pressure_{d}"] = by_dimension[d] if d in by_dimension else 0.0
        frame[f"count_{d}"] = by_count[d] if d in by_count else 0.0
    return frame.fillna(0.0).reset_index(drop=True)


def _raw_criteria(areas: pd.DataFrame, counts: pd.DataFrame, config: ScoringConfig):
    """Raw value per area and criterion, and where it is missing."""
    per = config.section("pressure")["per"]
    divisor = pd.Series(1.0, index=areas.index)
    if per == "km2":
        divisor = areas["area_km2"].astype(float).where(areas["area_km2"] > 0)
    elif per == "capita":
        if areas["population"].isna().all():
            raise InputError(
                "pressure.per = capita needs population (ref.village / ref.district population); none is "
                "loaded: load an attribute file with `smartcity regions load --attributes` or use per = none"
            )
        divisor = areas["population"].astype(float).where(areas["population"] > 0) / 1000.0
    raw = pd.DataFrame(index=areas.index)
    missing = pd.DataFrame(False, index=areas.index, columns=[])
    for d in DIMENSIONS:
        raw[f"pressure_{d}"] = counts[f"pressure_{d}"] / divisor
        missing[f"pressure_{d}"] = divisor.isna()
    raw["ikn"] = areas["ikn_distance_km"].astype(float)
    missing["ikn"] = raw["ikn"].isna()
    if config.section("ikn")["method"] == "zone":
        missing["ikn"] = areas["ikn_ring"].isna()
    raw["idm"] = areas["idm_score"].astype(float)
    missing["idm"] = raw["idm"].isna()
    raw["assets"] = counts["asset_weight"] / divisor
    missing["assets"] = divisor.isna()
    return raw, missing


def _minmax(values: pd.Series, *, invert: bool = False) -> pd.Series:
    present = values.dropna()
    if present.empty or present.max() == present.min():
        return pd.Series(0.0, index=values.index)
    low, high = present.min(), present.max()
    scaled = (high - values) / (high - low) if invert else (values - low) / (high - low)
    return scaled.fillna(0.0)


def _normalised(raw: pd.DataFrame, missing: pd.DataFrame, ikn_value: pd.Series) -> pd.DataFrame:
    n = pd.DataFrame(index=raw.index)
    for d in DIMENSIONS:
        n[f"pressure_{d}"] = _minmax(raw[f"pressure_{d}"])
    n["ikn"] = ikn_value
    n["idm"] = _minmax(raw["idm"], invert=True)
    n["assets"] = _minmax(raw["assets"])
    return n.where(~missing[n.columns], 0.0)


def _ikn_values(raw: pd.DataFrame, ring: pd.Series, config: ScoringConfig) -> pd.Series:
    """0-1 closeness to IKN: the ring's value (innermost first) or exp(-km / decay_km)."""
    ikn = config.section("ikn")
    if ikn["method"] == "decay":
        return np.exp(-raw["ikn"] / float(ikn["decay_km"])).fillna(0.0)
    values = list(ikn["zone_values"])
    return ring.map(lambda r: float(values[int(r)]) if pd.notna(r) and int(r) < len(values) else 0.0)


def _weights(raw: pd.DataFrame, missing: pd.DataFrame, config: ScoringConfig) -> tuple[pd.Series, list[str]]:
    """Criterion -> weight (sum 1), leaving out criteria no area has data for."""
    weights = {}
    for d in DIMENSIONS:
        weights[f"pressure_{d}"] = config.criteria["pressure"] * config.dimension_weights[d]
    for criterion in ("ikn", "idm", "assets"):
        weights[criterion] = config.criteria[criterion]
    dropped = [c for c, w in weights.items() if w > 0 and bool(missing[c].all())]
    kept = {c: w for c, w in weights.items() if c not in dropped}
    total = sum(kept.values())
    if total <= 0:
        raise InputError("no criterion has both a weight and data: check [criteria] in the scoring model")
    return pd.Series({c: w / total for c, w in kept.items()}, dtype=float), dropped


def _rank_and_class(score: pd.Series, config: ScoringConfig):
    rank = score.rank(method="min", ascending=False).astype(int)
    classes = config.section("classes")
    breaks = class_breaks(score.to_numpy(), k=int(classes["count"]), method=classes["method"])
    numbers = assign_classes(score.to_numpy(), breaks)
    return rank, numbers, class_labels(numbers, "id")


def _components(raw, normalised, weights, contributions, missing) -> list[dict]:
    """Per area: criterion -> raw, normalised, weight, contribution (and missing, when it was)."""
    columns = list(weights.index)
    raw_values = raw[columns].to_numpy(dtype=float).round(6)
    norm_values = normalised[columns].to_numpy(dtype=float)
    contribution_values = contributions[columns].to_numpy(dtype=float)
    missing_values = missing[columns].to_numpy(dtype=bool)
    weight_values = [float(w) for w in weights]
    out = []
    for i in range(len(raw_values)):
        raw_row, norm_row, part_row, missing_row = (
            raw_values[i].tolist(), norm_values[i].tolist(), contribution_values[i].tolist(),
            missing_values[i].tolist(),
        )  # fmt: skip
        entry = {}
        for k, criterion in enumerate(columns):
            value = raw_row[k]
            entry[criterion] = {
                "raw": None if value != value else value,  # NaN -> None
                "normalised": norm_row[k], "weight": weight_values[k], "contribution": part_row[k],
            }  # fmt: skip
            if missing_row[k]:
                entry[criterion]["missing"] = True
        out.append(entry)
    return out


def _dimension_scores(codes, counts, normalised, config: ScoringConfig) -> pd.DataFrame:
    frames = []
    for d in DIMENSIONS:
        score = normalised[f"pressure_{d}"] * 100.0
        rank, numbers, labels = _rank_and_class(score, config)
        frames.append(pd.DataFrame({
            "code": codes, "dimension": d, "issue_count": counts[f"count_{d}"].round().astype(int),
            "pressure": counts[f"pressure_{d}"], "score": score, "rank": rank, "class_no": numbers,
            "priority_class": labels,
        }))  # fmt: skip
    return pd.concat(frames, ignore_index=True)
