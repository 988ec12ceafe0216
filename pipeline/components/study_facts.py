"""Study facts per unit: sample size, duration, frequency, design, control, blinding, outcome
measure, funding and population, as labelled spans in `doc.spans["study_facts"]`.

Numbers come from regexes over each unit's text (digits or words); whether a number is a sample
size or a duration is decided by the words around it, so doses, percentages, ages, years, step
counts and exposure spans ("slept forty minutes less", "wore an accelerometer for a week") are
left out. Fixed cue phrases (designs, placebo, double-blind, self-report, industry funding) are
found by one PhraseMatcher. Each span's `kb_id_` holds the normalised value.
"""

from __future__ import annotations

import re

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components._util import longest_matches, phrase_matcher, unit_of_token
from pipeline.analysis import Unit
from pipeline.extensions import STUDY_FACTS, unit_records
from pipeline.numbers import NUMBER, parse_number
from pipeline.resources import load_json

_N_EQUALS = re.compile(r"\b[nN]\s*=\s*(?P<num>\d{1,3}(?:,\d{3})+|\d+)\b")
_FREQUENCY = re.compile(
    r"\b(?:(?:once|twice|thrice|(?:\d+|two|three|four|five|six|seven)\s+times)\s+(?:a|per|each|every)\s+"
    r"(?:day|week|month|night|year)|(?:once|twice)[- ](?:daily|weekly|nightly|monthly)"
    r"|every\s+other\s+(?:day|week|night)|every\s+(?:day|night|morning|evening|week)"
    r"|(?:once|twice)\s+(?:a\s+)?(?:daily|weekly))\b"
)
# "followed 498,134 adults for 10 years": following people over time is a cohort design.
_FOLLOWED_OVER_TIME = re.compile(r"\b(?:followed|tracked|monitored)\b[^.;]{0,60}?\b(?:for|over)\b[^.;]{0,25}?\b(?:years?|decades?)\b")
_POPULATION_NOUNS = frozenset((
    "patients", "people", "adults", "men", "women", "children", "participants", "volunteers", "students", "adolescents",
    "teens", "mice", "rats", "nurses", "individuals", "smokers", "infants",
))
_POPULATION = re.compile(
    # Digit runs start only where a run starts, so "1,1,1,…" cannot make the scan quadratic.
    r"(?:\b(?:in|among|of|involving|including)\s+(?:(?<![\d,])\d[\d,]*+\s+|[a-z]+\s+)?|(?<![\d,])\d[\d,]*+\s+)(?P<pop>(?:(?:healthy|older|younger|overweight|obese|adult|elderly|pregnant|postmenopausal|middle-aged|young)\s+)*"
    r"(?:" + "|".join(sorted(_POPULATION_NOUNS)) + ")"
    r"(?:\s+(?:with|who\s+had|suffering\s+from|at\s+risk\s+of)\s+[^,.;()]+?)?)(?=\s*(?:[,.;()]|\bwho\b|\bfor\b|\band\b|\bafter\b|\bover\b|\bfound\b|$))"
)


_DIGIT = re.compile(r"\d")
# Words one of which must occur for the regexes above to match anywhere (lower case).
_FREQUENCY_WORDS = ("once", "twice", "thrice", "times", "every")
_FOLLOWED_WORDS = ("followed", "tracked", "monitored")


