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
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.components._util import doc_text, is_question
from pipeline.analysis import Unit
from pipeline.extensions import CITATIONS, STUDY_FACTS, unit_records
from pipeline.components.study_facts import RANK_STRONG, RANK_STUDY, SCHEMA
from pipeline.lexical import Terms
from pipeline.rulefile import load_rules
from pipeline.studies import NON_HUMAN_DESIGNS, Study


class _CaseBlind:
    """A regex that ignores case. An ASCII unit (most are) is searched in its lower-cased text
    without IGNORECASE, which finds the same and runs about twice as fast; any other unit in its
    own text with IGNORECASE (case folds beyond ASCII, such as "İ" or "ſ", and curly quotes,
    which the lower-cased text straightens, would not carry over). The pattern is written in
    lower case."""

    def __init__(self, pattern: str) -> None:
        self.lower = re.compile(pattern)
        self.any_case = re.compile(pattern, re.IGNORECASE)

    def search(self, unit: Unit) -> re.Match[str] | None:
        if unit.text.isascii():
            return self.lower.search(unit.lower)
        return self.any_case.search(unit.text)

    def match(self, unit: Unit) -> re.Match[str] | None:
        if unit.text.isascii():
            return self.lower.match(unit.lower)
        return self.any_case.match(unit.text)


_INTRO = _CaseBlind(
    r"\b(?:a|an|one|another|new|recent|latest|second|separate|earlier|different|large|small|major)\s+"
    r"(?:[\w,-]+\s+){0,3}?(?:study|trial|meta-analysis|analysis|review|survey|experiment|paper|report|pilot)\b"
    r"|\b(?:in|from)\s+(?:19|20)\d\d\b[^.]*?\b(?:study|trial)\b|\b(?:19|20)\d\d\s+(?:study|trial|review|survey|meta-analysis)\b"
)
# A news lede's pointer to the study it goes on to tell ("..., new research suggests"); not "no
# new research", "new research is needed".
_LEDE_NEWS = _CaseBlind(
    r"(?<!no )\bnew (?:research|findings)\b(?!\s+(?:is|are)\s+(?:needed|required))"
    r"|\bscientists have found\b"
)
_NEW_STUDY = re.compile(
    r"\b(?:new|latest)\s+(?:[\w-]+\s+){0,2}?(?:study|trial|research|analysis)\b")
_ANAPHORA = _CaseBlind(
    r"\b(?:the|this|their|its|these)\s+(?:[\w-]+\s+){0,2}?(?:study|studies|trial|research|analysis|researchers|team|"
    r"investigators|participants|volunteers|authors|findings|results|review|survey|mice|rats|subjects|patients|"
    r"scientists|paper|experiment|animals)\b|^(?:participants|volunteers|researchers)\b"
)
# One of these words is in every text _ANAPHORA can match (its last word).
_ANAPHORA_WORDS = frozenset((
    "study", "studies", "trial", "research", "analysis", "researchers", "team", "investigators",
    "participants", "volunteers", "authors", "findings", "results", "review", "survey", "mice",
    "rats", "subjects", "patients", "scientists", "paper", "experiment", "animals"))
_ALL_STUDIES = _CaseBlind(
    r"\b(?:these|both|the two|the)\s+(?:studies|trials|findings|results)\b"
    r"|\b(?:current|available|existing)\s+evidence\b|"
    r"^(?:in conclusion|overall|in summary|to sum up|ultimately|the bottom line|taken together"
    r"|all in all)\b"
)
# A unit must contain one of these words for the regex above it to match; the set test is far
# cheaper than the regex scan, which then runs on few units.
_INTRO_WORDS = frozenset(("study", "trial", "analysis", "review", "survey", "experiment", "paper",
                          "report", "pilot"))
_ALL_STUDIES_WORDS = frozenset(("studies", "trials", "findings", "results", "evidence",
                                "conclusion", "overall", "summary", "sum", "ultimately", "bottom",
                                "together", "all"))
