"""Real news: claimscan against the real-news gold (corpus/real/gold.json) and HealthNewsReview's
star ratings of all 857 dev stories.

    python benchmarks/real_news.py [--data ../shared/data] [--split dev|test|both]
        [--misses N] [--json FILE]

Data: healthstory/dev.jsonl (copyrighted news: read in place, never copied into the repository).
Each story is analysed as a plain-text article, its headline on the first line (a heading block)
and its body after a blank line, under the name `<story id>.txt`.

Two measurements:
1. Gold (annotated stories, docs/annotation-guide-real-news.md): is_claim, hedged and
   unsupported P/R/F1, each with a 95% interval from resampling whole stories (the held-out part
   is small: a handful of stories moves its numbers), journal F1, sample-size and duration
   accuracy, per flag code how many of the gold-labelled sentences it lands on are unsupported
   in the gold. Reported for the dev part
   (rules were tuned on it) and the held-out test part (never tuned on) side by side. `--misses N`
   lists misses of the dev part only: the test part's misses are not shown, by design.
2. Ratings (all 857 stories): AUC of the share of claims flagged unsupported for the stories the
   experts rated <= 2 stars against >= 4 stars (lower share = better story, so the score is the
   share and the positive class is <= 2 stars), with a bootstrap 95% interval, next to the
   length-only baseline (fewer words = worse story).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (  # noqa: E402
    REPO, Result, auc, cli, find_dataset, finish, make_parser, metric, read_jsonl, skipped,
)

NAME = "real-news"
SCRIPT = "real_news.py"
DATASET = "healthstory"
FILE = "dev.jsonl"
GOLD = REPO / "corpus" / "real" / "gold.json"
SPLITS = ("dev", "test")
BOOTSTRAP_ROUNDS = 1000


def story_text(story: dict) -> str:
    """The article claimscan reads: the headline, a blank line, the body."""
    return f"{story['title'].strip()}\n\n{story['text'].strip()}\n"


def analyse_stories(stories: Sequence[dict], jobs: int = 2) -> tuple[Any, Any, list]:
    """claims, studies and errors of the stories, each written to a temp folder as `<id>.txt`."""
    from pipeline.api import scan

    with tempfile.TemporaryDirectory(prefix="claimscan-real-") as folder:
        for story in stories:
            (Path(folder) / f"{story['id']}.txt").write_text(story_text(story), encoding="utf-8")
        result = scan([folder], jobs=jobs)
    if result.errors:
        # A failing story would silently score as an empty one; say so, and stop if none ran.
        first = result.errors[0]
        print(f"real-news: {len(result.errors)} of {len(stories)} stories failed, e.g. "
              f"{first.article}: {first.stage}: {first.error}", file=sys.stderr)
        if len(result.errors) == len(stories):
            raise SystemExit(1)
    return result.claims, result.studies, result.errors


def gold_scores(stories: dict[str, dict], gold: dict[str, Any], split: str,
                jobs: int = 2) -> dict[str, Any]:
    """The evaluator's summary over the gold stories of one split (and the misses)."""
    from pipeline.evaluate import evaluate

    part = {sid: entry for sid, entry in gold.items() if entry.get("split") == split}
    claims, studies, _ = analyse_stories([stories[sid] for sid in sorted(part)], jobs)
    report = evaluate(claims, studies, part)
    per_story = [evaluate(claims, studies, {sid: entry}).labels for sid, entry in part.items()]
    intervals = {label: story_intervals([labels[label] for labels in per_story])
                 for label in INTERVAL_LABELS}
    return {**report.summary(), "intervals": intervals, "misses": report.misses}


INTERVAL_LABELS = ("claim", "hedged", "unsupported")


def story_intervals(per_story: Sequence[Any], seed: int = 0,
                    rounds: int = BOOTSTRAP_ROUNDS) -> dict[str, tuple[float, float]]:
    """Percentile 95% intervals of precision, recall and F1, resampling whole stories (the
    sentences of one story are not independent of each other)."""
    from pipeline.evaluate import Counts

    values: dict[str, list[float]] = {"precision": [], "recall": [], "f1": []}
    for sample in _resamples(len(per_story), seed, rounds):
        total = Counts()
        for c in (per_story[i] for i in sample):
            total.tp, total.fp, total.fn = total.tp + c.tp, total.fp + c.fp, total.fn + c.fn
        scores = total.scores()
        for part, bucket in values.items():
            bucket.append(scores[part])
    return {part: _interval(v) for part, v in values.items()}


def _resamples(n: int, seed: int, rounds: int) -> Iterator[list[int]]:
    """`rounds` resamples of the indexes 0..n-1, with replacement."""
    rng = random.Random(seed)
    for _ in range(rounds):
        yield [rng.randrange(n) for _ in range(n)]


def _interval(values: Iterable[float]) -> tuple[float, float]:
    """The percentile 95% interval of some resampled values (undefined ones left out)."""
    ordered = sorted(v for v in values if v == v)
    return (round(ordered[int(0.025 * len(ordered))], 3),
            round(ordered[int(0.975 * len(ordered)) - 1], 3))


