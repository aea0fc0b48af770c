"""Priority classes: break a score into at most five classes, class 1 being the highest priority.

Decisions:

* Breaks are upper bounds, ascending, the last one being the maximum (mapclassify's convention); a value
  belongs to the first class whose break is >= the value.
* Class numbers run the other way round from the breaks: class 1 holds the highest values, so it gets the
  first label (``"Sangat Tinggi"``). With fewer classes than five the highest group is still class 1.
* Fewer distinct values than classes: the breaks are the distinct values themselves (fewer classes),
  without asking a classifier to split what cannot be split.
* All values equal (a single break): every area is class 3, ``"Sedang"``. When nothing stands out,
  calling everything "very high" (or "very low") priority would tell the reader something false.
* Fisher-Jenks is computed here, exactly, rather than by ``mapclassify.FisherJenks``: without numba
  (not a dependency of this project) mapclassify runs an O(k n^2) pure Python loop, 3 s for 1,000
  values and hours for 80,000 villages, and warns on every call. This is the same optimisation (least
  within-class sum of squared deviations, dynamic programming over the sorted distinct values), made
  O(k n log n) by the divide-and-conquer rule that the best start of the last class never moves left as
  its end moves right (the cost satisfies the quadrangle inequality; Wang & Song's Ckmeans.1d.dp uses
  the same). The tests check it against mapclassify and against brute force.
* Quantile breaks are mapclassify's (linear interpolation, repeated breaks merged), computed directly
  because ``mapclassify.Quantiles`` warns when ties merge classes, and warnings are errors in our tests.
* Missing or infinite values are refused: drop areas without a score before classifying them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from smartcity.platform.errors import InputError

LABELS_ID = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah")
LABELS_EN = ("Very high", "High", "Medium", "Low", "Very low")
METHODS = ("jenks", "quantiles", "equal_interval")
MIDDLE_CLASS = 3


def class_breaks(values: ArrayLike, k: int = 5, method: str = "jenks") -> list[float]:
    """Upper bounds (ascending, last = maximum) of at most ``k`` classes of ``values``, to map priority."""
    if method not in METHODS:
        raise InputError(f"unknown classification method {method!r}: use one of {', '.join(METHODS)}")
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or k < 1:
        raise InputError(f"the number of classes must be a whole number of at least 1, got {k!r}")
    x = _finite(values, "values to classify")
    if x.size == 0:
        return []
    distinct, counts = np.unique(x, return_counts=True)
    if distinct.size < k:
        return distinct.tolist()
    if method == "jenks":
        breaks = _fisher_jenks(distinct, counts, int(k))
    elif method == "quantiles":
        breaks = np.unique(np.percentile(x, 100.0 * np.arange(1, k + 1) / k))
    else:
        lo, hi = distinct[0], distinct[-1]
        breaks = lo + (hi - lo) * np.arange(1, k + 1) / k
        breaks[-1] = hi  # exactly the maximum, whatever the rounding
    return [float(b) for b in breaks]


def assign_classes(values: ArrayLike, breaks: Sequence[float]) -> np.ndarray:
    """Class of each value from ascending ``breaks``, 1 for the highest values: top priority comes first."""
    x = _finite(values, "values to classify")
    b = _finite(breaks, "class breaks")
    if b.size == 0:
        if x.size:
            raise InputError("no class breaks given: compute them with class_breaks first")
        return np.zeros(0, dtype=int)
    if np.any(np.diff(b) <= 0):
        raise InputError(f"class breaks must be strictly ascending, got {b.tolist()}")
    if b.size == 1:
        # One class: nothing stands out, so every area is in the middle class.
        return np.full(x.shape, MIDDLE_CLASS, dtype=int)
    position = np.searchsorted(b, x, side="left")  # first break >= value
    position = np.minimum(position, b.size - 1)  # a value above the last break joins the top class
    return (b.size - position).astype(int)


def class_labels(classes: Iterable[int], lang: str = "id") -> list[str]:
    """Labels of classes 1..5 in Bahasa Indonesia (``"id"``) or English (``"en"``), for maps and reports."""
    labels = {"id": LABELS_ID, "en": LABELS_EN}.get(lang)
    if labels is None:
        raise InputError(f"unknown label language {lang!r}: use 'id' or 'en'")
    result = []
    for c in classes:
        if not 1 <= c <= len(labels) or int(c) != c:
            raise InputError(f"class {c!r} has no label: classes run from 1 to {len(labels)}")
        result.append(labels[int(c) - 1])
    return result


def _finite(values: ArrayLike, what: str) -> np.ndarray:
    """``values`` as a flat float array, refusing anything that is not a finite number."""
    try:
        x = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise InputError(f"the {what} must be numbers") from None
    if not np.all(np.isfinite(x)):
        raise InputError(f"the {what} include missing or infinite values: drop those areas first")
    return x


def _fisher_jenks(distinct: np.ndarray, counts: np.ndarray, k: int) -> np.ndarray:
    """Upper bounds of the ``k`` classes of least within-class squared deviation (sorted distinct values)."""
    n = distinct.size
    x = distinct - distinct.mean()  # centred, so the sums of squares lose less precision
    w = np.concatenate(([0.0], np.cumsum(counts, dtype=float)))
    s1 = np.concatenate(([0.0], np.cumsum(counts * x)))
    s2 = np.concatenate(([0.0], np.cumsum(counts * x * x)))

    def ssd(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Sum of squared deviations of the class made of distinct values i..j (inclusive)."""
        total = s1[j + 1] - s1[i]
        return np.maximum(s2[j + 1] - s2[i] - total * total / (w[j + 1] - w[i]), 0.0)

    ends = np.arange(n)
    cost = ssd(np.zeros(n, dtype=int), ends)  # one class ending at each value
    starts = []  # starts[m - 1][j]: where the last of m + 1 classes ending at j begins
    for m in range(1, k):
        new_cost, start = _next_layer(cost, ssd, m, n)
        cost = new_cost
        starts.append(start)

    # Walk back from the last value: each class ends just before the next one starts.
    breaks = np.empty(k)
    end = n - 1
    for m in range(k - 1, 0, -1):
        breaks[m] = distinct[end]
        end = int(starts[m - 1][end]) - 1
    breaks[0] = distinct[end]
    return breaks


