"""scorecard: the article scorecard (criteria.csv, articles.csv) against HealthNewsReview.org's
expert verdicts, each number next to its trivial baseline and with a bootstrap 95% interval.

    python benchmarks/scorecard.py --stories PATH --releases PATH [--json [FILE]] [--bootstrap 1000]
    python benchmarks/scorecard.py [--data ../shared/data]   # both files under the data folder

Data (read in place, never copied): healthrelease-criteria/dev.jsonl (368 press releases, each
criterion Satisfactory / Not Satisfactory / Not Applicable) and healthstory/dev.jsonl (857 news
stories with the star rating and the number of criteria met). A release is fed as its title, a
blank line and its text; a story as its headline, a blank line and its body (plain text: the
first short line becomes the heading).

Split: a fixed fifth of each file is held out, an item whose id hashes to
`int(sha1(id).hexdigest(), 16) // 10 % 5 == 0`. (The dev files were themselves chosen by the
same hash mod 10, so `% 5` alone would hold out a third: the ids ending in 0 or 5.) The rules'
thresholds and the fitted model (scripts/fit_scorecard.py) saw only the other four fifths, so
the "dev" numbers are in-sample and the "held-out" numbers are the honest ones.

Release file, per criterion (items the experts rated Satisfactory or Not Satisfactory; the
positive class is not_satisfactory, which for disease_mongering and sensational_language means
the release DID monger / WAS sensational): precision, recall and F1 of our not_satisfactory
verdicts (a not_applicable verdict counts as not predicting it); the F1 of always answering
not_satisfactory (the base rate, not skill); the AUC of the fitted probability of
not_satisfactory; and the AUC of article length alone (shorter = not satisfactory).

Story file: Spearman of criteria_met with the experts' num_satisfactory; Spearman of score with
the star rating; AUC of score for <=2 stars against >=4 stars; each next to the same number for
article length (words) alone, with the paired difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    DEFAULT_DATA,
    Result,
    cli,
    display_path,
    finish,
    metric,
    read_jsonl,
    write_json,
)

NAME = "scorecard"
SCRIPT = "scorecard.py"
STORIES = Path("healthstory") / "dev.jsonl"
RELEASES = Path("healthrelease-criteria") / "dev.jsonl"
RELEASE_KEYS = {"cost": "costs"}  # the release file's criterion key -> ours, where they differ
GOLD = {
    "Satisfactory": "satisfactory",
    "Not Satisfactory": "not_satisfactory",
    "Not Applicable": "not_applicable",
}
SPLITS = ("dev", "held-out")


def held_out(item_id: str) -> bool:
    """The fixed fifth that tuning never sees (see the module docstring for the `// 10`)."""
    return int(hashlib.sha1(item_id.encode("utf-8")).hexdigest(), 16) // 10 % 5 == 0


def split_of(item_id: str) -> str:
    return "held-out" if held_out(item_id) else "dev"


def story_text(row: dict) -> str:
    return f"{row.get('title') or ''}\n\n{row.get('text') or ''}".strip()


def release_text(row: dict) -> str:
    """The release as an article; empty when the file has no text for it (5 rows)."""
    body = (row.get("release_text") or "").strip()
    return f"{row.get('release_title') or ''}\n\n{body}".strip() if body else ""


def release_labels(row: dict) -> dict[str, str]:
    """Our criterion name -> the experts' verdict in our vocabulary."""
    return {
        RELEASE_KEYS.get(c["key"], c["key"]): GOLD[c["answer"]]
        for c in row["criteria"]
        if c["answer"] in GOLD
    }


@dataclass
class Scored:
    """One article of a data file run through the pipeline."""

    item_id: str
    split: str
    words: int
    criteria: dict[str, Any]  # criterion -> CriterionVerdict
    p_not_satisfactory: dict[str, float]  # criterion -> the fitted probability
    score: float | None
    features: dict[str, float]


def run_articles(items: Sequence[tuple[str, str]], settings: Any = None) -> list[Scored]:
    """Run (id, text) pairs through the pipeline (default settings unless given); texts are plain
    text articles."""
    from pipeline.analysis import word_count
    from pipeline.api import Settings, pipeline_for
    from pipeline.extract import extract
    from pipeline.scorecard import scorecard_of

    nlp = pipeline_for(settings or Settings())
    model = nlp.get_pipe("claimscan_scorecard").model
    scored = []
    for item_id, text in items:
        source = extract(text, "text")
        doc = nlp.make_doc(source.text)
        doc._.source = source
        doc = nlp(doc)
        result = scorecard_of(doc)
        p_ns = {c: _sigmoid(m.not_satisfactory(result.features)) for c, m in model.criteria.items()}
        scored.append(
            Scored(
                item_id,
                split_of(item_id),
                word_count(source.text),
                {v.criterion: v for v in result.criteria},
                p_ns,
                result.score,
                result.features,
            )
        )
    return scored


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, x))))


