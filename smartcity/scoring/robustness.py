"""How stable is an area's priority rank when the criterion weights are somewhat different? (Monte Carlo)

Decisions:

* A draw multiplies every base weight by its own lognormal factor ``exp(N(0, spread))`` and scales the
  result back to sum 1. The factor's median is 1, so no weight is favoured; ``spread`` is the standard
  deviation of the log factor (0.2 moves a weight by about 20 % either way); weights stay positive; a
  criterion weighted 0 stays out; ``spread=0`` repeats the base weights in every draw. Base weights are
  scaled to sum 1 first, so percentages work too.
* Score = criteria @ weights * 100. Rank 1 is the highest score. Areas with exactly the same score are
  ordered at random in each draw, so ten identical areas share the top place about equally instead of
  the first row always winning. Identical criteria rows are scored once (``np.unique``), so they get
  bit-identical scores and really tie, whatever order the matrix product adds in.
* Reproducible: the weights come from one stream and the tie-breaks from another, both from ``seed``,
  and draws are consumed in order, so the result does not depend on ``chunk``.
* Memory: draws are scored ``chunk`` at a time (about 8 MB of scores), ranked one by one, and every
  rank is kept for the exact percentiles, but in 2 bytes plus one packed bit per bit above 16: a rank
  of 80,000 areas needs 17 bits, so 1,000 draws take 170 MB instead of the 320 MB of int32. Percentiles
  are then computed a block of areas at a time. Score percentiles are recomputed from the kept weights,
  also by blocks, so no areas x draws float array is ever held.
* Percentiles use ``method="nearest"``: every reported rank and score is one that a draw produced.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from smartcity.platform.errors import InputError

COLUMNS = ("p_top", "rank_p05", "rank_median", "rank_p95", "score_p05", "score_p95")
PERCENTILES = (5, 50, 95)
CHUNK_CELLS = 1_000_000  # areas x draws scored at once: 8 MB of float64
BLOCK_CELLS = 2_000_000  # areas x draws summarised at once
LOW_BITS = 16


def rank_stability(
    criteria: ArrayLike,
    weights: ArrayLike,
    *,
    draws: int = 1000,
    spread: float = 0.2,
    top_n: int = 10,
    seed: int = 6401,
    chunk: int | None = None,
) -> pd.DataFrame:
    """Per area, how often it ranks in the top ``top_n`` and its rank/score range when weights vary."""
    values, base = _validated(criteria, weights, draws, spread, top_n, chunk)
    n_areas = values.shape[0]
    if n_areas == 0:
        return pd.DataFrame({name: pd.Series(dtype=int if "rank" in name else float) for name in COLUMNS})

    weight_seed, tie_seed = np.random.SeedSequence(seed).spawn(2)
    draw_weights = _perturbed(base, draws, spread, np.random.default_rng(weight_seed))
    tie_rng = np.random.default_rng(tie_seed)
    rows, area_row = np.unique(values, axis=0, return_inverse=True)
    area_row = area_row.ravel()

    ranks = _RankStore(draws, n_areas)
    in_top = np.zeros(n_areas, dtype=np.int64)
    chunk = chunk or max(1, CHUNK_CELLS // n_areas)
    for first in range(0, draws, chunk):
        # negative scores of the chunk's draws (for an ascending sort), per distinct row, then per area
        negative = draw_weights[first : first + chunk] @ rows.T
        negative *= -100.0
        for offset, scores in enumerate(negative[:, area_row]):
            order = _ranking(scores, tie_rng)
            in_top[order[:top_n]] += 1
            ranks.put(first + offset, order)

    frame = pd.DataFrame({"p_top": in_top / draws})
    rank_pct = ranks.percentiles(PERCENTILES)
    del ranks  # the kept ranks are the bulk of the memory: free them before the score percentiles
    for name, column in zip(("rank_p05", "rank_median", "rank_p95"), rank_pct, strict=True):
        frame[name] = column
    score_pct = _score_percentiles(rows, draw_weights, (5, 95))[:, area_row]
    frame["score_p05"], frame["score_p95"] = score_pct[0], score_pct[1]
    return frame


def _validated(
    criteria: ArrayLike, weights: ArrayLike, draws: int, spread: float, top_n: int, chunk: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Criteria (areas x criteria, in [0, 1]) and base weights summing to 1, or an InputError."""
    for name, value in (("draws", draws), ("top_n", top_n), ("chunk", 1 if chunk is None else chunk)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
            raise InputError(f"{name} must be a whole number of at least 1, got {value!r}")
    if not (isinstance(spread, int | float | np.number) and np.isfinite(spread) and spread >= 0):
        raise InputError(f"spread must be a finite number >= 0, got {spread!r}")
    try:
        values = np.asarray(criteria, dtype=float)
        base = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise InputError("criteria and weights must be numbers") from None
    if values.ndim != 2:
        raise InputError(f"criteria must be a table of areas x criteria, got {values.ndim} dimension(s)")
    if base.shape != (values.shape[1],):
        raise InputError(
            f"{base.size} weight(s) given for {values.shape[1]} criteria: give one per criterion"
        )
    if not np.all(np.isfinite(values)) or np.any((values < -1e-9) | (values > 1 + 1e-9)):
        raise InputError("criteria must be normalised to [0, 1] with no missing values")
    if not np.all(np.isfinite(base)) or np.any(base < 0) or not base.sum() > 0:
        raise InputError(f"weights must be >= 0 with a positive sum, got {base.tolist()}")
    return values, base / base.sum()


def _perturbed(base: np.ndarray, draws: int, spread: float, rng: np.random.Generator) -> np.ndarray:
    """Weights of each draw (draws x criteria): base times lognormal factors, scaled to sum 1."""
    factors = np.exp(rng.normal(0.0, spread, size=(draws, base.size)))
    drawn = base * factors
    return drawn / drawn.sum(axis=1, keepdims=True)


def _ranking(negative_scores: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Area indices from rank 1 down, equal scores in random order."""
    order = np.argsort(negative_scores)
    ordered = negative_scores[order]
    tied = ordered[1:] == ordered[:-1]
    if tied.any():
        # Sort again by (group of equal scores, random key): the key stays below 0.5, so adding it to the
        # group number never reaches the next group, whatever the rounding.
        group = np.concatenate(([0], np.cumsum(~tied)))
        order = order[np.argsort(group + 0.5 * rng.random(order.size))]
    return order


class _RankStore:
    """Every draw's rank of every area, kept in 16 low bits plus packed higher bits, for exact percentiles."""

    def __init__(self, draws: int, n_areas: int) -> None:
        self.n_areas = n_areas
        positions = np.arange(n_areas)  # rank - 1 of the area in position p of a draw's order
        self.low_of_position = (positions & 0xFFFF).astype(np.uint16)
        planes = max(0, int(n_areas - 1).bit_length() - LOW_BITS)
        self.bits_of_position = [((positions >> (LOW_BITS + p)) & 1).astype(bool) for p in range(planes)]
        self.low = np.empty((draws, n_areas), dtype=np.uint16)
        self.high = np.empty((planes, draws, (n_areas + 7) // 8), dtype=np.uint8)
        self._bits = np.empty(n_areas, dtype=bool)

    def put(self, draw: int, order: np.ndarray) -> None:
        """Keep the ranks of one draw, given its areas from rank 1 down."""
        self.low[draw, order] = self.low_of_position
        for plane, bits in enumerate(self.bits_of_position):
            self._bits[order] = bits
            self.high[plane, draw] = np.packbits(self._bits)

    def percentiles(self, q: tuple[int, ...]) -> np.ndarray:
        """Rank percentiles (len(q) x areas, int64, nearest-rank), a block of areas at a time."""
        draws = self.low.shape[0]
        result = np.empty((len(q), self.n_areas), dtype=np.int64)
        block = max(8, BLOCK_CELLS // draws // 8 * 8)  # a multiple of 8: whole bytes of the packed bits
        for start in range(0, self.n_areas, block):
            stop = min(start + block, self.n_areas)
            rank = self.low[:, start:stop].astype(np.int32)
            for plane in range(self.high.shape[0]):
                packed = self.high[plane, :, start // 8 : (stop + 7) // 8]
                bits = np.unpackbits(packed, axis=1)[:, : stop - start]
                rank |= bits.astype(np.int32) << (LOW_BITS + plane)
            rank += 1
            result[:, start:stop] = _nearest_percentiles(rank.T, q)
        return result


def _score_percentiles(rows: np.ndarray, draw_weights: np.ndarray, q: tuple[int, ...]) -> np.ndarray:
    """Score percentiles (len(q) x distinct rows) over the draws, a block of rows at a time."""
    draws = draw_weights.shape[0]
    result = np.empty((len(q), rows.shape[0]))
    block = max(1, BLOCK_CELLS // draws)
    for start in range(0, rows.shape[0], block):
        scores = rows[start : start + block] @ draw_weights.T * 100.0
        result[:, start : start + block] = _nearest_percentiles(scores, q)
    return result


def _nearest_percentiles(values: np.ndarray, q: tuple[int, ...]) -> np.ndarray:
    """Percentiles ``q`` of each row (len(q) x rows), as ``np.percentile(method="nearest")`` picks them.

    A full sort of the rows beats ``np.percentile``'s partitions several times over here (vectorised sort).
    """
    positions = np.around((values.shape[1] - 1) * np.asarray(q) / 100).astype(np.intp)
    return np.sort(values, axis=1)[:, positions].T
