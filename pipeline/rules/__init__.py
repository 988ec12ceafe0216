"""The flag rules: every code claimscan can put on a unit, one module per family.

    attribution.py  VAGUE_ATTRIBUTION, UNCITED_CLAIM              who stands behind a claim
    certainty.py    ABSOLUTE_LANGUAGE, HYPE_LANGUAGE, OVERSTATED_CERTAINTY
    design.py       CAUSAL_FROM_OBSERVATIONAL, ANIMAL_TO_HUMAN    what the study design allows
    scope.py        POPULATION_OVERREACH, OUTCOME_OVERREACH, RELATIVE_RISK_ONLY
    evidence.py     SMALL_SAMPLE, SHORT_DURATION, SELF_REPORTED_OUTCOME, NO_CONTROL_GROUP,
                    SIGNIFICANCE_WITHOUT_STATISTICS, INDUSTRY_FUNDED, NOT_PEER_REVIEWED

Each rule is registered with `@claim_rule` (overclaims, judged per claim) or `@study_rule`
(evidence, stated once per study) beside its rationale, its fix and its should-flag /
should-pass examples; `tests/test_rules.py` runs every example through the pipeline. The
user-facing code (CS101…) and default severity of each rule are data in `configs/flags.json`,
its phrase lists in `configs/rules/<family>.json`. The same file gives the article scorecard's
criteria their CS3xx codes (`criterion_codes`): `claimscan check` reports a criterion judged
not satisfactory; its rule, question, why and fix are in `pipeline/scorecard/criteria.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.rulefile import Optional, load_rules

FAMILIES = ("attribution", "certainty", "design", "scope", "evidence")
KINDS = ("overclaim", "evidence")


@dataclass(frozen=True)
class Rule:
    """A flag rule: what it checks (`check`), why it matters, how to fix the sentence, and
    sentences that must and must not raise it."""

    code: str  # VAGUE_ATTRIBUTION
    family: str  # attribution | certainty | design | scope | evidence
    kind: str  # overclaim (makes `unsupported` true) | evidence (describes the study)
    per: str  # claim (judged on each claim) | study (stated once, where the study is introduced)
    why: str
    fix: str
    should_flag: tuple[str, ...]
    should_pass: tuple[str, ...]
    check: Callable[..., str | None]  # the reason sentence when the rule fires, else None


@dataclass(frozen=True)
class RuleInfo:
    """A rule with its user-facing metadata (configs/flags.json)."""

    code: str
    id: str  # CS101
    name: str  # vague-attribution
    kind: str
    severity: str  # default severity: error | warning | info
    family: str
    why: str
    fix: str


_RULES: dict[str, Rule] = {}


def _register(kind: str, per: str, code: str, why: str, fix: str, should_flag: list[str],
              should_pass: list[str]):
    def decorate(check: Callable[..., str | None]) -> Callable[..., str | None]:
        family = check.__module__.rsplit(".", 1)[-1]
        if family not in FAMILIES or code in _RULES:
            raise ValueError(f"rule {code} in {check.__module__}: "
                             "unknown family or registered twice")
        _RULES[code] = Rule(code, family, kind, per, " ".join(why.split()), " ".join(fix.split()),
                            tuple(should_flag), tuple(should_pass), check)
        return check

    return decorate


def claim_rule(code: str, *, why: str, fix: str, should_flag: list[str], should_pass: list[str],
               kind: str = "overclaim"):
    """Register a rule judged per claim:
    `check(claim: ClaimContext, lexicon: dict) -> reason | None`. Most are overclaims; an evidence
    rule about the claim's own wording passes `kind="evidence"`."""
    return _register(kind, "claim", code, why, fix, should_flag, should_pass)


def study_rule(code: str, *, why: str, fix: str, should_flag: list[str], should_pass: list[str]):
    """Register an evidence rule:
    `check(study: Study, article: ArticleContext, lexicon: dict) -> reason | None`, reported once
    per study, on the sentence that introduces it."""
    return _register("evidence", "study", code, why, fix, should_flag, should_pass)


def rules() -> dict[str, Rule]:
    """Every rule, by code (importing the family modules registers them)."""
    from pipeline.rules import attribution, certainty, design, evidence, scope  # noqa: F401

    return _RULES


def family_lexicon(family: str, schema: dict[str, Any]) -> dict[str, Any]:
    """The phrase lists of one family, `configs/rules/<family>.json`, checked against its schema."""
    return load_rules(f"rules/{family}.json", schema)


@dataclass(frozen=True)
class CriterionCode:
    """A scorecard criterion's code in `claimscan check`: reported when the criterion is judged
    not satisfactory."""

    criterion: str  # costs
    id: str  # CS301
    name: str  # costs (the criterion, hyphenated: evidence-quality)
    severity: str
    why: str
    fix: str


@lru_cache(maxsize=4)
def _flag_file(flags: str) -> dict[str, Any]:
    from pipeline.scorecard.criteria import RULES as CRITERION_RULES

    code = {"id": str, "severity": str}
    # a criterion that the text cannot decide (always not_applicable) has no code
    return load_rules(flags, {"codes": _code_schema(rules()),
                              "criteria": {name: Optional(code) for name in CRITERION_RULES}})


@lru_cache(maxsize=4)
def registry(flags: str = "flags.json") -> dict[str, RuleInfo]:
    """Flag code -> its metadata, in id order. Every rule needs an entry in `flags`, and every
    entry a rule: a code without a rule, or a rule without a code, is an error."""
    table = rules()
    codes = _flag_file(flags)["codes"]
    infos = [RuleInfo(code, spec["id"], code.lower().replace("_", "-"), table[code].kind,
                      spec["severity"], table[code].family, table[code].why, table[code].fix)
             for code, spec in codes.items()]
    return {info.code: info for info in sorted(infos, key=lambda i: i.id)}


def _code_schema(table: dict[str, Rule]) -> dict[str, Any]:
    return {code: {"id": str, "severity": str} for code in table}


@lru_cache(maxsize=4)
def criterion_codes(flags: str = "flags.json") -> dict[str, CriterionCode]:
    """Scorecard criterion -> its CS3xx code, in id order."""
    from pipeline.scorecard.criteria import RULES as CRITERION_RULES

    entries = _flag_file(flags)["criteria"]
    codes = [CriterionCode(name, spec["id"], name.replace("_", "-"), spec["severity"],
                           CRITERION_RULES[name].why, CRITERION_RULES[name].fix)
             for name, spec in entries.items()]
    return {c.criterion: c for c in sorted(codes, key=lambda c: c.id)}
