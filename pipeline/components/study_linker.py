"""Group citations and study facts into studies S1, S2, … and link every unit to its study.

Walking the units in order, a unit opens a new study when it introduces one ("A new study…",
"Another study published in…", a journal not seen before); a unit that refers back ("The study
involved 30 participants", "The participants received…") or only states facts joins the current
study. Units that state no study of their own inherit the study of their paragraph. A conclusion
("In conclusion…", "these studies", "the evidence") rests on every study of the article, the
strongest first (design by evidence level, then sample size): the first is the one reported in
study_id.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.components._util import doc_text
from pipeline.analysis import Unit
from pipeline.extensions import CITATIONS, STUDY_FACTS, unit_records
from pipeline.resources import load_json
from pipeline.studies import Study

_INTRO = re.compile(
    r"\b(?:a|an|one|another|new|recent|latest|second|separate|earlier|different|large|small|major)\s+"
    r"(?:[\w-]+\s+){0,3}?(?:study|trial|meta-analysis|analysis|review|survey|experiment|paper|report|pilot)\b"
    r"|\b(?:in|from)\s+(?:19|20)\d\d\b[^.]*?\b(?:study|trial)\b|\b(?:19|20)\d\d\s+(?:study|trial|review|survey|meta-analysis)\b",
    re.IGNORECASE,
)
_ANAPHORA = re.compile(
    r"\b(?:the|this|their|its|these)\s+(?:[\w-]+\s+){0,2}?(?:study|studies|trial|research|analysis|researchers|team|"
    r"investigators|participants|volunteers|authors|findings|results|review|survey|mice|rats|subjects|patients|"
    r"scientists|paper|experiment|animals)\b|^(?:Participants|Volunteers|Researchers)\b",
    re.IGNORECASE,
)
_ALL_STUDIES = re.compile(
    r"\b(?:these|both|the two|the)\s+(?:studies|trials|findings|results)\b|\b(?:current|available|existing)\s+evidence\b|"
    r"^(?:in conclusion|overall|in summary|to sum up|ultimately|the bottom line|taken together|all in all)\b",
    re.IGNORECASE,
)
# A unit must contain one of these words for the regex above it to match; the set test is far
# cheaper than the regex scan, which then runs on few units.
_INTRO_WORDS = frozenset(("study", "trial", "analysis", "review", "survey", "experiment", "paper", "report", "pilot"))
_ALL_STUDIES_WORDS = frozenset(("studies", "trials", "findings", "results", "evidence", "conclusion", "overall", "summary",
                                "sum", "ultimately", "bottom", "together", "all"))
_SINGLE_VALUE_FIELDS = ("design", "control", "blinding", "outcome_measure", "funding")


def _mentions(pattern: re.Pattern[str], needed: frozenset[str], unit: Unit) -> bool:
    return not unit.words.isdisjoint(needed) and pattern.search(unit.text) is not None


class StudyLinker:
    def __init__(self, design_priority: list[str]) -> None:
        self.design_priority = design_priority

    def __call__(self, doc: Doc) -> Doc:
        units = unit_records(doc)
        facts = _by_unit(doc, units, STUDY_FACTS)
        cites = _by_unit(doc, units, CITATIONS)
        studies: list[Study] = []
        current: Study | None = None
        own: dict[int, Study] = {}
        by_journal: dict[str, Study] = {}  # each journal's earliest study (ids are S<n> in order of creation)
        about_all = [_mentions(_ALL_STUDIES, _ALL_STUDIES_WORDS, u) for u in units]
        for index, unit in enumerate(units):
            if unit.block_kind == "heading" or unit.text.rstrip().endswith("?"):
                continue
            journals = [c.kb_id_ for c in cites[index] if c.label_ == "journal"]
            intro = _mentions(_INTRO, _INTRO_WORDS, unit)
            if not journals and not intro and about_all[index]:
                continue  # "these studies", "the current evidence": rests on all, describes none
            known = min((by_journal[j] for j in journals if j in by_journal), key=_creation, default=None)
            if known is not None:
                current = known
            elif journals or intro or (facts[index] and current is None and _has_substance(facts[index])):
                refers_back = current is not None and not current.journal and not intro and bool(_ANAPHORA.search(unit.text))
                if not refers_back:
                    current = Study(study_id=f"S{len(studies) + 1}")
                    studies.append(current)
            elif not (facts[index] and current is not None) and not (current and _ANAPHORA.search(unit.text)):
                continue
            if current is None:
                continue
            _absorb(current, index, facts[index], cites[index], self.design_priority)
            own[index] = current
            first = by_journal.get(current.journal)
            if current.journal and (first is None or _creation(current) < _creation(first)):
                by_journal[current.journal] = current
        studies, own = _drop_empty(studies, own)
        text = doc_text(doc)
        strongest_first = [s.study_id for s in sorted(studies, key=lambda s: s.strength_key)]
        first_own = min(own, default=len(units))
        for index, unit in enumerate(units):
            if index in own:
                unit.study_ids = [own[index].study_id]
            elif about_all[index] and first_own < index:
                unit.study_ids = strongest_first
            else:
                unit.study_ids = _paragraph_study(index, units, own, text)
        doc._.studies = studies
        return doc

def _creation(study: Study) -> int:
    return int(study.study_id[1:])


def _paragraph_study(index: int, units: list[Unit], own: dict[int, Study], text: str) -> list[str]:
    """A sentence with no study of its own rests on the study described earlier in its paragraph."""
    for earlier in range(index - 1, -1, -1):
        if "\n" in text[units[earlier].end_char : units[index].start_char]:
            break
        if earlier in own:
            return [own[earlier].study_id]
    return []


def _drop_empty(studies: list[Study], own: dict[int, Study]) -> tuple[list[Study], dict[int, Study]]:
    """Forget 'studies' that nothing describes ("a new study" with no journal, size, length or
    design) and renumber the rest S1, S2, … in order of mention."""
    kept = [s for s in studies if s.journal or s.citations or s.sample_size or s.duration_days or s.design != "unknown"]
    for number, study in enumerate(kept, start=1):
        study.study_id = f"S{number}"
    kept_ids = {id(s) for s in kept}  # by identity: Study compares by value, and slowly
    return kept, {i: s for i, s in own.items() if id(s) in kept_ids}


def _has_substance(facts: list[Span]) -> bool:
    return any(f.label_ in ("sample_size", "design", "study_count") for f in facts)


def _by_unit(doc: Doc, units: list[Unit], key: str) -> list[list[Span]]:
    grouped: dict[int, list[Span]] = defaultdict(list)
    starts = [u.start for u in units]
    if key in doc.spans:
        for item in doc.spans[key]:
            i = bisect_right(starts, item.start) - 1
            if i >= 0 and item.start < units[i].end:
                grouped[i].append(item)
    return [grouped[i] for i in range(len(units))]


def _absorb(study: Study, index: int, facts: list[Span], cites: list[Span], design_priority: list[str]) -> None:
    if index not in study.sentence_indexes:
        study.sentence_indexes.append(index)
    for cite in cites:
        value = cite.kb_id_
        if cite.label_ == "journal":
            study.journal = study.journal or value
        elif cite.label_ in ("preprint", "conference"):
            label = f"{value} (preprint)" if cite.label_ == "preprint" else f"{value} (conference)"
            if label not in study.not_a_journal:
                study.not_a_journal.append(label)
                study.citations.append(label)
        elif value not in study.citations:
            study.citations.append(value)
    for fact in facts:
        value = fact.kb_id_
        if fact.label_ == "sample_size":
            number, unit = value.split("|", 1)
            if study.sample_size is None:
                study.sample_size, study.sample_unit = int(number), unit
        elif fact.label_ == "study_count":
            number, unit = value.split("|", 1)
            study.study_count = study.study_count or int(number)
            if study.sample_size is None:
                study.sample_unit = unit
        elif fact.label_ == "duration":
            days, written = value.split("|", 1)
            if study.duration_days is None or int(days) > study.duration_days:
                study.duration_days, study.duration_text = int(days), written
        elif fact.label_ == "frequency":
            study.frequency = study.frequency or value
        elif fact.label_ == "population":
            study.population = study.population or value
        elif fact.label_ in _SINGLE_VALUE_FIELDS:
            _merge(study, fact.label_, value, design_priority)


def _merge(study: Study, field: str, value: str, design_priority: list[str]) -> None:
    """Keep the most informative value: a design by priority, 'no control' over 'yes' when both appear."""
    current = getattr(study, field)
    if field == "design":
        if current == "unknown" or design_priority.index(value) < design_priority.index(current):
            study.design = value
    elif field == "outcome_measure" and current not in ("unknown", value):
        study.outcome_measure = "mixed"
    elif field == "control" and value == "no":
        study.control = "no"
    elif current == "unknown":
        setattr(study, field, value)


@Language.factory(
    "claimscan_study_linker",
    assigns=["doc._.studies", "span._.study_ids"],
    requires=["doc.spans"],
    default_config={"lexicon": "study_facts.json"},
)
def make_study_linker(nlp: Language, name: str, lexicon: str) -> StudyLinker:
    return StudyLinker([*load_json(lexicon)["design_priority"], "unknown"])
