"""Getis-Ord Gi* hot spots on area scores: which areas sit in a cluster of high (or low) values.

Pure: geometries and numbers in, a table out (no database, no Prefect). Decisions:

* **Neighbours: queen contiguity, tested geometrically.** Two areas are neighbours when their
  geometries intersect: they share a vertex, an edge, or (imperfect real boundaries) a small overlap.
  On a clean tessellation this is exactly libpysal's ``Queen`` (shared vertices); it also keeps
  T-junctions and the slightly overlapping boundaries of real data: for Paser's 144 villages it finds
  every pair ``Queen.from_dataframe`` finds plus 2 more, where "touching" alone would leave 8 villages
  without a neighbour. A shapely STRtree finds the pairs (80,000 grid squares: 0.3 s, against 3 s for
  ``libpysal.weights.Queen.from_dataframe``).
* **Islands are attached to their nearest area** (by centroid distance), in both directions so the
  weights stay symmetric, as ``libpysal.weights.util.attach_islands`` with a k=1 KNN does. An island
  is an area that touches no other: a real island in the sea, or one beyond a gap in the data. Without
  a neighbour its Gi* would only compare the area with itself. Disconnected groups of areas (an
  archipelago whose islands touch each other) are left as they are: Gi* is a local statistic.
* **Weights: binary, with the area itself included (Gi*, "star")**, as ArcGIS Hot Spot Analysis and
  ``esda.G_Local(transform="B", star=True)`` do. The moments of Ord & Getis (1995) that esda uses,
  ``W_i (n - W_i)``, hold for binary weights only; with row-standardised weights esda's z-scores come
  out shrunk by about sqrt(k + 1), and esda warns when asked for a star on row-standardised weights.
* **z-score: Ord & Getis (1995) standardised Gi*** in its shift-invariant form,
  ``(sum_j w_ij x_j - mean * W_i) / (S * sqrt((n * S1_i - W_i**2) / (n - 1)))`` with ``S`` the
  population standard deviation. It equals esda's ``Zs`` for positive values; esda's form divides by
  ``sum(x)``, which flips the sign when the mean is negative and divides by zero when it is zero.
* **Pseudo p-values: conditional permutation, computed here with numpy** the way esda does it (its
  random draws are reproduced exactly for a given seed when numba is absent): the area keeps its value,
  its ``k_i`` neighbours are replaced by values drawn without replacement from the other ``n - 1``
  areas, and permutation ``p`` draws the same positions for every area. Reasons for not calling esda:
  without numba (not installed here) its loop is Python per area and O(n) each (80,000 areas, 999
  permutations: 16-20 s, n_jobs=-1 no faster, against 7-8 s here, with identical p-values), it emits a
  DeprecationWarning on every call, and it counts ties as "larger" only, so with repeated values
  (counts, 0/1 indicators) an area whose neighbourhood matches most draws gets p = 1/(P + 1).
  Here ``p_sim = (min(#draws >= observed, #draws <= observed) + 1) / (P + 1)``: without ties this is
  esda's (and GeoDa's) pseudo p-value, one-tailed in the direction the area lies; ties count against
  significance on both sides.
* **Multiple testing: Benjamini-Hochberg** over all areas (``p_fdr``). An area is a hot (cold) spot
  when ``p_fdr <= fdr_alpha`` and gi_z > 0 (< 0); its confidence is 99, 95 or 90 as p_fdr is at most
  0.01, 0.05 or 0.10. With the default ``fdr_alpha=0.05`` the 90% labels therefore never appear; pass
  ``fdr_alpha=0.10`` to get them. A permutation p-value is at least 1/(P + 1), so among m areas a
  cluster of r extreme areas survives the correction at 5% only if P + 1 >= 20 * m / r: 999
  permutations suffice for 144 villages (r >= 3), not for 16 cells among 80,000 (raise P then).
* **Constant values** (no variation) have no hot spots: gi_z 0, p-values 1, all "none".
* **Any CRS.** Contiguity is topological; only the nearest area of an island uses distances, between
  centroids in the given CRS (approximate in degrees, which is fine for choosing the nearest one).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from smartcity.platform.errors import InputError

if TYPE_CHECKING:
    from libpysal.weights import W

MIN_AREAS = 3

# hotspot code -> (Indonesian, English) label for maps and reports
HOTSPOT_LABELS: dict[str, tuple[str, str]] = {
    "hot_99": ("Titik panas 99%", "Hot spot 99%"),
    "hot_95": ("Titik panas 95%", "Hot spot 95%"),
    "hot_90": ("Titik panas 90%", "Hot spot 90%"),
    "cold_99": ("Titik dingin 99%", "Cold spot 99%"),
    "cold_95": ("Titik dingin 95%", "Cold spot 95%"),
    "cold_90": ("Titik dingin 90%", "Cold spot 90%"),
    "none": ("Tidak signifikan", "Not significant"),
}

# (confidence, largest p_fdr for it), strongest first
_LEVELS = ((99, 0.01), (95, 0.05), (90, 0.10))
# Rows of simulated sums held at once: about 32 MB of float64 per array.
_CHUNK_CELLS = 1 << 22


def spatial_weights(geoms: gpd.GeoSeries | gpd.GeoDataFrame, ids: list[str] | None = None) -> W:
    """Binary queen-contiguity weights of the areas, islands attached to their nearest area."""
    geometries = _area_geometries(geoms)
    n = len(geometries)
    if ids is None:
        keys: list = list(range(n))
    else:
        keys = list(ids)
        if len(keys) != n:
            raise InputError(f"hot spot weights got {len(keys)} ids for {n} areas; give one id per area")
        if len(set(keys)) != n:
            raise InputError("hot spot weights need unique area ids; some ids repeat")
    left, right = _neighbour_pairs(geometries)
    starts = np.searchsorted(left, np.arange(n + 1))
    neighbours = {keys[i]: [keys[j] for j in right[starts[i] : starts[i + 1]]] for i in range(n)}
    # silence_warnings: islands are attached above, so what libpysal would still report are disconnected
    # groups of areas, which are expected (archipelagos) and harmless for a local statistic.
    from libpysal.weights import W  # here, not at import: libpysal (with scipy and sklearn) takes ~2 s

    return W(neighbours, id_order=keys, silence_warnings=True)


def getis_ord(
    geoms: gpd.GeoSeries | gpd.GeoDataFrame,
    values: Sequence[float] | np.ndarray | pd.Series,
    *,
    permutations: int = 999,
    seed: int = 6401,
    fdr_alpha: float = 0.05,
) -> pd.DataFrame:
    """Gi* z-score, permutation and FDR p-values, and hot/cold spot label of every area, in input order."""
    if isinstance(permutations, bool) or not isinstance(permutations, int | np.integer) or permutations < 1:
        raise InputError(f"hot spot permutations must be a whole number of at least 1, got {permutations!r}")
    if not 0 < fdr_alpha < 1:
        raise InputError(f"hot spot fdr_alpha must be between 0 and 1, got {fdr_alpha!r}")
    geometries = _area_geometries(geoms)
    y = _score_values(values, geoms.index)
    left, right = _neighbour_pairs(geometries)
    n = len(y)
    k = np.bincount(left, minlength=n)
    if _is_constant(y):
        gi_z = np.zeros(n)
        p_sim = np.ones(n)
    else:
        # Gi* z and permutation ranks do not change when a constant is added; centring keeps sums small.
        x = y - y.mean()
        neighbour_sum = np.bincount(left, weights=x[right], minlength=n)
        gi_z = _gi_star_z(x, neighbour_sum, k)
        p_sim = _permutation_p(x, neighbour_sum, k, int(permutations), seed)
    p_fdr = _benjamini_hochberg(p_sim)
    confidence = np.zeros(n, dtype=np.int64)
    for level, limit in reversed(_LEVELS):
        # the relative margin keeps p * m / rank landing one ulp above 0.05 inside the 95% class
        confidence[p_fdr <= limit * (1 + 1e-9)] = level
    confidence[(p_fdr > fdr_alpha * (1 + 1e-9)) | (gi_z == 0)] = 0
    side = np.where(gi_z > 0, "hot_", "cold_")
    hotspot = np.where(confidence == 0, "none", np.char.add(side, confidence.astype(str)))
    return pd.DataFrame(
        {"gi_z": gi_z, "p_sim": p_sim, "p_fdr": p_fdr, "hotspot": hotspot.tolist(), "confidence": confidence},
        index=geoms.index,
    )


def _area_geometries(geoms: gpd.GeoSeries | gpd.GeoDataFrame) -> np.ndarray:
    """The areas' shapely geometries, checked: at least 3, none missing, all (multi)polygons."""
    if isinstance(geoms, gpd.GeoDataFrame):
        geoms = geoms.geometry
    if not isinstance(geoms, gpd.GeoSeries):
        raise InputError(f"hot spots need a GeoSeries or GeoDataFrame of areas, got {type(geoms).__name__}")
    if len(geoms) < MIN_AREAS:
        raise InputError(f"hot spots need at least {MIN_AREAS} areas, got {len(geoms)}")
    geometries = np.asarray(geoms.values, dtype=object)
    missing = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    if missing.any():
        raise InputError(
            f"hot spots need a geometry for every area; {int(missing.sum())} are missing or empty "
            f"(first: {geoms.index[missing][0]!r})"
        )
    types = shapely.get_type_id(geometries)
    # 3 = Polygon, 6 = MultiPolygon
    other = (types != 3) & (types != 6)
    if other.any():
        first = int(np.flatnonzero(other)[0])
        raise InputError(
            f"hot spots need polygon areas; {int(other.sum())} are not "
            f"(first: {geoms.index[first]!r} is a {geometries[first].geom_type})"
        )
    return geometries