_SINGLE_VALUE_FIELDS = ("control", "blinding", "outcome_measure", "funding")
# A unit that mentions a study in passing, once one is being described: "previous animal studies
# showed", "before this, studies in monkeys", "a 2004 study of 1,290 patients", "other trials".
_BACKGROUND = re.compile(
    r"\b(?:previous|prior(?!\s+to\b)|earlier(?!\s+this\b)|past|older|former)"
    r",?\s+(?:[\w-]+,?\s+){0,2}?"
    r"(?:study|studies|research|trials?|experiments?|work|reports?|reviews?|analys[ie]s"
    r"|surveys?)\b"
    r"|\bbefore\s+this\b"
    r"|\b(?:a|an|the|one|another)\s+(?:[\w-]+\s+){0,2}?(?:19|20)\d\d\s+(?:[\w-]+\s+){0,2}?"
    r"(?:study|trial|review|survey|report|analysis|meta-analysis|paper)\b"
    r"|\b(?:study|trial|review|survey|analysis|meta-analysis|paper)\s+(?:published\s+)?in"
    r"\s+(?:19|20)\d\d\b"
    r"|\b(?:other|several|many|some)\s+(?:[\w-]+\s+){0,2}?(?:studies|trials|experiments)"
    r"\s+(?:have|had|in|on|of|showed|found|suggest)",
)
_BACKGROUND_WORDS = frozenset(("previous", "prior", "earlier", "past", "older", "former", "before",
                               "other", "several", "many", "some", "published",
                               *(str(year) for year in range(1900, 2100))))
# One of these words is in every text _BACKGROUND, _NOVEL or _INTRO can match.
_STUDY_NOUNS = frozenset(("study", "studies", "trial", "trials", "research", "experiment",
                          "experiments", "work", "report", "reports", "review", "reviews",
                          "analysis", "analyses", "survey", "surveys", "paper", "pilot", "meta",
                          "this"))
_NOVEL_WORDS = frozenset(("another", "second", "third", "separate", "different", "earlier",
                          "previous", "prior", "older", "ongoing", "upcoming", "planned", "future",
                          "larger", "bigger", "longer", "follow", "next", "separately", "meanwhile",
                          *(str(year) for year in range(1900, 2100))))
# An introduction that is another study than the one being described.
_NOVEL = re.compile(
    r"\b(?:another|second|third|separate|different|earlier|previous|prior|older|ongoing|upcoming"
    r"|planned|future|larger|bigger|longer"
    r"|follow-up|(?:19|20)\d\d"
    # "over the next seven years, 17 study participants": a span of time, not the next study
    r"|next(?!\s+(?:[\w-]+\s+){0,2}?(?:years?|months?|weeks?|days?|decades?)\b))\s+"
    r"(?:[\w,-]+\s+){0,3}?"
    r"(?:study|studies|trial|trials|meta-analysis|analysis|review|survey|experiment|paper|report"
    r"|pilot|research)\b"
    r"|^(?:separately|in\s+a\s+separate|in\s+another|meanwhile)\b",
)
# "This is a small study", "it was a pilot trial": describing the study at hand, not introducing
# one.
_COPULAR = _CaseBlind(
    r"\b(?:is|was|as|were|are|be|been|'s|’s)\s+"
    r"(?:only\s+|just\s+|still\s+|also\s+|not\s+|called\s+|described\s+as\s+)?"
    r"(?:a|an)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:study|trial|analysis|review|survey|experiment|paper|report|pilot)\b"
)
# Back to the study the story is about after a study mentioned in passing.
_BACK_TO_MAIN = _CaseBlind(
    r"\b(?:this|the\s+(?:new|current|present|latest|recent))\s+(?:[\w-]+\s+){0,2}?"
    r"(?:study|trial|research|analysis|experiment|paper|findings|results)\b"
    r"|\b(?:for|in)\s+(?:this|the)\s+(?:study|trial|research|experiment)\b"
)
# Plans and studies yet to run: "a larger trial will start next year", "results are expected in
# 2018".
_FUTURE = _CaseBlind(
    # "plan" as a verb ("they now plan a trial", "plans to"), not the noun ("a diet plan")
    r"\b(?:will|plans?\s+to|planned|planning|(?:we|they|researchers|scientists|team|authors)"
    r"\s+(?:\w+\s+)?plans?|hopes?\s+to|under\s*way|upcoming"
    r"|(?:are|is)\s+(?:still\s+)?needed|next\s+steps?"
    r"|are\s+expected|is\s+expected|in\s+the\s+coming\s+(?:months|years)|going\s+on|ongoing)\b"
)
_FUTURE_WORDS = frozenset(("will", "going", "ongoing", "plan", "plans", "planned", "planning",
                           "hope", "hopes", "under", "underway", "upcoming", "needed", "next",
                           "expected", "coming"))
