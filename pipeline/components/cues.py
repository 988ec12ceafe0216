"""Hedges, caveats, boosters and hype per unit, from the cue lexicon in configs/cues.json.

All cues are fixed strings (a phrase may spell alternatives as `{a|b}`, expanded at load), so one
PhraseMatcher finds them; homographs ("In May", "less likely to die", "appears in the journal",
"could not walk") are removed by the per-cue context rules of the lexicon, and boosters and hype
inside a negation or denial scope ("not proven", "no miracle", "no evidence it is a breakthrough";
the scope of configs/negation.json, shared with every rule) are dropped. "can" is deliberately not a
hedge: see the claim classifier.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.analysis import Cue, Unit
from pipeline.components._util import (doc_text, end_char, longest_matches, phrase_matcher,
                                       unit_of_token)
from pipeline.extensions import unit_records
from pipeline.lexical import lower_same_length
from pipeline.negation import Negation
from pipeline.rulefile import OneOf, Optional, load_rules

CATEGORIES = {"hedges": "hedge", "doubts": "doubt", "caveats": "caveat", "boosters": "booster",
              "hype": "hype"}
NEGATABLE = frozenset({"booster", "hype"})  # a negated booster or hype word asserts nothing
_ENTRY = {"literal": str, "not_after": Optional([str]), "not_before": Optional([str]),
          "not_before_number": Optional(bool), "not_month": Optional(bool)}
# Each category lists phrases, or objects with a phrase and its context rules.
LEXICON_SCHEMA = {
    "month_words_before": [str],
    **{key: [OneOf(str, _ENTRY)] for key in CATEGORIES},
}
# A house lexicon (`[tool.claimscan.lexicons] cues`) adds phrases to any category.
EXTRA_SCHEMA = {key: Optional([OneOf(str, _ENTRY)]) for key in CATEGORIES}
_ALTERNATIVES = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class CueRule:
    literal: str
    category: str  # hedge | doubt | caveat | booster | hype
    not_after: frozenset[str] = frozenset()
    not_before: frozenset[str] = frozenset()
    not_before_number: bool = False
    not_month: bool = False


def expand(phrase: str) -> list[str]:
    """`{more|further} research` -> ['more research', 'further research']."""
    parts = _ALTERNATIVES.split(phrase)
    options = [part.split("|") if i % 2 else [part] for i, part in enumerate(parts)]
    return [" ".join("".join(choice).split()) for choice in itertools.product(*options)]


def cue_rules(lexicon: dict) -> list[CueRule]:
    """The rules of a lexicon (or a house lexicon), one per expanded phrase."""
    rules = []
    for key, category in CATEGORIES.items():
        for entry in lexicon.get(key, []):
            spec = {"literal": entry} if isinstance(entry, str) else entry
            for literal in expand(spec["literal"]):
                rules.append(CueRule(
                    literal=literal.lower(),
                    category=category,
                    not_after=frozenset(spec.get("not_after", ())),
                    not_before=frozenset(spec.get("not_before", ())),
                    not_before_number=spec.get("not_before_number", False),
                    not_month=spec.get("not_month", False),
                ))
    return rules


class CueTagger:
    def __init__(self, nlp: Language, rules: list[CueRule], negation: Negation,
                 month_words_before: set[str]) -> None:
        self.rules = {rule.literal: rule for rule in rules}
        self.negation = negation
        self.month_words_before = month_words_before
        self.matcher = phrase_matcher(nlp, {rule.literal: [rule.literal] for rule in rules})

    def __call__(self, doc: Doc) -> Doc:
        units = unit_records(doc)
        owner = unit_of_token(doc)
        text = doc_text(doc)
        for unit in units:
            unit.cues = []
        for match_id, start, end in longest_matches(self.matcher(doc)):
            rule = self.rules[doc.vocab.strings[match_id]]
            index = owner[start]
            if index < 0 or not self._applies(doc, rule, start, end, units[index]):
                continue
            # the cue's characters read off its tokens (a Span joins its tokens' texts)
            first, last = doc[start].idx, end_char(doc, end)
            units[index].cues.append(Cue(text[first:last].lower(), first, last, rule.category))
        return doc

    def _applies(self, doc: Doc, rule: CueRule, start: int, end: int, unit: Unit) -> bool:
        # lower_same_length folds "’" into the "'" the rule words are written with ("don’t").
        # The words around the cue are looked up only for a rule that tests them (most have none).
        before = (lower_same_length(doc[start - 1].text)
                  if start > unit.start and (rule.not_after or rule.not_month) else "")
        after = doc[end] if end < len(doc) else None
        # A month is written capitalised: for a word that can be one, the words around it that
        # mark a date ("this May", "May 5") count only then; "this may not be the case" and
        # "may one day help" are the modal.
        capitalised = doc[start].text[0].isupper()
        dated = not rule.not_month or capitalised
        if before in rule.not_after and dated:
            return False
        if after is not None and (
            (rule.not_before and (lower_same_length(after.text) in rule.not_before
                                  or lower_same_length(doc[end : end + 2].text) in rule.not_before))
            or (rule.not_before_number and after.like_num and dated)
        ):
            return False
        if rule.not_month and capitalised and (
                before in self.month_words_before
                or (after is not None and (after.like_num or after.text == ","))):
            return False  # "In May", "May 5", "May, 2021": the month
        if rule.category in NEGATABLE:
            return not self.negation.of(unit.lower, doc[start].idx - unit.start_char)
        return True


@Language.factory(
    "claimscan_cues",
    assigns=["span._.cues", "span._.hedges", "span._.boosters", "span._.caveats"],
    requires=["doc.spans"],
    default_config={"lexicon": "cues.json", "extra_lexicons": []},
)
def make_cue_tagger(nlp: Language, name: str, lexicon: str, extra_lexicons: list[str]) -> CueTagger:
    """`extra_lexicons` are more JSON files with any of the category lists (house-style cues);
    they add to the default."""
    data = load_rules(lexicon, LEXICON_SCHEMA)
    rules = cue_rules(data)
    for extra in extra_lexicons:
        rules += cue_rules(load_rules(extra, EXTRA_SCHEMA))
    return CueTagger(nlp, rules, Negation.load(),
                     set(data["month_words_before"]))
