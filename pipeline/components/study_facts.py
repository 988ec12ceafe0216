"""Study facts per unit: sample size, duration, frequency, design, control, blinding, outcome
measure, funding and population, as labelled spans in `doc.spans["study_facts"]`.

Numbers come from regexes over each unit's text (digits or words); whether a number is a sample
size or a duration is decided by the words around it, so doses, percentages, ages, years, step
counts and exposure spans ("slept forty minutes less", "wore an accelerometer for a week") are
left out. Fixed cue phrases (designs, placebo, double-blind, self-report, industry funding) are
found by one PhraseMatcher. Each span's `kb_id_` holds the normalised value.

A sample size is the number of participants analysed, so the population a disease affects
("36 million people worldwide", "1.2 million people a year"), rates ("one in 50 children"),
subsets ("of these, 88 patients"), and numbers needed to treat ("treat 200 people to prevent one
heart attack") are not one; events counted as outcomes ("7,489 women died") are kept only as weak
candidates. A duration is how long the study followed people: ages, histories ("had had diabetes
for 10 years"), exposures ("a pack a day for 30 years") and outcome times ("lived 12 months
versus 11") are not. Sample sizes and durations carry a rank in the span's `id_` (RANK_STRONG:
a study cue right at the number, "the trial enrolled 300", "followed for 18 years";
RANK_STUDY: stated in a sentence about a study; RANK_WEAK: anything else kept): the linker keeps
the best-ranked one of each study. Coordinated arms ("244 patients and 79 healthy volunteers took
part") are added up into one more candidate, ranked above its parts.
"""

from __future__ import annotations

import math
import re

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.analysis import Unit
from pipeline.components._util import longest_matches, phrase_matcher, unit_of_token
from pipeline.extensions import STUDY_FACTS, unit_records
from pipeline.lexical import Terms, alternation, key_word
from pipeline.numbers import NUMBER, parse_number
from pipeline.rulefile import MapOf, load_rules

RANK_STRONG, RANK_STUDY, RANK_WEAK = 7, 4, 1

SCHEMA = {
    "population_nouns": [str], "count_nouns": [str], "modifier_stop_words": [str],
    "sample_verbs": [str], "age_words_before": [str], "duration_units": MapOf(float),
    "duration_cues": [str], "duration_clause_cues": [str], "duration_not_after": [str],
    "duration_not_before": [str],
    "duration_not_right_after": [str], "study_words": [str],
    "frequency_pattern_words": [str], "designs": MapOf([str]), "design_priority": [str],
    "control": MapOf([str]), "blinding": MapOf([str]), "outcome": MapOf([str]),
    "funding": MapOf([str]),
    "sample_strong_nouns": [str], "sample_study_nouns": [str], "sample_qualifiers": [str],
    "sample_took_part": [str], "sample_prevalence_after": [str], "sample_rate_after": [str],
    "sample_outcome_verbs_after": [str], "sample_subset_before": [str],
    "sample_nnt": [str], "sample_population_nouns": [str], "sample_max_without_cue": int,
    "duration_followup_words": [str], "duration_followup_after": [str],
    "duration_period_after": [str], "duration_records_after": [str],
    "duration_outcome_after": [str],
    "duration_outcome_before": [str], "duration_history_before": [str],
    "duration_a_unit_cues": [str], "design_animal_units": [str], "design_strong_controls": [str],
    "design_weak_cues": [str], "design_pooling_verbs": [str], "design_review_verbs": [str],
    "design_future_before": [str],
}