def rating_auc(stories: Sequence[dict], jobs: int = 2, seed: int = 0) -> dict[str, Any]:
    """AUC of the unsupported share (<= 2 stars vs >= 4 stars) and of the length-only baseline."""
    claims, _, _ = analyse_stories(stories, jobs)
    per_article: dict[str, list[int]] = {}
    for article, is_claim, unsupported, severity in zip(
            claims["article"], claims["is_claim"], claims["unsupported"], claims["severity"]):
        counts = per_article.setdefault(article.rsplit(".", 1)[0], [0, 0, 0])
        counts[0] += bool(is_claim)
        counts[1] += bool(unsupported)
        counts[2] += severity == "error"
    rows = []
    for story in stories:
        if story["rating"] in (3,) or story["id"] not in per_article:
            continue
        n_claims, n_unsupported, n_errors = per_article[story["id"]]
        share = n_unsupported / n_claims if n_claims else 0.0
        words = len(story["text"].split())
        rows.append((story["rating"] <= 2, share, -words, n_errors > 0))
    low = [r[0] for r in rows]
    out = {"stories": len(rows), "low": sum(low), "high": len(rows) - sum(low)}
    # what `claimscan check` does by default (fail on a finding of severity error), per group
    for group, is_low in (("low", True), ("high", False)):
        failed = [r[3] for r in rows if r[0] is is_low]
        out[f"gate_fails_{group}"] = sum(failed) / len(failed) if failed else 0.0
    for name, column in (("unsupported_share", 1), ("length_baseline", 2)):
        scores = [r[column] for r in rows]
        out[name] = {"auc": auc(scores, low), "ci95": bootstrap_auc(scores, low, seed)}
    return out


def bootstrap_auc(scores: Sequence[float], labels: Sequence[bool], seed: int = 0,
                  rounds: int = BOOTSTRAP_ROUNDS) -> tuple[float, float]:
    """Percentile 95% interval of the AUC over stories resampled with replacement."""
    return _interval(auc([scores[i] for i in sample], [labels[i] for i in sample])
                     for sample in _resamples(len(scores), seed, rounds))


def main(argv: Sequence[str] | None = None) -> Result:
    parser = make_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=Path, default=GOLD,
                        help="real-news gold (default: corpus/real/gold.json)")
    parser.add_argument("--split", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--misses", type=int, default=0, metavar="N",
                        help="list N misses per label (dev part only)")
    parser.add_argument("--no-ratings", action="store_true", help="skip the 857-story ratings AUC")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    folder = find_dataset(args.data, DATASET, [FILE])
    if folder is None or not args.gold.is_file():
        return skipped(NAME, args.data, DATASET, [FILE])
    started = time.perf_counter()
    from pipeline.evaluate import load_gold

    stories = {row["id"]: row for row in read_jsonl(folder / FILE)}
    gold = load_gold(args.gold)
    metrics, extra = [], {"splits": {}}
    for split in SPLITS if args.split == "both" else (args.split,):
        summary = gold_scores(stories, gold, split, args.jobs)
        misses = summary.pop("misses")
        extra["splits"][split] = summary
        for label in ("claim", "hedged", "unsupported", "journal"):
            s = summary[label]
            for part in ("precision", "recall", "f1"):
                low, high = summary["intervals"].get(label, {}).get(part, (None, None))
                ci = f" [{low:.3f}, {high:.3f}]" if low is not None else ""
                metrics.append(metric(f"{split} {label} {part}{ci}", s[part], n=s["support"]))
        for label in ("sample_size", "duration", "design"):
            metrics.append(metric(f"{split} {label} accuracy", summary[label]["accuracy"],
                                  n=summary[label]["n"]))
        print_flag_precision(split, summary["flag_precision"])
        if args.misses and split == "dev":
            print_misses(misses, args.misses)
        elif args.misses:
            print(f"  ({split}: misses of the held-out part are not shown)")
    if not args.no_ratings:
        ratings = rating_auc(list(stories.values()), args.jobs)
        extra["ratings"] = ratings
        for name in ("unsupported_share", "length_baseline"):
            low, high = ratings[name]["ci95"]
            metrics.append(metric(f"ratings AUC <=2 vs >=4 stars, {name} (95% CI {low}-{high})",
                                  ratings[name]["auc"], n=ratings["stories"]))
        for group, stars in (("low", "<=2"), ("high", ">=4")):
            metrics.append(metric(f"ratings: share of {stars}-star stories the default gate fails",
                                  ratings[f"gate_fails_{group}"], n=ratings[group]))
    return finish(NAME, SCRIPT, args, metrics, started, extra)


def print_flag_precision(split: str, table: dict[str, dict]) -> None:
    print(f"\n  {split}: per flag, gold-labelled sentences it lands on "
          "(right = unsupported in the gold)")
    for code, row in sorted(table.items(), key=lambda kv: -(kv[1]["right"] + kv[1]["wrong"])):
        precision = "n/a" if row["precision"] is None else f"{row['precision']:.2f}"
        print(f"    {code:<28} right {row['right']:>3}  wrong {row['wrong']:>3}  "
              f"precision {precision}")


def print_misses(misses: list[dict], n: int) -> None:
    """Dev misses, terminal only (they quote dataset text)."""
    by_label: dict[str, list[dict]] = {}
    for miss in misses:
        by_label.setdefault(miss["label"], []).append(miss)
    for label, rows in sorted(by_label.items()):
        print(f"\n  -- dev misses, {label}: {len(rows)} (showing {min(n, len(rows))})")
        for miss in rows[:n]:
            print(f"     [{miss['article']}] expected={miss['expected']} got={miss['got']}: "
                  f"{miss['anchor']}")


if __name__ == "__main__":
    sys.exit(cli(main))
