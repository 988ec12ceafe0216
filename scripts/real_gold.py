"""The real-news gold set (corpus/real/): choose the stories, merge annotation files into
gold.json, and measure agreement between annotators.

    python scripts/real_gold.py select --data ../shared/data/healthstory/dev.jsonl
    python scripts/real_gold.py build --data ../shared/data/healthstory/dev.jsonl --annotations DIR
    python scripts/real_gold.py kappa --annotations DIR

Only story ids, short anchors and labels are written: the story text stays in the data file
(copyrighted news; see ../shared/data/README.md). Guide: docs/annotation-guide-real-news.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annotation_view import numbered  # noqa: E402

REAL = Path(__file__).resolve().parent.parent / "corpus" / "real"
SELECTION = REAL / "selection.json"
GOLD = REAL / "gold.json"
LABELS = ("claim", "hedged", "unsupported")
PER_GROUP = 24  # stories rated <= 2 stars, and as many rated >= 4
TEST_PER_GROUP = 6  # a quarter of each group is held out
DOUBLE_PER_GROUP = 6  # annotated twice, for kappa
MIN_CHARS, MAX_CHARS = 1500, 8000  # whole stories an annotator can label in one sitting
SEED = 11  # the number


def _hash(story_id: str) -> int:
    return int(hashlib.sha1(f"claimscan-real/{story_id}".encode()).hexdigest(), 16)


def read_stories(data: Path) -> dict[str, dict]:
    with open(data, encoding="utf-8") as handle:
        return {row["id"]: row for row in map(json.loads, handle)}


# Waves of annotation: (stories per rating group, held out per group, double-annotated per group).
# Wave 2 was annotated under the guide's rulings, so its double annotations measure agreement
# after the guide was sharpened.
WAVES = {1: (PER_GROUP, TEST_PER_GROUP, DOUBLE_PER_GROUP), 2: (12, 3, 4), 3: (12, 3, 4),
         4: (12, 3, 4), 5: (12, 3, 4), 6: (12, 3, 4), 7: (12, 3, 4),
         8: (12, 3, 4), 9: (12, 3, 4), 10: (12, 3, 4),
         11: (12, 3, 4), 12: (12, 3, 4), 13: (12, 3, 4),
         14: (12, 3, 4), 15: (12, 3, 4), 16: (12, 3, 4)}


def select(data: Path, wave: int = 1, earlier: list[dict] | None = None) -> dict:
    stories = read_stories(data)
    taken = {entry["id"] for entry in earlier or []}
    usable = sorted(sid for sid, s in stories.items()
                    if MIN_CHARS <= len(s["text"]) <= MAX_CHARS and sid not in taken)
    per_group, test_per_group, double_per_group = WAVES[wave]
    rng = random.Random(SEED + wave - 1)
    chosen = list(earlier or [])
    for group, keep in (("low", lambda r: r <= 2), ("high", lambda r: r >= 4)):
        pool = [sid for sid in usable if keep(stories[sid]["rating"])]
        picked = rng.sample(pool, per_group)
        by_hash = sorted(picked, key=_hash)
        test = set(by_hash[:test_per_group])
        start = test_per_group // 2
        double = set(by_hash[start : start + double_per_group])
        for sid in sorted(picked):
            chosen.append({"id": sid, "rating": stories[sid]["rating"], "group": group,
                           "wave": wave, "split": "test" if sid in test else "dev",
                           "double": sid in double})
    return {"_about": "Real-news gold stories: ids only "
                      "(text in ../shared/data/healthstory/dev.jsonl). "
                      f"Stories of {MIN_CHARS}-{MAX_CHARS} characters, per wave an equal number "
                      f"rated <= 2 and >= 4 stars drawn with random.Random({SEED} + wave - 1) "
                      "(wave sizes in scripts/real_gold.py WAVES); in each group a quarter, the "
                      "lowest by SHA-1 of 'claimscan-real/<id>', is the held-out test part; "
                      "'double' ones were annotated twice for kappa. "
                      "Made by scripts/real_gold.py select.",
            "stories": chosen}


def _normalise(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.lower().replace("’", "'")).strip()


def anchor_for(sentence: str, others: list[str]) -> str:
    """The shortest leading run of words (at least six) found in no other sentence of the story."""
    words = sentence.split()
    for n in range(min(6, len(words)), len(words) + 1):
        candidate = " ".join(words[:n])
        key = _normalise(candidate)
        if key and not any(key in _normalise(o) for o in others):
            return candidate.rstrip(",;:")
    return sentence


def read_annotations(folder: Path) -> dict[str, list[dict]]:
    """story id -> annotation files (each a dict), primary annotator first (file name order)."""
    out: dict[str, list[dict]] = defaultdict(list)
    for path in sorted(folder.rglob("story_reviews_*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_file"] = str(path)
        out[data["id"]].append(data)
    return out


def build(data: Path, folder: Path, primary: str) -> dict:
    stories = read_stories(data)
    selection = json.loads(SELECTION.read_text(encoding="utf-8"))["stories"]
    annotations = read_annotations(folder)
    gold: dict = {"_about": "Real-news gold (docs/annotation-guide-real-news.md): story ids, "
                            "anchors and labels only. Text: ../shared/data/healthstory/dev.jsonl. "
                            "Built by scripts/real_gold.py build."}
    for entry in selection:
        sid = entry["id"]
        files = annotations.get(sid, [])
        if not files:
            print(f"{sid}: not annotated yet", file=sys.stderr)
            continue
        chosen = next((f for f in files if f.get("annotator", "").startswith(primary)), files[0])
        sentences = numbered(stories[sid])
        texts = [t for _, t in sentences]
        labelled = chosen["sentences"]
        missing = [n for n, _ in sentences if n not in labelled]
        if missing:
            raise SystemExit(f"{chosen['_file']}: sentences not labelled: {', '.join(missing)}")
        rows = []
        for i, (number, text) in enumerate(sentences):
            labels = labelled[number]
            anchor = anchor_for(text, texts[:i] + texts[i + 1 :])
            row = {"anchor": anchor, "n": number, **{k: labels.get(k) for k in LABELS}}
            if labels.get("note"):
                row["note"] = labels["note"]
            rows.append(row)
        studies = [{k: s.get(k) for k in ("journal", "sample_size", "duration_days", "design",
                                          "sentences", "note")
                    if s.get(k) not in (None, "", [])} for s in chosen.get("studies", [])]
        gold[sid] = {"split": entry["split"], "rating": entry["rating"],
                     "annotator": chosen.get("annotator"), "studies": studies, "sentences": rows}
    return gold


DESIGNS = {"rct", "meta-analysis", "systematic-review", "cohort", "case-control", "cross-sectional",
           "observational", "pilot", "case-series", "animal", "in-vitro", "unknown"}


def validate(data: Path, folder: Path) -> list[str]:
    """Problems in the annotation files under `folder` (empty when they are complete and
    well-formed)."""
    stories = read_stories(data)
    problems = []
    for sid, files in sorted(read_annotations(folder).items()):
        for f in files:
            where = f["_file"]
            if sid not in stories:
                problems.append(f"{where}: unknown story id {sid}")
                continue
            numbers = [n for n, _ in numbered(stories[sid])]
            labelled = f.get("sentences", {})
            for n in numbers:
                labels = labelled.get(n)
                if labels is None:
                    problems.append(f"{where}: sentence {n} not labelled")
                    continue
                for k in LABELS:
                    if labels.get(k, "missing") not in (True, False, None):
                        problems.append(f"{where}: {n}.{k} must be true, false or null")
                if labels.get("unsupported") and labels.get("claim") is False:
                    problems.append(f"{where}: {n} is unsupported but not a claim")
            problems += [f"{where}: sentence {n} is not in the story"
                         for n in labelled if n not in numbers]
            for i, study in enumerate(f.get("studies", [])):
                if study.get("design") not in DESIGNS:
                    problems.append(f"{where}: study {i + 1}: design must be one of "
                                    f"{sorted(DESIGNS)}")
                for key in ("sample_size", "duration_days"):
                    if study.get(key) is not None and not isinstance(study[key], int):
                        problems.append(f"{where}: study {i + 1}: {key} must be a whole number "
                                        "or null")
                problems += [f"{where}: study {i + 1}: sentence {n} is not in the story"
                             for n in study.get("sentences", []) if n not in numbers]
    return problems


def cohen_kappa(pairs: list[tuple[bool, bool]]) -> float:
    n = len(pairs)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    pa = sum(a for a, _ in pairs) / n
    pb = sum(b for _, b in pairs) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def kappa(folder: Path) -> dict:
    annotations = read_annotations(folder)
    pairs: dict[str, list[tuple[bool, bool]]] = {k: [] for k in LABELS}
    disagreements = []
    stories = 0
    for sid, files in sorted(annotations.items()):
        if len(files) < 2:
            continue
        stories += 1
        first, second = files[0]["sentences"], files[1]["sentences"]
        for number in first:
            if number not in second:
                continue
            for label in LABELS:
                a, b = first[number].get(label), second[number].get(label)
                if a is None or b is None:
                    continue
                pairs[label].append((bool(a), bool(b)))
                if a != b:
                    disagreements.append((sid, number, label, a, b))
    out = {"stories": stories}
    for label in LABELS:
        p = pairs[label]
        out[label] = {"kappa": round(cohen_kappa(p), 3), "n": len(p),
                      "agreement": round(sum(a == b for a, b in p) / len(p), 3) if p else None,
                      "positives": [sum(a for a, _ in p), sum(b for _, b in p)]}
    out["disagreements"] = disagreements
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("select", "build", "kappa", "validate"):
        p = sub.add_parser(name)
        if name != "kappa":
            p.add_argument("--data", type=Path,
                           default=Path("../shared/data/healthstory/dev.jsonl"))
        if name != "select":
            p.add_argument("--annotations", type=Path, required=True)
        if name == "build":
            p.add_argument("--primary", default="A",
                           help="annotator prefix whose file is the gold when two exist")
        if name == "select":
            p.add_argument("--wave", type=int, default=1, choices=sorted(WAVES))
    args = parser.parse_args(argv)
    if getattr(args, "data", None) is not None and not args.data.is_file():
        print(f"{args.data}: not found (the real-news data lives outside the repo)",
              file=sys.stderr)
        return 2
    if args.command == "select":
        earlier = (json.loads(SELECTION.read_text(encoding="utf-8"))["stories"]
                   if args.wave > 1 else [])
        for entry in earlier:
            entry.setdefault("wave", 1)
        SELECTION.parent.mkdir(parents=True, exist_ok=True)
        SELECTION.write_text(json.dumps(select(args.data, args.wave, earlier), indent=1) + "\n",
                             encoding="utf-8")
        print(f"wrote {SELECTION}")
    elif args.command == "validate":
        problems = validate(args.data, args.annotations)
        print("\n".join(problems) if problems else "ok: every file is complete")
        return 1 if problems else 0
    elif args.command == "build":
        GOLD.write_text(json.dumps(build(args.data, args.annotations, args.primary), indent=1,
                                   ensure_ascii=False) + "\n",
                        encoding="utf-8")
        print(f"wrote {GOLD}")
    else:
        result = kappa(args.annotations)
        print(json.dumps({k: v for k, v in result.items() if k != "disagreements"}, indent=1))
        for d in result["disagreements"]:
            print("DISAGREE", *d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
