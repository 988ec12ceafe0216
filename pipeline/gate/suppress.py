"""Inline suppressions (`<!-- claimscan: ignore CS101 -- reason -->`) and the baseline file.

Inline, in Markdown or HTML:

    <!-- claimscan: ignore CS101 CS104 -- quoting the manufacturer's press release -->
    Studies show the cream regrows hair.

`ignore CODES` applies to the block (paragraph, list item, heading...) right after the comment;
`ignore-file CODES` to the whole article. Codes are written as for `select` (CS101, CS1,
vague-attribution, VAGUE_ATTRIBUTION); no code means every code. The reason follows `--`.

The baseline is a JSON file of finding fingerprints: findings already in it are not reported,
so a team can adopt the gate on an existing archive and fail only on new findings.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.gate.rules import UnknownCode, resolve
from pipeline.output import write_text

BASELINE_VERSION = 1
_PREFIX = re.compile(r"^\s*claimscan\b\s*:?\s*", re.IGNORECASE)
_REASON = re.compile(r"\s+(?:--|\u2014|\u2013)\s*|\s*(?:--|\u2014)\s+")
VERBS = ("ignore", "ignore-file")


@dataclass
class Suppression:
    text: str  # the comment as written (stripped)
    line: int
    column: int
    verb: str = ""
    codes: frozenset[str] | None = None  # None: every code
    tokens: tuple[str, ...] = ()
    reason: str = ""
    start: int = 0  # text offsets of what it covers ([start, end) of the block; whole file: 0, -1)
    end: int = 0
    error: str = ""  # why it cannot be used (reported as CS003)
    used: set[str] = field(default_factory=set)

    def covers(self, start: int, end: int) -> bool:
        if self.verb == "ignore-file":
            return True
        return start < self.end and end > self.start

    def matches(self, code: str) -> bool:
        return self.codes is None or code in self.codes

    @property
    def label(self) -> str:
        return "every code" if self.codes is None else ", ".join(sorted(self.codes))


def parse(text: str) -> tuple[str, frozenset[str] | None, tuple[str, ...], str, str]:
    """`claimscan: ignore CS101, CS104 -- reason` -> (verb, codes, tokens, reason, error)."""
    body = _PREFIX.sub("", text, count=1).strip()
    parts = _REASON.split(body, maxsplit=1)
    head, reason = parts[0].strip(), (parts[1].strip() if len(parts) > 1 else "")
    if head.endswith("--"):
        head = head[:-2].strip()
    words = [w for w in re.split(r"[,\s]+", head) if w]
    if not words:
        return "", None, (), reason, "empty claimscan comment (expected `ignore CODE... -- reason`)"
    verb, tokens = words[0].lower().rstrip(":"), tuple(words[1:])
    if verb not in VERBS:
        return (verb, None, tokens, reason,
                f"unknown directive {words[0]!r} (expected {' or '.join(VERBS)})")
    if not tokens:
        return verb, None, tokens, reason, ""
    codes: set[str] = set()
    for token in tokens:
        try:
            codes.update(resolve(token))
        except UnknownCode:
            return verb, None, tokens, reason, f"unknown code {token!r}"
    return verb, frozenset(codes), tokens, reason, ""


def from_directives(analysis) -> list[Suppression]:
    """The suppressions of one article, from the directives its extraction recorded (an
    `ArticleAnalysis`: no file is read again)."""
    blocks = analysis.blocks
    out = []
    for directive in analysis.directives:
        verb, codes, tokens, reason, error = parse(directive.text)
        index = directive.block
        start, end = (blocks[index].start, blocks[index].end) if index < len(blocks) else (0, 0)
        out.append(Suppression(directive.text, directive.line, directive.column, verb, codes,
                               tokens, reason, start, end, error))
    return out


# -- baseline -----------------------------------------------------------------------------------


class BaselineError(ValueError):
    """The baseline file cannot be read: exit code 2."""


def read_baseline(path: Path) -> Counter:
    """Fingerprint -> how many findings it may absorb."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"{path}: baseline not found "
                            "(create it with --write-baseline)") from None
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: baseline is not valid JSON: {exc}") from None
    entries = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(
            isinstance(e, dict) and isinstance(e.get("fingerprint"), str) for e in entries):
        raise BaselineError(f"{path}: not a claimscan baseline "
                            "(expected an object with a findings list)")
    return Counter(e["fingerprint"] for e in entries)


def write_baseline(path: Path, findings) -> int:
    """Write every finding's fingerprint (with path, code and text for humans), atomically."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "path": f.rel, "code": f.code, "line": f.line,
          "text": f.text}
         for f in findings),
        key=lambda e: (e["path"], e["line"], e["code"], e["fingerprint"]),
    )
    data = {"tool": "claimscan", "version": BASELINE_VERSION, "findings": entries}
    write_text(path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    return len(entries)
