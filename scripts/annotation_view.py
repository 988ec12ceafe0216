"""Print a real news story as numbered sentences for annotation \
(docs/annotation-guide-real-news.md).

    python scripts/annotation_view.py --data ../shared/data/healthstory/dev.jsonl \
story_reviews_00042

`H` is the headline, `3.2` the second sentence of the third paragraph. The splitter is simple
on purpose and shares nothing with claimscan, so annotators never see the tool's judgment.
`scripts/real_gold.py` numbers sentences with the same function when it builds anchors.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

# A sentence ends at . ! ? (plus closing quotes/brackets) before whitespace and an opening quote,
# bracket, capital or digit; not after these abbreviations or a single capital (an initial).
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = {
    "dr", "mr", "mrs", "ms", "messrs", "prof", "st", "sen", "rep", "gov", "gen", "lt", "col", "sgt",
    "jr", "sr", "inc", "co", "corp", "ltd", "no", "vs", "e.g", "i.e", "u.s", "u.k", "a.m", "p.m",
    "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "ph.d", "m.d", "et al",
    "al", "fig", "approx", "dept", "univ", "mt", "ft", "d.c", "calif", "mass", "ariz", "fla", "ill",
}


def load_story(data: Path, story_id: str) -> dict:
    with open(data, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] == story_id:
                return row
    raise SystemExit(f"{story_id}: not in {data}")


def split_sentences(paragraph: str) -> list[str]:
    out, start = [], 0
    for match in _END.finditer(paragraph):
        before = paragraph[start : match.start() + 1]
        word = re.search(r"([A-Za-z][A-Za-z.]*)\.?$", before.rstrip(".!?") + ".")
        token = word.group(1).lower().rstrip(".") if word else ""
        if match.group().startswith(".") and (token in _ABBREVIATIONS or (len(token) == 1)):
            continue
        out.append(paragraph[start : match.end()].strip())
        start = match.end()
    rest = paragraph[start:].strip()
    if rest:
        out.append(rest)
    return [s for s in out if s]


def numbered(story: dict) -> list[tuple[str, str]]:
    """[(number, sentence)] for the headline and every sentence of the body."""
    out = [("H", story["title"].strip())]
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", story["text"]) if p.strip()]
    for p, paragraph in enumerate(paragraphs, start=1):
        for s, sentence in enumerate(split_sentences(paragraph), start=1):
            out.append((f"{p}.{s}", sentence))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/healthstory/dev.jsonl"))
    parser.add_argument("ids", nargs="+")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"{args.data}: not found (the real-news data lives outside the repo)",
              file=sys.stderr)
        return 2
    for story_id in args.ids:
        story = load_story(args.data, story_id)
        print(f"=== {story_id} ===")
        last_paragraph = None
        for number, sentence in numbered(story):
            paragraph = number.split(".")[0]
            if last_paragraph is not None and paragraph != last_paragraph:
                print()
            print(f"[{number}] {sentence}")
            last_paragraph = paragraph
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
