"""Fit the scorecard's confidences and star score (configs/scorecard_model.json) on the four fifths
of the dev files that are not held out (benchmarks/scorecard.py defines the split).

    python scripts/fit_scorecard.py --stories PATH --releases PATH [--out MODEL.json]

- Per criterion, a logistic regression (numpy, Newton's method, L2 on standardised features) of
  "the experts found the release not satisfactory" on a few features of that criterion, fitted on
  the releases rated Satisfactory or Not Satisfactory. A verdict's confidence is the fitted
  probability of that verdict. For a not_applicable verdict it is the share of our
  not_applicable verdicts the experts shared. independent_sources has no labels (releases are not
  rated on it): its confidence stays 0.5.
- The star score: ridge regression of the stories' star rating on every feature, the penalty
  chosen by five-fold cross-validation (AUC of >=4 against <=2 stars) inside the four fifths;
  clipped to 0-5 stars.

Only aggregate numbers are printed and written; no text of the data files. Without both files
the script says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.common import read_jsonl  # noqa: E402
from benchmarks.scorecard import (  # noqa: E402
    Scored,
    auc,
    release_labels,
    release_text,
    run_articles,
    story_text,
)
from pipeline.analysis import CRITERIA  # noqa: E402

DEFAULT_OUT = REPO / "configs" / "scorecard_model.json"
_EMPTY = {"weights": {}, "bias": 0.0, "not_applicable_agreement": 0.5}
_EMPTY_SCORE = {"weights": {}, "bias": 0.0, "minimum": 0.0, "maximum": 5.0}
# What each criterion's confidence reads: its own signals, its verdict and the article's length.
CRITERION_FEATURES = {
    "costs": ["verdict:costs", "signal:cost_figure", "signal:insurance", "signal:cost_words"],
    "benefits": [
        "verdict:benefits",
        "signal:effect_number",
        "signal:absolute_effect",
        "signal:relative_effect",
    ],
    "harms": ["verdict:harms", "signal:harms", "signal:safety_talk"],
    "evidence_quality": [
        "verdict:evidence_quality",
        "signal:design_words",
        "study_facts",
        "signal:limitations",
        "signal:counterpoint",
        "evidence_overclaims",
        "weak_design",
    ],
    "disease_mongering": ["signal:mongering", "signal:hype"],
    "sensational_language": [
        "verdict:sensational_language",
        "signal:hype",
        "signal:mild_hype",
        "unsupported_share",
        "headline_unsupported",
    ],
    "independent_sources": [],
    "funding_conflicts": [
        "verdict:funding_conflicts",
        "signal:funding",
        "signal:conflicts",
        "signal:company_ties",
    ],
    "alternatives": ["verdict:alternatives", "signal:alternatives", "signal:comparison"],
    "availability": ["verdict:availability", "signal:availability", "signal:intervention"],
    "novelty": ["signal:novelty_claim", "signal:prior_work"],
}
LENGTH = "log_tokens"
CRITERION_L2 = 1.0
SCORE_L2_CHOICES = (1.0, 10.0, 100.0, 300.0, 1000.0, 3000.0)
FOLDS = 5


def _criterion_features(criterion: str) -> list[str]:
    chosen = CRITERION_FEATURES[criterion]
    return [*chosen, LENGTH] if chosen else []


def fit_criteria(scored: list[Scored], labels: dict[str, dict[str, str]]) -> tuple[dict, dict]:
    """Each criterion's model entry, and its five-fold cross-validated AUC on the training data."""
    import numpy as np

    from pipeline.scorecard.model import fit_logistic

    entries, diagnostics = {}, {}
    for criterion in CRITERIA:
        names = _criterion_features(criterion)
        rated = [
            s
            for s in scored
            if labels[s.item_id].get(criterion) in ("satisfactory", "not_satisfactory")
        ]
        ours_na = [
            s
            for s in scored
            if s.criteria[criterion].verdict == "not_applicable" and criterion in labels[s.item_id]
        ]
        agreement = (
            sum(labels[s.item_id][criterion] == "not_applicable" for s in ours_na) / len(ours_na)
            if ours_na
            else 0.5
        )
        if not names or not rated:
            entries[criterion] = dict(_EMPTY)
            diagnostics[criterion] = {"n": len(rated), "note": "no labels: confidence 0.5"}
            continue
        x = np.array([[s.features[n] for n in names] for s in rated])
        y = np.array(
            [labels[s.item_id][criterion] == "not_satisfactory" for s in rated], dtype=float
        )
        weights, bias = fit_logistic(x, y, CRITERION_L2)
        folds = np.arange(len(y)) % FOLDS
        held = np.zeros(len(y))
        for k in range(FOLDS):
            w, b = fit_logistic(x[folds != k], y[folds != k], CRITERION_L2)
            held[folds == k] = x[folds == k] @ np.array(w) + b
        entries[criterion] = {
            "weights": _weights(names, weights),
            "bias": round(bias, 4),
            "not_applicable_agreement": round(agreement, 3),
        }
        diagnostics[criterion] = {
            "n": len(rated),
            "not_satisfactory": int(y.sum()),
            "cv_auc": round(auc(held, y.astype(bool)), 3),
            "our_not_applicable": len(ours_na),
        }
    return entries, diagnostics


def score_features(scored: list[Scored]) -> list[str]:
    """Every feature that varies across the stories (a constant verdict carries nothing)."""
    names = list(scored[0].features)
    return [n for n in names if len({s.features[n] for s in scored}) > 1]


