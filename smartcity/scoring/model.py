"""The scoring model's configuration: the shipped TOML, a user's file over it, checked, and hashed.

A user's file only needs the keys it changes (tables are merged key by key over the default). Every
mistake is refused with one line naming the file and the key. The hash is taken over the *effective*
model (after merging), so two files that say the same thing give the same hash.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from smartcity.platform.errors import InputError
from smartcity.platform.vocabulary import DIMENSIONS, SWOT
from smartcity.scoring.ahp import ahp_weights
from smartcity.scoring.classes import METHODS as CLASS_METHODS

CRITERIA = ("pressure", "ikn", "idm", "assets")


@dataclass(frozen=True)
class ScoringConfig:
    """The effective model: ``raw`` is the merged TOML, the rest is derived from it and checked."""

    raw: dict
    source: str
    criteria: dict[str, float]  # scaled to sum 1
    dimension_weights: dict[str, float]  # scaled to sum 1
    ahp_cr: float | None

    @property
    def hash(self) -> str:
        """SHA-256 of the effective model (canonical JSON), first 16 hex digits."""
        canonical = json.dumps(self.raw, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:16]

    def section(self, name: str) -> dict:
        return self.raw[name]


def default_toml() -> str:
    """The shipped default model, as text (``smartcity/scoring/scoring_default.toml``)."""
    return resources.files("smartcity.scoring").joinpath("scoring_default.toml").read_text(encoding="utf-8")


def load_config(path: Path | str | None = None) -> ScoringConfig:
    """The default model, with the file at ``path`` (if any) merged over it, checked."""
    model = tomllib.loads(default_toml())
    source = "scoring_default.toml"
    if path is not None:
        path = Path(path)
        source = path.name
        try:
            user = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{path}: scoring configuration not found") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"{path}: not valid TOML: {exc}") from None
        _merge(model, user, source, "")
    return _checked(model, source)


def _merge(base: dict, user: dict, source: str, prefix: str) -> None:
    for key, value in user.items():
        where = f"{prefix}{key}"
        if key not in base:
            raise InputError(f"{source}: unknown key {where!r}; see scoring_default.toml for the keys")
        if isinstance(base[key], dict) != isinstance(value, dict):
            shape = "a table" if isinstance(base[key], dict) else "a value, not a table"
            raise InputError(f"{source}: {where} must be {shape}")
        if isinstance(base[key], list) and not isinstance(value, list):
            raise InputError(f"{source}: {where} must be a list, not {value!r}")
        if isinstance(base[key], dict) and isinstance(value, dict):
            _merge(base[key], value, source, f"{where}.")
        else:
            base[key] = copy.deepcopy(value)


def _number(value, source: str, key: str, *, low: float | None = 0.0, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{source}: {key} must be a number, not {value!r}")
    if not math.isfinite(value):
        raise InputError(f"{source}: {key} must be a finite number, not {value}")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise InputError(f"{source}: {key} must be {bounds}, not {value}")
    return float(value)


def _choice(value, options: tuple[str, ...], source: str, key: str) -> str:
    if value not in options:
        raise InputError(f"{source}: {key} must be one of {', '.join(options)}, not {value!r}")
    return value


def _scaled(weights: dict[str, float], source: str, key: str) -> dict[str, float]:
    total = sum(weights.values())
    if total <= 0:
        raise InputError(f"{source}: the weights in {key} are all zero")
    return {k: v / total for k, v in weights.items()}


def _checked(model: dict, source: str) -> ScoringConfig:
    if model.get("version") != 1:
        raise InputError(f"{source}: version must be 1, not {model.get('version')!r}")
    criteria = {c: _number(model["criteria"].get(c, 0), source, f"criteria.{c}") for c in CRITERIA}
    for key in model["criteria"]:
        _choice(key, CRITERIA, source, "a key of [criteria]")
    pressure = model["pressure"]
    if not isinstance(pressure["swot"], list) or not pressure["swot"]:
        raise InputError(f"{source}: pressure.swot must list at least one of {', '.join(SWOT)}")
    for swot in pressure["swot"]:
        _choice(swot, SWOT, source, "pressure.swot")
    severity = pressure["severity_weights"]
    if not isinstance(severity, list) or len(severity) != 5:
        raise InputError(f"{source}: pressure.severity_weights must list 5 numbers (urgency 1..5)")
    for i, value in enumerate(severity, 1):
        _number(value, source, f"pressure.severity_weights[{i}]")
    _choice(pressure["per"], ("none", "km2", "capita"), source, "pressure.per")
    _choice(pressure["district_issues"], ("district", "spread"), source, "pressure.district_issues")

    dimensions = model["dimensions"]
    method = _choice(dimensions["method"], ("direct", "ahp"), source, "dimensions.method")
    cr = None
    if method == "direct":
        weights = dimensions["weights"]
        for key in weights:
            _choice(key, DIMENSIONS, source, "a key of dimensions.weights")
        dimension_weights = _scaled(
            {d: _number(weights.get(d, 0), source, f"dimensions.weights.{d}") for d in DIMENSIONS},
            source, "dimensions.weights",
        )  # fmt: skip
    else:
        order = dimensions.get("order")
        if not isinstance(order, list) or not order:
            raise InputError(f"{source}: dimensions.order must list the dimensions of the AHP matrix")
        for key in order:
            _choice(key, DIMENSIONS, source, "dimensions.order")
        result = ahp_weights(dimensions.get("matrix"), order, source=f"{source}: dimensions.matrix")
        dimension_weights = {d: result.weights.get(d, 0.0) for d in DIMENSIONS}
        cr = result.cr

    ikn = model["ikn"]
    _choice(ikn["method"], ("zone", "decay"), source, "ikn.method")
    if not isinstance(ikn["zone_values"], list):
        raise InputError(f"{source}: ikn.zone_values must be a list of numbers from 0 to 1")
    for i, value in enumerate(ikn["zone_values"], 1):
        _number(value, source, f"ikn.zone_values[{i}]", high=1.0)
    _number(ikn["decay_km"], source, "ikn.decay_km", low=0.001)
    classes = model["classes"]
    _choice(classes["method"], CLASS_METHODS, source, "classes.method")
    if classes["count"] not in (2, 3, 4, 5):
        raise InputError(f"{source}: classes.count must be 2 to 5, not {classes['count']!r}")
    hot = model["hotspots"]
    if not isinstance(hot["permutations"], int) or not 99 <= hot["permutations"] <= 99_999:
        raise InputError(f"{source}: hotspots.permutations must be a whole number from 99 to 99999")
    _number(hot["fdr_alpha"], source, "hotspots.fdr_alpha", low=0.0001, high=0.5)
    for where, seed in (
        ("hotspots.seed", hot.get("seed")),
        ("robustness.seed", model["robustness"].get("seed")),
    ):
        if seed is not None and (
            isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**32
        ):
            raise InputError(f"{source}: {where} must be a whole number from 0 to 4294967295, not {seed!r}")
    robust = model["robustness"]
    if not isinstance(robust["draws"], int) or not 0 <= robust["draws"] <= 100_000:
        raise InputError(f"{source}: robustness.draws must be a whole number from 0 to 100000")
    _number(robust["spread"], source, "robustness.spread", high=2.0)
    if not isinstance(robust["top_n"], int) or robust["top_n"] < 1:
        raise InputError(f"{source}: robustness.top_n must be a whole number of at least 1")
    return ScoringConfig(
        raw=model, source=source, criteria=_scaled(criteria, source, "[criteria]"),
        dimension_weights=dimension_weights, ahp_cr=cr,
    )  # fmt: skip