class StudyFactTagger:
    def __init__(self, nlp: Language, lexicon: dict) -> None:
        nouns = "|".join(sorted((re.escape(n.lower()) for n in lexicon["population_nouns"] + lexicon["count_nouns"]), key=len, reverse=True))
        self.count_nouns = set(lexicon["count_nouns"])
        self.stop_words = set(lexicon["modifier_stop_words"])
        self.sample = re.compile(
            rf"\b(?P<num>{NUMBER})(?P<mods>(?:[\s-]+[a-z][a-z'-]*){{0,3}}?)\s+(?P<noun>{nouns})\b"
        )
        verbs = "|".join(v.lower() for v in lexicon["sample_verbs"])
        self.sample_after_verb = re.compile(
            rf"\b(?:{verbs})\s+(?:a\s+total\s+of\s+|about\s+|around\s+|nearly\s+|more\s+than\s+|almost\s+|roughly\s+|some\s+)?"
            rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d{{2,}})\b(?!\s*(?:%|percent|per\s+cent|mg|years|weeks|months|days))"
        )
        units_ = lexicon["duration_units"]
        self.duration_units = units_
        self.duration_stems = tuple(u for u in units_ if not any(v != u and u.startswith(v) for v in units_))
        # Each noun is matched as whole words, so a unit without its longest word cannot match it.
        self.sample_noun_words = frozenset(max(re.findall(r"\w+", n.lower()), key=len) for n in lexicon["population_nouns"] + lexicon["count_nouns"])
        unit_alt = "|".join(sorted(units_, key=len, reverse=True))
        self.duration = re.compile(rf"\b(?P<num>{NUMBER})(?:[\s-]+)(?P<unit>{unit_alt})\b")
        self.duration_cues = tuple(sorted(lexicon["duration_cues"], key=len, reverse=True))
        self.duration_not_after = set(lexicon["duration_not_after"])
        self.duration_not_right_after = set(lexicon["duration_not_right_after"])
        self.duration_not_before = tuple(lexicon["duration_not_before"])
        self.age_words = tuple(lexicon["age_words_before"])
        self.study_words = re.compile(r"\b(?:" + "|".join(re.escape(w.lower()) for w in lexicon["study_words"]) + r")\b")
        phrases: dict[str, list[str]] = {}
        for field in ("designs", "control", "blinding", "outcome", "funding"):
            for value, cues in lexicon[field].items():
                phrases[f"{field}:{value}"] = cues
        self.matcher = phrase_matcher(nlp, phrases)

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, str, str]] = []
        units = unit_records(doc)
        owner = unit_of_token(doc)
        with_number_words = {owner[i] for i in numpy.flatnonzero(doc.to_array("LIKE_NUM"))}
        for unit in units:
            found += self._facts(unit, unit.index in with_number_words)
        for match_id, start, end in longest_matches(self.matcher(doc)):
            field, value = doc.vocab.strings[match_id].split(":", 1)
            label = {"designs": "design", "outcome": "outcome_measure"}.get(field, field)
            span = doc[start:end]
            found.append((span.start_char, span.end_char, label, value))
        spans = []
        for start, end, label, value in sorted(found):
            span = doc.char_span(start, end, label=label, kb_id=value, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[STUDY_FACTS] = spans
        return doc

    def _facts(self, unit: Unit, has_number_word: bool) -> list[tuple[int, int, str, str]]:
        """Facts stated in one unit's text. Each regex runs only if the words it needs occur in
        the text (a substring test costs far less than a scan with word alternations). Case-blind
        regexes run on the lower-cased text: IGNORECASE makes Python's engine several times slower."""
        out: list[tuple[int, int, str, str]] = []
        text, lower, base = unit.text, unit.lower, unit.start_char
        has_digit = _DIGIT.search(text) is not None
        if has_digit or has_number_word or "dozen" in lower:
            out += self._numbers(text, base, lower, unit.words, has_digit)
        if any(word in lower for word in _FREQUENCY_WORDS):
            out += [(base + m.start(), base + m.end(), "frequency", text[m.start() : m.end()]) for m in _FREQUENCY.finditer(lower)]
        if any(word in lower for word in _FOLLOWED_WORDS):
            out += [(base + m.start(), base + m.end(), "design", "cohort") for m in _FOLLOWED_OVER_TIME.finditer(lower)]
        if not unit.words.isdisjoint(_POPULATION_NOUNS):
            out += [(base + m.start("pop"), base + m.end("pop"), "population", m.group("pop")) for m in _POPULATION.finditer(text)]
        return out

    def _numbers(self, text: str, base: int, lower: str, words: frozenset[str], has_digit: bool) -> list[tuple[int, int, str, str]]:
        """Sample sizes and durations."""
        out: list[tuple[int, int, str, str]] = []
        taken: list[tuple[int, int]] = []
        if "=" in text:
            for match in _N_EQUALS.finditer(text):
                out.append((base + match.start(), base + match.end(), "sample_size", f"{match.group('num').replace(',', '')}|participants"))
                taken.append(match.span())
        if not words.isdisjoint(self.sample_noun_words):
            for match in self.sample.finditer(lower):
                value = parse_number(match.group("num"))
                mods = match.group("mods").lower().replace("-", " ").split()
                if value is None or value != int(value) or value < 2 or any(m in self.stop_words for m in mods):
                    continue
                if self._is_age_or_year(lower, match.start(), value, match.group("num")):
                    continue
                noun = match.group("noun")
                label = "study_count" if noun in self.count_nouns else "sample_size"
                out.append((base + match.start(), base + match.end(), label, f"{int(value)}|{noun}"))
                taken.append(match.span())
        if has_digit:
            for match in self.sample_after_verb.finditer(lower):
                if not any(s <= match.start("num") < e for s, e in taken):
                    value = int(match.group("num").replace(",", ""))
                    if not (1900 <= value <= 2100):
                        out.append((base + match.start("num"), base + match.end("num"), "sample_size", f"{value}|participants"))
        if any(unit in lower for unit in self.duration_stems):
            is_study_sentence = bool(self.study_words.search(lower))
            for match in self.duration.finditer(lower):
                days = self._duration_days(lower, match, is_study_sentence)
                if days is not None:
                    out.append((base + match.start(), base + match.end(), "duration", f"{days}|{text[match.start() : match.end()]}"))
        return out

    def _is_age_or_year(self, lower: str, start: int, value: float, written: str) -> bool:
        before = lower[max(0, start - 30) : start]
        if re.search(r"\b(?:aged|ages?|between the ages of)\s+(?:\d+\s*(?:to|-|and|–)\s*)?$", before):
            return True
        return written.isdigit() and len(written) == 4 and 1900 <= value <= 2100

    def _duration_days(self, lower: str, match: re.Match, is_study_sentence: bool) -> float | None:
        value = parse_number(match.group("num"))
        if value is None or value <= 0:
            return None
        before_words = re.findall(r"[a-z'-]+", lower[max(0, match.start() - 40) : match.start()])[-5:]
        after = lower[match.end() : match.end() + 15].lstrip(" -")
        if (
            after.startswith(self.duration_not_before)
            or self.duration_not_after.intersection(before_words[-4:])
            or (before_words and before_words[-1] in self.duration_not_right_after)
        ):
            return None
        before = " ".join(before_words)
        has_cue = any(before.endswith(cue) for cue in self.duration_cues) or bool(
            re.match(r"(?:long\s+)?(?:study|trial|program|programme|intervention|follow-up|period|course)\b", after)
        )
        if not (has_cue or is_study_sentence):
            return None
        return round(value * self.duration_units[match.group("unit")])


@Language.factory(
    "claimscan_study_facts",
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={"lexicon": "study_facts.json"},
)
def make_study_fact_tagger(nlp: Language, name: str, lexicon: str) -> StudyFactTagger:
    return StudyFactTagger(nlp, load_json(lexicon))
