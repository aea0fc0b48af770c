"""Scoring statistics: AHP weights, priority classes, and rank stability under weight changes.

Pure tests (no database). Expected figures are worked out by hand or by an independent method (the
geometric-mean approximation for AHP, brute force over every partition for Fisher-Jenks).
"""

from __future__ import annotations

import itertools
import warnings

import mapclassify
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity.platform.errors import InputError
from smartcity.scoring.ahp import AhpResult, ahp_weights
from smartcity.scoring.classes import LABELS_EN, LABELS_ID, assign_classes, class_breaks, class_labels
from smartcity.scoring.robustness import rank_stability

DIMENSIONS = ["economy", "living", "society", "environment"]

# ---------------------------------------------------------------- AHP


def consistent_matrix(weights: list[float]) -> np.ndarray:
    """a_ij = w_i / w_j: the judgements a perfectly consistent expert would make."""
    w = np.asarray(weights, dtype=float)
    return w[:, None] / w[None, :]


def test_textbook_three_criteria():
    matrix = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
    result = ahp_weights(matrix, ["a", "b", "c"])

    assert isinstance(result, AhpResult)
    assert list(result.weights) == ["a", "b", "c"]
    assert [round(w, 3) for w in result.weights.values()] == [0.637, 0.258, 0.105]
    assert round(result.lambda_max, 3) == 3.039
    assert round(result.ci, 3) == 0.019
    assert result.ri == 0.58
    assert round(result.cr, 3) == 0.033
    assert sum(result.weights.values()) == pytest.approx(1.0)


def test_textbook_weights_agree_with_the_geometric_mean_approximation():
    matrix = np.array([[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]])
    geometric = np.prod(matrix, axis=1) ** (1 / 3)
    geometric /= geometric.sum()
    weights = np.array(list(ahp_weights(matrix, ["a", "b", "c"]).weights.values()))
    assert weights == pytest.approx(geometric, abs=1e-3)
    # and lambda_max is the mean of (A w)_i / w_i
    assert np.mean(matrix @ weights / weights) == pytest.approx(3.039, abs=1e-3)


def test_consistent_matrix_gives_back_its_weights():
    w = [0.4, 0.25, 0.15, 0.12, 0.08]
    result = ahp_weights(consistent_matrix(w), ["governance", *DIMENSIONS])
    assert list(result.weights.values()) == pytest.approx(w, abs=1e-12)
    assert result.lambda_max == pytest.approx(5.0)
    assert result.cr == pytest.approx(0.0, abs=1e-9)
    assert result.ri == 1.12


@given(st.lists(st.floats(min_value=0.05, max_value=20.0), min_size=1, max_size=15))
@settings(max_examples=60, deadline=None)
def test_any_consistent_matrix_gives_back_its_weights(raw):
    w = np.asarray(raw) / sum(raw)
    names = [f"c{i}" for i in range(len(raw))]
    result = ahp_weights(consistent_matrix(list(w)), names)
    assert list(result.weights.values()) == pytest.approx(list(w), rel=1e-9, abs=1e-12)
    assert abs(result.cr) < 1e-9


def test_one_and_two_criteria_are_always_consistent():
    assert ahp_weights([[1]], ["economy"]) == AhpResult({"economy": 1.0}, 1.0, 0.0, 0.0, 0.0)
    two = ahp_weights([[1, 4], [0.25, 1]], ["economy", "living"])
    assert list(two.weights.values()) == pytest.approx([0.8, 0.2])
    assert two.cr == 0.0


def test_rounded_reciprocals_are_accepted():
    typed = ahp_weights([[1, 3, 9], [0.333, 1, 3], [0.111, 0.333, 1]], ["a", "b", "c"])
    exact = ahp_weights([[1, 3, 9], [1 / 3, 1, 3], [1 / 9, 1 / 3, 1]], ["a", "b", "c"])
    assert list(typed.weights.values()) == pytest.approx(list(exact.weights.values()), abs=1e-3)


def test_inconsistent_cycle_is_refused_with_its_consistency_ratio():
    matrix = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
    with pytest.raises(InputError) as caught:
        ahp_weights(matrix, ["economy", "living", "society"], source="AHP matrix in scoring.toml")
    message = str(caught.value)
    assert message.startswith("AHP matrix in scoring.toml is inconsistent: consistency ratio ")
    assert "> 0.10; revise the comparisons (most inconsistent pair: " in message
    cr = float(message.split("consistency ratio ")[1].split(" ")[0])
    assert cr > 1  # the cycle a > b > c > a is as inconsistent as judgements get
    assert "\n" not in message


