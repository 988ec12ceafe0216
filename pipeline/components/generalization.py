"""Generalization checker: flags, reasons, `unsupported` and severity per unit.

Overclaim flags compare what a claim says with the evidence the study linker attached to it;
evidence flags describe that evidence (small, short, self-reported, uncontrolled, industry-funded,
significance without numbers). Every reason names the evidence ("rests on S1: 30 participants,
12 weeks, outcomes self-reported, no control group mentioned"). Thresholds come from the config.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components._util import doc_text
from pipeline.analysis import Flag, Unit
from pipeline.extensions import CITATIONS, unit_records
from pipeline.lexical import Terms, words_of
from pipeline.resources import load_json
from pipeline.studies import NON_HUMAN_DESIGNS, OBSERVATIONAL_DESIGNS, Study

SEVERITY_RANK = {"": 0, "info": 1, "warning": 2, "error": 3}
_WEAK_DESIGNS = frozenset({"pilot", "case-series", "unknown"})
_NEGATION = re.compile(r"\b(?:not|no|never|n't|nor|without|isn't|aren't|wasn't|hasn't|haven't|cannot)\W+(?:\w+\W+){0,2}$")


class GeneralizationChecker:
    def __init__(self, lexicon: dict, small_sample: int, short_duration_days: int, severities: dict[str, str]) -> None:
        self.codes = lexicon["codes"]
        self.severity = {code: severities.get(code, spec["severity"]) for code, spec in self.codes.items()}
        self.small_sample = small_sample
        self.short_duration_days = short_duration_days
        self.vague = Terms(lexicon["vague_attribution"])
        self.absolute = Terms(lexicon["absolute"])
        self.human = Terms(lexicon["human_terms"])
        self.nonhuman = Terms(lexicon["nonhuman_terms"])
        self.broad = Terms(lexicon["broad_population_terms"])
        self.specific = Terms(lexicon["specific_population_terms"])
        self.hypernyms = {k: Terms(v) for k, v in lexicon["condition_hypernyms"].items()}
        self.hypernym_terms = {k: Terms([k]) for k in lexicon["condition_hypernyms"]}
        self.hard_outcomes = Terms(lexicon["hard_outcomes"])
        self.lasting = Terms(lexicon["lasting_effect_terms"])
        self.statistics = re.compile(lexicon["statistics_pattern"], re.IGNORECASE)

    def __call__(self, doc: Doc) -> Doc:
        units = unit_records(doc)
        studies = {s.study_id: s for s in (doc._.studies or [])}
        cited_units = _cited_units(doc, units)
        own = {i for s in studies.values() for i in s.sentence_indexes}
        texts = {sid: StudyText(" ".join(units[i].lower for i in s.sentence_indexes)) for sid, s in studies.items()}
        text = doc_text(doc)
        for index, unit in enumerate(units):
            if not (unit.is_claim or unit.kind == "recommendation"):
                continue
            rests_on = [studies[sid] for sid in unit.study_ids if sid in studies]
            flags = self._flags(unit, units, text, rests_on, texts, index in own, cited_units)
            unit.flags = [Flag(code, reason, self.severity[code]) for code, reason in flags]
            unit.unsupported = any(self.codes[code]["kind"] == "overclaim" for code, _ in flags)
            unit.severity = max((f.severity for f in unit.flags), key=SEVERITY_RANK.get, default="")
        return doc

    def _flags(self, unit: Unit, units: list[Unit], text: str, rests_on: list[Study], texts: dict[str, StudyText],
               is_own: bool, cited_units: set[int]) -> list[tuple[str, str]]:
        index = unit.index
        lower, words = unit.lower, unit.words
        hedged = bool(unit.hedges)
        strong = unit.strength in ("direct", "can-causal")
        primary = rests_on[0] if rests_on else None
        evidence = primary.evidence_summary() if primary else ""
        flags: list[tuple[str, str]] = []

        vague = _first_unnegated(self.vague, lower, words)
        next_cited = index + 1 < len(units) and index + 1 in cited_units and "\n" not in text[unit.end_char : units[index + 1].start_char]
        if vague and index not in cited_units and not is_own and not next_cited:
            flags.append(("VAGUE_ATTRIBUTION", f"'{vague}' appeals to unnamed research or experts; no study, journal or person is named for it."))
        absolute = _first_unnegated(self.absolute, lower, words)
        if absolute:
            flags.append(("ABSOLUTE_LANGUAGE", f"'{absolute}' claims a certainty or universality that "
                          + (f"{evidence} cannot support." if primary else "no study in the article supports.")))
        if not rests_on:
            if unit.is_claim and strong and not hedged and index not in cited_units and not vague:
                flags.append(("UNCITED_CLAIM", f"States a {unit.strength} effect ('{unit.strength_cue}') with no study in the article behind it."))
            return flags

        advice = unit.kind == "recommendation"
        if primary.design in OBSERVATIONAL_DESIGNS and (strong or (advice and unit.strength != "none")):
            wording = "advice" if advice and not strong else f"causal wording ('{unit.strength_cue}')"
            flags.append(("CAUSAL_FROM_OBSERVATIONAL", f"Uses {wording} but rests on {evidence}, an {primary.design} design that shows association, not cause."))
        if primary.design in NON_HUMAN_DESIGNS and unit.strength != "none":
            about_people = bool(self.human.search(lower, words)) or not self.nonhuman.search(lower, words)
            if about_people:
                flags.append(("ANIMAL_TO_HUMAN", f"Claims an effect in people but rests on {evidence} ({'animal' if primary.design == 'animal' else 'lab'} evidence)."))
        overreach = self._population_overreach(lower, words, rests_on, texts)
        if overreach:
            flags.append(("POPULATION_OVERREACH", overreach))
        if not is_own:
            outcome = self.hard_outcomes.search(lower, words)
            if outcome and not any(texts[s.study_id].contains(outcome.group()) for s in rests_on):
                flags.append(("OUTCOME_OVERREACH", f"Names '{outcome.group()}', an outcome {primary.study_id} did not report measuring."))
        lasting = bool(self.lasting.search(lower, words))
        weak = self._weaknesses(primary, lasting=lasting)
        if (strong or unit.boosters) and not hedged and weak:
            cue = unit.boosters[0] if unit.boosters else unit.strength_cue
            flags.append(("OVERSTATED_CERTAINTY", f"Unhedged claim ('{cue}') rests on {evidence}."))

        if primary.sample_size is not None and primary.sample_size < self.small_sample:
            flags.append(("SMALL_SAMPLE", f"Rests on {primary.study_id}: {primary.sample_size:,} {primary.sample_unit}, under the {self.small_sample} the configuration calls small."))
        if (primary.duration_days is not None and primary.duration_days < self.short_duration_days
                and (lasting or unit.kind in ("conclusion", "recommendation"))):
            flags.append(("SHORT_DURATION", f"Rests on {primary.study_id}: {primary.duration_text}, too short to show lasting effects (under {self.short_duration_days} days)."))
        if primary.outcome_measure == "self-reported":
            flags.append(("SELF_REPORTED_OUTCOME", f"Rests on {primary.study_id}, whose outcomes were self-reported by participants."))
        if primary.control == "no" or (primary.control == "unknown" and primary.design in _WEAK_DESIGNS):
            said = "had no control group" if primary.control == "no" else "mentions no control or placebo group"
            flags.append(("NO_CONTROL_GROUP", f"Rests on {primary.study_id}, which {said}."))
        significance = any(b.startswith(("significant", "statistically significant")) for b in unit.boosters)
        if significance and not self.statistics.search(lower) and not texts[primary.study_id].search(self.statistics):
            flags.append(("SIGNIFICANCE_WITHOUT_STATISTICS", f"Says '{next(b for b in unit.boosters if 'significant' in b)}' but gives no effect size, interval or p-value for {primary.study_id}."))
        if primary.funding == "industry":
            flags.append(("INDUSTRY_FUNDED", f"Rests on {primary.study_id}, funded by industry with a stake in the result."))
        return flags

    def _weaknesses(self, study: Study, *, lasting: bool) -> list[str]:
        """Why a study cannot carry an unhedged claim. Short only matters for lasting effects;
        self-report only without a blinded comparison (Wood 2008)."""
        weak = []
        if study.sample_size is not None and study.sample_size < self.small_sample:
            weak.append("small")
        if lasting and study.duration_days is not None and study.duration_days < self.short_duration_days:
            weak.append("short")
        if study.outcome_measure == "self-reported" and not (study.control == "yes" and study.blinding in ("double", "single")):
            weak.append("self-reported")
        if study.control == "no" or (study.control == "unknown" and study.design in _WEAK_DESIGNS):
            weak.append("uncontrolled")
        if study.design in NON_HUMAN_DESIGNS or study.design in ("pilot", "case-series"):
            weak.append(study.design)
        return weak

    def _population_overreach(self, claim: str, words: frozenset[str], rests_on: list[Study], texts: dict[str, StudyText]) -> str:
        """A claim about a condition or population broader than one of its studies covered."""
        for general, narrower in self.hypernyms.items():
            if not self.hypernym_terms[general].search(claim, words) or narrower.search(claim, words):
                continue
            for study in rests_on:
                studied = StudyText(study.population) if study.population else texts[study.study_id]
                found = studied.search(narrower)
                if found and not studied.search(self.hypernym_terms[general]):
                    return f"Claims about {general} in general, but {study.study_id} studied {found.group()} only."
        broad = self.broad.search(claim, words)
        if broad and not self.specific.search(claim, words):
            for study in rests_on:
                found = texts[study.study_id].search(self.specific)
                if found and not texts[study.study_id].search(self.broad):
                    return f"Speaks of '{broad.group()}', but {study.study_id} studied {found.group()} only."
        return ""


class StudyText:
    """The sentences of one study, lower-cased. Each search runs once however many claims rest on
    the study: in a long article, searching per claim grows with claims × study text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.words = words_of(text)
        self._found: dict[object, re.Match[str] | bool | None] = {}

    def search(self, pattern: Terms | re.Pattern[str]) -> re.Match[str] | None:
        if pattern not in self._found:
            self._found[pattern] = pattern.search(self.text, self.words) if isinstance(pattern, Terms) else pattern.search(self.text)
        return self._found[pattern]

    def contains(self, phrase: str) -> bool:
        if phrase not in self._found:
            self._found[phrase] = phrase in self.text
        return self._found[phrase]


def _first_unnegated(terms: Terms, text: str, words: frozenset[str]) -> str:
    for match in terms.finditer(text, words):
        if not _NEGATION.search(text[max(0, match.start() - 40) : match.start()]):
            return match.group()
    return ""


def _cited_units(doc: Doc, units: list[Unit]) -> set[int]:
    """Indexes of the units that contain a citation."""
    starts = [u.start for u in units]
    cited = set()
    for citation in doc.spans.get(CITATIONS, []):
        i = bisect_right(starts, citation.start) - 1
        if i >= 0 and citation.end <= units[i].end:
            cited.add(i)
    return cited


@Language.factory(
    "claimscan_generalization",
    assigns=["span._.flags", "span._.unsupported", "span._.severity"],
    requires=["span._.kind", "span._.study_ids"],
    default_config={"lexicon": "flags.json", "small_sample": 100, "short_duration_days": 182, "severities": {}},
)
def make_generalization_checker(
    nlp: Language, name: str, lexicon: str, small_sample: int, short_duration_days: int, severities: dict[str, str]
) -> GeneralizationChecker:
    return GeneralizationChecker(load_json(lexicon), small_sample, short_duration_days, severities)