# The next sentence about a study just mentioned in passing.
_THAT_STUDY = _CaseBlind(
    r"^(?:\W*\w+\W+){0,3}?(?:that|those|the\s+(?:earlier|previous|older|same|smaller))\s+"
    r"(?:study|studies|trial|trials|research|experiments?|work|analysis|review|survey)\b"
)
# "The study, published in Lancet…, follows up on an earlier trial": the study being described
# gets its journal, whatever earlier work the sentence also mentions.
_THIS_STUDY = _CaseBlind(
    r"^(?:the|this)\s+(?:new\s+|latest\s+|current\s+)?(?:study|research|trial|paper|findings"
    r"|results|analysis|review)\b"
)
_TRIAL_WORDS = frozenset(("trial", "trials", "phase", "late"))  # "late": "late-stage study"
_TRIAL = re.compile(
    r"\b(?:(?<!future\s)(?<!further\s)(?<!larger\s)trials?\b(?!\s+(?:is|are|will\s+be)\s+needed)"
    r"|phase\s+(?:[1-3]|i{1,3}|one|two|three)\b|late-stage\s+(?:study|studies))"
)
_ACCURACY_WORDS = frozenset(("sensitivity", "specificity", "accuracy", "accurately", "accurate",
                             "positives", "positive", "predictive"))
_ACCURACY = re.compile(
    r"\b(?:sensitivity|specificity|(?:diagnostic|test)\s+accuracy|accuracy\s+of"
    r"|accurately\s+(?:identif|detect|predict|diagnos|distinguish)\w*"
    r"|\d[\d.]*[\s-]*(?:%|percent|per\s+cent)[\s-]+(?:accurate|accuracy)"
    r"|accurate\s+\d[\d.]*\s*(?:%|percent)\s+of\s+the\s+time"
    r"|false[- ]positives?|positive\s+predictive)\b"
)
_HEALTHY_CONTROLS = re.compile(
    r"\b(?:than|with|to|and|versus|vs\.?|compared)\s+(?:(?:in|among|of|those\s+of)\s+)?(?:the\s+)?"
    r"(?:\d[\d,]*\s+)?(?:age-matched\s+)?healthy\s+"
    r"(?:controls|volunteers|people|individuals|subjects|participants|adults|women|men|children)\b"
)
# "were given either the drug or a placebo": two arms.
_EITHER_ARM = re.compile(
    r"\b(?:assigned|given|received|receive|got|get|took|take|drank|randomi[sz]ed|allocated)\b"
    r"[^.;]{0,80}\beither\b[^.;]{2,80}\bor\b"
    r"|\b(?:assigned|allocated)\s+to\s+[^.;]{2,80}\bor\b"
)


# Words of a sentence that tells an experiment: an animal cue among them decides the design.
# ("Scientists ... have halted sperm production in mice", "they found a pattern before the animals
# start to eat": the people and the finding tell it too.)
_EXPERIMENT_WORDS = frozenset(("study", "studies", "studied", "tested", "test", "tests",
                               "experiment", "experiments", "model", "models", "researchers",
                               "scientists", "team", "found", "showed", "laboratory", "lab",
                               "trial", "treated", "given", "fed", "injected"))
# A length told in the lede (its first units, before any study is named) is the study's from a
# week on (shorter: stays and windows).
_LEDE_MIN_DAYS = 7
_LEDE_UNITS = 10
# R16's "people followed over time": a human study of 100 or more, a year or longer, that no
# cue names otherwise, is a cohort (smaller long studies are as often trials or case series).
_COHORT_MIN_DAYS = 365
_COHORT_MIN_SIZE = 100


def _mentions(pattern: _CaseBlind, needed: frozenset[str], unit: Unit) -> bool:
    return not unit.words.isdisjoint(needed) and pattern.search(unit) is not None


