"""Generalization checker: runs the flag rules of `pipeline.rules` over an article and sets each
unit's flags, `unsupported` and severity.

Claim rules judge every claim, piece of advice and claiming headline against the evidence it rests
on: the studies it reports, or for the headline and the lead (the first paragraphs, which tell the
story's main result) the article's first study. An overclaim the same or the next sentence
challenges ("..., but the study was small") is not flagged: the article has not passed it on; a
scope overclaim (population, outcome, relative figures) stands, as a caution does not narrow it.
Evidence rules describe each study once, on the sentence that introduces it. Thresholds and
severities come from the config; rule metadata from `configs/flags.json`.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.analysis import Flag, Unit
from pipeline.components._util import doc_text
from pipeline.extensions import CITATIONS, unit_records
from pipeline.lexical import Terms
from pipeline.negation import Negation
from pipeline.rulefile import load_rules
from pipeline.rules import attribution, certainty, design, evidence, registry, rules, scope
from pipeline.rules.context import ArticleContext, ClaimContext

SEVERITY_RANK = {"": 0, "info": 1, "warning": 2, "error": 3}
CHALLENGE_SCHEMA = {"openers": [str], "phrases": [str]}
LINKS_SCHEMA = {"min_shared": int, "generic_words": [str]}
FAMILY_LEXICONS = {"attribution": attribution.lexicon, "certainty": certainty.lexicon,
                   "design": design.lexicon, "scope": scope.lexicon, "evidence": evidence.lexicon}


class GeneralizationChecker:
    def __init__(self, flags: str, small_sample: int, short_duration_days: int,
                 severities: dict[str, str], challenges: dict, links: dict,
                 negation: Negation) -> None:
        table = registry(flags)
        self.severity = {code: severities.get(code, info.severity) for code, info in table.items()}
        self.rules = [rule for rule in rules().values() if rule.code in table]
        lexicons = {family: load() for family, load in FAMILY_LEXICONS.items()}
        # (rule, its family's lexicon), split by what a rule judges: looked up once, not per claim
        self.claim_rules = [(rule, lexicons[rule.family]) for rule in self.rules
                            if rule.per == "claim"]
        self.study_rules = [(rule, lexicons[rule.family]) for rule in self.rules
                            if rule.per == "study"]
        self.small_sample = small_sample
        self.short_duration_days = short_duration_days
        self.challenge_openers = (tuple(o + " " for o in challenges["openers"])
                                  + tuple(o + "," for o in challenges["openers"]))
        self.challenge_phrases = Terms(challenges["phrases"])
        self.negation = negation
        self.min_shared = links["min_shared"]
        self.generic = frozenset(links["generic_words"])

    def __call__(self, doc: Doc) -> Doc:
        units = unit_records(doc)
        studies = {s.study_id: s for s in (doc._.studies or [])}
        article = ArticleContext(units, studies, doc_text(doc), _cited_units(doc, units),
                                 self.negation, self.small_sample, self.short_duration_days)
        describing = {i for s in studies.values() for i in s.sentence_indexes}
        topics = {sid: self._topic_words(article.study_texts[sid].words) for sid in studies}
        for unit in units:
            unit.flags, unit.unsupported, unit.severity = [], False, ""
        for index, unit in enumerate(units):
            if not unit.is_claim:
                continue
            rests_on = ([studies[sid] for sid in unit.study_ids if sid in studies]
                        or self._evidence(article, index, unit, studies, topics))
            claim = ClaimContext(unit, article, rests_on, index in describing,
                                 index == 0 and unit.kind == "heading")
            for rule, lexicon in self.claim_rules:
                if reason := rule.check(claim, lexicon):
                    unit.flags.append(Flag(rule.code, reason, self.severity[rule.code]))
        overclaims = {rule.code for rule in self.rules if rule.kind == "overclaim"}
        # A caution next to a claim tempers its certainty; it does not make an unstudied population
        # or outcome studied, so scope overclaims stand (annotation guide R11, R12).
        rescuable = {rule.code for rule in self.rules
                     if rule.kind == "overclaim" and rule.family != "scope"}
        for index, unit in enumerate(units):
            if (unit.flags and any(f.code in rescuable for f in unit.flags)
                    and self._challenged(article, index)):
                unit.flags = [f for f in unit.flags if f.code not in rescuable]
        for study in studies.values():
            if not study.sentence_indexes:
                continue
            intro = units[min(study.sentence_indexes)]
            for rule, lexicon in self.study_rules:
                if reason := rule.check(study, article, lexicon):
                    intro.flags.append(Flag(rule.code, reason, self.severity[rule.code]))
        for unit in units:
            if unit.flags:  # most have none, and keep the defaults set above
                unit.unsupported = any(f.code in overclaims for f in unit.flags)
                unit.severity = max((f.severity for f in unit.flags), key=SEVERITY_RANK.get)
        return doc

    def _topic_words(self, words: frozenset[str]) -> frozenset[str]:
        return frozenset(w for w in words
                         if len(w) >= 5 and w not in self.generic and not w.isdigit())

    def _evidence(self, article: ArticleContext, index: int, unit: Unit, studies: dict,
                  topics: dict[str, frozenset[str]]) -> list:
        """What a claim the linker tied to no study rests on: the headline and the lead rest on the
        article's first study; any other claim on the study it shares topic words with."""
        if not studies:
            return []
        if index == 0 or index in article.lead:
            return [next(iter(studies.values()))]
        # A study's topic words are all topic words: the unit's words it shares are the unit's
        # topic words it shares, with no filtering of the unit's words.
        shared = {sid: len(unit.words & topic) for sid, topic in topics.items()}
        best = max(shared, key=lambda sid: (shared[sid], -int(sid[1:])))
        return [studies[best]] if shared[best] >= self.min_shared else []

    def _challenged(self, article: ArticleContext, index: int) -> bool:
        """The claim is challenged in its own sentence (a contrast clause with a caution) or by the
        next sentence of its paragraph (annotation guide R11)."""
        unit = article.units[index]
        contrast = max(unit.lower.rfind(" but "), unit.lower.rfind(" however"),
                       unit.lower.rfind(" though "))
        if contrast > 0 and self.challenge_phrases.search(unit.lower[contrast:]):
            return True
        follower = article.following(index)
        if follower is None or not article.same_paragraph(index, follower.index):
            return False
        return _challenges(follower, self.challenge_openers, self.challenge_phrases)


def _challenges(unit: Unit, openers: tuple[str, ...], phrases: Terms) -> bool:
    cautious = unit.kind == "caveat" or bool(unit.caveats) or unit.assertion == "denied"
    # "So far, however, ..." opens with a contrast too
    opening = " ".join(unit.lower.split()[:4]) + " "
    return cautious or (any(o in opening for o in openers)
                        and phrases.found_in(unit.lower, unit.words))


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
    default_config={"flags": "flags.json", "small_sample": 100, "short_duration_days": 182,
                    "severities": {}, "challenges": "challenges.json",
                    "evidence_links": "evidence_links.json", "negation": "negation.json"},
)
def make_generalization_checker(
    nlp: Language, name: str, flags: str, small_sample: int, short_duration_days: int,
    severities: dict[str, str], challenges: str, evidence_links: str, negation: str,
) -> GeneralizationChecker:
    return GeneralizationChecker(flags, small_sample, short_duration_days, severities,
                                 load_rules(challenges, CHALLENGE_SCHEMA),
                                 load_rules(evidence_links, LINKS_SCHEMA),
                                 Negation.load(negation))
