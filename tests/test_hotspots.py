"""Gi* hot spots: a planted cluster is found, shuffled or constant values give none, islands attach."""

from __future__ import annotations

import importlib.util
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from esda.getisord import G_Local
from scipy.stats import false_discovery_control

from smartcity.platform.errors import InputError
from smartcity.scoring.hotspots import (
    HOTSPOT_LABELS,
    _benjamini_hochberg,
    getis_ord,
    spatial_weights,
)
from tests.helpers import DATA

SIZE = 20
BLOCK = range(8, 12)  # the planted 4x4 block: columns and rows 8..11


def grid(nx: int, ny: int, crs: str | None = None) -> gpd.GeoSeries:
    """Unit squares, row by row; cell (col, row) is at position row * nx + col."""
    cols, rows = np.meshgrid(np.arange(nx), np.arange(ny))
    cols, rows = cols.ravel(), rows.ravel()
    return gpd.GeoSeries(shapely.box(cols, rows, cols + 1, rows + 1), crs=crs)


def cells() -> tuple[np.ndarray, np.ndarray]:
    """Column and row of every cell of the SIZE x SIZE grid."""
    cols, rows = np.meshgrid(np.arange(SIZE), np.arange(SIZE))
    return cols.ravel(), rows.ravel()


def planted_values(seed: int = 2024) -> np.ndarray:
    """Background about 1, the 4x4 block about 10, small noise everywhere."""
    rng = np.random.default_rng(seed)
    cols, rows = cells()
    values = 1 + rng.normal(0, 0.1, SIZE * SIZE)
    in_block = np.isin(cols, BLOCK) & np.isin(rows, BLOCK)
    values[in_block] = 10 + rng.normal(0, 0.1, in_block.sum())
    return values


def block_distance() -> np.ndarray:
    """Chebyshev distance in cells from every cell to the planted block (0 inside)."""
    cols, rows = cells()
    dx = np.maximum(np.maximum(BLOCK.start - cols, cols - (BLOCK.stop - 1)), 0)
    dy = np.maximum(np.maximum(BLOCK.start - rows, rows - (BLOCK.stop - 1)), 0)
    return np.maximum(dx, dy)


def test_planted_cluster_is_a_hot_spot_and_nothing_far_from_it_is():
    result = getis_ord(grid(SIZE, SIZE), planted_values())
    distance = block_distance()
    hot = result["hotspot"].str.startswith("hot_").to_numpy()
    assert (hot & (distance == 0) & (result["confidence"].to_numpy() >= 95)).sum() >= 12
    assert not hot[distance > 3].any()
    assert (result.loc[hot, "gi_z"] > 0).all()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_shuffled_values_have_no_spots_after_fdr(seed):
    values = np.random.default_rng(seed).permutation(planted_values())
    result = getis_ord(grid(SIZE, SIZE), values)
    assert (result["hotspot"] != "none").sum() <= 1


def test_constant_values_are_all_none_without_nan():
    result = getis_ord(grid(SIZE, SIZE), np.full(SIZE * SIZE, 7.25))
    assert (result["hotspot"] == "none").all()
    assert (result["gi_z"] == 0).all()
    assert (result["p_sim"] == 1).all() and (result["p_fdr"] == 1).all()
    assert (result["confidence"] == 0).all()


def test_result_has_one_row_per_area_in_input_order():
    areas = grid(SIZE, SIZE)
    areas.index = [f"A{i:03d}" for i in range(len(areas))][::-1]
    result = getis_ord(areas, planted_values())
    assert list(result.columns) == ["gi_z", "p_sim", "p_fdr", "hotspot", "confidence"]
    assert result.index.equals(areas.index)
    assert set(result["hotspot"]) <= set(HOTSPOT_LABELS)
    assert set(result["confidence"]) <= {0, 90, 95, 99}
    assert not result.isna().any().any()