class StudyLinker:
    def __init__(self, design_priority: list[str], lexicon: dict | None = None) -> None:
        self.design_priority = design_priority
        lexicon = lexicon or {}
        self.animal_units = frozenset(n.lower() for n in lexicon.get("design_animal_units", ()))
        self.strong_controls = frozenset(c.lower()
                                         for c in lexicon.get("design_strong_controls", ()))
        self.weak_designs = frozenset(c.lower() for c in lexicon.get("design_weak_cues", ()))
        self.future = Terms(lexicon.get("design_future_before", ("will",)))

    def __call__(self, doc: Doc) -> Doc:
        units = unit_records(doc)
        facts = _by_unit(doc, units, STUDY_FACTS)
        cites = _by_unit(doc, units, CITATIONS)
        studies: list[Study] = []
        current: Study | None = None
        # the study the story is about, while a background study is mentioned
        main: Study | None = None
        last_background: Study | None = None  # the background study of the unit before
        own: dict[int, Study] = {}
        # each journal's earliest study (ids are S<n> in order of creation)
        by_journal: dict[str, Study] = {}
        evidence: dict[int, _Evidence] = {}  # by id(study)
        about_all = [_mentions(_ALL_STUDIES, _ALL_STUDIES_WORDS, u) for u in units]
        lede: list[int] = []  # units with facts before any study is named
        for index, unit in enumerate(units):
            if unit.block_kind == "heading" or is_question(unit.text):
                continue
            # most units have no citation and no fact: their lists are not scanned
            journals = ([c.kb_id_ for c in cites[index] if c.label_ == "journal"] if cites[index]
                        else [])
            intro = _mentions(_INTRO, _INTRO_WORDS, unit) and not _COPULAR.search(unit)
            mentions_study = not unit.words.isdisjoint(_STUDY_NOUNS)
            publishes_current = bool(journals and current is not None and not current.journal
                                     and _THIS_STUDY.match(unit))
            background = (not publishes_current and current is not None and mentions_study
                          and not unit.words.isdisjoint(_BACKGROUND_WORDS)
                          and _BACKGROUND.search(unit.lower) is not None)
            pools = bool(facts[index]) and any(
                f.label_ == "design" and f.kb_id_ in ("meta-analysis", "systematic-review")
                for f in facts[index])
            if pools and not intro:
                # "it encompasses eight earlier studies": the studies it pools, not another one
                background = False
            novel = not publishes_current and (
                background
                or (not (pools and not intro) and not unit.words.isdisjoint(_NOVEL_WORDS)
                    and _NOVEL.search(unit.lower) is not None)
                or (intro and current is not None
                    and _other_sample(current, facts[index], evidence[id(current)])))
            if (not journals and not intro and not background and about_all[index] and not pools
                    and not _describes(facts[index]) and not _COPULAR.search(unit)):
                # "these studies", "the current evidence": rests on all, describes none ("the
                # results: 12 years later" does, and so do "it was a pilot study, and the
                # results are unpublished" and "the findings are observational")
                continue
            if (not journals and not unit.words.isdisjoint(_FUTURE_WORDS)
                    and _FUTURE.search(unit) and not _strong_sample(facts[index])):
                # "a larger trial will start next year", "patients will be followed for 10
                # years": not this study's facts
                continue
            known = min((by_journal[j] for j in journals if j in by_journal), key=_creation,
                        default=None)
            back_to_main = (main is not None and current is not main
                            and _BACK_TO_MAIN.search(unit) is not None)
            if last_background is not None and not journals and _THAT_STUDY.search(unit):
                current = last_background  # "That study, however, lasted only 12 weeks"
            elif known is not None:
                current = known
            elif journals and current is not None and not current.journal and not novel:
                if (main is not None and main is not current and not main.journal
                        and _empty(current, evidence[id(current)])):
                    # not the trial just mentioned in passing, which has nothing of its own yet
                    current = main
                # "The study was published in Neurology": the journal of the study being described
            elif (journals or novel or (intro and current is None)
                  or (facts[index] and current is None and _has_substance(facts[index]))):
                refers_back = (current is not None and not current.journal and not intro
                               and not novel and _mentions(_ANAPHORA, _ANAPHORA_WORDS, unit))
                if not refers_back:
                    current = Study(study_id=f"S{len(studies) + 1}")
                    studies.append(current)
                    evidence[id(current)] = _Evidence(background=background)
            elif back_to_main:
                current = main
            elif (not ((facts[index] or _design_evidence(unit)) and current is not None)
                  and not (current and (intro or _mentions(_ANAPHORA, _ANAPHORA_WORDS, unit)))):
                if current is None and facts[index]:
                    lede.append(index)
                continue
            if current is None:
                continue
            self._absorb(current, index, facts[index], cites[index], evidence[id(current)], unit)
            own[index] = current
            first = by_journal.get(current.journal)
            if current.journal and (first is None or _creation(current) < _creation(first)):
                by_journal[current.journal] = current
            last_background = None
            if evidence[id(current)].background and main is not None:
                # a study mentioned in passing does not take over what follows
                last_background, current = current, main
            else:
                main = current
        if studies and studies[0].duration_days is None and _described(studies[0]):
            # before the design is decided, which reads the length
            _lede_duration(studies[0], [facts[index] for index in lede if index < _LEDE_UNITS])
        for study in studies:
            self._finish(study, evidence[id(study)])
        _only_trial_told(studies, evidence)
        studies, own = _drop_empty(studies, own)
        text = doc_text(doc)
        strongest_first = [s.study_id for s in sorted(studies, key=lambda s: s.strength_key)]
        first_own = min(own, default=len(units))
        # the study the lede announces: the first told as new ("the new trial"), else the first
        # not mentioned in passing ("a 2010 study of mice had hinted at this" is background)
        main_studies = [s for s in studies if not evidence[id(s)].background]
        told = next((s for s in main_studies
                     if _NEW_STUDY.search(units[min(s.sentence_indexes)].lower)),
                    main_studies[0] if main_studies else None)
        for index, unit in enumerate(units):
            if index in own:
                unit.study_ids = [own[index].study_id]
            elif (told and index < min(first_own, _LEDE_UNITS)
                  and (news := _LEDE_NEWS.search(unit)) is not None):
                # "..., new research suggests": a news lede announces the study told below
                unit.study_ids, unit.announces = [told.study_id], news.span()
            elif about_all[index] and first_own < index:
                unit.study_ids = strongest_first
            else:
                unit.study_ids = _paragraph_study(index, units, own, text)
        doc._.studies = studies
        return doc

    def _absorb(self, study: Study, index: int, facts: list[Span], cites: list[Span],
                found: _Evidence, unit: Unit) -> None:
        if index not in study.sentence_indexes:
            study.sentence_indexes.append(index)
        for cite in cites:
            value = cite.kb_id_
            if cite.label_ == "journal":
                study.journal = study.journal or value
            elif cite.label_ in ("preprint", "conference", "unpublished"):
                label = value if cite.label_ == "unpublished" else f"{value} ({cite.label_})"
                if label not in study.not_a_journal:
                    study.not_a_journal.append(label)
                    study.citations.append(label)
            elif value not in study.citations:
                study.citations.append(value)
        lower = unit.lower
        # what a planned or needed study would be is not this one's design
        planned = self.future.found_in(lower, unit.words)
        if not planned and not unit.words.isdisjoint(_TRIAL_WORDS) and _TRIAL.search(lower):
            found.trial = True
        if not unit.words.isdisjoint(_ACCURACY_WORDS) and _ACCURACY.search(lower):
            found.accuracy = True
        if "healthy" in unit.words and _HEALTHY_CONTROLS.search(lower):
            found.healthy_controls = True
        if not planned and ("either" in unit.words or "assigned" in unit.words
                            or "allocated" in unit.words) and _EITHER_ARM.search(lower):
            found.strong_control = True
        for fact in facts:
            value = fact.kb_id_
            rank = _rank(fact)
            if fact.label_ == "sample_size":
                number, noun = value.split("|", 1)
                if rank > found.sample_rank:  # the best-ranked, then the first stated
                    study.sample_size, study.sample_unit, found.sample_rank = (
                        int(number), noun, rank)
            elif fact.label_ == "study_count":
                number, noun = value.split("|", 1)
                study.study_count = study.study_count or int(number)
                if study.sample_size is None:
                    study.sample_unit = noun
            elif fact.label_ == "duration":
                days, written = value.split("|", 1)
                if rank > found.duration_rank or (rank == found.duration_rank
                                                  and int(days) > (study.duration_days or 0)):
                    study.duration_days, study.duration_text, found.duration_rank = (
                        int(days), written, rank)
            elif fact.label_ == "frequency":
                study.frequency = study.frequency or value
            elif fact.label_ == "population":
                study.population = study.population or value
            elif fact.label_ == "design":
                if not planned:
                    # not "they now plan a randomized trial"
                    found.cues.append((value, fact.text.lower()))
                    if value in NON_HUMAN_DESIGNS and not unit.words.isdisjoint(_EXPERIMENT_WORDS):
                        found.nonhuman_told = True
            elif fact.label_ in _SINGLE_VALUE_FIELDS and not (planned and fact.label_ == "control"):
                if (fact.label_ == "control" and value == "yes"
                        and fact.text.lower() in self.strong_controls and not planned):
                    found.strong_control = True
                    found.placebo = found.placebo or any(w in fact.text.lower()
                                                         for w in ("placebo", "sham", "dummy"))
                _merge(study, fact.label_, value)

    def _finish(self, study: Study, found: _Evidence) -> None:
        """The study's design from all its cues (see `_design`)."""
        study.design = self._design(study, found)

    def _of_people(self, study: Study) -> bool:
        """The study's population is people ("patients with leukaemia"), not animals or cells."""
        words = study.population.lower().split()
        return bool(words) and self.animal_units.isdisjoint(words)

    def _design(self, study: Study, found: _Evidence) -> str:
        """Explicit cues by evidence level, except that animal and in-vitro cues do not decide
        for a study of people ("as earlier mouse studies showed" in a human trial), and that
        R16 of the annotation guide fills in what the story does not name: a placebo, sham or
        comparison arm makes a trial an RCT, patients compared with healthy people are a
        case-control study, a test-accuracy study is observational, a single-arm trial a pilot,
        and a large study of people over a year or more that nothing else names a cohort."""
        cues = set(found.designs)
        strong = {value for value, phrase in found.cues if phrase not in self.weak_designs} & cues
        unit = study.sample_unit.lower()
        if unit in self.animal_units:
            cues.add("animal")
        elif study.sample_size or (self._of_people(study)
                                   and ("pilot" in strong or not found.nonhuman_told)):
            # "a pilot study" of patients that also says the cells "kill cancer in the test
            # tube"; a study of women whose animal cues are mentions in passing (see
            # nonhuman_told); not any human design: "observational studies of women" may be
            # earlier work
            cues -= NON_HUMAN_DESIGNS
            strong -= NON_HUMAN_DESIGNS
        for design in ("meta-analysis", "systematic-review", "rct"):
            if design in cues:
                return design
        if "animal" in cues or "in-vitro" in cues:
            return min(cues & {"animal", "in-vitro"}, key=self.design_priority.index)
        if "pilot" in strong:
            return "pilot"
        described = bool(study.sample_size or study.journal or study.duration_days)
        if not described:
            return min(cues, key=self.design_priority.index) if cues else "unknown"
        if found.placebo:
            return "rct"
        if found.accuracy:
            # a test-accuracy study, even with a comparison group of healthy people
            return "observational"
        if found.healthy_controls and not found.trial:
            return "case-control"
        if found.strong_control or (found.trial and study.control == "yes"):
            return "rct"
        if strong:
            return min(strong, key=self.design_priority.index)
        if found.trial and study.control != "yes":
            return "pilot"
        if cues:
            return min(cues, key=self.design_priority.index)
        if ((study.sample_size or 0) >= _COHORT_MIN_SIZE
                and (study.duration_days or 0) >= _COHORT_MIN_DAYS and self._of_people(study)
                and not study.study_count):
            return "cohort"
        return "unknown"


