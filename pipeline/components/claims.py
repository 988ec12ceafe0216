"""Claim classifier: strength, kind and is_claim per unit.

Strength follows Yu et al. 2019 / Adams et al. 2017 on a five-level scale. An effect verb
("reduces", "led to") is a direct causal claim; after may/might/could, or after an epistemic hedge
earlier in the unit ("suggests that"), it is conditional; after "can" it is can-causal, which
readers take as a strong claim, not a hedge. Ordinary senses are kept out: a verb in the unit's
reporting frame ("she added") is not an effect, and general verbs ("make", "work", "give") count
only with a health word after them ("makes people healthier", not "is made of gelatin").

Kind comes from the unit's form (headline, question, page clutter such as sign-up prompts and
photo credits, affiliation and funding statements), its cues (caveat, advice, conclusion,
mechanism wording), whether it reports a study, and whether it is about health at all: a
sentence with no effect wording and no health word is narrative (`other`), not background.
A headline is a claim when it asserts a health effect or fact.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.analysis import Unit
from pipeline.components._util import (doc_text, end_char, is_question, longest_matches,
                                       phrase_matcher, unit_of_token)
from pipeline.extensions import unit_records
from pipeline.lexical import Terms, alternation, inflections
from pipeline.resources import load_lines
from pipeline.rulefile import MapOf, load_rules
from pipeline.negation import Negation

STRENGTHS = ("none", "correlational", "conditional", "can-causal", "direct")
_WORD_LISTS = (
    "effect_verbs", "modals_conditional", "modals_can", "skippable_between_modal_and_verb",
    "adjectival_position", "correlational", "result_cues", "recommendation_starts",
    "recommendation_cues", "caveat_cues", "conclusion_starts", "mechanism_cues", "other_starts",
    "study_description_cues", "strong_caveat_cues", "effect_verbs_with_health_object",
    "health_suffixes", "clutter_phrases", "affiliation_phrases", "funding_phrases",
    "money_phrases", "effect_objects", "effect_properties", "not_effect_after_help", "past_forms",
    "infinitive_claim_heads", "advice_before_purpose", "reported_advice_cues",
    "publication_phrases",
)
# configs/claims.json: every key is a word or phrase list, but irregular verb forms
LEXICON_SCHEMA = {**{key: [str] for key in _WORD_LISTS}, "irregular_forms": MapOf([str]),
                  "not_effect_before": MapOf([str])}
_RANK = {name: i for i, name in enumerate(STRENGTHS)}
_JUDGING_CUES = ("hype",)
_READER = frozenset(("you", "your"))  # advice addressed to the reader
_EPISTEMIC_TYPES_BEFORE_VERB = ("suggest", "appear", "seem", "indicate", "likely", "possibl",
                                "potential", "perhaps", "probabl", "believe")
# fewer words than this is a fragment, not a claim
_THREE_WORDS = re.compile(r"[a-z]+[^a-z]+[a-z]+[^a-z]+[a-z]")
_FIRST_WORD = re.compile(r"[a-z']+")
CLAIM_KINDS = frozenset({"finding", "mechanism", "conclusion", "background"})
# A question a study or a test set out to answer: the effect words inside it are asked, not
# claimed (the question runs to the next comma). Every text it matches has one of the question
# words as a word: a set test on the unit's words leaves the regex most units.
_QUESTION_WORDS = ("whether", "if", "which", "how", "what")
_INQUIRY = re.compile(
    r"\b(?:aim(?:s|ed)?\s+to|set\s+out\s+to|wanted\s+to\s+(?:know|see|find\s+out|learn)"
    r"|sought\s+to|to\s+find\s+out|to\s+see|to\s+determine|to\s+test|to\s+learn|to\s+assess"
    r"|to\s+examine|to\s+investigate|tested|examined|investigated|looked\s+at|explored"
    r"|studying|studied)\s+(?:[^.;,]{0,40}?\s)?"
    rf"(?P<question>{'|'.join(_QUESTION_WORDS)})\b[^,;.]*"
)
# What someone means to do next ("the goal is to develop a test that can find cancer early",
# "we hope to find molecules that might stimulate the cells"): a plan, not a finding (guide: plans
# are not claims); the plan runs to the end of its clause.
# Every text _PLAN matches has one of these words as a word (before "to", or "goal" before "is" or
# "was"): the set test on the unit's words leaves the regex most units.
_PLAN_VERBS = ("aim", "aims", "aimed", "hope", "hopes", "hoped", "hoping", "plan", "plans",
               "planned", "planning")
_PLAN_WORDS = frozenset((*_PLAN_VERBS, "goal"))
_PLAN = re.compile(
    r"\b(?:(?:the\s+|our\s+|their\s+|main\s+|ultimate\s+)*goal\s+(?:is|was)"
    rf"|{'|'.join(_PLAN_VERBS)})\s+to\s+(?:eventually\s+|soon\s+)?"
    r"(?P<plan>develop|create|build|design|find|use|begin|start|apply|seek|conduct|expand|launch"
    r"|market|bring|investigate|put|hire|identify)\b[^,;.]*"
)
# "a condition that can cause itching", "the syndrome often causes seizures": what a disease does
# describes the disease (annotation guide R4), it is no effect claimed for a treatment or exposure.
# The disease is the subject: it opens the sentence or a noun phrase, with no preposition or verb
# between ("a drug for the treatment of Alzheimer's disease reduces plaques" is about the drug).
# A unit holds one of the nouns as a word whenever the regex matches: a set test skips the rest.
_DISEASE_NOUNS = ("condition", "disease", "disorder", "syndrome", "infection", "illness")
_PREPOSITIONS = "of|for|with|to|from|in|on|against"
_DISEASE_SUBJECT = re.compile(
    r"(?:^|\b(?:a|an|the|this|its|their)\s+)"
    rf"(?:(?!(?:{_PREPOSITIONS}|treat\w*)\b)[\w'’-]+\s+){{0,3}}?"
    rf"(?:{'|'.join(_DISEASE_NOUNS)})\s+(?:that\s+|which\s+)?"
    r"(?:(?:can|may|might|could|often|also|usually|typically|sometimes)\s+)*$"
)
# ... unless that noun phrase is itself an object: "drugs that treat the disease reduce symptoms"
_OBJECT_BEFORE = re.compile(
    rf"\b(?:{_PREPOSITIONS}|that|which|who|treat\w*|cur\w*|prevent\w*"
    r"|control\w*|manag\w*|fight\w*|target\w*)\s+$"
)
_HEALTH_OBJECT_WINDOW = 5  # words after a general verb in which a health word makes it an effect
_HEADLINE_MIN_WORDS = 4
_NOUN_PHRASE_ENDS = frozenset({"of", "for", "from", "in", "to", "with", "on", "and", "or", "is",
                               "was", "are", "were"})


class ClaimClassifier:
    def __init__(self, nlp: Language, lexicon: dict, health_terms: list[str],
                 negation: Negation) -> None:
        self.lexicon = lexicon
        irregular = lexicon["irregular_forms"]
        verbs = [f for v in lexicon["effect_verbs"] for f in inflections(v, irregular)]
        general = [f for v in lexicon["effect_verbs_with_health_object"]
                   for f in inflections(v, irregular)]
        self.matcher = phrase_matcher(nlp, {"effect": verbs, "general": general,
                                            "property": lexicon["effect_properties"],
                                            "correlational": lexicon["correlational"]})
        self.conditional = set(lexicon["modals_conditional"])
        self.can = set(lexicon["modals_can"])
        self.skippable = set(lexicon["skippable_between_modal_and_verb"])
        self.adjectival = set(lexicon["adjectival_position"])
        self.effect_objects = frozenset(lexicon["effect_objects"])
        self.diagnostic_after_help = frozenset(lexicon["not_effect_after_help"])
        self.not_effect_before = {form: frozenset(words)
                                  for verb, words in lexicon["not_effect_before"].items()
                                  for form in inflections(verb, irregular)}
        self.past_forms = frozenset(lexicon["past_forms"])
        self.infinitive_claim_heads = frozenset(lexicon["infinitive_claim_heads"])
        self.advice = Terms(lexicon["advice_before_purpose"])
        self.cues = {
            name: Terms(lexicon[name])
            for name in ("result_cues", "recommendation_cues", "caveat_cues", "strong_caveat_cues",
                         "mechanism_cues", "study_description_cues", "clutter_phrases",
                         "affiliation_phrases", "funding_phrases", "money_phrases",
                         "reported_advice_cues", "publication_phrases")
        }
        self.health = Terms(health_terms)
        # A unit is looked up in up to ten of these lists: one intersection with all their key
        # words leaves the few words (mostly none) each list's gate has to test.
        self.key_words = self.health.key_words.union(*(t.key_words for t in self.cues.values()))
        self.health_suffix = re.compile(
            r"\b[a-z]{3,}(?:" + alternation(lexicon["health_suffixes"]) + r")\b")
        self.starts = {name: tuple(lexicon[name]) for name in ("conclusion_starts", "other_starts")}
        self.recommendation_starts = set(lexicon["recommendation_starts"])
        self.negation = negation

    def __call__(self, doc: Doc) -> Doc:
        units = unit_records(doc)
        owner = unit_of_token(doc)
        text = doc_text(doc)
        strength = ["none"] * len(units)
        cue = [""] * len(units)
        cue_start = [0] * len(units)
        labels = {doc.vocab.strings[name]: name
                  for name in ("effect", "general", "property", "correlational")}
        for match_id, start, end in longest_matches(self.matcher(doc)):
            index = owner[start]
            if index < 0:
                continue
            unit = units[index]
            first = doc[start]
            char = first.idx
            if unit.in_frame(char):
                continue  # "she added", "who led the study": the reporting frame, not the claim
            label = labels[match_id]
            if (start > unit.start and first.is_title and doc[start - 1].is_alpha
                    and unit.block_kind != "heading"):
                continue  # "a trial named Reset": a capitalised word inside a sentence is a name
            if (label == "general"
                    and not self._health_word_after(unit, end_char(doc, end))):
                continue
            word = first.lower_
            if word.startswith("help") and self._diagnostic_after(doc, end, unit):
                continue  # "may help determine whether": what a test tells, not an effect
            if end < unit.end and doc[end].lower_ in self.not_effect_before.get(word, ()):
                continue  # "working with a designer": a job, not "the drug works"
            if label == "correlational":
                level = "correlational"
            elif label == "property":
                level = self._modal_level(doc, start, unit) or "direct"
            else:
                level = self._effect_level(doc, start, end, unit, label == "general")
            if level and _RANK[level] > _RANK[strength[index]]:
                # the words as written, read off the tokens' characters
                strength[index], cue[index], cue_start[index] = (
                    level, text[char : end_char(doc, end)].lower(), char)
        title = _title_index(units)
        for index, unit in enumerate(units):
            level = strength[index]
            if level == "none" and unit.cues and any(h.split()[0] in self.conditional
                                                     for h in unit.cue_texts("hedge")):
                # "it may be a valuable addition": hedged claim with no effect verb
                level = "conditional"
            unit.strength = level
            unit.strength_cue = cue[index]
            unit.strength_at = cue_start[index] - unit.start_char if cue[index] else -1
            unit.assertion = (self.negation.of(unit.lower, unit.strength_at) if cue[index]
                              else "")
            unit.past = self._past(unit, cue[index])
            unit.kind = self._kind(unit, index == title, unit.strength_at)
            unit.is_claim = (unit.kind in CLAIM_KINDS
                             or (unit.kind == "recommendation" and bool(unit.strength_cue))
                             or (unit.kind == "heading" and self._headline_claims(unit)))
        return doc

    def _past(self, unit: Unit, cue: str) -> bool:
        first = cue.split()[0] if cue else ""
        return bool(first) and (first.endswith("ed") or first in self.past_forms
                                or any(f"{aux} {first}" in unit.lower
                                       for aux in ("was", "were", "had", "did")))

    def _diagnostic_after(self, doc: Doc, end: int, unit: Unit) -> bool:
        """A diagnostic verb within the next three words ('help doctors spot', 'help determine')."""
        return any(t.lower_ in self.diagnostic_after_help
                   for t in doc[end : min(end + 3, unit.end)])

    def _health_word_after(self, unit: Unit, char: int) -> bool:
        # the first words only: splitting off the rest of the unit would find the same ones
        after = unit.lower[char - unit.start_char :].split(maxsplit=_HEALTH_OBJECT_WINDOW)[
            :_HEALTH_OBJECT_WINDOW]
        return (self.about_health(" ".join(after))
                or any(w.strip(",.;") in self.effect_objects for w in after))

    def about_health(self, lower: str, words: frozenset[str] | None = None) -> bool:
        return self.health.found_in(lower, words) or bool(self.health_suffix.search(lower))

    def _effect_level(self, doc: Doc, start: int, end: int, unit: Unit,
                      general: bool) -> str | None:
        before = doc[start - 1].lower_ if start > unit.start else ""
        two_before = doc[start - 2].lower_ if start - 1 > unit.start else ""
        after = doc[end] if end < unit.end else None
        ends_phrase = after is None or after.is_punct or after.lower_ in _NOUN_PHRASE_ENDS
        if ((before in self.adjectival
             and (general or not self._relative_clause(doc, start, end, unit)))
                or (two_before in self.adjectival and ends_phrase)):
            return None  # "an increased risk", "the full benefit.": a noun phrase, not a claim verb
        if after is not None and after.text == "-" and not doc[end - 1].whitespace_:
            return None  # "lower-energy shock waves": the first half of a compound adjective
        earlier = unit.text[: doc[start].idx - unit.start_char].lower()
        disease = (None if unit.words.isdisjoint(_DISEASE_NOUNS)
                   else _DISEASE_SUBJECT.search(earlier))
        if disease and not _OBJECT_BEFORE.search(earlier, 0, disease.start()):
            return None
        if (before == "to" and two_before not in self.infinitive_claim_heads
                and not self.advice.found_in(earlier)):
            # "used to treat", "a way to prevent", "everything she can to heal": a purpose, not
            # an effect, even after a modal
            return None
        modal = self._modal_level(doc, start, unit)
        if modal:
            return modal
        if any(stem in earlier for stem in _EPISTEMIC_TYPES_BEFORE_VERB) and any(
            h.startswith(_EPISTEMIC_TYPES_BEFORE_VERB) for h in unit.hedges
        ):
            return "conditional"
        return "direct"

    def _relative_clause(self, doc: Doc, start: int, end: int, unit: Unit) -> bool:
        """'that' before the effect word is a relative pronoun, not a determiner: the verb agrees
        with a noun before it ("a drug that prevents", "foods that fight Alzheimer's"). A
        determiner takes no -s verb, and before a plural noun it is "those". Not for verbs that
        are effects only with a health object ("a company that makes"): too often business."""
        if doc[start - 1].lower_ != "that" or start - 2 < unit.start:
            return False
        word, noun = doc[start].lower_, doc[start - 2].lower_
        if word.endswith("s") and not word.endswith("ss"):
            return True
        return (noun.endswith("s") and not noun.endswith(("ss", "us", "is"))
                and self._health_word_after(unit, end_char(doc, end)))

    def _modal_level(self, doc: Doc, start: int, unit: Unit) -> str | None:
        """conditional after may/might/could/would, can-causal after can (adverbs and 'be'
        skipped)."""
        i = start - 1
        while i >= unit.start and doc[i].lower_ in self.skippable:
            i -= 1
        word = doc[i].lower_ if i >= unit.start else ""
        if word in self.conditional:
            return "conditional"
        return "can-causal" if word in self.can else None

    def _describes_study(self, unit: Unit, words: frozenset[str]) -> bool:
        """A study-description cue outside the reporting frame: "..., the researchers wrote" says
        who speaks, not how the study was run."""
        for match in self.cues["study_description_cues"].finditer(unit.lower, words):
            if not unit.in_frame(unit.start_char + match.start()):
                return True
        return False

    def _headline_claims(self, unit: Unit) -> bool:
        """A headline asserts a health effect or fact: effect wording, hype, or a health word in a
        headline long enough to say something ("40% of Banding Patients Have Complications")."""
        if is_question(unit.text):
            return False
        if unit.strength != "none" or unit.cue_texts("hype"):
            return unit.assertion != "denied"
        return len(unit.words) >= _HEADLINE_MIN_WORDS and self.about_health(unit.lower, unit.words)

    def _kind(self, unit: Unit, is_title: bool, cue_at: int) -> str:
        text = unit.text
        strength = unit.strength
        studied = bool(unit.study_ids)
        lower = unit.lower
        words = unit.words & self.key_words  # all the cue lists and `about_health` need
        # Page clutter set as a heading too ("MORE: ...", "... Read more") is clutter.
        clutter = (lower.startswith(self.starts["other_starts"])
                   or self.cues["clutter_phrases"].found_in(lower, words))
        if unit.block_kind == "heading":
            # Headlines of other stories pasted into the page are set in capitals.
            shouting = not is_title and (sum(c.isupper() for c in text)
                                         > 0.6 * sum(c.isalpha() for c in text))
            return "other" if shouting or clutter else "heading"
        if is_question(text):
            return "question"
        if clutter:
            return "other"
        if not _THREE_WORDS.search(lower) and not unit.cue_texts("hype"):
            # a fragment ("Maybe.") asserts nothing, unless it is hype ("Miraculous!")
            return "other"
        if strength == "none" and self.cues["funding_phrases"].found_in(lower, words):
            return "study_description"
        if (strength == "none" and unit.frame is None
                and self.cues["affiliation_phrases"].found_in(lower, words)):
            return "other"  # "He was not involved in the study": about the person, not health
        if unit.assertion == "denied" or self.cues["strong_caveat_cues"].found_in(lower, words):
            return "caveat"
        has_result = self.cues["result_cues"].found_in(lower, words)
        if lower.startswith(self.starts["conclusion_starts"]):
            return "conclusion"
        caveats = unit.caveats
        first = _FIRST_WORD.match(lower)
        imperative = bool(first and first.group() in self.recommendation_starts)
        if (
            (imperative and not lower.startswith(("make sure", "have been")))
            or (self.cues["recommendation_cues"].found_in(lower, words) and not has_result)
        ):
            if not caveats:
                if (not imperative and unit.words.isdisjoint(_READER)
                        and self.cues["reported_advice_cues"].found_in(lower, words)):
                    # what a guideline or a body recommends is a health fact the story reports
                    # ("the task force recommends screening from 50"); advice to the reader is not
                    return "background"
                return "recommendation"
        hedged_beyond_caveat = bool(unit.cues) and any(h not in caveats for h in unit.hedges)
        if (caveats or self.cues["caveat_cues"].found_in(lower, words)) and not (
            strength != "none" and hedged_beyond_caveat and studied
        ):
            if strength in ("none", "correlational") or caveats:
                sums_up = len(unit.study_ids) > 1 and hedged_beyond_caveat and strength != "none"
                return "conclusion" if sums_up else "caveat"
        inquiry = (None if has_result or unit.words.isdisjoint(_QUESTION_WORDS)
                   else _INQUIRY.search(lower))
        if inquiry and (strength == "none" or inquiry.start("question") <= cue_at < inquiry.end()):
            # "the study aimed to see whether longer treatment could help", "scans to see whether
            # tissue was still alive": what was asked, not what was found
            return "study_description"
        plan = None if unit.words.isdisjoint(_PLAN_WORDS) else _PLAN.search(lower)
        if (plan and (cue_at < 0 or plan.start("plan") <= cue_at < plan.end())
                and all(plan.start() <= m.start() < plan.end()
                        for m in self.cues["result_cues"].finditer(lower, words))):
            # "researchers aim to develop a tool that could be used by all", "we hope to find
            # molecules that might help": a result found outside the plan is still a result
            return "other"
        if studied and len(unit.study_ids) > 1:
            return "conclusion"
        # "a very important therapeutic advance", "game changers": a verdict on the results
        judged = bool(unit.cue_texts(*_JUDGING_CUES))
        if (strength == "none" and self.cues["publication_phrases"].found_in(lower, words)
                and all(m.group() == "results"
                        for m in self.cues["result_cues"].finditer(lower, words))):
            # "the results were published in X", "the results are expected next year": where and
            # when a study reports, not what it found ("... was published in X and found 30
            # percent fewer attacks" reports a result)
            return "study_description"
        if studied:
            if has_result or strength != "none":
                return "finding"
            if judged:
                return "conclusion"
        if (self.cues["mechanism_cues"].found_in(lower, words)
                and strength in ("direct", "can-causal", "conditional")):
            return "mechanism"
        if (strength == "none" and not has_result and not judged
                and self._describes_study(unit, words)):
            # how a study was done ("the trial enrolled 300 adults"), whether or not the linker
            # tied it to a study; a health fact told next to a study ("the condition affects one
            # in 3,500 boys, according to the NIH") is background
            return "study_description"
        if strength == "none" and not unit.cue_texts("hype", "booster") and (
            self.cues["money_phrases"].found_in(lower, words) or not self.about_health(lower, words)
        ):
            # narrative: people, events, plans; and money, which is no health claim however
            # many health words it has ("the procedure costs $1,000 and few insurers cover it")
            return "other"
        return "background"


def _title_index(units: list[Unit]) -> int:
    """The index of the article's headline (its first unit, when that is a heading), or -1."""
    return 0 if units and units[0].block_kind == "heading" else -1


@Language.factory(
    "claimscan_claims",
    assigns=["span._.kind", "span._.is_claim", "span._.strength"],
    requires=["span._.hedges", "span._.study_ids"],
    default_config={"lexicon": "claims.json", "health_terms": "health_terms.txt",
                    "negation": "negation.json"},
)
def make_claim_classifier(nlp: Language, name: str, lexicon: str, health_terms: str,
                          negation: str) -> ClaimClassifier:
    return ClaimClassifier(nlp, load_rules(lexicon, LEXICON_SCHEMA), load_lines(health_terms),
                           Negation.load(negation))
