"""healthrelease-criteria: do our article-level flags predict HealthNewsReview's expert verdicts?

    python benchmarks/healthrelease_criteria.py [--data ../shared/data] [--errors 5]

Data: healthrelease-criteria/dev.jsonl (368 press releases; the test split is held out and not
in the folder). Each release_text is scanned whole with `pipeline.api.scan_text`. The target is
"Not Satisfactory" (positive) vs "Satisfactory" on two criteria: evidence_quality and
sensational_language (Satisfactory there means no sensational language). Releases with an empty
text or a "Not Applicable" answer are left out.

Article-level scores (declared before the first run, not tuned):
  unsupported_rate  units with unsupported=true / claim units (0 when no claims)
  codes             how many times the criterion's codes fire in the article:
                      evidence_quality: CAUSAL_FROM_OBSERVATIONAL, ANIMAL_TO_HUMAN,
                        OVERSTATED_CERTAINTY, SMALL_SAMPLE, SHORT_DURATION, NO_CONTROL_GROUP,
                        SELF_REPORTED_OUTCOME
                      sensational_language: ABSOLUTE_LANGUAGE, VAGUE_ATTRIBUTION, plus every
                        booster cue
  codes_rate        codes / claim units
AUC is threshold-free. F1 uses the fixed threshold score > 0 (there is no split to choose a
threshold on); the F1 of always answering "Not Satisfactory" is printed next to it.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    read_jsonl,
    Result, auc, cli, find_dataset, finish, make_parser, metric, precision_recall_f1,
    print_examples, skipped,
)

NAME = "healthrelease-criteria"
SCRIPT = "healthrelease_criteria.py"
DATASET = "healthrelease-criteria"
FILE = "dev.jsonl"
POSITIVE = "Not Satisfactory"
NEGATIVE = "Satisfactory"
CRITERION_CODES = {
    "evidence_quality": frozenset({
        "CAUSAL_FROM_OBSERVATIONAL", "ANIMAL_TO_HUMAN", "OVERSTATED_CERTAINTY", "SMALL_SAMPLE",
        "SHORT_DURATION", "NO_CONTROL_GROUP", "SELF_REPORTED_OUTCOME",
    }),
    "sensational_language": frozenset({"ABSOLUTE_LANGUAGE", "VAGUE_ATTRIBUTION"}),
}
COUNT_BOOSTERS = {"evidence_quality": False, "sensational_language": True}
SCORES = ("unsupported_rate", "codes", "codes_rate")
THRESHOLD = 0.0


def article_features(claims) -> dict:
    """Counts over one article's claims table (pipeline.records.CLAIM_COLUMNS)."""
    codes: dict[str, int] = {}
    boosters = 0
    for flags, found in zip(claims["flags"], claims["boosters"]):
        for code in filter(None, (flags or "").split("; ")):
            codes[code] = codes.get(code, 0) + 1
        boosters += len([b for b in (found or "").split("; ") if b])
    return {
        "units": len(claims),
        "claims": int(claims["is_claim"].sum()) if len(claims) else 0,
        "unsupported": int(claims["unsupported"].sum()) if len(claims) else 0,
        "codes": codes,
        "boosters": boosters,
    }


def scores(features: dict, criterion: str) -> dict[str, float]:
    claims = features["claims"]
    count = sum(n for code, n in features["codes"].items() if code in CRITERION_CODES[criterion])
    if COUNT_BOOSTERS[criterion]:
        count += features["boosters"]
    return {
        "unsupported_rate": features["unsupported"] / claims if claims else 0.0,
        "codes": float(count),
        "codes_rate": count / claims if claims else 0.0,
    }


def main(argv: Sequence[str] | None = None) -> Result:
    args = make_parser(__doc__).parse_args(argv)
    folder = find_dataset(args.data, DATASET, [FILE])
    if folder is None:
        return skipped(NAME, args.data, DATASET, [FILE])
    from pipeline.api import scan_text

    started = time.perf_counter()
    rows = read_jsonl(folder / FILE)
    features: dict[str, dict] = {}
    failed = 0
    for row in rows:
        text = row.get("release_text") or ""
        if not text.strip():
            continue
        result = scan_text(text, article=row["id"])
        if result.errors:
            failed += 1
            continue
        features[row["id"]] = article_features(result.claims)
    empty = sum(1 for row in rows if not (row.get("release_text") or "").strip())
    print(f"\ndev: {len(rows)} releases, {empty} with empty text, {failed} failed, "
          f"{len(features)} scanned")
    metrics = []
    for criterion in CRITERION_CODES:
        items = []
        for row in rows:
            answer = next((c["answer"] for c in row["criteria"] if c["key"] == criterion), None)
            if row["id"] in features and answer in (POSITIVE, NEGATIVE):
                items.append((row, answer == POSITIVE, scores(features[row["id"]], criterion)))
        gold = [positive for _, positive, _ in items]
        _, _, always_f1 = precision_recall_f1(gold, [True] * len(gold))
        print(f"\n{criterion}: n={len(items)}, {sum(gold)} Not Satisfactory; "
              f"F1 of always 'Not Satisfactory' {always_f1:.3f}")
        for score in SCORES:
            values = [s[score] for _, _, s in items]
            area = auc(values, gold)
            p, r, f1 = precision_recall_f1(gold, [v > THRESHOLD for v in values])
            flagged = sum(v > THRESHOLD for v in values)
            print(f"  {score:<16} AUC {area:.3f}   at score > 0: P {p:.3f} R {r:.3f} F1 {f1:.3f} "
                  f"({flagged} flagged)")
            metrics.append(metric(f"{criterion} AUC ({score})", area, "—", len(items)))
            metrics.append(metric(f"{criterion} F1 at {score} > 0", f1,
                                  f"always-positive F1 {always_f1:.3f}", len(items)))
        if args.errors:
            def show(row, s):
                f = features[row["id"]]
                explanation = next(c.get("explanation", "") for c in row["criteria"]
                                   if c["key"] == criterion)
                return (f"{row['id']} codes_rate={s['codes_rate']:.2f} claims={f['claims']} "
                        f"codes={f['codes']} boosters={f['boosters']} | "
                        f"{row.get('release_title', '')} | HNR: "
                        f"{' '.join((explanation or '').split())[:200]}")
            print_examples(f"{criterion}: Not Satisfactory but no code fired",
                           [show(row, s) for row, pos, s in items
                            if pos and s["codes"] <= THRESHOLD], args.errors)
            print_examples(f"{criterion}: Satisfactory but most codes per claim",
                           [show(row, s)
                            for row, pos, s in sorted(items, key=lambda t: -t[2]["codes_rate"])
                            if not pos and s["codes"] > THRESHOLD],
                           args.errors)
    return finish(NAME, SCRIPT, args, metrics, started,
                  {"scanned": len(features), "empty": empty, "failed": failed})


if __name__ == "__main__":
    sys.exit(cli(main))