def _next_layer(previous: np.ndarray, ssd, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Best cost of m + 1 classes ending at each j >= m, and the start of the last class.

    cost(j) = min over i in [m, j] of previous(i - 1) + ssd(i, j). The best i never decreases with j,
    so each round solves the middle j of every open range and narrows the candidates of its two halves;
    a round is a few array operations, and there are about log2(n) rounds.
    """
    cost = np.full(n, np.inf)
    start = np.zeros(n, dtype=int)
    # open ranges of ends [j_lo, j_hi] whose best start lies in [i_lo, i_hi]
    j_lo, j_hi = np.array([m]), np.array([n - 1])
    i_lo, i_hi = np.array([m]), np.array([n - 1])
    while j_lo.size:
        mid = (j_lo + j_hi) // 2
        top = np.minimum(i_hi, mid)
        length = top - i_lo + 1
        offsets = np.concatenate(([0], np.cumsum(length)[:-1]))
        candidates = np.repeat(i_lo - offsets, length) + np.arange(length.sum())
        ends = np.repeat(mid, length)
        total = previous[candidates - 1] + ssd(candidates, ends)
        best = np.minimum.reduceat(total, offsets)
        # leftmost candidate reaching the minimum of its range
        flat = np.where(total <= np.repeat(best, length), np.arange(total.size), total.size)
        chosen = candidates[np.minimum.reduceat(flat, offsets)]
        cost[mid], start[mid] = best, chosen
        left = mid > j_lo
        right = mid < j_hi
        j_lo, j_hi, i_lo, i_hi = (
            np.concatenate((j_lo[left], mid[right] + 1)),
            np.concatenate((mid[left] - 1, j_hi[right])),
            np.concatenate((i_lo[left], chosen[right])),
            np.concatenate((chosen[left], i_hi[right])),
        )
    return cost, start
