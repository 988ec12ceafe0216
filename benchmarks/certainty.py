"""certainty: our per-sentence certainty score against human 1-6 certainty ratings.

    python benchmarks/certainty.py [--data ../shared/data] [--errors 5]

Data: certainty/sentence-level-certainty.jsonl (Pei & Jurgens 2021): {finding,
sentence-level-certainty 1.0-6.0, split}. The score is `certainty_score` below, a linear
function of the cues the pipeline finds, clipped to 1..6. Two weight sets are reported on the
test split: the pre-declared defaults, and weights fitted by least squares on the TRAIN split
only (never on val or test). Metrics: Pearson r and Spearman rho against the mean human rating.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    read_jsonl,
    Result, SentenceAnalysis, analyse_sentences, cli, find_dataset, finish, make_parser, metric,
    pearson, print_examples, skipped, spearman,
)

NAME = "certainty"
SCRIPT = "certainty.py"
DATASET = "certainty"
FILE = "sentence-level-certainty.jsonl"
LABEL = "sentence-level-certainty"
ERROR_MARGIN = 1.5  # --errors lists sentences scored this far from the human rating


@dataclass(frozen=True)
class CertaintyWeights:
    """score = base + hedge·#hedges + booster·#boosters + conditional·[strength is conditional]
    + caveat·#caveats, clipped to 1..6. Signed: a hedge lowers the score when `hedge` < 0."""

    base: float = 4.5
    hedge: float = -0.75
    booster: float = 0.25
    conditional: float = -0.5
    caveat: float = -0.5


DEFAULT_WEIGHTS = CertaintyWeights()


def features(a: SentenceAnalysis) -> tuple[float, float, float, float]:
    """(#hedge cues, #boosters, conditional strength 0/1, #caveats) of one analysed sentence."""
    return (float(len(a.hedges)), float(len(a.boosters)), float(a.strength == "conditional"),
            float(len(a.caveats)))


def certainty_score(a: SentenceAnalysis, weights: CertaintyWeights = DEFAULT_WEIGHTS) -> float:
    """How certain a sentence sounds, on the 1-6 scale of the human ratings (6 = certain).

    Starts at `base` (4.5, about the mean rating of an unmarked finding), moves by the signed
    weight of each hedge cue, booster, conditional ("may reduce") strength and caveat ("more
    research is needed"), and is clipped to 1..6."""
    hedges, boosters, conditional, caveats = features(a)
    score = (weights.base + weights.hedge * hedges + weights.booster * boosters
             + weights.conditional * conditional + weights.caveat * caveats)
    return min(6.0, max(1.0, score))


def fit_weights(analyses: Sequence[SentenceAnalysis], ratings: Sequence[float],
                ridge: float = 1e-3) -> CertaintyWeights:
    """Least-squares fit (tiny ridge so an unused feature gets weight 0, not a singular matrix)."""
    rows = [(1.0, *features(a)) for a in analyses]
    k = len(rows[0]) if rows else 5
    xtx = [[sum(r[i] * r[j] for r in rows) + (ridge if i == j and i > 0 else 0.0) for j in range(k)]
           for i in range(k)]
    xty = [sum(r[i] * y for r, y in zip(rows, ratings)) for i in range(k)]
    return CertaintyWeights(*solve(xtx, xty))


def solve(a: list[list[float]], b: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting for a small dense system."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        if abs(m[col][col]) < 1e-12:
            continue
        for r in range(n):
            if r != col:
                factor = m[r][col] / m[col][col]
                m[r] = [x - factor * y for x, y in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] if abs(m[i][i]) >= 1e-12 else 0.0 for i in range(n)]


def main(argv: Sequence[str] | None = None) -> Result:
    args = make_parser(__doc__).parse_args(argv)
    folder = find_dataset(args.data, DATASET, [FILE])
    if folder is None:
        return skipped(NAME, args.data, DATASET, [FILE])
    started = time.perf_counter()
    rows = read_jsonl(folder / FILE)
    analyses = analyse_sentences(row["finding"] for row in rows)
    by_split: dict[str, tuple[list[SentenceAnalysis], list[float]]] = {}
    for row, a in zip(rows, analyses):
        by_split.setdefault(row["split"], ([], []))
        by_split[row["split"]][0].append(a)
        by_split[row["split"]][1].append(float(row[LABEL]))
    train = by_split.get("train", ([], []))
    fitted = fit_weights(*train) if train[0] else DEFAULT_WEIGHTS
    print(f"weights fitted on train (n={len(train[0])}): "
          + ", ".join(f"{k} {v:+.3f}" for k, v in asdict(fitted).items()))
    print("default weights: "
          + ", ".join(f"{k} {v:+.3f}" for k, v in asdict(DEFAULT_WEIGHTS).items()))
    metrics = []
    for split in ("test", "val"):
        if split not in by_split:
            continue
        items, gold = by_split[split]
        cued = sum(1 for a in items if any(features(a)))
        print(f"\n{split} (n={len(gold)}): {cued} sentences with at least one cue")
        for label, weights in (("default weights", DEFAULT_WEIGHTS),
                               ("weights fitted on train", fitted)):
            scores = [certainty_score(a, weights) for a in items]
            r, rho = pearson(scores, gold), spearman(scores, gold)
            print(f"  {label}: Pearson {r:.3f}, Spearman {rho:.3f}")
            if split == "test":
                metrics.append(metric(f"test Pearson r ({label})", r,
                                      "not retrieved (Pei & Jurgens 2021)", len(gold)))
                metrics.append(metric(f"test Spearman rho ({label})", rho,
                                      "not retrieved (Pei & Jurgens 2021)", len(gold)))
    if args.errors and "train" in by_split:  # errors shown on train: the split we may look at
        items, gold = by_split["train"]
        scored = [(certainty_score(a, fitted), y, a) for a, y in zip(items, gold)]
        too_high = sorted((t for t in scored if t[0] - t[1] >= ERROR_MARGIN),
                          key=lambda t: t[1] - t[0])
        too_low = sorted((t for t in scored if t[1] - t[0] >= ERROR_MARGIN),
                         key=lambda t: t[0] - t[1])
        show = lambda t: (  # noqa: E731
            f"ours {t[0]:.2f} human {t[1]:.1f} hedges={list(t[2].hedges)} "
            f"boosters={list(t[2].boosters)}: {t[2].text}"
        )
        print_examples(f"train: we rate >= {ERROR_MARGIN} points more certain than humans",
                       [show(t) for t in too_high], args.errors)
        print_examples(f"train: we rate >= {ERROR_MARGIN} points less certain than humans",
                       [show(t) for t in too_low], args.errors)
    return finish(NAME, SCRIPT, args, metrics, started,
                  {"weights": {"default": asdict(DEFAULT_WEIGHTS),
                               "fitted_on_train": asdict(fitted)}})


if __name__ == "__main__":
    sys.exit(cli(main))
