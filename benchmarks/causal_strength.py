"""causal-strength: our claim strength against Yu et al.'s 4-class causal-language labels.

    python benchmarks/causal_strength.py [--data ../shared/data] [--errors 5]

Data: causal-strength/annotated_pubmed.csv (sentence,label) and annotated_eureka.csv
(sentId,sentence,label); labels 0 none, 1 correlational, 2 conditional causal, 3 direct causal.
Each sentence goes through the full pipeline as one paragraph; its strength is the strongest of
its units (the same `span._.strength` that drives CAUSAL_FROM_OBSERVATIONAL), mapped
none→0, correlational→1, conditional→2, can-causal→3, direct→3. No training: the rules are
applied as they are. Published: BioBERT, 5-fold CV, PubMed macro-F1 0.878 / acc 0.895;
EurekAlert (with augmentation) macro-F1 0.892 / acc 0.890.
"""

from __future__ import annotations

import csv
import html
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    YU_NAMES, Result, accuracy, analyse_sentences, cli, confusion_table, find_dataset, finish,
    macro_f1, make_parser, metric, per_class, print_examples, print_per_class, skipped,
)

NAME = "causal-strength"
SCRIPT = "causal_strength.py"
DATASET = "causal-strength"
FILES = {"PubMed": "annotated_pubmed.csv", "EurekAlert": "annotated_eureka.csv"}
LABELS = (0, 1, 2, 3)
PUBLISHED = {
    ("PubMed", "macro-F1"): "0.878 (BioBERT, 5-fold CV)",
    ("PubMed", "accuracy"): "0.895 (BioBERT, 5-fold CV)",
    ("EurekAlert", "macro-F1"): "0.892 (BioBERT + augmentation, 5-fold CV)",
    ("EurekAlert", "accuracy"): "0.890 (BioBERT + augmentation, 5-fold CV)",
}


def read_rows(path: Path) -> list[tuple[str, int]]:
    """(sentence, label) pairs. HTML entities (a few EurekAlert rows) are decoded; mojibake is
    kept."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (html.unescape(row["sentence"]), int(row["label"])) for row in csv.DictReader(handle)
        ]


def main(argv: Sequence[str] | None = None) -> Result:
    args = make_parser(__doc__).parse_args(argv)
    folder = find_dataset(args.data, DATASET, list(FILES.values()))
    if folder is None:
        return skipped(NAME, args.data, DATASET, list(FILES.values()))
    started = time.perf_counter()
    metrics = []
    for corpus, filename in FILES.items():
        rows = read_rows(folder / filename)
        analyses = analyse_sentences(text for text, _ in rows)
        gold = [label for _, label in rows]
        pred = [a.yu_level for a in analyses]
        f1, acc = macro_f1(gold, pred, LABELS), accuracy(gold, pred)
        metrics.append(metric(f"{corpus} macro-F1 (4 classes)", f1,
                              PUBLISHED[(corpus, "macro-F1")], len(gold)))
        metrics.append(metric(f"{corpus} accuracy", acc,
                              PUBLISHED[(corpus, "accuracy")], len(gold)))
        print(f"\n{corpus} ({filename}, n={len(gold)}): macro-F1 {f1:.3f}, accuracy {acc:.3f}")
        print_per_class("per class:", per_class(gold, pred, LABELS), YU_NAMES)
        print("  " + confusion_table(gold, pred, LABELS, YU_NAMES).replace("\n", "\n  "))
        fine = Counter((YU_NAMES[g], a.strength) for g, a in zip(gold, analyses))
        print("  gold x our 5 levels: "
              + ", ".join(f"{g}/{s} {c}" for (g, s), c in sorted(fine.items())))
        if args.errors:
            pairs = Counter((g, p) for g, p in zip(gold, pred) if g != p)
            for (g, p), count in pairs.most_common():
                examples = [
                    f"[{a.strength}{' cue=' + repr(a.strength_cue) if a.strength_cue else ''}"
                    f"{' hedges=' + ','.join(a.hedges) if a.hedges else ''}] {text}"
                    for (text, label), a in zip(rows, analyses) if label == g and a.yu_level == p
                ]
                print_examples(f"{corpus}: gold {YU_NAMES[g]} -> ours {YU_NAMES[p]}", examples,
                               args.errors)
    return finish(NAME, SCRIPT, args, metrics, started)


if __name__ == "__main__":
    sys.exit(cli(main))