def fit_score(scored: list[Scored], ratings: dict[str, float]) -> tuple[dict, dict]:
    import numpy as np

    from pipeline.scorecard.model import fit_linear

    names = score_features(scored)
    x = np.array([[s.features[n] for n in names] for s in scored])
    y = np.array([ratings[s.item_id] for s in scored], dtype=float)
    extreme = (y <= 2) | (y >= 4)
    folds = np.arange(len(y)) % FOLDS
    cv = {}
    for l2 in SCORE_L2_CHOICES:
        held = np.zeros(len(y))
        for k in range(FOLDS):
            w, b = fit_linear(x[folds != k], y[folds != k], l2)
            held[folds == k] = x[folds == k] @ np.array(w) + b
        cv[l2] = auc(held[extreme], y[extreme] >= 4)
    best = max(cv, key=lambda l2: (round(cv[l2], 3), l2))  # ties: the stronger penalty
    weights, bias = fit_linear(x, y, best)
    spread = x.std(axis=0)
    strongest = sorted(zip(names, np.array(weights) * spread), key=lambda t: -abs(t[1]))[:8]
    entry = {
        "weights": _weights(names, weights),
        "bias": round(bias, 4),
        "minimum": 0.0,
        "maximum": 5.0,
    }
    return entry, {
        "n": len(y),
        "l2": best,
        "cv_auc_by_l2": {str(k): round(v, 3) for k, v in cv.items()},
        "strongest_standardised": [(n, round(float(w), 3)) for n, w in strongest],
    }


def _weights(names: Sequence[str], values: Sequence[float]) -> dict[str, float]:
    return {name: round(float(value), 5) for name, value in zip(names, values)}


MODEL_ABOUT = (
    "Fitted by scripts/fit_scorecard.py; do not edit by hand. criteria: per criterion, a logistic "
    "regression of the experts' not_satisfactory (weights on the features: verdicts as +1/-1/0, "
    "signals as log(1 + units)); a verdict's confidence is the fitted probability of that verdict, "
    "a not_applicable verdict's is not_applicable_agreement. score: ridge regression of the star "
    "rating, clipped to minimum..maximum. See docs/scorecard.md."
)


def write_model(path: Path, criteria: dict, score: dict, fitted_on: dict[str, str]) -> None:
    """The model file: a criterion a line, the score's weights one a line (a readable table)."""
    names = list(criteria)
    lines = [
        "{",
        f' "_about": {json.dumps(MODEL_ABOUT)},',
        f' "fitted_on": {json.dumps(fitted_on)},',
        ' "criteria": {',
    ]
    lines += [
        f"  {json.dumps(n)}: {json.dumps(criteria[n])}" + ("," if n != names[-1] else "")
        for n in names
    ]
    lines += [" },", ' "score": {', '  "weights": {']
    weights = list(score["weights"].items())
    lines += [
        f"   {json.dumps(f)}: {w}" + ("," if i < len(weights) - 1 else "")
        for i, (f, w) in enumerate(weights)
    ]
    rest = {k: v for k, v in score.items() if k != "weights"}
    lines += ["  },", "  " + json.dumps(rest)[1:-1], " }", "}"]
    text = "\n".join(lines) + "\n"
    json.loads(text)  # a malformed file would only fail when the pipeline loads it
    path.write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stories", type=Path, required=True, help="healthstory dev.jsonl")
    parser.add_argument(
        "--releases", type=Path, required=True, help="healthrelease-criteria dev.jsonl"
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="model file to write (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    missing = [str(p) for p in (args.stories, args.releases) if not p.is_file()]
    if missing:
        print(f"fit_scorecard: skipped (not found: {', '.join(missing)}); {args.out} left as it is")
        return 0
    from benchmarks.scorecard import held_out
    from pipeline.api import Settings

    releases = [r for r in read_jsonl(args.releases) if release_text(r) and not held_out(r["id"])]
    stories = [r for r in read_jsonl(args.stories) if not held_out(r["id"])]
    labels = {r["id"]: release_labels(r) for r in releases}
    with tempfile.TemporaryDirectory() as folder:
        # The features do not depend on the model; an unfitted one lets the pipeline load whatever
        # the model file holds now (e.g. a feature the lexicon no longer has).
        unfitted = Path(folder) / "unfitted.json"
        write_model(unfitted, {c: _EMPTY for c in CRITERIA}, {**_EMPTY_SCORE}, {})
        settings = Settings(overrides=(("components.claimscan_scorecard.model", str(unfitted)),))
        scored_releases = run_articles([(r["id"], release_text(r)) for r in releases], settings)
        scored_stories = run_articles([(r["id"], story_text(r)) for r in stories], settings)
    criteria, criteria_report = fit_criteria(scored_releases, labels)
    score, score_report = fit_score(scored_stories, {r["id"]: r["rating"] for r in stories})
    fitted_on = {
        "releases": f"{len(releases)} (four fifths of healthrelease-criteria/dev.jsonl)",
        "stories": f"{len(stories)} (four fifths of healthstory/dev.jsonl)",
        "held_out": "int(sha1(id).hexdigest(), 16) // 10 % 5 == 0",
        "date": date.today().isoformat(),
    }
    write_model(args.out, criteria, score, fitted_on)
    print(f"wrote {args.out}")
    for name, report in criteria_report.items():
        print(f"  {name:<21} {json.dumps(report)}")
    print(f"  score: {json.dumps(score_report)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