_N_EQUALS = re.compile(r"\b[nN]\s*=\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)\b")
_FREQUENCY = re.compile(
    r"\b(?:(?:once|twice|thrice|(?:\d+|two|three|four|five|six|seven)\s+times)\s+(?:a|per|each|every)\s+"
    r"(?:day|week|month|night|year)|(?:once|twice)[- ](?:daily|weekly|nightly|monthly)"
    r"|every\s+other\s+(?:day|week|night)|every\s+(?:day|night|morning|evening|week)"
    r"|(?:once|twice)\s+(?:a\s+)?(?:daily|weekly))\b"
)
# "followed 498,134 adults for 10 years", "tracked for a decade": following people over time is a
# cohort design.
_FOLLOWED_OVER_TIME = re.compile(
    r"\b(?:followed|tracked|monitored)\b(?:[^.;]|\.(?=\d)){0,80}?"
    r"\b(?:for|over)\b(?:[^.;]|\.(?=\d)){0,25}?\b(?:years?|decades?)\b"
)
_POPULATION_NOUNS = frozenset((
    "patients", "people", "adults", "men", "women", "children", "participants", "volunteers",
    "students", "adolescents", "teens", "mice", "rats", "nurses", "individuals", "smokers",
    "infants",
))
_POPULATION = re.compile(
    # A match starts with one of these words or a digit: the lookahead fails fast elsewhere.
    r"(?=[aio\d])"
    # Digit runs start only where a run starts, so "1,1,1,…" cannot make the scan quadratic.
    r"(?:\b(?:in|among|of|involving|including)\s+(?:(?<![\d,])\d[\d,]*+\s+|[a-z]+\s+)?"
    r"|(?<![\d,])\d[\d,]*+\s+)"
    r"(?P<pop>(?:(?:healthy|older|younger|overweight|obese|adult|elderly|pregnant|postmenopausal"
    r"|middle-aged|young)\s+)*"
    r"(?:" + "|".join(sorted(_POPULATION_NOUNS)) + ")"
    # the condition is a few words ("with androgenetic alopecia"), never "with no control group"
    r"(?:\s+(?:with|who\s+had|suffering\s+from|at\s+risk\s+of)\s+(?!no\b|a\s+control\b)"
    r"[^,.;()\s]+(?:\s+[^,.;()\s]+){0,4}?)?)"
    r"(?=\s*(?:[,.;()]|\b(?:who|for|and|after|over|found|showed|shows|proves?|proved|suggests?"
    r"|that|were|was|had|received|took|reported)\b|$))"
)
# "a 121-person study", "the 2,430-patient trial": a size written into the study's name.
_SIZED_STUDY = re.compile(
    r"\b(?P<num>\d{1,3}(?:,\d{3})+|\d+)[- ]"
    r"(?P<noun>person|people|patient|participant|subject|volunteer|woman|women|man|men"
    r"|child|children|adult|member|mouse|animal|infant|baby|student|nurse|veteran|smoker)[- ]"
    r"(?:[a-z-]+\s+){0,2}?(?:study|trial|survey|analysis|experiment|cohort|pilot|project|program)\b"
)
# A sentence giving arms added up: "244 patients and 79 healthy volunteers", "500 got the drug,
# 500 a placebo".
_ARM_JOINER = re.compile(
    r"\b(?:and|along\s+with|as\s+well\s+as|plus|versus|vs\.?|against|compared\s+(?:with|to))\b|,"
)
_COMPARED_BEFORE = re.compile(r"\bcompared\s+(?:(?:the\s+)?|[^;:.]{0,60}?\s+(?:in|among)\s+)$")
_COMPARED_JOINER = re.compile(r"\b(?:to|with)\s+$")
_ARM_BREAKER = re.compile(
    r"\b(?:of\s+(?:whom|them|these|those)|including|among\s+(?:them|these|those)|while|whereas"
    r"|but)\b|[;:]"
)
_CLAUSE_END = re.compile(r"[;:]|\.\s|\(|\)")

# An outcome time right before the number: "had better outcomes after 90 days".
_AFTER_BEFORE = re.compile(r"\bafter\s+$")
_LATER = re.compile(r"^(?:\s+or\s+(?:more|longer|so))?\s+(?:later|after)\b")
# "Over the next seven years, 17 participants were diagnosed": the follow-up, told by what
# happened to the people in it (a plan or a forecast, "over the next five years, the company
# will", says nothing happened)
_NEXT_SPAN = re.compile(r"\b(?:over|during|in|within)\s+the\s+(?:next|following)\s+$")
_EVENTS_IN_SPAN = re.compile(r",\s+[^,;]{0,60}?\b(?:were|was|had|developed|died|suffered)\b")

