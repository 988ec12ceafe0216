"""Run every external benchmark and print one markdown table (metric | ours | published | date \
| command).

    python benchmarks/run_all.py [--data ../shared/data] [--json results.json] \
[--only causal-strength ...]

A benchmark whose data is absent is listed as skipped; the run still exits 0. The JSON file holds
aggregate numbers only (no dataset text): keep it outside the repository or commit it freely.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (
    causal_strength, certainty, exaggeration_pairs, healthrelease_criteria, journal_mentions,
    scorecard,
)
from benchmarks.common import DEFAULT_DATA, Result, cli, display_path, fmt, write_json

BENCHMARKS = {
    module.NAME: module
    for module in (causal_strength, certainty, exaggeration_pairs, journal_mentions,
                   healthrelease_criteria, scorecard)
}


def markdown_table(results: Sequence[Result]) -> str:
    lines = ["| metric | ours | published | date | command |", "|---|---|---|---|---|"]
    for result in results:
        if result["status"] != "ok":
            lines.append(f"| {result['benchmark']} | skipped (no data) | | | |")
            continue
        for m in result["metrics"]:
            lines.append(f"| {result['benchmark']}: {m['metric']} | {fmt(m['ours'])} | "
                         f"{m['published']} | "
                         f"{result['date']} | `{result['command']}` |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA,
                        help=f"shared data folder (default: {display_path(DEFAULT_DATA)})")
    parser.add_argument("--json", type=Path, metavar="FILE",
                        help="write all results (aggregate numbers only) as JSON")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS),
                        help="run just these benchmarks")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = []
    for name, module in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        results.append(module.main(["--data", str(args.data)]))
    table = markdown_table(results)
    print("\n" + table + "\n")
    print("runtime (s): " + ", ".join(f"{r['benchmark']} {r['seconds']:.1f}" for r in results)
          + f"; total {time.perf_counter() - started:.1f} "
            "(pipeline loading counted in the first benchmark that runs)")
    payload = {"results": results, "table": table,
               "seconds": round(time.perf_counter() - started, 2)}
    if args.json:
        write_json(args.json, payload)
    return payload


if __name__ == "__main__":
    sys.exit(cli(main))
