"""Negation and uncertainty scope of a word in a unit (NegEx/ConText style; configs/negation.json).

    negation = Negation.load()
    negation.of(unit.lower, offset)    # "" (asserted), "negated" ("did not lower") or "denied"
                                    # ("no evidence that X lowers", "whether X lowers", "... is not
                                    # known")

A trigger governs the words after it up to `window` words or the first terminator ("but",
"which", ";"), and a sentence that opens with "nor" or "neither" its whole first clause; an
after-trigger ("... is not known") governs its own clause back to the last terminator. Denial
wins over negation: "there is no evidence it does not work" is not asserted. Pseudo-triggers
(NegEx's term) hold a trigger word but negate only their own noun phrase: "a study with no
control group proves ..." asserts "proves"; "there is no doubt it works" asserts "works".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.lexical import alternation
from pipeline.rulefile import load_rules

SCHEMA = {"denial_before": [str], "negation_before": [str], "denial_after": [str],
          "pseudo_triggers": [str], "terminators": [str], "window": int}
_TOKEN = re.compile(r"[a-z0-9']+|[;:—–()]")


@dataclass(frozen=True)
class Negation:
    # each matches a trigger phrase in a clause's space-joined tokens
    denial_before: re.Pattern[str]
    negation_before: re.Pattern[str]
    denial_after: re.Pattern[str]
    pseudo_triggers: re.Pattern[str]
    terminators: frozenset[str]
    window: int

    @classmethod
    @lru_cache(maxsize=4)
    def load(cls, name: str = "negation.json") -> Negation:
        data = load_rules(name, SCHEMA)

        def phrases(key: str) -> re.Pattern[str]:
            joined = [" ".join(_TOKEN.findall(p.lower().replace("n't", " n't"))) for p in data[key]]
            return re.compile(r"(?:^| )(?:" + alternation(joined, space=" ") + r")(?= |$)")

        return cls(phrases("denial_before"), phrases("negation_before"), phrases("denial_after"),
                   phrases("pseudo_triggers"), frozenset(data["terminators"]), data["window"])

    def of(self, lower: str, offset: int) -> str:
        """How the word at `offset` of the lower-cased text `lower` is asserted."""
        before = _TOKEN.findall(lower[:offset].replace("n't", " n't"))
        after = _TOKEN.findall(lower[offset:].replace("n't", " n't"))
        # the clause's last `window` words are the window's words after its last terminator
        clause_before = " ".join(_clause_tail(before[-self.window:], self.terminators))
        clause_before = self.pseudo_triggers.sub(" ", clause_before)
        clause_after = " ".join(_clause_head(after[1:], self.terminators))
        if self.denial_before.search(clause_before) or self.denial_after.search(clause_after):
            return "denied"
        if self.negation_before.search(clause_before):
            return "negated"
        if before[:1] in (["nor"], ["neither"]) and self.terminators.isdisjoint(before):
            # "Nor do the study authors advise drinking as a cure": a sentence that opens with
            # the trigger negates its whole first clause, however long
            return "negated"
        return ""


def _clause_tail(tokens: list[str], terminators: frozenset[str]) -> list[str]:
    for i in range(len(tokens) - 1, -1, -1):
        if tokens[i] in terminators:
            return tokens[i + 1:]
    return tokens


def _clause_head(tokens: list[str], terminators: frozenset[str]) -> list[str]:
    for i, token in enumerate(tokens):
        if token in terminators:
            return tokens[:i]
    return tokens
