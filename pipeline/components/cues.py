"""Hedges, boosters and caveats per unit, from the cue lexicon in configs/cues.json.

All cues are fixed strings, so one PhraseMatcher finds them; homographs ("In May", "less likely
to die", "appears in the journal") and negated boosters ("not proven") are removed by the per-cue
context rules of the lexicon. "can" is deliberately not a hedge: see the claim classifier.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components._util import longest_matches, phrase_matcher, unit_of_token
from pipeline.analysis import Cue
from pipeline.extensions import unit_records
from pipeline.resources import load_json


@dataclass(frozen=True)
class CueRule:
    literal: str
    category: str  # hedge | booster | caveat
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()
    not_before_number: bool = False
    lowercase_only: bool = False


class CueTagger:
    def __init__(self, nlp: Language, rules: list[CueRule], negations: set[str], negation_window: int):
        self.rules = {rule.literal: rule for rule in rules}
        self.negations = negations
        self.negation_window = negation_window
        self.matcher = phrase_matcher(nlp, {rule.literal: [rule.literal] for rule in rules})

    def __call__(self, doc: Doc) -> Doc:
        units = unit_records(doc)
        owner = unit_of_token(doc)
        for unit in units:
            unit.cues = []
        for match_id, start, end in longest_matches(self.matcher(doc)):
            rule = self.rules[doc.vocab.strings[match_id]]
            index = owner[start]
            if index < 0 or not self._applies(doc, rule, start, end, units[index].start):
                continue
            span = doc[start:end]
            units[index].cues.append(Cue(span.text.lower(), span.start_char, span.end_char, rule.category))
        return doc

    def _applies(self, doc: Doc, rule: CueRule, start: int, end: int, unit_start: int) -> bool:
        before = doc[start - 1].lower_ if start > unit_start else ""
        after = doc[end] if end < len(doc) else None
        if before in rule.not_after:
            return False
        if after is not None and (after.lower_ in rule.not_before or (rule.not_before_number and after.like_num)):
            return False
        if rule.lowercase_only and start > unit_start and doc[start].text[0].isupper():
            return False
        if rule.category == "booster":
            window = doc[max(unit_start, start - self.negation_window) : start]
            if any(t.lower_ in self.negations for t in window):
                return False
        return True


def _rules(lexicon: dict) -> list[CueRule]:
    rules = [
        CueRule(
            literal=item["literal"],
            category="hedge",
            not_after=frozenset(item.get("not_after", ())),
            not_before=frozenset(item.get("not_before", ())),
            not_before_number=item.get("not_before_number", False),
            lowercase_only=item.get("lowercase_only", False),
        )
        for item in lexicon["hedges"]
    ]
    rules += [CueRule(literal, "caveat") for literal in lexicon["caveats"]]
    rules += [CueRule(literal, "booster") for literal in lexicon["boosters"]]
    return rules


@Language.factory(
    "claimscan_cues",
    assigns=["span._.cues", "span._.hedges", "span._.boosters", "span._.caveats"],
    requires=["doc.spans"],
    default_config={"lexicon": "cues.json", "extra_lexicons": []},
)
def make_cue_tagger(nlp: Language, name: str, lexicon: str, extra_lexicons: list[str]) -> CueTagger:
    """`extra_lexicons` are more JSON files in the same shape (house-style cues); they add to the default."""
    data = load_json(lexicon)
    rules = _rules(data)
    for extra in extra_lexicons:
        rules += _rules({"hedges": [], "caveats": [], "boosters": [], **load_json(extra)})
    return CueTagger(nlp, rules, set(data["negations"]), data["negation_window"])
