"""Regenerate the code tables in the docs from the flag registry (`pipeline.rules.registry()`:
the rules in pipeline/rules/ with their ids and severities from configs/flags.json).

    python scripts/gen_codes_doc.py          # rewrite the tables in place
    python scripts/gen_codes_doc.py --check  # exit 1 if a doc is out of date (used by the tests)

docs/check.md: every code `claimscan check` prints (the gate's own CS0xx, every flag, then the
scorecard's criteria), between `<!-- codes:start -->` and `<!-- codes:end -->`.
docs/output-contract.md: the flag vocabulary of claims.csv's `flags` column, between
`<!-- flags:start -->` and `<!-- flags:end -->`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.gate.rules import GATE_RULES  # noqa: E402
from pipeline.rules import criterion_codes, registry  # noqa: E402

CHECK_DOC = REPO / "docs" / "check.md"
CONTRACT_DOC = REPO / "docs" / "output-contract.md"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def codes_table() -> str:
    """docs/check.md: code, short name, flag (or criterion), default severity, why, fix."""
    lines = [
        "| Code | Name | Flag | Default severity | Why it matters | How to fix it |",
        "|---|---|---|---|---|---|",
    ]
    rows = [(r.code, r.name, "(gate)", r.severity, r.why, r.fix) for r in GATE_RULES]
    rows += [(i.id, i.name, f"`{i.code}`", i.severity, i.why, i.fix) for i in registry().values()]
    rows += [(c.id, c.name, f"criterion `{c.criterion}`", c.severity, c.why, c.fix)
             for c in criterion_codes().values()]
    for code, name, flag, severity, why, fix in sorted(rows):
        lines.append(f"| {code} | `{name}` | {flag} | {severity} | {_cell(why)} | {_cell(fix)} |")
    return "\n".join(lines)


def flags_table() -> str:
    """docs/output-contract.md: flag, id, kind, family, default severity, why."""
    lines = [
        "| Flag | Id | Kind | Family | Default severity | Why it matters |",
        "|---|---|---|---|---|---|",
    ]
    for info in registry().values():
        lines.append(f"| `{info.code}` | {info.id} | {info.kind} | {info.family} | {info.severity}"
                     f" | {_cell(info.why)} |")
    return "\n".join(lines)


# (document, start marker, end marker, table)
TABLES: tuple[tuple[Path, str, str, Callable[[], str]], ...] = (
    (CHECK_DOC, "<!-- codes:start -->", "<!-- codes:end -->", codes_table),
    (CONTRACT_DOC, "<!-- flags:start -->", "<!-- flags:end -->", flags_table),
)


def render(doc: str, start: str, end: str, table: str, name: str = "doc") -> str:
    head, sep, rest = doc.partition(start)
    _, sep2, tail = rest.partition(end)
    if not sep or not sep2:
        raise SystemExit(f"{name}: markers {start} / {end} not found")
    return f"{head}{start}\n{table}\n{end}{tail}"


def main(argv: list[str]) -> int:
    stale = []
    for path, start, end, make in TABLES:
        name = str(path.relative_to(REPO))
        current = path.read_text(encoding="utf-8")
        wanted = render(current, start, end, make(), name)
        if current == wanted:
            continue
        stale.append(name)
        if "--check" not in argv:
            path.write_text(wanted, encoding="utf-8")
            print(f"updated {name}")
    if "--check" in argv and stale:
        for name in stale:
            print(f"{name} is out of date: run python scripts/gen_codes_doc.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
