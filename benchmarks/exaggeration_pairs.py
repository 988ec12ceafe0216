"""exaggeration-pairs: does the press release state a finding more strongly than the abstract?

    python benchmarks/exaggeration_pairs.py [--data ../shared/data] [--errors 5]

Data: exaggeration-pairs/insciout_test.jsonl (Wright & Augenstein 2021; labels from Sumner et al.
2014 / Bratton et al. 2019): press_release_conclusion + abstract_conclusion, each with a 0-3
strength, and exaggeration_label = sign(press-release strength − abstract strength). We map our
strength of each side to the same 4 levels (none→0, correlational→1, conditional→2,
can-causal/direct→3) and predict exaggerates / same / downplays from the sign of the difference.
Metric: macro-F1 over the 3 labels on the test file (the paper's test set); the train file is
not used (nothing is fitted).
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    read_jsonl,
    YU_NAMES, Result, accuracy, analyse_sentences, cli, confusion_table, find_dataset, finish,
    macro_f1, make_parser, metric, per_class, print_examples, print_per_class, skipped,
)

NAME = "exaggeration-pairs"
SCRIPT = "exaggeration_pairs.py"
DATASET = "exaggeration-pairs"
FILE = "insciout_test.jsonl"
LABELS = ("exaggerates", "same", "downplays")
STRENGTH_LABELS = (0, 1, 2, 3)
PUBLISHED = "not retrieved (MT-PET, Wright & Augenstein 2021)"


def exaggeration(press_release: int, abstract: int) -> str:
    """The label the dataset uses: the sign of press-release strength minus abstract strength."""
    if press_release > abstract:
        return "exaggerates"
    if press_release < abstract:
        return "downplays"
    return "same"


def main(argv: Sequence[str] | None = None) -> Result:
    args = make_parser(__doc__).parse_args(argv)
    folder = find_dataset(args.data, DATASET, [FILE])
    if folder is None:
        return skipped(NAME, args.data, DATASET, [FILE])
    started = time.perf_counter()
    rows = read_jsonl(folder / FILE)
    press = analyse_sentences(row["press_release_conclusion"] for row in rows)
    abstract = analyse_sentences(row["abstract_conclusion"] for row in rows)
    gold = [row["exaggeration_label"] for row in rows]
    pred = [exaggeration(p.yu_level, a.yu_level) for p, a in zip(press, abstract)]
    f1, acc = macro_f1(gold, pred, LABELS), accuracy(gold, pred)
    print(f"\ntest (n={len(gold)}): macro-F1 {f1:.3f}, accuracy {acc:.3f}")
    print_per_class("per class:", per_class(gold, pred, LABELS))
    print("  " + confusion_table(gold, pred, LABELS).replace("\n", "\n  "))
    metrics = [metric("test macro-F1 (exaggerates/same/downplays)", f1, PUBLISHED, len(gold)),
               metric("test accuracy", acc, "—", len(gold))]
    for side, key, analyses in (("press release", "press_release_strength", press),
                                ("abstract", "abstract_strength", abstract)):
        g = [int(row[key]) for row in rows]
        p = [a.yu_level for a in analyses]
        side_f1 = macro_f1(g, p, STRENGTH_LABELS)
        print(f"  {side} strength (4 classes): macro-F1 {side_f1:.3f}, "
              f"accuracy {accuracy(g, p):.3f}")
        metrics.append(metric(f"test {side} strength macro-F1 (4 classes)", side_f1, "—", len(g)))
    if args.errors:
        for (g, p), count in Counter((g, p) for g, p in zip(gold, pred) if g != p).most_common():
            examples = [
                f"PR gold {YU_NAMES[row['press_release_strength']]} ours {pr.strength} "
                f"({pr.strength_cue or '-'}) | "
                f"abstract gold {YU_NAMES[row['abstract_strength']]} ours {ab.strength} "
                f"({ab.strength_cue or '-'}) | "
                f"PR: {row['press_release_conclusion']} || ABSTRACT: {row['abstract_conclusion']}"
                for row, pr, ab, gg, pp in zip(rows, press, abstract, gold, pred)
                if gg == g and pp == p
            ]
            print_examples(f"gold {g} -> ours {p}", examples, args.errors)
    return finish(NAME, SCRIPT, args, metrics, started)


if __name__ == "__main__":
    sys.exit(cli(main))
