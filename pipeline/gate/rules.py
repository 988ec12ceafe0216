"""The codes `claimscan check` reports.

CS1xx (overclaims) and CS2xx (evidence quality) are the flags of the SPEC vocabulary: their ids
and default severities come from `configs/flags.json` (the one place the flag -> code mapping is
written down), their why and fix from the rule modules (`pipeline.rules.registry`). CS3xx are
the article scorecard's criteria, reported on the headline's line when one is judged not
satisfactory: ids and severities in the same file, why and fix beside each criterion's rule
(`pipeline.rules.criterion_codes`). CS0xx are the gate's own codes, about inline suppressions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

SEVERITIES = ("info", "warning", "error")
SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


@dataclass(frozen=True)
class Rule:
    code: str  # CS101
    flag: str  # VAGUE_ATTRIBUTION (empty for the gate's own CS0xx codes)
    name: str  # vague-attribution
    kind: str  # overclaim | evidence | criterion | suppression
    severity: str  # default severity: error | warning | info
    why: str
    fix: str
    criterion: str = ""  # the scorecard criterion of a CS3xx code (costs)

    @property
    def title(self) -> str:
        """'vague-attribution' -> 'Vague attribution'."""
        words = self.name.replace("-", " ")
        return words[:1].upper() + words[1:]


# The gate's own codes. Not pipeline flags, so they are not in flags.json.
GATE_RULES = (
    Rule("CS001", "", "suppression-without-reason", "suppression", "info",
         "A suppression with no reason leaves the next editor guessing why the claim was let "
         "through.",
         "Add the reason after `--`: "
         "`<!-- claimscan: ignore CS101 -- quoting the press release -->`."),
    Rule("CS002", "", "unused-suppression", "suppression", "warning",
         "A suppression that no longer matches a finding hides nothing today and may hide a real "
         "problem tomorrow.",
         "Delete the comment, or fix the codes it lists."),
    Rule("CS003", "", "invalid-suppression", "suppression", "warning",
         "A `claimscan:` comment that cannot be parsed (unknown verb or code) suppresses nothing.",
         "Write `<!-- claimscan: ignore CODE [CODE...] -- reason -->` with codes listed by "
         "`claimscan config` or in docs/check.md."),
)


class UnknownCode(ValueError):
    """A code, flag name or prefix that matches no rule."""


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    """Every code, sorted: CS0xx, then the flags and the criteria of flags.json by id."""
    from pipeline.rules import criterion_codes, registry

    out = {rule.code: rule for rule in GATE_RULES}
    for flag, info in registry().items():
        out[info.id] = Rule(info.id, flag, info.name, info.kind, info.severity, info.why, info.fix)
    for criterion, code in criterion_codes().items():
        out[code.id] = Rule(code.id, "", code.name, "criterion", code.severity, code.why,
                            code.fix, criterion)
    return dict(sorted(out.items()))


@lru_cache(maxsize=1)
def by_criterion() -> dict[str, Rule]:
    """Scorecard criterion (costs) -> its CS3xx rule."""
    return {rule.criterion: rule for rule in rules().values() if rule.criterion}


@lru_cache(maxsize=1)
def by_flag() -> dict[str, Rule]:
    """Flag name (VAGUE_ATTRIBUTION) -> rule."""
    return {rule.flag: rule for rule in rules().values() if rule.flag}


_PREFIX = re.compile(r"^CS\d{0,3}$")


def resolve(token: str) -> list[str]:
    """Codes named by `token`: a code (CS101), a prefix (CS1 = every CS1xx), `ALL`, a flag name
    (VAGUE_ATTRIBUTION) or a short name (vague-attribution), case-insensitive."""
    word = token.strip()
    upper = word.upper()
    table = rules()
    if upper == "ALL":
        return list(table)
    if upper in table:
        return [upper]
    if _PREFIX.match(upper):
        found = [code for code in table if code.startswith(upper)]
        if found:
            return found
    flag = upper.replace("-", "_")
    for rule in table.values():
        if (rule.flag and rule.flag == flag) or rule.name == word.lower().replace("_", "-"):
            return [rule.code]
    raise UnknownCode(f"unknown code {token!r} (expected a code such as CS101, a prefix such as "
                      "CS1, ALL, a flag name such as VAGUE_ATTRIBUTION or a short name such as "
                      "vague-attribution)")


def resolve_all(tokens, what: str) -> list[str]:
    """Codes named by a list of tokens (order kept, duplicates dropped); errors name `what`."""
    out: list[str] = []
    for token in tokens:
        try:
            codes = resolve(str(token))
        except UnknownCode as exc:
            raise UnknownCode(f"{what}: {exc}") from None
        out += [c for c in codes if c not in out]
    return out


def level(severity: str) -> int:
    return SEVERITY_RANK.get(severity, 0)
