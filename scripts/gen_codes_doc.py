"""Regenerate the table of finding codes in docs/check.md from the rule registry (configs/flags.json and pipeline/rules/).

    python scripts/gen_codes_doc.py          # rewrite the table in place
    python scripts/gen_codes_doc.py --check  # exit 1 if docs/check.md is out of date (used by the tests)

The table sits between the `<!-- codes:start -->` and `<!-- codes:end -->` markers.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.gate.rules import rules  # noqa: E402

DOC = REPO / "docs" / "check.md"
START, END = "<!-- codes:start -->", "<!-- codes:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table() -> str:
    lines = [
        "| Code | Name | Flag | Default severity | Why it matters | How to fix the sentence |",
        "|---|---|---|---|---|---|",
    ]
    for code, rule in rules().items():
        flag = f"`{rule.flag}`" if rule.flag else "(gate)"
        lines.append(f"| {code} | `{rule.name}` | {flag} | {rule.severity} | {_cell(rule.why)} | {_cell(rule.fix)} |")
    return "\n".join(lines)


def render(doc: str) -> str:
    head, sep, rest = doc.partition(START)
    _, sep2, tail = rest.partition(END)
    if not sep or not sep2:
        raise SystemExit(f"{DOC}: markers {START} / {END} not found")
    return f"{head}{START}\n{table()}\n{END}{tail}"


def main(argv: list[str]) -> int:
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current)
    if "--check" in argv:
        if current != wanted:
            print(f"{DOC.relative_to(REPO)} is out of date: run python scripts/gen_codes_doc.py", file=sys.stderr)
            return 1
        return 0
    if current != wanted:
        DOC.write_text(wanted, encoding="utf-8")
        print(f"updated {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