def _lede_duration(study: Study, lede_facts: list[list[Span]]) -> None:
    """A study-sentence duration told before the first study is named ("Four years after the
    procedure, patients ... were 20 percent less likely to die", then "The study appears in ...")
    is that study's length when it states none of its own. Under a week it is not: lengths that
    short in a lede are stays and windows ("patients leave the hospital within a day")."""
    for facts in lede_facts:
        for fact in facts:
            if fact.label_ == "duration" and _rank(fact) >= RANK_STUDY:
                days, written = fact.kb_id_.split("|", 1)
                if int(days) >= _LEDE_MIN_DAYS:
                    study.duration_days, study.duration_text = int(days), written
                    return


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


def _only_trial_told(studies: list[Study], evidence: dict[int, _Evidence]) -> None:
    """A story whose only study is told as a trial with a comparison arm and nothing else ("in a
    late-stage study, patients on the drug lived longer than those given chemotherapy") has that
    study, an RCT (R16 of the annotation guide), rather than none: otherwise every claim in it
    would rest on 'no study in the article'."""
    if any(map(_described, studies)):
        return
    for study in studies:
        if evidence[id(study)].trial and study.control == "yes":
            study.design = "rct"
            return


def _described(study: Study) -> bool:
    """Something describes the study: a journal or other citation, a size, a length or a design."""
    return bool(study.journal or study.citations or study.sample_size or study.duration_days
                or study.design != "unknown")