_DIGIT = re.compile(r"\d")
# Words one of which must occur, as a whole word, for the regexes above to match anywhere (lower
# case): a test on the unit's word set, far cheaper than a substring scan per word.
_FREQUENCY_WORDS = frozenset(("once", "twice", "thrice", "times", "every"))
_FOLLOWED_WORDS = frozenset(("followed", "tracked", "monitored"))
# "The study ran for 18 months": the study, not a participant, ran (or used, took, spent) that long.
_STUDY_RAN = frozenset(("study", "trial", "program", "programme", "intervention", "experiment",
                        "project"))
_POOLED_WORDS = frozenset(("studies", "trials", "papers", "reports", "experiments"))
_SIZED_STUDY_WORDS = frozenset(("study", "trial", "survey", "analysis", "experiment", "cohort",
                                "pilot", "project", "program"))


class StudyFactTagger:
    def __init__(self, nlp: Language, lexicon: dict) -> None:
        nouns = alternation(lexicon["population_nouns"] + lexicon["count_nouns"])
        self.count_nouns = set(lexicon["count_nouns"])
        self.stop_words = set(lexicon["modifier_stop_words"])
        self.sample = re.compile(
            rf"\b(?P<num>{NUMBER})(?P<mods>(?:,?[\s-]+[a-z][a-z'-]*){{0,3}}?)\s+(?P<noun>{nouns})\b"
        )
        verbs = alternation(lexicon["sample_verbs"])
        qualifiers = rf"(?:(?:{alternation(lexicon['sample_qualifiers'])})\s+)*"
        self.sample_after_verb = re.compile(
            rf"\b(?:{verbs})\s+{qualifiers}"
            rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d{{2,}})\b"
            rf"(?!\s*(?:%|percent|per\s+cent|mg|years|weeks|months|days|of\b|in\b|out\b))"
        )
        # What right before a number makes it the study's sample ("the trial enrolled more than",
        # "a study of").
        study_nouns = alternation(lexicon["sample_study_nouns"])
        self.strong_before = re.compile(
            rf"(?:\b(?:{verbs})\s+(?:[\w'-]+\s+){{0,4}}?(?:(?:on|in|of|from|among|with)\s+)?"
            rf"|\b(?:{study_nouns})\s+(?:[\w'-]+\s+){{0,2}}?"
            rf"(?:of|involving|including|with|among|in|on|from|enrolling"
            rf"|that\s+(?:included|involved|enrolled|followed|tracked))\s+"
            rf"|\b(?:for|in)\s+(?:the|this|their|our)\s+(?:[\w-]+\s+){{0,2}}?"
            rf"(?:study|trial|research|analysis|experiment|survey)\s*,\s*"
            rf"|\ba\s+total\s+of\s+){qualifiers}$"
        )
        self.strong_nouns = set(lexicon["sample_strong_nouns"])
        self.sample_verb_words = frozenset(v.lower().split()[0] for v in lexicon["sample_verbs"])
        self.took_part = re.compile(
            rf"^[^;:.]{{0,80}}?\b(?:{alternation(lexicon['sample_took_part'])})\b"
        )
        self.prevalence_after = _soon_after(lexicon["sample_prevalence_after"])
        # a rate follows its number in one phrase ("5,000 cases a year"); after a comma "each
        # day" is another clause's ("among 46 sufferers, those who sat in a sauna each day")
        self.rate_after = _soon_after(lexicon["sample_rate_after"], breaks=";:.,")
        self.outcome_after = re.compile(
            rf"^(?:\s+(?:who|that|which))?\s+"
            rf"(?:{alternation(lexicon['sample_outcome_verbs_after'])})\b"
        )
        self.subset_before = re.compile(
            rf"\b(?:{alternation(lexicon['sample_subset_before'])})\s*,?\s+{qualifiers}$"
        )
        self.rate_before = re.compile(
            r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten)"
            r"\s+(?:in|out\s+of)\s+(?:every\s+)?$"
        )
        self.nnt = Terms(lexicon["sample_nnt"])
        self.population_nouns = set(lexicon["sample_population_nouns"])
        self.max_without_cue = lexicon["sample_max_without_cue"]
        units_ = lexicon["duration_units"]
        self.duration_units = units_
        # A duration's unit is matched as a whole word, so a unit without the longest word of any
        # of them holds no duration.
        self.duration_unit_words = frozenset(map(key_word, units_))
        # Each noun is matched as whole words, so a unit without its longest word cannot match it.
        self.sample_noun_words = frozenset(
            map(key_word, lexicon["population_nouns"] + lexicon["count_nouns"]))
        unit_alt = alternation(units_)
        singular = alternation(u for u in units_ if not u.endswith("s"))
        self.duration = re.compile(rf"\b(?P<num>{NUMBER})(?:[\s-]+)(?P<unit>{unit_alt})\b")
        # "over a year", "for a decade", "a decade of follow-up": an article as the number one
        # (the cue is looked up before it)
        self.duration_one = re.compile(rf"\b(?P<one>an?)\s+(?P<unit1>{singular})\b")
        self.one_cue = re.compile(
            rf"\b(?P<cue>{alternation(lexicon['duration_a_unit_cues'])})\s+$"
        )
        self.a_unit_cues = set(lexicon["duration_a_unit_cues"])
        self.duration_cues = tuple(sorted(lexicon["duration_cues"], key=len, reverse=True))
        # "At three months, 35 percent were alive": a follow-up time point when the cue opens the
        # sentence or a clause after ";" or ":" (where _clause_before starts); not "a baby at 6
        # months", an age
        self.clause_cue = re.compile(
            rf"^\s*(?:{alternation(lexicon['duration_clause_cues'])})\s+$")
        self.duration_not_after = set(lexicon["duration_not_after"])
        self.duration_not_right_after = set(lexicon["duration_not_right_after"])
        self.duration_not_before = tuple(lexicon["duration_not_before"])
        followup = alternation(lexicon["duration_followup_words"])
        self.followup_before = re.compile(
            rf"\b(?:{followup})\b(?:\s+[\w',-]+){{0,4}}?\s+"
            rf"(?:for|over|through|of|was|were|lasted|averaged|spanned|to|after|up\s+to)"
            rf"(?:\s+(?:a\s+total\s+of|a\s+median\s+of|an\s+average\s+of|a\s+mean\s+of|median\s+of"
            rf"|average\s+of|more\s+than|nearly|about"
            rf"|almost|roughly|approximately|at\s+least|up\s+to|around|just\s+over|over|some"
            rf"|the\s+next|the\s+following))*\s*$"
        )
        self.followup_after = re.compile(
            rf"^(?:\s*(?:or\s+more|and\s+a\s+half))?[\s,-]*(?:[\d,]+-[a-z]+\s+|[a-z]+\s+){{0,2}}?"
            rf"(?:long\s+)?(?:{alternation(lexicon['duration_followup_after'])})\b"
        )
        self.followup_nouns = frozenset(lexicon["duration_followup_after"])
        self.period_after = re.compile(
            rf"^[\s-]*(?:long\s+)?(?:{alternation(lexicon['duration_period_after'])})\b"
        )
        self.records_after = re.compile(
            rf"^\s+of\s+(?:{alternation(lexicon['duration_records_after'])})\b"
        )
        self.duration_outcome_after = re.compile(
            rf"^\s*(?:{alternation(lexicon['duration_outcome_after'])})(?:\b|\s|$)"
        )
        self.duration_outcome_before = re.compile(
            rf"(?:^|\s)(?:{alternation(lexicon['duration_outcome_before'])})"
            rf"\s+(?:[\w-]+\s+){{0,2}}?$"
        )
        self.history_before = re.compile(
            rf"\b(?:{alternation(lexicon['duration_history_before'])})\b"
        )
        self.exposure_before = re.compile(
            r"\b(?:packs?|cigarettes|drinks?|cups?)\s+(?:a|per|each|every)\s+(?:day|week)"
            r"\s+(?:for\s+)?$"
        )
        # "pooled 21 randomised trials", "encompasses eight earlier studies": a meta-analysis (a
        # review when only reviewed).
        self.review_verbs = set(lexicon["design_review_verbs"])
        self.pooled = re.compile(
            rf"\b(?P<verb>{alternation(lexicon['design_pooling_verbs'])})\s+"
            rf"(?:(?:data|results|evidence|findings)\s+(?:from|of|on)\s+)?"
            rf"(?:(?:the|all|more\s+than|nearly|about|some|over|a\s+total\s+of)\s+)*"
            rf"(?:{NUMBER}|dozens\s+of|several|multiple|many)"
            rf"\s+(?:[a-z-]+\s+){{0,3}}?(?:studies|trials|papers|reports|experiments)\b"
        )
        # "a review published in", "the 2010 review of": a review of studies (R16: plain "review" =
        # systematic review).
        self.review = re.compile(
            r"\b(?:a|an|the|this|their|new|recent|latest|(?:19|20)\d\d)\s+"
            r"(?:(?:large|major|new|recent|big|comprehensive|independent|(?:19|20)\d\d)\s+)*"
            r"review\s+(?:of|published|found|in\s+(?:the|a)|by|that|looked|concluded|showed"
            r"|suggests?|finds?)\b"
        )
        self.age_words = tuple(lexicon["age_words_before"])
        self.study_words = Terms(lexicon["study_words"])
        phrases: dict[str, list[str]] = {}
        for field in ("designs", "control", "blinding", "outcome", "funding"):
            for value, cues in lexicon[field].items():
                phrases[f"{field}:{value}"] = cues
        self.matcher = phrase_matcher(nlp, phrases)

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, str, str, int]] = []
        units = unit_records(doc)
        owner = unit_of_token(doc)
        with_number_words = {owner[i] for i in numpy.flatnonzero(doc.to_array("LIKE_NUM"))}
        for unit in units:
            found += self._facts(unit, unit.index in with_number_words)
        by_field: dict[str, list[tuple[int, int, int]]] = {}
        for match in self.matcher(doc):
            by_field.setdefault(doc.vocab.strings[match[0]].split(":", 1)[0], []).append(match)
        # the longest match per field: a phrase can tell two facts ("double-blind" is a design
        # cue and the blinding, "survey" a design and self-reported outcomes); across fields the
        # longest would keep one of them, whichever the matcher returned first
        for matches in by_field.values():
            for match_id, start, end in longest_matches(matches):
                field, value = doc.vocab.strings[match_id].split(":", 1)
                label = {"designs": "design", "outcome": "outcome_measure"}.get(field, field)
                span = doc[start:end]
                found.append((span.start_char, span.end_char, label, value, 0))
        spans = []
        for start, end, label, value, rank in sorted(found):
            span = doc.char_span(start, end, label=label, kb_id=value, alignment_mode="expand",
                                 span_id=str(rank) if rank else 0)
            if span is not None:
                spans.append(span)
        doc.spans[STUDY_FACTS] = spans
        return doc

    def _facts(self, unit: Unit, has_number_word: bool) -> list[tuple[int, int, str, str, int]]:
        """Facts stated in one unit's text. Each regex runs only if the words it needs occur in
        the text (a substring test costs far less than a scan with word alternations). Case-blind
        regexes run on the lower-cased text: IGNORECASE makes Python's engine several times
        slower."""
        out: list[tuple[int, int, str, str, int]] = []
        text, lower, base = unit.text, unit.lower, unit.start_char
        has_digit = _DIGIT.search(text) is not None
        numbers = has_digit or has_number_word or "dozen" in lower
        if numbers or (("a" in unit.words or "an" in unit.words)
                       and not unit.words.isdisjoint(self.duration_unit_words)):
            out += self._numbers(text, base, lower, unit.words, has_digit, numbers)
        if not unit.words.isdisjoint(_FREQUENCY_WORDS):
            out += [(base + m.start(), base + m.end(), "frequency", text[m.start() : m.end()], 0)
                    for m in _FREQUENCY.finditer(lower)]
        if not unit.words.isdisjoint(_FOLLOWED_WORDS):
            out += [(base + m.start(), base + m.end(), "design", "cohort", 0)
                    for m in _FOLLOWED_OVER_TIME.finditer(lower)]
        if not unit.words.isdisjoint(_POOLED_WORDS):
            for m in self.pooled.finditer(lower):
                design = ("systematic-review" if m.group("verb") in self.review_verbs
                          else "meta-analysis")
                out.append((base + m.start(), base + m.end(), "design", design, 0))
        if "review" in unit.words:
            out += [(base + m.start(), base + m.end(), "design", "systematic-review", 0)
                    for m in self.review.finditer(lower)]
        if not unit.words.isdisjoint(_POPULATION_NOUNS):
            out += [(base + m.start("pop"), base + m.end("pop"), "population", m.group("pop"), 0)
                    for m in _POPULATION.finditer(text)]
        return out

    def _numbers(self, text: str, base: int, lower: str, words: frozenset[str], has_digit: bool,
                 numbers: bool) -> list[tuple[int, int, str, str, int]]:
        """Sample sizes and durations ('a year' and the like only when the unit has no number)."""
        out: list[tuple[int, int, str, str, int]] = []
        is_study_sentence = self.study_words.found_in(lower, words)
        if numbers and (has_digit or not words.isdisjoint(self.sample_noun_words)):
            out += self._sample_sizes(text, lower, words, has_digit, is_study_sentence)
        if not words.isdisjoint(self.duration_unit_words):
            matches = list(self.duration.finditer(lower)) if numbers else []
            if "a" in words or "an" in words:
                matches += self.duration_one.finditer(lower)
            for match in matches:
                found = self._duration(lower, match, is_study_sentence)
                if found is not None:
                    days, rank, start = found
                    out.append((start, match.end(), "duration",
                                f"{days}|{text[start : match.end()]}", rank))
        return [(base + start, base + end, label, value, rank)
                for start, end, label, value, rank in out]

    # -- sample sizes ------------------------------------------------------------------------

    def _sample_sizes(self, text: str, lower: str, words: frozenset[str], has_digit: bool,
                      is_study_sentence: bool) -> list[tuple[int, int, str, str, int]]:
        """Candidates (start, end, label, 'N|noun', rank) in unit offsets; the ones that are no
        sample size at all (prevalence, rates, subsets, numbers needed to treat) are left out."""
        out: list[tuple[int, int, str, str, int]] = []
        taken: list[tuple[int, int]] = []
        if "=" in text:
            for match in _N_EQUALS.finditer(text):
                out.append((match.start(), match.end(), "sample_size",
                            f"{match.group('num').replace(',', '')}|participants", RANK_STRONG))
                taken.append(match.span())
        nnt = self.nnt.found_in(lower, words)
        if has_digit and not words.isdisjoint(_SIZED_STUDY_WORDS):
            for match in _SIZED_STUDY.finditer(lower):
                value = int(match.group("num").replace(",", ""))
                if value >= 2 and not nnt and not any(s <= match.start() < e for s, e in taken):
                    out.append((match.start(), match.end("noun"), "sample_size",
                                f"{value}|{_plural(match.group('noun'))}", RANK_STRONG))
                    taken.append(match.span())
        if not words.isdisjoint(self.sample_noun_words):
            position = 0
            while (match := self.sample.search(lower, position)) is not None:
                # A rejected match may hide one that starts inside it ("two of three patients"):
                # look again right after its first word.
                position = match.start() + max(1, len(match.group("num").split()[0]))
                if any(s <= match.start() < e for s, e in taken):
                    continue
                value = parse_number(match.group("num"))
                mods = match.group("mods").lower().replace("-", " ").replace(",", " ").split()
                if (len(mods) == 3 and mods[1] in ("and", "or")
                        and not self.stop_words.intersection((mods[0], mods[2]))):
                    mods = [mods[0], mods[2]]  # "125 current and former smokers"
                if (value is None or value != int(value) or value < 2
                        or any(m in self.stop_words for m in mods)):
                    continue
                if self._is_age_or_year(lower, match.start(), value, match.group("num")):
                    continue
                noun = match.group("noun")
                if noun in self.count_nouns:
                    out.append((match.start(), match.end(), "study_count", f"{int(value)}|{noun}",
                                0))
                else:
                    rank = self._sample_rank(lower, match.start(), match.end(), noun, value,
                                             is_study_sentence, nnt)
                    if rank:
                        out.append((match.start(), match.end(), "sample_size",
                                    f"{int(value)}|{noun}", rank))
                taken.append(match.span())
                position = match.end()
        if has_digit and not words.isdisjoint(self.sample_verb_words):
            for match in self.sample_after_verb.finditer(lower):
                if not nnt and not any(s <= match.start("num") < e for s, e in taken):
                    value = int(match.group("num").replace(",", ""))
                    if not (1900 <= value <= 2100):
                        out.append((match.start("num"), match.end("num"), "sample_size",
                                    f"{value}|participants", RANK_STRONG))
        return out + self._arms(lower, out)

    def _sample_rank(self, lower: str, start: int, end: int, noun: str, value: float,
                     is_study_sentence: bool, nnt: bool) -> int:
        """How surely 'N noun' at lower[start:end] is the number of participants: 0 when it is not
        one."""
        before = _clause_before(lower, start)
        after = _clause_after(lower, end)
        if nnt or self.subset_before.search(before) or self.rate_before.search(before):
            return 0
        strong = (bool(self.strong_before.search(before)) or noun in self.strong_nouns
                  or bool(self.took_part.match(after)))
        if strong:
            return RANK_STRONG
        if (value > self.max_without_cue or noun in self.population_nouns
                or self.rate_after.match(after)):
            return 0
        if not is_study_sentence and self.prevalence_after.match(after):
            # "5 million people worldwide"; but "260 patients in Europe drank" in a study sentence
            return 0
        if self.outcome_after.match(after):
            return RANK_WEAK
        return RANK_STUDY if is_study_sentence else RANK_WEAK

    def _arms(self, lower: str,
              found: list[tuple[int, int, str, str, int]]) -> list[tuple[int, int, str, str, int]]:
        """The arms of one sentence added up, when it joins two or more sizes of the study's
        groups ("a total of 244 patients and 79 healthy volunteers took part")."""
        sizes = sorted(f for f in found if f[2] == "sample_size" and f[4] >= RANK_STUDY)
        groups: list[list[tuple[int, int, str, str, int]]] = []
        compared_groups: set[int] = set()  # groups joined as "compared X with Y"
        for fact in sizes:
            if groups:
                gap = lower[groups[-1][-1][1] : fact[0]]
                # "compared 25 infants who got the drops to 21 who got a placebo", "compared
                # outcomes in 100 patients who had bypass surgery with 100 who had a band"
                compared = (_COMPARED_BEFORE.search(lower, 0, groups[-1][0][0]) is not None
                            and _COMPARED_JOINER.search(gap) is not None)
                if (len(gap) <= 90 and (compared or _ARM_JOINER.search(gap))
                        and not _ARM_BREAKER.search(gap)):
                    groups[-1].append(fact)
                    if compared:
                        compared_groups.add(len(groups) - 1)
                    continue
            groups.append([fact])
        out = []
        for number, group in enumerate(groups):
            # equal sizes are one group told twice, unless the sentence compares them
            if (len(group) > 1 and (len({f[3] for f in group}) == len(group)
                                    or number in compared_groups) or len(group) > 2):
                total = sum(int(f[3].split("|", 1)[0]) for f in group)
                noun = group[0][3].split("|", 1)[1]
                out.append((group[0][0], group[-1][1], "sample_size", f"{total}|{noun}",
                            max(f[4] for f in group) + 1))
        return out

    def _is_age_or_year(self, lower: str, start: int, value: float, written: str) -> bool:
        before = lower[max(0, start - 30) : start]
        if re.search(r"\b(?:aged|ages?|between the ages of|as young as|as old as)"
                     r"\s+(?:\d+\s*(?:to|-|and|–)\s*)?$", before):
            return True
        return written.isdigit() and len(written) == 4 and 1900 <= value <= 2100

    # -- durations ---------------------------------------------------------------------------

    def _duration(self, lower: str, match: re.Match,
                  is_study_sentence: bool) -> tuple[int, int, int] | None:
        """(days, rank, start) of a duration match, or None when it is no study length."""
        article_as_one = "one" in match.groupdict()  # "a year", "a decade"
        if article_as_one:
            value, unit, start = 1.0, match.group("unit1"), match.start("one")
            cue_match = self.one_cue.search(lower, max(0, start - 25), start)
            cue = cue_match.group("cue") if cue_match else None
        else:
            value, unit, start = (parse_number(match.group("num")), match.group("unit"),
                                  match.start())
            cue = None
        if value is None or value <= 0:
            return None
        before = lower[max(0, start - 60) : start]
        before_words = re.findall(r"[a-z'-]+", before)[-5:]
        after = lower[match.end() : match.end() + 40]
        # "over the next seven years, 17 participants were diagnosed": a follow-up, though "next"
        # before a number otherwise marks a plan or a forecast
        followed_up = (_NEXT_SPAN.search(before) is not None
                       and _EVENTS_IN_SPAN.match(lower, match.end()) is not None)
        if not followed_up and (
            after.lstrip(" -").startswith(self.duration_not_before)
            or (self.duration_not_after.intersection(before_words[-4:])
                and _STUDY_RAN.isdisjoint(before_words[-4:]))
            or (before_words and before_words[-1] in self.duration_not_right_after)
        ):
            # "six months later, the patients ..."
            if not (after.lstrip(" -").startswith("later") and is_study_sentence):
                return None
        # half up (R17): ten years are 3653 days
        days = math.floor(value * self.duration_units[unit] + 0.5)
        if days < 1:
            return None  # measured within a day (R17): hours are no study length
        if followed_up:
            return days, (RANK_STUDY if is_study_sentence else RANK_WEAK), start
        clause = _clause_before(lower, start)
        next_word = after[1:].split(" ", 1)[0] if after[:1] == " " else ""
        if article_as_one and next_word in self.followup_nouns:
            return None  # "a day program": a kind of program, not how long it ran
        if self.followup_before.search(clause) or self.followup_after.match(after):
            return days, RANK_STRONG, start
        if is_study_sentence and self.records_after.match(after):
            return days, RANK_STUDY, start  # "drawn from four years of claims": the span analysed
        period = self.period_after.match(after) is not None
        if self.exposure_before.search(before) or (self.history_before.search(clause)
                                                     and not _AFTER_BEFORE.search(before)):
            return None  # "had had diabetes for 10 years"; not "had better outcomes after 90 days"
        if self.duration_outcome_after.match(after) or self.duration_outcome_before.search(before):
            return days, RANK_WEAK, start
        if article_as_one and not (cue or period or after.lstrip().startswith(("later", "after"))):
            return None  # "a year" alone is a rate ("$25,000 a year"), not a length
        joined = " ".join(before_words)
        has_cue = (bool(cue) or any(joined.endswith(c) for c in self.duration_cues)
                   or self.clause_cue.search(clause) is not None
                   or period
                   or _LATER.match(after) is not None)
        if has_cue and is_study_sentence:
            return days, RANK_STUDY, start
        if has_cue or is_study_sentence:
            return days, RANK_WEAK, start
        return None