def _score_values(values: Sequence[float] | np.ndarray | pd.Series, index: pd.Index) -> np.ndarray:
    """The values as floats in area order; a Series is aligned on the areas' index."""
    if isinstance(values, pd.Series) and not values.index.equals(index):
        same_labels = (
            len(values) == len(index)
            and values.index.is_unique
            and index.is_unique
            and index.isin(values.index).all()
        )
        if not same_labels:
            raise InputError(
                "hot spot values are indexed differently from the areas; give one value per area"
            )
        values = values.reindex(index)
    try:
        series = values if isinstance(values, pd.Series) else pd.Series(values)
        y = series.to_numpy(dtype=float, na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise InputError(f"hot spot values must be numbers ({exc})") from exc
    if y.shape != (len(index),):
        raise InputError(f"hot spots got {y.size} values for {len(index)} areas; give one value per area")
    bad = ~np.isfinite(y)
    if bad.any():
        raise InputError(
            f"hot spot values are missing (NaN) or infinite for {int(bad.sum())} areas "
            f"(first: {index[bad][0]!r}); fill or drop them first"
        )
    return y


def _is_constant(y: np.ndarray) -> bool:
    """True when the values do not vary beyond floating-point noise."""
    return bool(np.ptp(y) <= 1e-12 * np.abs(y).max())


def _neighbour_pairs(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Directed neighbour pairs (i, j), both ways, sorted, without self pairs; islands attached."""
    n = len(geometries)
    try:
        left, right = shapely.STRtree(geometries).query(geometries, predicate="intersects")
    except shapely.errors.GEOSException as exc:
        raise InputError(
            f"hot spots could not compare area boundaries ({exc}); repair the geometries"
        ) from exc
    other = left != right
    left, right = left[other], right[other]
    islands = np.flatnonzero(np.bincount(left, minlength=n) == 0)
    if islands.size:
        # shapely's planar centroid, not GeoSeries.centroid: geopandas warns on geographic CRSs, and an
        # approximate distance in degrees is good enough to choose the nearest area.
        centres = shapely.get_coordinates(shapely.centroid(geometries))
        _, nearest = cKDTree(centres).query(centres[islands], k=2)
        # the island itself is normally first; with a coinciding centroid it may come second
        partner = np.where(nearest[:, 0] == islands, nearest[:, 1], nearest[:, 0])
        left = np.concatenate([left, islands, partner])
        right = np.concatenate([right, partner, islands])
    # sorted by (left, right); two islands nearest to each other add their pair twice: keep it once
    keys = np.sort(left.astype(np.int64) * n + right)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    return keys // n, keys % n


def _gi_star_z(x: np.ndarray, neighbour_sum: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Ord & Getis (1995) standardised Gi* of centred values x with binary star weights."""
    n = x.size
    w_sum = k + 1.0  # binary weights including self: sum of weights == sum of squared weights
    spread = np.sqrt(np.mean(x**2))  # population standard deviation, x being centred
    denominator = spread * np.sqrt(w_sum * (n - w_sum) / (n - 1))
    z = np.zeros(n)
    # an area that neighbours every area has W_i == n: its Gi* is the grand total, no information
    ok = denominator > 0
    z[ok] = (x[ok] + neighbour_sum[ok]) / denominator[ok]
    return z


def _permutation_p(
    x: np.ndarray, neighbour_sum: np.ndarray, k: np.ndarray, permutations: int, seed: int
) -> np.ndarray:
    """Folded pseudo p-values of Gi* by conditional permutation (esda's scheme, vectorised, tie-aware)."""
    n = x.size
    k_max = int(k.max())
    # esda's draws: permutation p picks k_max distinct positions among the n - 1 other areas, the same
    # positions for every area. A local RandomState reproduces esda's stream (its non-numba path seeds
    # numpy's global one) without touching the global random state.
    rng = np.random.RandomState(seed)
    draws = np.stack([rng.choice(n - 1, size=k_max, replace=False) for _ in range(permutations)])
    # position j among "the others of area i" is area j when j < i, else area j + 1
    below, above = x[draws], x[draws + 1]
    # Observed and drawn sums add up to k_max + 1 values of x in different orders, so equal sets can
    # differ by ~(k_max + 1)**2 * 2e-16 * max|x|; this margin is ~500 times that: closer means a tie.
    tolerance = 1e-11 * (k_max + 1) * np.abs(x).max()
    order = np.argsort(-k, kind="stable")  # most neighbours first: rows still summing form a prefix
    k_sorted = k[order]
    larger = np.empty(n, dtype=np.int64)
    smaller = np.empty(n, dtype=np.int64)
    chunk = max(1, _CHUNK_CELLS // permutations)
    for start in range(0, n, chunk):
        areas = order[start : start + chunk]
        k_chunk = k_sorted[start : start + chunk]
        sums = np.zeros((areas.size, permutations))
        for column in range(k_max):
            rows = int(np.searchsorted(-k_chunk, -column, side="left"))  # areas with k > column
            if rows == 0:
                break
            shifted = draws[:, column] >= areas[:rows, None]
            sums[:rows] += np.where(shifted, above[:, column], below[:, column])
        observed = neighbour_sum[areas, None]
        larger[areas] = np.count_nonzero(sums >= observed - tolerance, axis=1)
        smaller[areas] = np.count_nonzero(sums <= observed + tolerance, axis=1)
    return (np.minimum(larger, smaller) + 1.0) / (permutations + 1.0)


def _benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values: p * m / rank, cumulative minimum from the top, at most 1."""
    m = p.size
    order = np.argsort(p, kind="stable")
    scaled = p[order] * m / np.arange(1, m + 1)
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    return adjusted