def test_the_most_inconsistent_pair_is_named():
    # consistent judgements from weights 8:4:2:1, except economy vs environment, turned round
    matrix = consistent_matrix([8, 4, 2, 1])
    matrix[0, 3], matrix[3, 0] = 1 / 8, 8
    with pytest.raises(InputError, match=r"most inconsistent pair: economy vs environment\)$"):
        ahp_weights(matrix, DIMENSIONS)


def test_max_cr_is_the_callers_choice():
    matrix = [[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]  # CR 0.033
    with pytest.raises(InputError, match=r"consistency ratio 0\.03 > 0\.02"):
        ahp_weights(matrix, ["a", "b", "c"], max_cr=0.02)


@pytest.mark.parametrize(
    ("matrix", "names", "expected"),
    [
        (
            [[1, 3], [0.5, 1]],
            ["economy", "living"],
            r"not reciprocal: economy vs living is 3 but living vs economy",
        ),
        ([[1, 3], [0.3, 1]], ["economy", "living"], r"not reciprocal: economy vs living is 3"),
        ([[1, 2], [0.5, 1]], ["a", "b", "c"], r"has 2 rows but 3 criteria \(a, b, c\)"),
        ([[1, 2, 3], [0.5, 1], [1 / 3, 1, 1]], ["a", "b", "c"], r"row b has 2 values, expected 3"),
        ([[2, 2], [0.5, 1]], ["economy", "living"], r"economy vs economy must be 1, got 2"),
        ([[1, -2], [-0.5, 1]], ["economy", "living"], r"economy vs living must be a positive number, got -2"),
        ([[1, float("nan")], [1, 1]], ["economy", "living"], r"economy vs living must be a positive number"),
        ([[1, 0], [0, 1]], ["economy", "living"], r"economy vs living must be a positive number, got 0"),
        ([], [], r"compares no criteria"),
        ([[1, 1], [1, 1]], ["economy", "economy"], r"more than once: economy"),
        (np.ones((16, 16)), [f"c{i}" for i in range(16)], r"compares 16 criteria; .* at most 15"),
    ],
)
def test_unusable_matrices_are_refused_naming_the_source(matrix, names, expected):
    with pytest.raises(InputError, match=expected) as caught:
        ahp_weights(matrix, names, source="AHP matrix in scoring.toml")
    assert str(caught.value).startswith("AHP matrix in scoring.toml")


# ---------------------------------------------------------------- classes


def best_partitions(values: list[float], k: int) -> tuple[float, list[list[float]]]:
    """Brute force: the least within-class sum of squared deviations, and the breaks reaching it."""
    x = sorted(values)
    best, winners = np.inf, []
    for cuts in itertools.combinations(range(1, len(x)), k - 1):
        bounds = (0, *cuts, len(x))
        groups = [np.array(x[a:b]) for a, b in itertools.pairwise(bounds)]
        if any(g[-1] == h[0] for g, h in itertools.pairwise(groups)):
            continue  # equal values split between classes: breaks cannot express that
        sse = sum(float(((g - g.mean()) ** 2).sum()) for g in groups)
        breaks = [float(g[-1]) for g in groups]
        if sse < best - 1e-9:
            best, winners = sse, [breaks]
        elif sse <= best + 1e-9:
            winners.append(breaks)
    return best, winners


def within_sse(values: list[float], breaks: list[float]) -> float:
    x = np.asarray(values, dtype=float)
    group = np.searchsorted(breaks, x, side="left")
    return sum(float(((x[group == g] - x[group == g].mean()) ** 2).sum()) for g in np.unique(group))


def test_jenks_finds_the_unique_best_five_classes():
    values = [2, 3, 5, 11, 12, 14, 30, 33, 52, 53, 54, 90]
    # {2,3,5} 4.67 + {11,12,14} 4.67 + {30,33} 4.5 + {52,53,54} 2 + {90} 0 = 15.83, unique optimum
    sse, winners = best_partitions(values, 5)
    assert winners == [[5, 14, 33, 54, 90]]
    assert sse == pytest.approx(15.8333, abs=1e-4)
    assert class_breaks(values, 5, "jenks") == [5, 14, 33, 54, 90]


def test_jenks_on_four_clear_groups():
    values = [1, 2, 3, 10, 11, 12, 30, 31, 50, 51]
    assert class_breaks(values, 4) == [3, 12, 31, 51]  # SSE 2 + 2 + 0.5 + 0.5 = 5, unique optimum
    # Five classes must split one group: several splits tie at SSE 3.5; any of them is optimal.
    sse, winners = best_partitions(values, 5)
    assert sse == 3.5
    breaks = class_breaks(values, 5)
    assert breaks in winners
    assert within_sse(values, breaks) == 3.5


@given(
    st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=9),
    st.integers(min_value=1, max_value=5),
)
@settings(max_examples=150, deadline=None)
def test_jenks_is_optimal_on_small_inputs(values, k):
    breaks = class_breaks(values, k)
    distinct = sorted(set(values))
    if len(distinct) < k:
        assert breaks == distinct
        return
    sse, winners = best_partitions(values, k)
    assert len(breaks) == k
    assert within_sse(values, breaks) == pytest.approx(sse, abs=1e-9)
    assert breaks in winners