# --------------------------------------------------------------------------- metrics (numpy)


def _ranks(values: Any) -> Any:
    """Tie-averaged 1-based ranks of a 1-d array."""
    import numpy as np

    values = np.asarray(values, dtype=float)
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values))
    sorted_values = values[order]
    boundaries = np.flatnonzero(np.diff(sorted_values)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(values)]))
    for start, end in zip(starts, ends):
        ranks[order[start:end]] = (start + end + 1) / 2
    return ranks


def auc(scores: Any, labels: Any) -> float:
    """P(score of a positive > score of a negative), ties one half."""
    import numpy as np

    labels = np.asarray(labels, dtype=bool)
    positives, negatives = labels.sum(), (~labels).sum()
    if not positives or not negatives:
        return float("nan")
    rank_sum = _ranks(scores)[labels].sum()
    return float((rank_sum - positives * (positives + 1) / 2) / (positives * negatives))


def spearman(x: Any, y: Any) -> float:
    import numpy as np

    rx, ry = _ranks(x), _ranks(y)
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def prf(gold: Any, pred: Any) -> tuple[float, float, float]:
    import numpy as np

    gold = np.asarray(gold, dtype=bool)
    pred = np.asarray(pred, dtype=bool)
    tp = float((gold & pred).sum())
    precision = tp / pred.sum() if pred.sum() else 0.0
    recall = tp / gold.sum() if gold.sum() else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _f1(pred: Any, gold: Any) -> float:
    return prf(gold, pred)[2]


def _interval_against(
    metric_fn: Any, scores: Any, target: Any, resamples: int, seed: int
) -> tuple[float, float]:
    return paired_interval(metric_fn, scores, target, resamples, seed)


def paired_interval(
    metric_fn: Any, scores: Any, target: Any, resamples: int, seed: int
) -> tuple[float, float]:
    """Bootstrap interval of `metric_fn(scores, target)` over resampled items."""
    return bootstrap(lambda i: metric_fn(scores[i], target[i]), len(target), resamples, seed)


def bootstrap(statistic: Any, n: int, resamples: int, seed: int) -> tuple[float, float]:
    """Percentile 95% interval of `statistic(indexes)` over resamples of 0..n-1 with replacement."""
    import numpy as np

    if n == 0 or resamples <= 0:
        return (float("nan"), float("nan"))
    rng = np.random.default_rng(seed)
    values = [statistic(rng.integers(0, n, n)) for _ in range(resamples)]
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return (float("nan"), float("nan"))
    low, high = np.percentile(values, [2.5, 97.5])
    return (float(low), float(high))


# --------------------------------------------------------------------------- evaluations


def evaluate_releases(
    scored: list[Scored], labels: dict[str, dict[str, str]], resamples: int, seed: int
) -> dict[str, dict[str, Any]]:
    """Per criterion: P/R/F1 of not_satisfactory, the always-not_satisfactory F1, AUC of the fitted
    probability and of length alone, with intervals; counts of our not_applicable verdicts."""
    import numpy as np

    out: dict[str, dict[str, Any]] = {}
    criteria = sorted({c for item in labels.values() for c in item}, key=_criterion_order)
    for criterion in criteria:
        rated = [
            s
            for s in scored
            if labels[s.item_id].get(criterion) in ("satisfactory", "not_satisfactory")
        ]
        gold = np.array(
            [labels[s.item_id][criterion] == "not_satisfactory" for s in rated], dtype=bool
        )
        verdicts = [s.criteria[criterion].verdict for s in rated]
        pred = np.array([v == "not_satisfactory" for v in verdicts], dtype=bool)
        probability = np.array([s.p_not_satisfactory[criterion] for s in rated])
        shortness = -np.array([s.words for s in rated], dtype=float)
        always = np.ones(len(rated), dtype=bool)
        p, r, f1 = prf(gold, pred)
        interval = partial(_interval_against, target=gold, resamples=resamples, seed=seed)
        out[criterion] = {
            "n": len(rated),
            "not_satisfactory": int(gold.sum()),
            "precision": p,
            "recall": r,
            "f1": f1,
            "f1_ci": interval(_f1, pred),
            "always_f1": prf(gold, always)[2],
            "always_f1_ci": interval(_f1, always),
            "auc": auc(probability, gold),
            "auc_ci": interval(auc, probability),
            "length_auc": auc(shortness, gold),
            "length_auc_ci": interval(auc, shortness),
            "ours_not_applicable": sum(v == "not_applicable" for v in verdicts),
            "experts_not_applicable": sum(
                1 for s in scored if labels[s.item_id].get(criterion) == "not_applicable"
            ),
            "both_not_applicable": sum(
                1
                for s in scored
                if labels[s.item_id].get(criterion) == "not_applicable"
                and s.criteria[criterion].verdict == "not_applicable"
            ),
        }
    return out


