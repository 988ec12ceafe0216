"""The fitted part of the scorecard, read from configs/scorecard_model.json: per criterion a
logistic regression giving the probability that experts would call the article not satisfactory
(the verdict's confidence is the probability of the verdict given), and a linear model of the
star rating. Applying them is a dot product; fitting (numpy only) is in `fit_logistic` and
`fit_linear`, called by scripts/fit_scorecard.py.
"""

from __future__ import annotations

import math
from operator import mul
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.analysis import CRITERIA
from pipeline.rulefile import MapOf, Optional, RuleFileError

# weights: feature name -> weight (see `criteria.features` for the names); bias: the intercept.
_LINEAR = {"weights": MapOf(float), "bias": float}
MODEL_SCHEMA = {
    "criteria": MapOf({**_LINEAR, "not_applicable_agreement": float}),
    "score": {**_LINEAR, "minimum": float, "maximum": float},
    "fitted_on": Optional(MapOf(str)),
}


@dataclass(frozen=True)
class Linear:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float

    def __call__(self, values: dict[str, float]) -> float:
        # `map` instead of a generator (twelve dot products of ~80 terms per article): the same
        # products summed in the same order, so the same float
        return self.bias + sum(map(mul, self.weights, map(values.__getitem__, self.features)))


@dataclass(frozen=True)
class CriterionModel:
    not_satisfactory: Linear  # log-odds that experts call the article not satisfactory
    not_applicable_agreement: float  # share of "not applicable" verdicts the experts shared

    def confidence(self, verdict: str, values: dict[str, float]) -> float:
        if verdict == "not_applicable":
            return self.not_applicable_agreement
        p = _sigmoid(self.not_satisfactory(values))
        return p if verdict == "not_satisfactory" else 1.0 - p


@dataclass(frozen=True)
class ScorecardModel:
    criteria: dict[str, CriterionModel]
    score: Linear
    minimum: float
    maximum: float

    def stars(self, values: dict[str, float]) -> float:
        return min(self.maximum, max(self.minimum, self.score(values)))


def _linear(spec: dict[str, Any], where: str, known: Sequence[str]) -> Linear:
    weights = {f: w for f, w in spec["weights"].items() if not f.startswith("_")}
    unknown = [f for f in weights if f not in known]
    if unknown:
        raise RuleFileError(f"{where}: unknown features {', '.join(unknown)}")
    return Linear(tuple(weights), tuple(float(w) for w in weights.values()), float(spec["bias"]))


def model_from_rules(
    data: dict[str, Any], known_features: Sequence[str], name: str = "model"
) -> ScorecardModel:
    """The model in a parsed, schema-checked model file; every criterion must be present."""
    missing = [c for c in CRITERIA if c not in data["criteria"]]
    if missing:
        raise RuleFileError(f"{name}.criteria: missing {', '.join(missing)}")
    criteria = {
        c: CriterionModel(
            _linear(data["criteria"][c], f"{name}.criteria.{c}", known_features),
            float(data["criteria"][c]["not_applicable_agreement"]),
        )
        for c in CRITERIA
    }
    score = data["score"]
    return ScorecardModel(
        criteria,
        _linear(score, f"{name}.score", known_features),
        float(score["minimum"]),
        float(score["maximum"]),
    )


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


# --------------------------------------------------------------------------- fitting (numpy)


def fit_logistic(
    x: Any, y: Any, l2: float = 1.0, iterations: int = 100
) -> tuple[list[float], float]:
    """L2-penalised logistic regression by Newton's method (the bias is not penalised): weights
    and bias on the columns of `x` as given. `y` holds 1 for the positive class."""
    import numpy as np

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    mean, scale = _standardisation(x)
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    beta = np.zeros(z.shape[1])
    penalty = np.eye(z.shape[1]) * l2
    penalty[0, 0] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        gradient = z.T @ (p - y) + penalty @ beta
        hessian = (z.T * (p * (1 - p))) @ z + penalty
        step = np.linalg.solve(hessian + 1e-9 * np.eye(len(beta)), gradient)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return _unstandardise(beta, mean, scale)


def fit_linear(x: Any, y: Any, l2: float = 1.0) -> tuple[list[float], float]:
    """Ridge regression (the bias is not penalised): weights and bias on the columns of `x`."""
    import numpy as np

    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    mean, scale = _standardisation(x)
    z = np.hstack([np.ones((len(x), 1)), (x - mean) / scale])
    penalty = np.eye(z.shape[1]) * l2
    penalty[0, 0] = 0.0
    beta = np.linalg.solve(z.T @ z + penalty, z.T @ y)
    return _unstandardise(beta, mean, scale)


def _standardisation(x: Any) -> tuple[Any, Any]:
    import numpy as np

    mean = x.mean(axis=0) if len(x) else np.zeros(x.shape[1])
    scale = x.std(axis=0) if len(x) else np.ones(x.shape[1])
    return mean, np.where(scale > 0, scale, 1.0)


def _unstandardise(beta: Any, mean: Any, scale: Any) -> tuple[list[float], float]:
    weights = beta[1:] / scale
    bias = beta[0] - float((weights * mean).sum())
    return [float(w) for w in weights], float(bias)