def _soon_after(phrases: list[str], breaks: str = ";:.") -> re.Pattern[str]:
    """One of `phrases` within 40 characters after a number, with none of `breaks` between
    ("36 million people worldwide", "5,000 cases a year")."""
    stops = "".join(map(re.escape, breaks))
    return re.compile(rf"^[^{stops}]{{0,40}}?(?:\b|\s)(?:{alternation(phrases)})\b")


def _plural(noun: str) -> str:
    return {"person": "people", "man": "men", "woman": "women", "child": "children",
            "mouse": "mice", "baby": "babies"}.get(
        noun,
        noun if noun.endswith("s") or noun in ("people", "men", "women", "children") else noun + "s"
    )


def _clause_before(lower: str, start: int) -> str:
    """The text of the clause before `start` (back to the last ';', ':', sentence stop or
    bracket), at most 100 characters."""
    window = lower[max(0, start - 100) : start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(window)), default=0)
    return window[cut:]


def _clause_after(lower: str, end: int) -> str:
    window = lower[end : end + 100]
    match = _CLAUSE_END.search(window)
    return window[: match.start()] if match else window


@Language.factory(
    "claimscan_study_facts",
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={"lexicon": "study_facts.json"},
)
def make_study_fact_tagger(nlp: Language, name: str, lexicon: str) -> StudyFactTagger:
    return StudyFactTagger(nlp, load_rules(lexicon, SCHEMA))