def evaluate_stories(
    scored: list[Scored], rows: dict[str, dict], resamples: int, seed: int
) -> dict[str, Any]:
    """Spearman of criteria_met with num_satisfactory and of score with the rating, AUC of score for
    <=2 against >=4 stars: each with length alone and the paired difference, with intervals."""
    import numpy as np

    met = np.array(
        [sum(v.verdict == "satisfactory" for v in s.criteria.values()) for s in scored], dtype=float
    )
    score = np.array([s.score if s.score is not None else np.nan for s in scored], dtype=float)
    words = np.array([s.words for s in scored], dtype=float)
    satisfied = np.array([rows[s.item_id]["num_satisfactory"] for s in scored], dtype=float)
    rating = np.array([rows[s.item_id]["rating"] for s in scored], dtype=float)
    extreme = (rating <= 2) | (rating >= 4)
    good = rating[extreme] >= 4

    def compare(
        name: str, ours: Any, target: Any, metric_fn: Any, mask: Any = None
    ) -> dict[str, Any]:
        ours_m = ours if mask is None else ours[mask]
        words_m = words if mask is None else words[mask]
        n = len(target)
        return {
            "n": n,
            name: metric_fn(ours_m, target),
            f"{name}_ci": bootstrap(lambda i: metric_fn(ours_m[i], target[i]), n, resamples, seed),
            "length": metric_fn(words_m, target),
            "length_ci": bootstrap(lambda i: metric_fn(words_m[i], target[i]), n, resamples, seed),
            "difference_ci": bootstrap(
                lambda i: metric_fn(ours_m[i], target[i]) - metric_fn(words_m[i], target[i]),
                n,
                resamples,
                seed,
            ),
        }

    return {
        "stories": len(scored),
        "criteria_met_vs_num_satisfactory": compare("spearman", met, satisfied, spearman),
        "score_vs_rating": compare("spearman", score, rating, spearman),
        "score_auc_good_vs_poor": {
            **compare("auc", score, good, auc, extreme),
            "good": int(good.sum()),
            "poor": int((~good).sum()),
        },
        "mean_criteria_met": float(met.mean()) if len(met) else float("nan"),
    }


def _criterion_order(name: str) -> int:
    from pipeline.analysis import CRITERIA

    return CRITERIA.index(name) if name in CRITERIA else len(CRITERIA)


# --------------------------------------------------------------------------- printing


def _fmt(value: float) -> str:
    return (
        "  n/a"
        if value is None or (isinstance(value, float) and math.isnan(value))
        else f"{value:.3f}"
    )


def _ci(interval: tuple[float, float]) -> str:
    return f"[{_fmt(interval[0])}, {_fmt(interval[1])}]"


def print_releases(split: str, results: dict[str, dict[str, Any]]) -> None:
    print(
        f"\nrelease file, {split}: not_satisfactory is the positive class "
        "(F1 with 95% bootstrap interval)"
    )
    print(
        f"  {'criterion':<21} {'n':>4} {'NS':>4}  {'P':>5} {'R':>5}  {'F1':>5} {'interval':<15} "
        f"{'always-NS F1':>12}  {'AUC':>5} {'interval':<15} {'length AUC':>10}  "
        "ours NA / experts NA"
    )
    for criterion, m in results.items():
        print(
            f"  {criterion:<21} {m['n']:>4} {m['not_satisfactory']:>4}  {_fmt(m['precision']):>5} "
            f"{_fmt(m['recall']):>5}  {_fmt(m['f1']):>5} {_ci(m['f1_ci']):<15} "
            f"{_fmt(m['always_f1']):>12}  "
            f"{_fmt(m['auc']):>5} {_ci(m['auc_ci']):<15} {_fmt(m['length_auc']):>10}  "
            f"{m['ours_not_applicable']} / {m['experts_not_applicable']} "
            f"(both {m['both_not_applicable']})"
        )


