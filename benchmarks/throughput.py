"""Throughput benchmark: articles/s, words/s and peak memory of claimscan against the bare
spaCy tokenizer floor, over corpora built from corpus/ (varied, not identical copies).

    python benchmarks/throughput.py --articles 1000 --jobs 1 2
    python benchmarks/throughput.py --seed-copies 1000          # issue 2: 1,000 copies of the seed
    python benchmarks/throughput.py --articles 1000 10000 100000 --jobs 1 2   # the README table
    python benchmarks/throughput.py --stories ../shared/data/healthstory/dev.jsonl --articles 857
                                        # real news: the dev stories (read in place, written \
to a temp folder)

Each configuration runs in a fresh subprocess so its peak RSS (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "corpus" / "dev" / "microneedling-hair-loss.txt"
_SUBJECTS = ["micro needling", "green tea", "vitamin D", "yoga", "creatine", "fasting", "walking",
             "melatonin"]


def build_story_corpus(folder: Path, articles: int, stories: Path) -> int:
    """Write the first `articles` real news stories (cycling through them if asked for more) as
    plain-text articles, headline first; returns the total word count. The temp folder is deleted
    after the run: the copyrighted text never lands in the repository."""
    with stories.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    words = 0
    for i in range(articles):
        row = rows[i % len(rows)]
        text = f"{row['title'].strip()}\n\n{row['text'].strip()}\n"
        (folder / f"s{i:07d}.txt").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def build_corpus(folder: Path, articles: int, seed_copies: bool) -> int:
    """Write `articles` files; returns the total word count. Varied copies: each file swaps in a
    different subject and numbers so no two articles are identical."""
    sources = [SEED] if seed_copies else sorted(p for p in (REPO / "corpus").rglob("*")
                                                if p.suffix in (".txt", ".md", ".html"))
    texts = [(p.suffix, p.read_text(encoding="utf-8")) for p in sources]
    rng = random.Random(7)
    words = 0
    for i in range(articles):
        suffix, text = texts[i % len(texts)]
        if not seed_copies:
            text = text.replace("micro needling", rng.choice(_SUBJECTS))
            text = re.sub(r"\b(\d{2,3})\b", lambda m: str(int(m.group()) + rng.randint(0, 9)), text)
        (folder / f"a{i:07d}{suffix}").write_text(text, encoding="utf-8")
        words += len(text.split())
    return words


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_claimscan(folder: str, jobs: int) -> dict:
    """What `claimscan run FOLDER --jobs N --quiet` does: discovery, analysis, CSV tables,
    summary."""
    from pipeline.api import Settings, pipeline_for
    from pipeline.runner import run_batch

    # load once before timing: start-up is measured separately by `claimscan --help`
    pipeline_for(Settings())
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        summary = run_batch([folder], Path(out), jobs=jobs)
        elapsed = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": elapsed, "articles": summary.articles + summary.skipped,
            "peak_rss_mb": max(_peak_rss_mb(), children)}


def measure_tokenizer(folder: str) -> dict:
    import spacy

    nlp = spacy.blank("en")
    paths = sorted(Path(folder).iterdir())
    start = time.perf_counter()
    for path in paths:
        nlp.make_doc(path.read_text(encoding="utf-8"))
    return {"seconds": time.perf_counter() - start, "articles": len(paths),
            "peak_rss_mb": _peak_rss_mb()}


def _child(kind: str, folder: str, jobs: int) -> dict:
    command = [sys.executable, __file__, "--child", kind, folder, str(jobs)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=REPO).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed-copies", type=int, default=0,
                        help="benchmark N identical copies of the seed instead")
    parser.add_argument("--stories", type=Path,
                        help="benchmark real news stories from this JSON Lines file "
                             "(healthstory/dev.jsonl)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder, jobs = args.child
        result = (measure_tokenizer(folder) if kind == "tokenizer"
                  else measure_claimscan(folder, int(jobs)))
        print(json.dumps(result))
        return
    sizes = [args.seed_copies] if args.seed_copies else args.articles
    print(f"{'articles':>9} {'run':>14} {'seconds':>8} {'art/s':>8} {'words/s':>9} {'peak MB':>8} "
          f"{'x floor':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            if args.stories is not None:
                if not args.stories.is_file():
                    print(f"throughput: skipped (no {args.stories})")
                    return
                words = build_story_corpus(Path(tmp), size, args.stories)
            else:
                words = build_corpus(Path(tmp), size, bool(args.seed_copies))
            floor = _child("tokenizer", tmp, 1)
            rows = [("tokenizer", floor)] + [(f"claimscan -j{j}", _child("claimscan", tmp, j))
                                             for j in args.jobs]
            for name, r in rows:
                rate = r["articles"] / r["seconds"]
                print(f"{size:>9} {name:>14} {r['seconds']:>8.2f} {rate:>8.1f} "
                      f"{words / r['seconds']:>9.0f} "
                      f"{r['peak_rss_mb']:>8.0f} {r['seconds'] / floor['seconds']:>8.2f}")


if __name__ == "__main__":
    main()