def _drop_empty(studies: list[Study],
                own: dict[int, Study]) -> tuple[list[Study], dict[int, Study]]:
    """Forget 'studies' that nothing describes ("a new study" with no journal, size, length or
    design) and renumber the rest S1, S2, … in order of mention."""
    kept = [s for s in studies if _described(s)]
    for number, study in enumerate(kept, start=1):
        study.study_id = f"S{number}"
    kept_ids = {id(s) for s in kept}  # by identity: Study compares by value, and slowly
    return kept, {i: s for i, s in own.items() if id(s) in kept_ids}


def _other_sample(study: Study, facts: list[Span], found: _Evidence) -> bool:
    """A unit introducing 'a trial' of another size than the study at hand ("the review also
    included one large trial, in which 320 adults ...") describes another study."""
    if study.sample_size is None or found.sample_rank < RANK_STRONG:
        return False
    sizes = {int(f.kb_id_.split("|", 1)[0]) for f in facts
             if f.label_ == "sample_size" and f.id_ == str(RANK_STRONG)}
    return bool(sizes) and study.sample_size not in sizes


def _design_evidence(unit: Unit) -> bool:
    """A sentence that tells the design without a fact span: test accuracy, healthy comparison
    people."""
    lower = unit.lower
    return (not unit.words.isdisjoint(_ACCURACY_WORDS) and _ACCURACY.search(lower) is not None) or (
        "healthy" in unit.words and _HEALTHY_CONTROLS.search(lower) is not None)


