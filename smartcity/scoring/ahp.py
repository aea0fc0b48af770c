"""Criterion weights from an Analytic Hierarchy Process (AHP) pairwise comparison matrix (Saaty).

Decisions:

* The weights are Saaty's principal right eigenvector, normalised to sum 1; ``lambda_max`` is the
  largest real part among the eigenvalues (for a positive matrix it is the real Perron root).
* Reciprocity is checked with a relative tolerance of 1e-2 on ``a_ij * a_ji``, so people may type
  ``0.333`` for 1/3 or ``0.111`` for 1/9; a coarser ``0.3`` for 1/3 is refused, since it silently
  changes the judgement. The diagonal must be 1 (relative tolerance 1e-6).
* The random index (RI) is Saaty's table for 1 to 15 criteria; more than 15 criteria are refused,
  because the consistency ratio has no reference value there (and nobody compares 105 pairs well).
  With 1 or 2 criteria a reciprocal matrix is always consistent, so CR is 0.
* When CR exceeds ``max_cr`` the error names the most inconsistent pair: the entry whose judgement
  ``a_ij`` is furthest, on a log scale, from the ratio ``w_i / w_j`` implied by the weights; that is
  the comparison most worth revising.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from smartcity.platform.errors import InputError

# Saaty's random consistency index for n = 1..15 criteria.
RANDOM_INDEX = (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59)
RECIPROCAL_RTOL = 1e-2
DIAGONAL_RTOL = 1e-6


@dataclass(frozen=True)
class AhpResult:
    """Weights (by criterion name, summing to 1) and Saaty's consistency figures."""

    weights: dict[str, float]
    lambda_max: float
    ci: float
    cr: float
    ri: float


def ahp_weights(
    matrix: Sequence[Sequence[float]] | np.ndarray,
    names: list[str],
    *,
    max_cr: float = 0.10,
    source: str = "AHP matrix",
) -> AhpResult:
    """Weights of ``names`` from their pairwise comparisons, refusing a matrix too inconsistent to trust."""
    a = _validated(matrix, names, source)
    n = len(names)

    # Principal right eigenvector: eigenvalue with the largest real part.
    eigenvalues, eigenvectors = np.linalg.eig(a)
    top = int(np.argmax(eigenvalues.real))
    vector = eigenvectors[:, top]
    weights = (vector / vector.sum()).real  # dividing by the sum also removes any sign or complex phase
    lambda_max = float(eigenvalues[top].real)

    ci = (lambda_max - n) / (n - 1) if n > 1 else 0.0
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if n > 2 else 0.0
    if cr > max_cr:
        i, j = _most_inconsistent_pair(a, weights)
        raise InputError(
            f"{source} is inconsistent: consistency ratio {cr:.2f} > {max_cr:.2f}; revise the comparisons "
            f"(most inconsistent pair: {names[i]} vs {names[j]})"
        )
    return AhpResult(
        weights={name: float(w) for name, w in zip(names, weights, strict=True)},
        lambda_max=lambda_max,
        ci=float(ci),
        cr=float(cr),
        ri=float(ri),
    )


def _validated(matrix: Sequence[Sequence[float]] | np.ndarray, names: list[str], source: str) -> np.ndarray:
    """The matrix as a float array, after checking shape, positivity, diagonal and reciprocity."""
    n = len(names)
    if n == 0:
        raise InputError(f"{source} compares no criteria: give at least one name")
    if len(set(names)) != n:
        duplicates = sorted({name for name in names if names.count(name) > 1})
        raise InputError(f"{source} names a criterion more than once: {', '.join(duplicates)}")
    if n > len(RANDOM_INDEX):
        raise InputError(f"{source} compares {n} criteria; AHP consistency is defined for at most 15")
    try:
        rows = [list(row) for row in matrix]
    except TypeError:
        raise InputError(f"{source} must be a table of numbers, one row per criterion") from None
    if len(rows) != n:
        raise InputError(f"{source} has {len(rows)} rows but {n} criteria ({', '.join(names)})")
    for name, row in zip(names, rows, strict=True):
        if len(row) != n:
            raise InputError(f"{source}: row {name} has {len(row)} values, expected {n} ({', '.join(names)})")
    try:
        a = np.array(rows, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{source} holds a value that is not a number ({exc})") from None

    for i, j in zip(*np.nonzero(~(np.isfinite(a) & (a > 0))), strict=True):
        raise InputError(f"{source}: {names[i]} vs {names[j]} must be a positive number, got {a[i, j]:g}")
    for i in range(n):
        if not math.isclose(a[i, i], 1.0, rel_tol=DIAGONAL_RTOL):
            raise InputError(f"{source}: {names[i]} vs {names[i]} must be 1, got {a[i, i]:g}")
    product = a * a.T
    for i, j in zip(*np.nonzero(np.abs(product - 1.0) > RECIPROCAL_RTOL), strict=True):
        if i < j:
            raise InputError(
                f"{source} is not reciprocal: {names[i]} vs {names[j]} is {a[i, j]:g} but "
                f"{names[j]} vs {names[i]} is {a[j, i]:g} (expected {1 / a[i, j]:.3g})"
            )
    return a


def _most_inconsistent_pair(a: np.ndarray, weights: np.ndarray) -> tuple[int, int]:
    """Row and column (row < column) of the judgement furthest from the ratio its weights imply."""
    deviation = np.abs(np.log(a * weights[np.newaxis, :] / weights[:, np.newaxis]))
    i, j = np.unravel_index(int(np.argmax(np.triu(deviation, k=1))), a.shape)
    return int(i), int(j)