def test_a_far_island_gets_its_nearest_area_as_neighbour_in_a_geographic_crs():
    # degrees: 0.01 squares plus one far out at sea; shapely centroids avoid geopandas' CRS warning
    cols, rows = np.meshgrid(np.arange(10), np.arange(10))
    cols, rows = cols.ravel() * 0.01 + 116.0, rows.ravel() * 0.01 - 2.0
    squares = list(shapely.box(cols, rows, cols + 0.01, rows + 0.01))
    island = shapely.box(116.5, -1.5, 116.51, -1.49)
    areas = gpd.GeoSeries([*squares, island], crs="EPSG:4326")
    w = spatial_weights(areas)
    assert w.islands == []
    assert w.neighbors[100] == [99]  # the grid's top-right cell is nearest
    assert 100 in w.neighbors[99]  # attached both ways: the weights stay symmetric
    values = np.random.default_rng(5).normal(5, 1, len(areas))
    result = getis_ord(areas, values)
    assert len(result) == 101
    assert not result.isna().any().any()


def test_weights_are_queen_with_ids():
    w = spatial_weights(grid(3, 3), ids=[f"c{i}" for i in range(9)])
    assert sorted(w.neighbors["c4"]) == ["c0", "c1", "c2", "c3", "c5", "c6", "c7", "c8"]
    assert sorted(w.neighbors["c0"]) == ["c1", "c3", "c4"]  # the corner touches c4 at one vertex
    assert w.id_order == [f"c{i}" for i in range(9)]
    with pytest.raises(InputError, match="unique"):
        spatial_weights(grid(3, 3), ids=["a"] * 9)


def test_same_seed_gives_identical_output_and_another_seed_other_draws():
    areas, values = grid(SIZE, SIZE), planted_values()
    first = getis_ord(areas, values, seed=11)
    pd.testing.assert_frame_equal(first, getis_ord(areas, values, seed=11))
    other = getis_ord(areas, values, seed=12)
    pd.testing.assert_series_equal(first["gi_z"], other["gi_z"])
    assert not first["p_sim"].equals(other["p_sim"])


@pytest.mark.parametrize("count", [0, 1, 2])
def test_fewer_than_three_areas_is_an_input_error(count):
    with pytest.raises(InputError, match="at least 3 areas"):
        getis_ord(grid(count, 1), np.ones(count))
    with pytest.raises(InputError, match="at least 3 areas"):
        spatial_weights(grid(count, 1))


def test_missing_values_are_an_input_error():
    values = planted_values()
    values[17] = np.nan
    with pytest.raises(InputError, match="missing"):
        getis_ord(grid(SIZE, SIZE), values)
    with pytest.raises(InputError, match="missing"):
        getis_ord(grid(3, 1), pd.Series([1.0, None, 2.0], dtype="Float64"))


