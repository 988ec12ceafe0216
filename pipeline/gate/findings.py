"""Flagged units -> linter findings.

One finding per flagged unit of an `ArticleAnalysis`. Its code is the unit's most severe flag that
is enabled for the file and not suppressed (ties: the lowest code number); the other flags are
listed as `[also CS201, CS203]`. Severity is the flag's, as the pipeline set it from the
configuration. Line and column are the unit's (1-based, in the source file). Each scorecard
criterion judged not satisfactory (CS3xx) is one more finding, on the headline's line (the
article's first line when it has no headline).

A finding's fingerprint hashes the file's path relative to the project root, the code, the claim
text with case, punctuation and spacing normalised, and its occurrence number (the same sentence
twice in one article): it survives lines moving, and changes when the claim is reworded.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field

from pipeline.gate.rules import by_criterion, by_flag, level, resolve, rules
from pipeline.config import ProjectConfig
from pipeline.gate.suppress import Suppression, from_directives

FINGERPRINT_KEY = "claimscan/v1"


@dataclass
class Finding:
    path: str  # as printed: the folder given on the command line / the article's name
    line: int
    column: int
    code: str
    severity: str
    message: str
    text: str = ""  # the claim (or the suppression comment)
    also: tuple[str, ...] = ()
    rel: str = ""  # path relative to the project root (what fingerprints hash)
    claim_id: str = ""
    fingerprint: str = ""

    @property
    def name(self) -> str:
        return rules()[self.code].name

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code)


@dataclass
class InputProblem:
    path: str
    stage: str
    error: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.path}: error: {self.error}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class Report:
    articles: list[str] = field(default_factory=list)  # display paths of the articles checked
    findings: list[Finding] = field(default_factory=list)  # reported (after the baseline)
    problems: list[InputProblem] = field(default_factory=list)
    baselined: int = 0
    suppressed: int = 0
    fail_on: str = "error"
    every: list[Finding] = field(default_factory=list)  # before the baseline (for --write-baseline)

    def counts(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    def failing(self) -> list[Finding]:
        if self.fail_on == "never":
            return []
        threshold = level(self.fail_on)
        return [f for f in self.findings if level(f.severity) >= threshold]

    def summary(self) -> str:
        """`12 findings (3 errors, 9 warnings) in 5 articles; 4 baselined; 1 input error`."""
        counts = self.counts()
        n = len(self.findings)
        parts = [_plural(counts[s], s, "info" if s == "info" else s + "s")
                 for s in ("error", "warning", "info") if counts[s]]
        line = _plural(n, "finding", "findings") + (f" ({', '.join(parts)})" if parts else "")
        line += " in " + _plural(len(self.articles), "article", "articles")
        if self.suppressed:
            line += f"; {self.suppressed} suppressed"
        if self.baselined:
            line += f"; {self.baselined} baselined"
        if self.problems:
            line += "; " + _plural(len(self.problems), "input error", "input errors")
        return line


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def fingerprint(rel: str, code: str, text: str, occurrence: int) -> str:
    key = "\0".join((rel, code, _normalise(text), str(occurrence)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def article_findings(analysis, *, path: str, config: ProjectConfig) -> tuple[list[Finding], int]:
    """Findings of one `ArticleAnalysis`; returns (findings, how many its suppression comments
    removed)."""
    suppressions = from_directives(analysis)
    enabled = config.enabled_for(path)
    rel = config.relative(path)
    flags_table = by_flag()
    usable = [s for s in suppressions if not s.error]
    findings: list[Finding] = []
    suppressed = 0
    for unit in analysis.units:
        by_code = {flags_table[f.code].code: f for f in unit.flags
                   if f.code in flags_table and flags_table[f.code].code in enabled}
        if not by_code:
            continue
        for code in _suppressed(usable, unit.start_char, unit.end_char, by_code):
            del by_code[code]
        if not by_code:
            suppressed += 1
            continue
        codes = sorted(by_code, key=lambda c: (-level(by_code[c].severity), c))
        primary, also = codes[0], tuple(sorted(codes[1:]))
        message = by_code[primary].reason + (f" [also {', '.join(also)}]" if also else "")
        findings.append(Finding(path, unit.line or 1, unit.column or 1, primary,
                                by_code[primary].severity, message,
                                unit.text, also, rel, f"{analysis.article}#{unit.index}"))
    criteria, removed = _criterion_findings(analysis, path, rel, enabled, config, usable)
    findings += criteria
    suppressed += removed
    for s in suppressions:
        findings += _suppression_findings(s, path, rel, enabled, config)
    findings.sort(key=Finding.sort_key)
    seen: Counter = Counter()
    for f in findings:
        key = (f.code, _normalise(f.text))
        seen[key] += 1
        f.fingerprint = fingerprint(rel, f.code, f.text, seen[key])
    return findings, suppressed


def _suppressed(usable: list[Suppression], start: int, end: int, codes) -> set[str]:
    """Which of `codes` the suppressions covering the text `start:end` suppress. The first that
    covers a code is marked used for it; a second one for the same code stays unused (CS002)."""
    out: set[str] = set()
    for s in usable:
        if s.covers(start, end):
            for code in [c for c in codes if c not in out and s.matches(c)]:
                s.used.add(code)
                out.add(code)
    return out


def _criterion_findings(analysis, path: str, rel: str, enabled: frozenset[str],
                        config: ProjectConfig,
                        usable: list[Suppression]) -> tuple[list[Finding], int]:
    """The article-level findings: each enabled criterion judged not satisfactory, reported on
    the headline (a suppression comment before the headline, or `ignore-file`, lets it through)."""
    codes = by_criterion()
    headline = analysis.headline
    if headline:
        where, line, column = ((headline.start_char, headline.end_char), headline.line or 1,
                               headline.column or 1)
        text, claim_id = headline.text, f"{analysis.article}#{headline.index}"
    else:
        where, line, column, text, claim_id = (0, 0), 1, 1, "", ""
    findings: list[Finding] = []
    suppressed = 0
    for verdict in analysis.criteria:
        rule = codes.get(verdict.criterion)
        if verdict.verdict != "not_satisfactory" or rule is None or rule.code not in enabled:
            continue
        if _suppressed(usable, *where, [rule.code]):
            suppressed += 1
            continue
        findings.append(Finding(path, line, column, rule.code, config.severity_of(rule.code),
                                verdict.reason, text, (), rel, claim_id))
    return findings, suppressed


def _suppression_findings(s: Suppression, path: str, rel: str, enabled: frozenset[str],
                          config: ProjectConfig) -> list[Finding]:
    out = []

    def add(code: str, message: str) -> None:
        if code in enabled:
            out.append(Finding(path, s.line, s.column, code, config.severity_of(code), message,
                               s.text, (), rel))

    if s.error:
        add("CS003", f"Invalid suppression: {s.error}.")
        return out
    if not s.reason:
        add("CS001", f"Suppression of {s.label} gives no reason; add one after `--`.")
    relevant = enabled if s.codes is None else s.codes & enabled
    where = "in this article" if s.verb == "ignore-file" else "in the block that follows"
    if s.codes is None:
        if relevant and not s.used:
            add("CS002", f"Unused suppression: no finding {where}.")
    elif relevant:
        # per code as written: `CS1` or a short name is used if any code it names was
        unused = [t for t in s.tokens
                  if (set(resolve(t)) & enabled) and not (set(resolve(t)) & s.used)]
        if unused:
            add("CS002", f"Unused suppression of {', '.join(unused)}: no such finding {where}.")
    return out