@pytest.mark.filterwarnings("ignore:Numba not installed:UserWarning")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_jenks_agrees_with_mapclassify(seed):
    values = np.random.default_rng(seed).gamma(2.0, 10.0, size=300)
    expected = mapclassify.FisherJenks(values, k=5).bins
    assert class_breaks(values, 5) == pytest.approx(list(expected), rel=1e-12)


def test_jenks_on_many_values_is_fast_enough_to_run_at_all():
    values = np.random.default_rng(7).random(20_000) * 100
    breaks = class_breaks(values, 5)
    assert len(breaks) == 5 and breaks[-1] == values.max()
    # uniform data: the optimal classes are close to equal intervals
    assert breaks[:4] == pytest.approx([20, 40, 60, 80], abs=1.5)


def test_quantiles_on_ten_values():
    # linear interpolation at positions 9 * 0.2, 9 * 0.4, ...: 1.8 -> 2.8, 3.6 -> 4.6, 5.4 -> 6.4, 7.2 -> 8.2
    values = list(range(1, 11))
    assert class_breaks(values, 5, "quantiles") == pytest.approx([2.8, 4.6, 6.4, 8.2, 10.0])
    assert class_breaks(values, 5, "quantiles") == pytest.approx(
        list(mapclassify.Quantiles(np.array(values, dtype=float), k=5).bins)
    )
    assert assign_classes(values, class_breaks(values, 5, "quantiles")).tolist() == [
        5, 5, 4, 4, 3, 3, 2, 2, 1, 1,
    ]  # fmt: skip


def test_quantiles_merge_repeated_breaks_without_warning():
    # 14 values (nine 1s), positions 13 * p: 2.6, 5.2 and 7.8 all fall among the 1s, 10.4 -> 3.4, 13 -> 6
    values = [1] * 9 + [2, 3, 4, 5, 6]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # mapclassify.Quantiles would warn here
        assert class_breaks(values, 5, "quantiles") == pytest.approx([1.0, 3.4, 6.0])


def test_equal_intervals():
    assert class_breaks([0, 1, 3, 5, 7, 10], 5, "equal_interval") == [2.0, 4.0, 6.0, 8.0, 10.0]
    assert class_breaks([0.1, 0.2, 0.7], 3, "equal_interval")[-1] == 0.7  # the last break is the maximum


@pytest.mark.parametrize("method", ["jenks", "quantiles", "equal_interval"])
def test_fewer_distinct_values_than_classes(method):
    values = [4, 1, 1, 4, 1]
    assert class_breaks(values, 5, method) == [1.0, 4.0]
    assert assign_classes(values, [1.0, 4.0]).tolist() == [1, 2, 2, 1, 2]
    assert class_breaks([], 5, method) == []


@pytest.mark.parametrize("method", ["jenks", "quantiles", "equal_interval"])
def test_all_equal_values_are_all_medium(method):
    breaks = class_breaks([7, 7, 7], 5, method)
    assert breaks == [7.0]
    classes = assign_classes([7, 7, 7], breaks)
    assert classes.tolist() == [3, 3, 3]
    assert class_labels(classes) == ["Sedang"] * 3


