"""The flag rules: every code claimscan can put on a unit, with its metadata.

(Transitional: the registry reads `configs/flags.json`; the rule families move here next.)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class RuleInfo:
    code: str  # VAGUE_ATTRIBUTION
    id: str  # CS101
    name: str  # vague-attribution
    kind: str  # overclaim | evidence
    severity: str  # default severity: error | warning | info
    why: str
    fix: str


@lru_cache(maxsize=1)
def registry() -> dict[str, RuleInfo]:
    """Flag code -> its metadata, in id order."""
    from pipeline.resources import load_json

    codes = load_json("flags.json")["codes"]
    infos = [RuleInfo(code, spec["id"], spec["name"], spec["kind"], spec["severity"], spec["why"], spec["fix"])
             for code, spec in codes.items()]
    return {info.code: info for info in sorted(infos, key=lambda i: i.id)}