def _describes(facts: list[Span]) -> bool:
    """The unit gives the study's size, length or design."""
    return any(f.label_ in ("sample_size", "duration", "design") for f in facts)


def _empty(study: Study, found: _Evidence) -> bool:
    return not (study.sample_size or study.duration_days or found.cues)


def _rank(fact: Span) -> int:
    """How surely a sample size or duration describes the study (RANK_* of study_facts.py; 0 for
    facts that carry no rank)."""
    return int(fact.id_) if fact.id_.isdigit() else 0


def _strong_sample(facts: list[Span]) -> bool:
    return any(f.label_ == "sample_size" and _rank(f) >= RANK_STRONG for f in facts)


def _has_substance(facts: list[Span]) -> bool:
    return any(f.label_ in ("design", "study_count")
               or (f.label_ == "sample_size" and _rank(f) >= RANK_STUDY)
               for f in facts)


def _by_unit(doc: Doc, units: list[Unit], key: str) -> list[list[Span]]:
    grouped: list[list[Span]] = [[] for _ in units]
    if key in doc.spans:
        starts = [u.start for u in units]
        for item in doc.spans[key]:
            i = bisect_right(starts, item.start) - 1
            if i >= 0 and item.start < units[i].end:
                grouped[i].append(item)
    return grouped


@dataclass
class _Evidence:
    """What the linker learns about one study beyond the Study record: the rank of the sample
    size and duration it holds, and the cues its design is decided from."""

    background: bool = False  # introduced in passing ("previous studies in mice showed")
    sample_rank: int = -1
    duration_rank: int = -1
    # (design, cue phrase as written, lower case)
    cues: list[tuple[str, str]] = field(default_factory=list)
    strong_control: bool = False  # a placebo, sham or comparison arm
    placebo: bool = False  # a placebo or sham arm
    trial: bool = False  # described as a trial
    accuracy: bool = False  # a test-accuracy study
    healthy_controls: bool = False  # patients compared with healthy people
    # an animal or lab cue in a sentence that tells an experiment ("the study reports that in a
    # mouse, tumor growth stopped"), not a mention in passing ("the naked mole rat might help us
    # cure cancer")
    nonhuman_told: bool = False

    @property
    def designs(self) -> set[str]:
        return {value for value, _ in self.cues}


def _merge(study: Study, field: str, value: str) -> None:
    """Keep the most informative value: 'no control' over 'yes' when both appear."""
    current = getattr(study, field)
    if field == "outcome_measure" and current not in ("unknown", value):
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
    rules = load_rules(lexicon, SCHEMA)
    return StudyLinker([*rules["design_priority"], "unknown"], rules)