def test_other_unusable_inputs_are_input_errors():
    with pytest.raises(InputError, match="3 values for 4 areas"):
        getis_ord(grid(4, 1), [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="numbers"):
        getis_ord(grid(3, 1), ["a", "b", "c"])
    with pytest.raises(InputError, match="polygon"):
        getis_ord(gpd.GeoSeries(shapely.points([0, 1, 2], [0, 0, 0])), [1.0, 2.0, 3.0])
    with pytest.raises(InputError, match="permutations"):
        getis_ord(grid(3, 1), [1.0, 2.0, 3.0], permutations=0)
    with pytest.raises(InputError, match="indexed differently"):
        getis_ord(grid(3, 1), pd.Series([1.0, 2.0, 3.0], index=[5, 6, 7]))


def test_a_series_is_aligned_on_the_areas_index():
    areas, values = grid(SIZE, SIZE), planted_values()
    shuffled = pd.Series(values).sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(getis_ord(areas, shuffled), getis_ord(areas, values))


def test_shifting_the_values_changes_nothing():
    # esda divides by sum(values): its z-score flips sign for a negative mean; this form does not
    areas, values = grid(SIZE, SIZE), planted_values()
    plain, shifted = getis_ord(areas, values), getis_ord(areas, values - 100)
    np.testing.assert_allclose(shifted["gi_z"], plain["gi_z"], rtol=1e-9, atol=1e-9)
    pd.testing.assert_series_equal(shifted["p_sim"], plain["p_sim"])
    pd.testing.assert_series_equal(shifted["hotspot"], plain["hotspot"])


def test_ties_do_not_make_an_empty_neighbourhood_a_cold_spot():
    # a 0/1 indicator: most neighbourhoods are all zeros, like most random draws; esda counts the
    # ties as "larger" only and would give such an area p = 1/1000
    values = np.zeros(SIZE * SIZE)
    values[np.random.default_rng(8).choice(SIZE * SIZE, 20, replace=False)] = 1.0
    areas = grid(SIZE, SIZE)
    result = getis_ord(areas, values)
    w = spatial_weights(areas)
    empty = [i for i in range(len(values)) if values[i] == 0 and values[w.neighbors[i]].sum() == 0]
    assert empty
    assert (result["p_sim"].iloc[empty] > 0.3).all()
    assert not result["hotspot"].iloc[empty].str.startswith("cold").any()


def test_agrees_with_esda_binary_star():
    areas = grid(10, 10)
    values = np.random.default_rng(42).gamma(2.0, 3.0, 100) + np.where(np.arange(100) % 10 < 3, 4.0, 0.0)
    ours = getis_ord(areas, values, permutations=999, seed=77)
    w = spatial_weights(areas)
    with warnings.catch_warnings():
        # esda's crand warns that its default alternative will change; the comparison is deliberate
        warnings.simplefilter("ignore", DeprecationWarning)
        theirs = G_Local(values, w, transform="B", star=True, permutations=999, seed=77, n_jobs=1)
    np.testing.assert_allclose(ours["gi_z"], theirs.Zs, rtol=1e-10)
    if importlib.util.find_spec("numba") is None:
        # without numba esda draws from numpy's seeded legacy generator, which the module reproduces;
        # esda keeps p in float32, so compare the counts behind (count + 1) / 1000
        np.testing.assert_array_equal(np.rint(ours["p_sim"].to_numpy() * 1000), np.rint(theirs.p_sim * 1000))
    else:
        assert np.abs(ours["p_sim"].to_numpy() - theirs.p_sim).mean() < 0.02


def test_benjamini_hochberg_matches_scipy():
    p = np.random.default_rng(4).uniform(0, 0.2, 50) ** 2
    p[[3, 9]] = p[5]  # ties
    np.testing.assert_allclose(_benjamini_hochberg(p), false_discovery_control(p, method="bh"))
    np.testing.assert_allclose(
        _benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.5])), [0.04, 0.16 / 3, 0.16 / 3, 0.5]
    )


def test_fdr_alpha_decides_whether_90_percent_labels_appear():
    areas = grid(SIZE, SIZE)
    values = planted_values() + np.random.default_rng(9).normal(0, 2.5, SIZE * SIZE)
    strict, loose = getis_ord(areas, values), getis_ord(areas, values, fdr_alpha=0.10)
    assert not strict["hotspot"].str.endswith("_90").any()
    assert (loose["p_fdr"] <= 0.10).sum() >= (strict["p_fdr"] <= 0.05).sum()
    in_90 = (loose["p_fdr"] > 0.05) & (loose["p_fdr"] <= 0.10)
    assert (loose.loc[in_90, "confidence"] == 90).all()


def test_paser_villages():
    villages = gpd.read_file(DATA / "boundaries" / "paser_desa_kelurahan.geojson")
    values = np.random.default_rng(6401).gamma(2.0, 10.0, len(villages))
    result = getis_ord(villages, values)
    assert len(result) == 144
    assert not result.isna().any().any()
    w = spatial_weights(villages, ids=villages["kode"].astype(str).tolist())
    assert w.islands == []
    assert min(w.cardinalities.values()) >= 1