def test_classes_count_down_from_the_highest_values():
    values = [1, 2, 3, 10, 11, 12, 30, 31, 50, 51]
    classes = assign_classes(values, class_breaks(values, 4))
    assert classes.tolist() == [4, 4, 4, 3, 3, 3, 2, 2, 1, 1]
    assert class_labels(classes[[0, 3, 6, 8]]) == ["Rendah", "Sedang", "Tinggi", "Sangat Tinggi"]
    assert class_labels([1, 5], lang="en") == ["Very high", "Very low"]
    assert LABELS_ID[0] == "Sangat Tinggi" and LABELS_EN[4] == "Very low"


def test_a_value_on_a_break_belongs_to_the_lower_class_and_above_the_last_to_the_top():
    breaks = [10.0, 20.0, 30.0]
    assert assign_classes([10, 10.5, 20, 30, 35, -5], breaks).tolist() == [3, 2, 2, 1, 1, 3]
    assert assign_classes([], []).tolist() == []


def test_unusable_classification_inputs_are_refused():
    with pytest.raises(
        InputError, match="unknown classification method 'natural': use one of jenks, quantiles"
    ):
        class_breaks([1, 2, 3], 3, "natural")
    with pytest.raises(InputError, match="at least 1"):
        class_breaks([1, 2, 3], 0)
    with pytest.raises(InputError, match="missing or infinite"):
        class_breaks([1, float("nan"), 3])
    with pytest.raises(InputError, match="strictly ascending"):
        assign_classes([1, 2], [3, 2, 5])
    with pytest.raises(InputError, match="no class breaks"):
        assign_classes([1, 2], [])
    with pytest.raises(InputError, match="class 6 has no label"):
        class_labels([1, 6])
    with pytest.raises(InputError, match="unknown label language 'fr'"):
        class_labels([1], lang="fr")


# ---------------------------------------------------------------- rank stability

COLUMNS = ["p_top", "rank_p05", "rank_median", "rank_p95", "score_p05", "score_p95"]


def test_a_dominant_area_is_always_first():
    others = np.random.default_rng(1).uniform(0.0, 0.9, size=(49, 4))
    criteria = np.vstack([np.ones((1, 4)), others])
    result = rank_stability(criteria, [0.4, 0.3, 0.2, 0.1], draws=500, top_n=1)

    assert list(result.columns) == COLUMNS
    assert list(result.index) == list(range(50))
    assert result.loc[0, "p_top"] == 1.0
    assert result.loc[0, ["rank_p05", "rank_median", "rank_p95"]].tolist() == [1, 1, 1]
    assert result.loc[0, ["score_p05", "score_p95"]].tolist() == pytest.approx([100.0, 100.0])
    assert (result.loc[1:, "p_top"] == 0).all()
    assert (result.loc[1:, "rank_p05"] >= 2).all()


def test_identical_areas_share_the_top_place():
    criteria = np.full((10, 3), 0.5)
    result = rank_stability(criteria, [0.5, 0.3, 0.2], draws=2000, top_n=1)
    assert result["p_top"].sum() == pytest.approx(1.0)
    assert np.abs(result["p_top"] - 0.1).max() < 0.05  # not the first row every time
    assert result["rank_p05"].tolist() == [1] * 10 and result["rank_p95"].tolist() == [10] * 10
    assert (result["score_p05"] == result["score_p05"][0]).all()


def test_identical_areas_tie_among_other_areas_too():
    rng = np.random.default_rng(5)
    criteria = np.vstack([rng.random((30, 3)), np.tile(rng.random(3), (6, 1)), rng.random((30, 3))])
    result = rank_stability(criteria, [0.2, 0.5, 0.3], draws=300, spread=0.0, top_n=1)
    twins = result.iloc[30:36]
    # the same score in every draw: together they fill six consecutive ranks, in random order
    assert twins["rank_p05"].nunique() == 1 and twins["rank_p95"].nunique() == 1
    assert (twins["rank_p95"] - twins["rank_p05"] == 5).all()


