"""Shared pieces of the external benchmarks: arguments, skipping, running sentences through the
pipeline, and the metrics (plain Python: no numpy/scipy/sklearn needed).

Every benchmark script has a `main(argv) -> dict` that parses `--data PATH` (the shared data
folder holding `<dataset>/`, or the dataset folder itself), `--errors N` (print N example errors
to the terminal, never to a file) and `--json FILE` (aggregate numbers only). When the data is
absent the script prints a "skipped" line and exits 0. The labelled data is read in place and is
never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"

# Our five strength levels, weakest first, and their image in the 4-class scheme of Yu et al.
# 2019 (0 none, 1 correlational, 2 conditional causal, 3 direct causal). Yu et al. annotate
# "can + effect verb" as direct causal, so can-causal maps to 3.
STRENGTHS = ("none", "correlational", "conditional", "can-causal", "direct")
_RANK = {name: i for i, name in enumerate(STRENGTHS)}
YU_LEVEL = {"none": 0, "correlational": 1, "conditional": 2, "can-causal": 3, "direct": 3}
YU_NAMES = {0: "none", 1: "correlational", 2: "conditional", 3: "direct"}

Result = dict[str, Any]


# --------------------------------------------------------------------------- arguments, skipping


def make_parser(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help="shared data folder holding the dataset folder, or the dataset folder "
                             f"itself (default: {display_path(DEFAULT_DATA)})")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print N example errors per error class to the terminal (dataset "
                             "text: never redirect into the repo)")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="also write the metrics (aggregate numbers only) as JSON")
    return parser


def find_dataset(data: Path, dataset: str, required: Sequence[str]) -> Path | None:
    """The folder holding all `required` files: `data/<dataset>/` or `data` itself; None if
    absent."""
    for folder in (Path(data) / dataset, Path(data)):
        if all((folder / name).is_file() for name in required):
            return folder
    return None


def skipped(name: str, data: Path, dataset: str, required: Sequence[str]) -> Result:
    print(f"{name}: skipped (no {dataset}/{{{', '.join(required)}}} under {display_path(data)})")
    return {"benchmark": name, "status": "skipped", "metrics": [], "seconds": 0.0}


def display_path(path: Path) -> str:
    """A path as a user would type it from the repository root."""
    try:
        return os.path.relpath(Path(path).resolve(), REPO)
    except ValueError:  # another drive on Windows
        return str(path)


def command(script: str, args: argparse.Namespace) -> str:
    parts = [f"python benchmarks/{script}"]
    if Path(args.data).resolve() != DEFAULT_DATA.resolve():
        parts.append(f"--data {display_path(args.data)}")
    return " ".join(parts)


def metric(name: str, ours: float | None, published: str = "—",
           n: int | None = None) -> dict[str, Any]:
    return {"metric": name, "ours": ours, "published": published, "n": n}


def finish(name: str, script: str, args: argparse.Namespace, metrics: list[dict[str, Any]],
           started: float, extra: dict[str, Any] | None = None) -> Result:
    """Print the metrics, write `--json` if asked, and return the result record."""
    result = {
        "benchmark": name,
        "status": "ok",
        "metrics": metrics,
        "seconds": round(time.perf_counter() - started, 2),
        "date": date.today().isoformat(),
        "command": command(script, args),
        **(extra or {}),
    }
    print(f"\n{name} ({result['seconds']:.1f} s)")
    width = max(len(m["metric"]) for m in metrics) if metrics else 10
    for m in metrics:
        n = f"  (n={m['n']})" if m.get("n") is not None else ""
        print(f"  {m['metric']:<{width}}  {fmt(m['ours']):>6}   published: {m['published']}{n}")
    if args.json:
        write_json(args.json, result)
    return result


def read_jsonl(path: Path) -> list[dict]:
    """Rows of a JSON Lines file (blank lines skipped)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_json(path: Path, payload: Any) -> None:
    Path(path).write_text(json.dumps(_finite(payload), indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def fmt(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.3f}"


def cli(main: Callable[[Sequence[str] | None], Result]) -> int:
    """Entry point of a script: run `main`; exit 0 when it ran or skipped."""
    main(sys.argv[1:])
    return 0


# --------------------------------------------------------------------------- the pipeline

_NLP = None


def load_nlp():
    global _NLP
    if _NLP is None:
        from pipeline.nlp import load_pipeline

        _NLP = load_pipeline()
    return _NLP


@dataclass(frozen=True)
class SentenceAnalysis:
    """What the pipeline says about one input sentence (possibly several units of ours)."""

    text: str
    strength: str  # max over the units, on our 5-level scale
    strength_cue: str
    hedges: tuple[str, ...]  # hedge cues proper (caveats excluded)
    caveats: tuple[str, ...]  # "more research is needed" & co.
    boosters: tuple[str, ...]
    journals: tuple[str, ...]  # journal titles found by the citations component, as written
    flags: tuple[str, ...]  # flag codes over all units
    units: int

    @property
    def yu_level(self) -> int:
        return YU_LEVEL[self.strength]


def _make_doc(nlp, text: str):
    from pipeline.source import Block, SourceText

    doc = nlp.make_doc(text)
    # One paragraph block: a lone sentence must not be taken for a heading.
    doc._.source = SourceText(text=text, blocks=[Block(0, len(text), "paragraph", ((0, 1, 1),))],
                              format="text")
    return doc


def analyse_sentences(texts: Iterable[str], batch_size: int = 256) -> list[SentenceAnalysis]:
    """Run each text through the pipeline as one paragraph; combine its units."""
    nlp = load_nlp()
    texts = [t if t is not None else "" for t in texts]
    results = []
    for text, doc in zip(texts, nlp.pipe((_make_doc(nlp, t) for t in texts),
                                         batch_size=batch_size)):
        results.append(_combine(text, doc))
    return results


def _combine(text: str, doc) -> SentenceAnalysis:
    from pipeline.extensions import CITATIONS, unit_records

    units = unit_records(doc)
    strength, cue = "none", ""
    hedges: list[str] = []
    caveats: list[str] = []
    boosters: list[str] = []
    flags: list[str] = []
    for unit in units:
        if _RANK.get(unit.strength, 0) > _RANK[strength]:
            strength, cue = unit.strength, unit.strength_cue
        hedges += unit.cue_texts("hedge")
        caveats += unit.caveats
        boosters += unit.boosters
        flags += [flag.code for flag in unit.flags]
    journals = tuple(
        (s.kb_id_ or s.text)
        for s in (doc.spans[CITATIONS] if CITATIONS in doc.spans else [])
        if s.label_ == "journal"
    )
    return SentenceAnalysis(text, strength, cue, tuple(hedges), tuple(caveats), tuple(boosters),
                            journals, tuple(flags), len(units))


# --------------------------------------------------------------------------- metrics


def accuracy(gold: Sequence, pred: Sequence) -> float:
    if not gold:
        return float("nan")
    return sum(g == p for g, p in zip(gold, pred)) / len(gold)


def per_class(gold: Sequence, pred: Sequence,
              labels: Sequence | None = None) -> dict[Any, dict[str, float]]:
    """Precision, recall, F1 and support of each label (0 where undefined, as sklearn's
    zero_division=0)."""
    labels = list(labels) if labels is not None else sorted(set(gold) | set(pred))
    out = {}
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, pred))
        fp = sum(g != label and p == label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        precision, recall, f1 = _prf(tp, fp, fn)
        out[label] = {"precision": precision, "recall": recall, "f1": f1, "support": tp + fn}
    return out


def macro_f1(gold: Sequence, pred: Sequence, labels: Sequence | None = None) -> float:
    """Unweighted mean of per-class F1 over `labels` (default: every label seen in gold or pred).
    A listed label that occurs in neither gold nor pred has no defined F1 and is left out."""
    seen = set(gold) | set(pred)
    scores = [s["f1"] for label, s in per_class(gold, pred, labels).items() if label in seen]
    return sum(scores) / len(scores) if scores else float("nan")


def precision_recall_f1(gold: Sequence[bool], pred: Sequence[bool]) -> tuple[float, float, float]:
    """Binary precision, recall and F1 of the positive class."""
    tp = sum(bool(g) and bool(p) for g, p in zip(gold, pred))
    fp = sum(not g and bool(p) for g, p in zip(gold, pred))
    fn = sum(bool(g) and not p for g, p in zip(gold, pred))
    return _prf(tp, fp, fn)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    """Pearson's r; NaN when either side is constant."""
    n = len(x)
    if n < 2:
        return float("nan")
    mx, my = sum(x) / n, sum(y) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sxx = sum((a - mx) ** 2 for a in x)
    syy = sum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return float("nan")
    return sxy / math.sqrt(sxx * syy)


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks; ties get the average of the ranks they span."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        average = (i + j) / 2 + 1
        for k in range(i, j + 1):
            result[order[k]] = average
        i = j + 1
    return result


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho: Pearson's r of the (tie-averaged) ranks."""
    return pearson(ranks(x), ranks(y))


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Area under the ROC curve = P(score of a random positive > score of a random negative),
    ties counting one half (the Mann-Whitney U statistic over n_pos * n_neg)."""
    positives = sum(1 for label in labels if label)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    r = ranks(scores)
    rank_sum = sum(rank for rank, label in zip(r, labels) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def confusion_table(gold: Sequence, pred: Sequence, labels: Sequence,
                    names: dict | None = None) -> str:
    """A small text confusion matrix: rows gold, columns predicted."""
    names = names or {}
    counts = Counter(zip(gold, pred))
    head = [str(names.get(label, label)) for label in labels]
    width = max(8, *(len(h) for h in head))
    lines = ["gold \\ pred".ljust(width) + "".join(h.rjust(width + 1) for h in head)]
    for g in labels:
        lines.append(str(names.get(g, g)).ljust(width)
                     + "".join(str(counts[(g, p)]).rjust(width + 1) for p in labels))
    return "\n".join(lines)


def print_per_class(title: str, scores: dict[Any, dict[str, float]],
                    names: dict | None = None) -> None:
    names = names or {}
    print(f"  {title}")
    for label, s in scores.items():
        print(f"    {str(names.get(label, label)):<14} P {s['precision']:.3f}  "
              f"R {s['recall']:.3f}  F1 {s['f1']:.3f}  n={s['support']}")


def print_examples(title: str, rows: Sequence[str], n: int) -> None:
    """Example errors, terminal only (they contain dataset text)."""
    if n <= 0 or not rows:
        return
    print(f"\n  -- {title}: {len(rows)} (showing {min(n, len(rows))})")
    for row in rows[:n]:
        print(f"     {row}")