def print_stories(split: str, results: dict[str, Any]) -> None:
    print(
        f"\nstory file, {split}: {results['stories']} stories "
        "(95% bootstrap intervals; difference = ours - length)"
    )
    rows = (
        (
            "criteria_met vs num_satisfactory (Spearman)",
            "criteria_met_vs_num_satisfactory",
            "spearman",
        ),
        ("score vs rating (Spearman)", "score_vs_rating", "spearman"),
        ("score AUC, >=4 vs <=2 stars", "score_auc_good_vs_poor", "auc"),
    )
    for label, key, name in rows:
        m = results[key]
        extra = f" ({m['good']} good, {m['poor']} poor)" if "good" in m else ""
        print(
            f"  {label:<44} ours {_fmt(m[name])} {_ci(m[f'{name}_ci'])}   "
            f"length {_fmt(m['length'])} "
            f"{_ci(m['length_ci'])}   difference {_ci(m['difference_ci'])}{extra}"
        )


# --------------------------------------------------------------------------- main


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--stories", type=Path, help=f"healthstory dev.jsonl (default: DATA/{STORIES})"
    )
    parser.add_argument(
        "--releases", type=Path, help=f"healthrelease-criteria dev.jsonl (default: DATA/{RELEASES})"
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help=f"shared data folder holding both datasets (default: {display_path(DEFAULT_DATA)})",
    )
    parser.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="FILE",
        help="also write the metrics (aggregate numbers only) as JSON to FILE, or to stdout",
    )
    parser.add_argument(
        "--bootstrap",
        type=int,
        default=1000,
        metavar="N",
        help="bootstrap resamples (default 1000)",
    )
    parser.add_argument("--seed", type=int, default=12, help="bootstrap seed (default 12)")
    parser.add_argument(
        "--splits",
        nargs="+",
        choices=SPLITS,
        default=list(SPLITS),
        help="which parts to report (default both; tune looking at dev only)",
    )
    return parser


def data_paths(args: argparse.Namespace) -> tuple[Path, Path]:
    return (args.stories or Path(args.data) / STORIES, args.releases or Path(args.data) / RELEASES)


def main(argv: Sequence[str] | None = None) -> Result:
    args = make_parser().parse_args(argv)
    stories_path, releases_path = data_paths(args)
    present = [p for p in (stories_path, releases_path) if p.is_file()]
    if not present:
        print(f"{NAME}: skipped (no {display_path(stories_path)} or {display_path(releases_path)})")
        return {"benchmark": NAME, "status": "skipped", "metrics": [], "seconds": 0.0}
    started = time.perf_counter()
    report: dict[str, Any] = {"held_out_rule": "int(sha1(id).hexdigest(), 16) // 10 % 5 == 0"}
    metrics = []
    if releases_path.is_file():
        rows = [r for r in read_jsonl(releases_path) if release_text(r)]
        labels = {r["id"]: release_labels(r) for r in rows}
        scored = run_articles([(r["id"], release_text(r)) for r in rows])
        report["releases"] = {}
        for split in args.splits:
            part = [s for s in scored if s.split == split]
            results = evaluate_releases(part, labels, args.bootstrap, args.seed)
            report["releases"][split] = {"releases": len(part), "criteria": results}
            print_releases(f"{split} ({len(part)} releases)", results)
            for criterion, m in results.items():
                metrics.append(
                    metric(
                        f"{split} {criterion} F1 (not_satisfactory)",
                        m["f1"],
                        f"always-NS {m['always_f1']:.3f}",
                        m["n"],
                    )
                )
                metrics.append(
                    metric(
                        f"{split} {criterion} AUC",
                        m["auc"],
                        f"length {m['length_auc']:.3f}",
                        m["n"],
                    )
                )
    if stories_path.is_file():
        rows = read_jsonl(stories_path)
        by_id = {r["id"]: r for r in rows}
        scored = run_articles([(r["id"], story_text(r)) for r in rows])
        report["stories"] = {}
        for split in args.splits:
            part = [s for s in scored if s.split == split]
            results = evaluate_stories(part, by_id, args.bootstrap, args.seed)
            report["stories"][split] = results
            print_stories(split, results)
            for label, key, name in (
                ("criteria_met Spearman", "criteria_met_vs_num_satisfactory", "spearman"),
                ("score Spearman (rating)", "score_vs_rating", "spearman"),
                ("score AUC (>=4 vs <=2 stars)", "score_auc_good_vs_poor", "auc"),
            ):
                m = results[key]
                metrics.append(
                    metric(f"{split} {label}", m[name], f"length {m['length']:.3f}", m["n"])
                )
    # finish() writes args.json itself; this script also takes a bare --json (stdout).
    json_arg = args.json
    args.json = None
    result = finish(NAME, SCRIPT, args, metrics, started, {"report": report})
    if json_arg == "-":
        print(_json_text(result))
    elif json_arg:
        write_json(Path(json_arg), result)
    return result


def _json_text(payload: Any) -> str:
    from benchmarks.common import _finite

    return json.dumps(_finite(payload), indent=2, ensure_ascii=False)


if __name__ == "__main__":
    sys.exit(cli(main))