def test_no_spread_means_every_draw_is_the_base_ranking():
    criteria = np.random.default_rng(2).random((40, 5))
    weights = np.array([0.3, 0.25, 0.2, 0.15, 0.1])
    result = rank_stability(criteria, weights, draws=50, spread=0.0, top_n=5)

    scores = criteria @ weights * 100
    expected_rank = np.empty(40, dtype=int)
    expected_rank[np.argsort(-scores)] = np.arange(1, 41)
    assert set(result["p_top"]) == {0.0, 1.0}
    assert (result["p_top"] == (expected_rank <= 5)).all()
    for column in ("rank_p05", "rank_median", "rank_p95"):
        assert result[column].tolist() == expected_rank.tolist()
    assert result["score_p05"].to_numpy() == pytest.approx(scores)
    assert result["score_p95"].to_numpy() == pytest.approx(scores)


def test_ranks_beyond_65536_are_kept_exactly():
    n = 70_001  # needs a 17th bit, and is not a multiple of 8
    criteria = np.random.default_rng(3).permutation(np.linspace(0.0, 1.0, n)).reshape(-1, 1)
    result = rank_stability(criteria, [1.0], draws=3, spread=0.5, top_n=2)
    expected_rank = n - np.argsort(np.argsort(criteria[:, 0]))  # one criterion: weights change nothing
    assert result["rank_median"].tolist() == expected_rank.tolist()
    assert result["rank_p05"].max() == n
    assert result["p_top"].sum() == 2.0


def test_weights_vary_around_the_base_weights():
    # two areas, each best on one criterion; equal base weights make it a coin toss per draw
    criteria = np.array([[1.0, 0.0], [0.0, 1.0]])
    result = rank_stability(criteria, [0.5, 0.5], draws=2000, spread=0.2, top_n=1)
    assert result["p_top"].tolist() == pytest.approx([0.5, 0.5], abs=0.05)
    assert result["score_p05"][0] < 50 < result["score_p95"][0]
    # with a 3:1 base, a lognormal factor of sigma 0.2 almost never overturns it
    tilted = rank_stability(criteria, [3, 1], draws=2000, spread=0.2, top_n=1)
    assert tilted["p_top"][0] > 0.99


def test_same_seed_same_result_whatever_the_chunks():
    criteria = np.random.default_rng(4).random((200, 4))
    criteria[50:60] = criteria[49]  # ties, so the tie-breaks matter too
    weights = [0.1, 0.2, 0.3, 0.4]
    first = rank_stability(criteria, weights, draws=120, seed=11)
    pd.testing.assert_frame_equal(first, rank_stability(criteria, weights, draws=120, seed=11))
    pd.testing.assert_frame_equal(first, rank_stability(criteria, weights, draws=120, seed=11, chunk=7))
    other = rank_stability(criteria, weights, draws=120, seed=12)
    assert not first.equals(other)


def test_edge_sizes():
    empty = rank_stability(np.zeros((0, 3)), [0.2, 0.3, 0.5])
    assert list(empty.columns) == COLUMNS and len(empty) == 0
    few = rank_stability(np.eye(3), [0.2, 0.3, 0.5], draws=1, top_n=10)
    assert few["p_top"].tolist() == [1.0, 1.0, 1.0]
    assert sorted(few["rank_median"]) == [1, 2, 3]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"spread": -0.1}, "spread must be a finite number >= 0"),
        ({"spread": float("nan")}, "spread must be a finite number >= 0"),
        ({"draws": 0}, "draws must be a whole number of at least 1"),
        ({"top_n": 0}, "top_n must be a whole number of at least 1"),
        ({"chunk": 0}, "chunk must be a whole number of at least 1"),
        ({"weights": [0.5, 0.5]}, r"2 weight\(s\) given for 3 criteria"),
        ({"weights": [0.5, 0.7, -0.2]}, "weights must be >= 0"),
        ({"weights": [0, 0, 0]}, "positive sum"),
        ({"criteria": [[0.2, 1.5, 0.1]]}, r"normalised to \[0, 1\]"),
        ({"criteria": [[0.2, float("nan"), 0.1]]}, r"normalised to \[0, 1\]"),
        ({"criteria": [0.2, 0.5, 0.1]}, "table of areas x criteria"),
    ],
)
def test_unusable_stability_inputs_are_refused(kwargs, expected):
    arguments = {"criteria": [[0.2, 0.5, 0.1], [0.3, 0.1, 0.9]], "weights": [0.2, 0.3, 0.5], **kwargs}
    criteria, weights = arguments.pop("criteria"), arguments.pop("weights")
    with pytest.raises(InputError, match=expected):
        rank_stability(criteria, weights, **arguments)
