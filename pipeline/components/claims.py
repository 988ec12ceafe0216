"""Claim classifier: strength, kind and is_claim per unit.

Strength follows Yu et al. 2019 / Adams et al. 2017 on a five-level scale. An effect verb
("reduces", "led to") is a direct causal claim; after may/might/could, or after an epistemic hedge
earlier in the unit ("suggests that"), it is conditional; after "can" it is can-causal, which
readers take as a strong claim, not a hedge. Kind comes from the unit's form (heading, question),
its cues (caveat, advice, conclusion, mechanism wording) and whether it reports a study.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components._util import longest_matches, phrase_matcher, unit_of_token
from pipeline.analysis import Unit
from pipeline.extensions import unit_records
from pipeline.lexical import Terms
from pipeline.resources import load_json

STRENGTHS = ("none", "correlational", "conditional", "can-causal", "direct")
_RANK = {name: i for i, name in enumerate(STRENGTHS)}
_EPISTEMIC_TYPES_BEFORE_VERB = ("suggest", "appear", "seem", "indicate", "likely", "possibl", "potential", "perhaps", "probabl", "believe")
_THREE_WORDS = re.compile(r"[a-z]+[^a-z]+[a-z]+[^a-z]+[a-z]")  # fewer words than this is a fragment, not a claim
CLAIM_KINDS = frozenset({"finding", "mechanism", "conclusion", "background"})


def inflections(verb: str, irregular: dict[str, list[str]]) -> list[str]:
    """Base, third person, past and -ing forms of an effect verb (particles kept: 'leads to')."""
    if verb in irregular:
        return [verb, *irregular[verb]]
    head, _, particle = verb.partition(" ")
    tail = f" {particle}" if particle else ""
    if head.endswith("e"):
        forms = [head, head + "s", head + "d", head[:-1] + "ing"]
    elif head.endswith("y") and head[-2] not in "aeiou":
        forms = [head, head[:-1] + "ies", head[:-1] + "ied", head + "ing"]
    elif head.endswith(("sh", "ch", "x", "ss")):
        forms = [head, head + "es", head + "ed", head + "ing"]
    else:
        forms = [head, head + "s", head + "ed", head + "ing"]
    return [form + tail for form in forms]


class ClaimClassifier:
    def __init__(self, nlp: Language, lexicon: dict) -> None:
        self.lexicon = lexicon
        verbs = [f for v in lexicon["effect_verbs"] for f in inflections(v, lexicon["irregular_forms"])]
        self.matcher = phrase_matcher(nlp, {"effect": verbs, "correlational": lexicon["correlational"]})
        self.conditional = set(lexicon["modals_conditional"])
        self.can = set(lexicon["modals_can"])
        self.skippable = set(lexicon["skippable_between_modal_and_verb"])
        self.adjectival = set(lexicon["adjectival_position"])
        self.cues = {
            name: Terms(lexicon[name])
            for name in ("result_cues", "recommendation_cues", "caveat_cues", "strong_caveat_cues", "mechanism_cues", "study_description_cues")
        }
        self.starts = {name: tuple(lexicon[name]) for name in ("conclusion_starts", "other_starts")}
        self.recommendation_starts = set(lexicon["recommendation_starts"])

    def __call__(self, doc: Doc) -> Doc:
        units = unit_records(doc)
        owner = unit_of_token(doc)
        strength = ["none"] * len(units)
        cue = [""] * len(units)
        effect_label = doc.vocab.strings["effect"]
        for match_id, start, end in longest_matches(self.matcher(doc)):
            index = owner[start]
            if index < 0:
                continue
            if match_id == effect_label:
                level = self._effect_level(doc, start, units[index])
            else:
                level = "correlational"
            if level and _RANK[level] > _RANK[strength[index]]:
                strength[index], cue[index] = level, doc[start:end].text.lower()
        own = {i for s in (doc._.studies or []) for i in s.sentence_indexes}
        for index, unit in enumerate(units):
            level = strength[index]
            if level == "none" and any(h.split()[0] in self.conditional for h in unit.hedges):
                level = "conditional"  # "it may be a valuable addition": hedged claim with no effect verb
            unit.strength = level
            unit.strength_cue = cue[index]
            unit.kind = self._kind(unit, index in own)
            unit.is_claim = unit.kind in CLAIM_KINDS or (unit.kind == "recommendation" and bool(unit.strength_cue))
        return doc

    def _effect_level(self, doc: Doc, start: int, unit: Unit) -> str | None:
        before = doc[start - 1].lower_ if start > unit.start else ""
        if before in self.adjectival:
            return None  # "an increased risk", "the reduction": a noun phrase, not a claim verb
        i = start - 1
        while i >= unit.start and doc[i].lower_ in self.skippable:
            i -= 1
        word = doc[i].lower_ if i >= unit.start else ""
        if word in self.conditional:
            return "conditional"
        if word in self.can:
            return "can-causal"
        earlier = unit.text[: doc[start].idx - unit.start_char].lower()
        if any(stem in earlier for stem in _EPISTEMIC_TYPES_BEFORE_VERB) and any(
            h.startswith(_EPISTEMIC_TYPES_BEFORE_VERB) for h in unit.hedges
        ):
            return "conditional"
        return "direct"

    def _kind(self, unit: Unit, owns_study: bool) -> str:
        text = unit.text
        strength = unit.strength
        studied = bool(unit.study_ids)
        lower = unit.lower.replace("’", "'")
        words = unit.words
        if unit.block_kind == "heading":
            return "heading"
        if text.endswith("?"):
            return "question"
        if lower.startswith(self.starts["other_starts"]) or not _THREE_WORDS.search(lower):
            return "other"
        if self.cues["strong_caveat_cues"].search(lower, words):
            return "caveat"
        has_result = bool(self.cues["result_cues"].search(lower, words))
        if lower.startswith(self.starts["conclusion_starts"]):
            return "conclusion"
        first = re.match(r"[a-z']+", lower)
        if (first and first.group() in self.recommendation_starts and not lower.startswith(("make sure", "have been"))) or (
            self.cues["recommendation_cues"].search(lower, words) and not has_result
        ):
            if not unit.caveats:
                return "recommendation"
        hedged_beyond_caveat = any(h not in unit.caveats for h in unit.hedges)
        if (unit.caveats or self.cues["caveat_cues"].search(lower, words)) and not (strength != "none" and hedged_beyond_caveat and studied):
            if strength in ("none", "correlational") or unit.caveats:
                sums_up = len(unit.study_ids) > 1 and hedged_beyond_caveat and strength != "none"
                return "conclusion" if sums_up else "caveat"
        if studied and len(unit.study_ids) > 1:
            return "conclusion"
        if studied:
            if has_result or strength != "none":
                return "finding"
            if owns_study or self.cues["study_description_cues"].search(lower, words):
                return "study_description"
        if self.cues["mechanism_cues"].search(lower, words) and strength in ("direct", "can-causal", "conditional"):
            return "mechanism"
        return "background"


@Language.factory(
    "claimscan_claims",
    assigns=["span._.kind", "span._.is_claim", "span._.strength"],
    requires=["span._.hedges", "span._.study_ids"],
    default_config={"lexicon": "claims.json"},
)
def make_claim_classifier(nlp: Language, name: str, lexicon: str) -> ClaimClassifier:
    return ClaimClassifier(nlp, load_json(lexicon))
