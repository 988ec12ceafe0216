"""journal-mentions: does a news sentence cite a journal, and do we get its title right?

    python benchmarks/journal_mentions.py [--data ../shared/data] [--errors 5]

Data: journal-mentions/reuters_sentences_dev.csv (Wang & Yu 2021; dev split only): sentence, jo
(the journal as written, for positives), label (1 = the sentence cites journal jo). We predict 1
when the citations component finds a `journal` span in the sentence (run as one paragraph).
Metrics: sentence-level precision / recall / F1 of label 1, and title exact match on the gold
positives: one of our journal titles equals `jo` after lower-casing, dropping a leading "the"
and punctuation (a missed sentence counts as a miss); also reported over the true positives.
The labels are semi-automatic (an exact 50/50 balance): treat them as noisy.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    Result, accuracy, analyse_sentences, cli, find_dataset, finish, make_parser, metric,
    precision_recall_f1, print_examples, skipped,
)

NAME = "journal-mentions"
SCRIPT = "journal_mentions.py"
DATASET = "journal-mentions"
FILE = "reuters_sentences_dev.csv"


def normalize_title(title: str) -> str:
    """Case-insensitive, no leading 'the', no punctuation, single spaces ('The BMJ.' == 'bmj')."""
    text = re.sub(r"[^\w\s]", " ", title.lower().replace("’", "'").replace("'", ""))
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def title_matches(gold: str, predicted: Sequence[str]) -> bool:
    target = normalize_title(gold)
    return bool(target) and any(normalize_title(p) == target for p in predicted)


def read_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [{"sentence": row["sentence"], "jo": row["jo"], "label": int(row["label"])}
                for row in csv.DictReader(handle)]


def main(argv: Sequence[str] | None = None) -> Result:
    args = make_parser(__doc__).parse_args(argv)
    folder = find_dataset(args.data, DATASET, [FILE])
    if folder is None:
        return skipped(NAME, args.data, DATASET, [FILE])
    started = time.perf_counter()
    rows = read_rows(folder / FILE)
    analyses = analyse_sentences(row["sentence"] for row in rows)
    gold = [row["label"] == 1 for row in rows]
    pred = [bool(a.journals) for a in analyses]
    precision, recall, f1 = precision_recall_f1(gold, pred)
    positives = [(row, a) for row, a in zip(rows, analyses) if row["label"] == 1]
    true_positives = [(row, a) for row, a in positives if a.journals]
    exact = [title_matches(row["jo"], a.journals) for row, a in positives]
    exact_tp = [title_matches(row["jo"], a.journals) for row, a in true_positives]
    em_all = sum(exact) / len(exact) if exact else float("nan")
    em_tp = sum(exact_tp) / len(exact_tp) if exact_tp else float("nan")
    print(f"\ndev (n={len(rows)}, {sum(gold)} positive): P {precision:.3f}  R {recall:.3f}  "
          f"F1 {f1:.3f}  accuracy {accuracy(gold, pred):.3f}")
    print(f"  title exact match: {em_all:.3f} of gold positives, {em_tp:.3f} of true positives")
    metrics = [
        metric("dev precision (sentence cites a journal)", precision, "—", len(rows)),
        metric("dev recall (sentence cites a journal)", recall, "—", len(rows)),
        metric("dev F1 (sentence cites a journal)", f1, "—", len(rows)),
        metric("dev title exact match (gold positives)", em_all, "—", len(exact)),
        metric("dev title exact match (true positives)", em_tp, "—", len(exact_tp)),
    ]
    if args.errors:
        show = lambda row, a: (  # noqa: E731
            f"gold={row['jo'] or '-'!r} ours={list(a.journals)}: {row['sentence']}"
        )
        print_examples("missed (gold cites a journal, we found none)",
                       [show(r, a) for r, a in positives if not a.journals], args.errors)
        print_examples("false alarm (gold: no journal citation, we found one)",
                       [show(r, a) for r, a in zip(rows, analyses)
                        if r["label"] == 0 and a.journals], args.errors)
        print_examples("wrong title span (both found a journal, titles differ)",
                       [show(r, a) for r, a in true_positives
                        if not title_matches(r["jo"], a.journals)], args.errors)
    return finish(NAME, SCRIPT, args, metrics, started)


if __name__ == "__main__":
    sys.exit(cli(main))
