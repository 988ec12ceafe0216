"""The scorecard's criteria as readable rules: each looks at the signals it needs and returns a
verdict, the units that decide it and one sentence a reviewer can check against them.

The verdicts follow HealthNewsReview.org's questions ("Does the story adequately discuss the
costs?"), so `satisfactory` means the article did the right thing; for disease_mongering and
sensational_language it means the article did NOT monger or sensationalise. How sure a verdict
is (its confidence) is not decided here: `pipeline.scorecard.model` fits that on the features.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.analysis import CRITERIA, HEDGE_CATEGORIES, Unit, named_speakers
from pipeline.scorecard.signals import SignalHit, SignalHits
from pipeline.studies import Study

SATISFACTORY = "satisfactory"
NOT_SATISFACTORY = "not_satisfactory"
NOT_APPLICABLE = "not_applicable"

THRESHOLDS_SCHEMA = {
    # costs: satisfactory with a price in this many units, or insurance / who pays in this many.
    "price_min_units": int,
    "insurance_min_units": int,
    # benefits: results given as numbers (rates, counts) in at least this many units.
    "benefit_number_min_units": int,
    # harms: at least this many different harms named (side effects, nausea, false positives...).
    "harms_min_terms": int,
    # evidence_quality: the evidence is described by design words in this many units or this many
    # facts about its studies (design, size, length, control, blinding, outcome, funding), and is
    # not oversold (more units with evidence overclaims than this and no limitation stated).
    "evidence_design_min_units": int,
    "evidence_min_facts": int,
    "evidence_max_overclaims": int,
    # ... or the design is named in this many units and the finding is weighed: this many
    # different counterpoint terms ('however', 'critics', 'cautioned') or limitation units.
    "evidence_weighed_design_min_units": int,
    "evidence_counterpoint_min_terms": int,
    "evidence_weighed_limitation_min_units": int,
    # sensational_language: not satisfactory from this many units with sensational words.
    "hype_min_units": int,
    # alternatives / availability: satisfactory from this many units with the signal.
    "alternatives_min_units": int,
    "availability_min_units": int,
    # Quotes in reasons are cut to this many characters.
    "max_quote_chars": int,
}
# Overclaim flags that say the article presents weak evidence as strong.
EVIDENCE_OVERCLAIMS = frozenset({
    "CAUSAL_FROM_OBSERVATIONAL", "ANIMAL_TO_HUMAN", "OVERSTATED_CERTAINTY",
})
# Headline flags that make its language sensational: hype and absolute words, and a lab or animal
# result sold as a benefit to people. A headline that states an observational link causally
# overclaims too, but HNR's reviewers rarely call that sensational language (CAUSAL_FROM_
# OBSERVATIONAL headlines: 3 of 24 releases not satisfactory, on four fifths of the dev file).
SENSATIONAL_HEADLINE_FLAGS = frozenset({"HYPE_LANGUAGE", "ABSOLUTE_LANGUAGE", "ANIMAL_TO_HUMAN"})
# Designs that can show an effect in people, and designs that cannot on their own.
STRONG_DESIGNS = frozenset({"rct", "meta-analysis", "systematic-review"})
WEAK_DESIGNS = frozenset({
    "animal", "in-vitro", "case-series", "pilot", "unknown", "cross-sectional",
})


@dataclass(frozen=True)
class Criterion:
    """A criterion's rule with what `claimscan check` says about it (CS3xx): HealthNewsReview.org's
    question, why it matters and how to fix the article."""

    name: str  # costs
    question: str
    why: str
    fix: str
    judge: Callable[[Evidence], Judgement]


RULES: dict[str, Criterion] = {}


def criterion(question: str, *, why: str, fix: str):
    """Register the decorated function as the rule of the criterion it is named after."""
    def register(judge: Callable[[Evidence], Judgement]) -> Callable[[Evidence], Judgement]:
        RULES[judge.__name__] = Criterion(judge.__name__, question, " ".join(why.split()),
                                          " ".join(fix.split()), judge)
        return judge

    return register


@dataclass(frozen=True)
class Judgement:
    """A criterion's verdict before its confidence is attached."""

    verdict: str
    unit_indexes: tuple[int, ...]
    reason: str


@dataclass
class Evidence:
    """What the rules read: the units and studies of the article and the signals found in it."""

    units: list[Unit]
    studies: list[Study]
    hits: SignalHits
    thresholds: dict[str, int]
    headline: Unit | None
    tokens: int = 0  # the Doc's length
    _flagged: dict[frozenset[str], list[Unit]] = field(default_factory=dict, repr=False)
    _caveats: list[SignalHit] | None = field(default=None, repr=False)

    def quote(self, hit: SignalHit) -> str:
        """The hit as a short quote with its unit number: "'side effects' (#12)"."""
        text = " ".join(self.hits.text(hit).split())
        limit = self.thresholds["max_quote_chars"]
        if len(text) > limit:
            text = text[: limit - 1].rstrip() + "…"
        return f"'{text}' (#{hit.unit})"

    def quotes(self, hits: list[SignalHit], most: int = 2) -> str:
        shown = ", ".join(self.quote(h) for h in hits[:most])
        more = len(hits) - most
        return shown + (f" and {more} more" if more > 0 else "")

    def flagged(self, codes: frozenset[str]) -> list[Unit]:
        """Units with any of these flag codes (cached: several rules and the features ask)."""
        found = self._flagged.get(codes)
        if found is None:
            found = self._flagged[codes] = [
                u for u in self.units if u.flags and any(f.code in codes for f in u.flags)]
        return found

    def evidence_of(self, unit: Unit) -> str:
        """The evidence a unit rests on, as the generalization checker names it."""
        studies = {s.study_id: s for s in self.studies}
        study = studies.get(unit.study_ids[0]) if unit.study_ids else None
        return study.evidence_summary() if study else "no study in the article"

    def caveats(self) -> list[SignalHit]:
        """The caveat cues of the cue tagger ('more research is needed'), as hits."""
        if self._caveats is None:
            self._caveats = [SignalHit("caveat", u.index, c.start, c.end)
                             for u in self.units for c in u.cues if c.category == "caveat"]
        return self._caveats


def study_facts(study: Study) -> int:
    """How many things the article says about a study: design, size, length, control, blinding,
    outcome measure, funding."""
    return sum((
        study.design != "unknown", study.sample_size is not None, study.duration_days is not None,
        study.control != "unknown", study.blinding != "unknown", study.outcome_measure != "unknown",
        study.funding != "unknown",
    ))


def _units(hits: list[SignalHit]) -> tuple[int, ...]:
    """The distinct units of some hits, in order."""
    return tuple(sorted({h.unit for h in hits}))


@criterion(
    "Does the story adequately discuss the costs of the intervention?",
    why="""Readers cannot weigh a treatment they cannot price: a new drug, test or device may
    cost far more than what it replaces, or not be covered by insurance.""",
    fix="Give the price (or a range) and who pays: insurance coverage, out-of-pocket cost.",
)
def costs(ev: Evidence) -> Judgement:
    prices = ev.hits.hits("cost_figure")
    payers = ev.hits.hits("insurance")
    if len(prices) >= ev.thresholds["price_min_units"]:
        return Judgement(SATISFACTORY, _units(prices), f"States a price: {ev.quotes(prices)}.")
    if len(payers) >= ev.thresholds["insurance_min_units"]:
        return Judgement(SATISFACTORY, _units(payers), f"Discusses who pays: {ev.quotes(payers)}.")
    talk = ev.hits.hits("cost_words", "insurance")
    if talk:
        return Judgement(NOT_SATISFACTORY, _units(talk),
                         f"Mentions cost but gives no price: {ev.quotes(talk)}.")
    return Judgement(NOT_SATISFACTORY, (),
                     "No price, insurance coverage or cost comparison is mentioned.")


@criterion(
    "Does the story adequately quantify the benefits of the treatment/test/product/procedure?",
    why=""""Cut the risk by 30 percent" can mean 10 in 1,000 fewer events or one in a million;
    without absolute numbers, or against no comparison group, readers cannot judge how much it
    helps.""",
    fix=("Give both groups' rates ('from 4 in 100 to 3 in 100'), counts or a number needed to "
         "treat."),
)
def benefits(ev: Evidence) -> Judgement:
    numbers = ev.hits.hits("effect_number", "absolute_effect")
    absolute = ev.hits.hits("absolute_effect")
    relative = ev.hits.hits("relative_effect")
    if len(numbers) < ev.thresholds["benefit_number_min_units"]:
        shown = f" beyond {ev.quotes(numbers)}" if numbers else ""
        return Judgement(NOT_SATISFACTORY, _units(numbers),
                         f"No rates, counts or effect sizes to weigh the benefit{shown}.")
    if relative and not absolute:
        return Judgement(NOT_SATISFACTORY, _units(relative),
                         "Benefits are given only as relative changes, with no absolute numbers: "
                         f"{ev.quotes(relative)}.")
    # Before-and-after numbers without a comparison group measure no benefit (HNR's criterion 2).
    uncontrolled = [s for s in ev.studies if s.control == "no"]
    if uncontrolled:
        return Judgement(NOT_SATISFACTORY, _units(numbers),
                         f"Gives numbers such as {ev.quotes(numbers, 1)}, but "
                         f"{uncontrolled[0].study_id} had no control group, so the benefit cannot "
                         "be told from what would have happened anyway.")
    if absolute:
        return Judgement(SATISFACTORY, _units(absolute),
                         f"Gives effects in absolute terms: {ev.quotes(absolute)}.")
    # HNR asks for benefits "in absolute terms": a lone percentage ('improved by 20 percent',
    # '89 percent accuracy') does not say how many people it means, or against what.
    return Judgement(NOT_SATISFACTORY, _units(numbers),
                     f"Gives numbers such as {ev.quotes(numbers, 1)}, but none in absolute terms "
                     "(both groups' rates, counts, or a number needed to treat).")


@criterion(
    "Does the story adequately explain/quantify the harms of the intervention?",
    why="""Every intervention has harms (side effects, false positives, drop-outs, cost of
    follow-up); a story that names none, or denies them outright, oversells the benefit.""",
    fix=("Name the harms the study found and how often they occurred, or say that harms were "
         "not measured."),
)
def harms(ev: Evidence) -> Judgement:
    denied = ev.hits.hits("harm_denial")
    if denied:
        return Judgement(NOT_SATISFACTORY, _units(denied),
                         "Denies harms outright instead of saying what was found: "
                         f"{ev.quotes(denied)}.")
    # the condition the article is about ('hair loss', 'pain' in the headline) is not a harm of
    # the treatment
    subject = ev.headline.lower if ev.headline else ""
    named = [h for h in ev.hits.terms("harms") if ev.hits.text(h).lower() not in subject]
    if len(named) >= ev.thresholds["harms_min_terms"]:
        return Judgement(SATISFACTORY, _units(named),
                         f"Names {len(named)} harms: {ev.quotes(named)}.")
    if named:
        return Judgement(NOT_SATISFACTORY, _units(named),
                         f"Names only {len(named)} harm{'s' if len(named) > 1 else ''}, not how "
                         f"often or how severe: {ev.quotes(named)}.")
    vague = ev.hits.hits("safety_talk")
    if vague:
        return Judgement(NOT_SATISFACTORY, _units(vague),
                         "Speaks of safety but names no side effect or other harm: "
                         f"{ev.quotes(vague)}.")
    return Judgement(NOT_SATISFACTORY, (), "No side effects, risks or other harms are mentioned.")


@criterion(
    "Does the story seem to grasp the quality of the evidence?",
    why="""Readers need to know whether a result comes from a randomised trial, an observational
    study, a small pilot or mice, and what its limits are, to know how far to trust it.""",
    fix="Describe the design, size and length of the study, and state its limitations.",
)
def evidence_quality(ev: Evidence) -> Judgement:
    t = ev.thresholds
    # A unit that calls the evidence proof while the generalization checker finds it too weak for
    # an unhedged claim: HNR fails "uncontrolled data presented without caution" whatever else.
    as_proof = [h for h in ev.hits.hits("proof_words")
                if any(f.code == "OVERSTATED_CERTAINTY" for f in ev.units[h.unit].flags)]
    if as_proof:
        return Judgement(NOT_SATISFACTORY, _units(as_proof),
                         f"Calls weak evidence proof: {ev.quote(as_proof[0])} rests on "
                         f"{ev.evidence_of(ev.units[as_proof[0].unit])}.")
    design = ev.hits.hits("design_words")
    facts = sum(study_facts(s) for s in ev.studies)
    limitation_units = ev.hits.hits("limitations")
    limits = limitation_units + ev.caveats()
    overclaims = ev.flagged(EVIDENCE_OVERCLAIMS)
    described = (len(design) >= t["evidence_design_min_units"]
                 or facts >= t["evidence_min_facts"])
    what = ev.quotes(design) if design else f"{facts} facts about its studies"
    if described and (len(overclaims) <= t["evidence_max_overclaims"] or limits):
        caveat = f"; limits: {ev.quotes(limits, 1)}" if limits else ""
        return Judgement(SATISFACTORY, tuple(sorted({*_units(design), *_units(limits)})),
                         f"Describes how the evidence was made: {what}{caveat}.")
    if len(design) >= t["evidence_weighed_design_min_units"]:
        doubts = ev.hits.terms("counterpoint")
        if len(doubts) >= t["evidence_counterpoint_min_terms"]:
            return Judgement(SATISFACTORY, tuple(sorted({*_units(design), *_units(doubts)})),
                             f"Names the design, e.g. {ev.quotes(design, 1)}, and weighs the "
                             f"finding against doubts: {ev.quotes(doubts)}.")
        if len(limitation_units) >= t["evidence_weighed_limitation_min_units"]:
            units = tuple(sorted({*_units(design), *_units(limitation_units)}))
            return Judgement(SATISFACTORY, units,
                             f"Names the design, e.g. {ev.quotes(design, 1)}, and its limits: "
                             f"{ev.quotes(limitation_units)}.")
    if described:
        codes = ", ".join(sorted({f.code for u in overclaims for f in u.flags
                                  if f.code in EVIDENCE_OVERCLAIMS}))
        return Judgement(NOT_SATISFACTORY, tuple(u.index for u in overclaims),
                         f"Oversells the evidence in {len(overclaims)} units ({codes}) and states "
                         f"no limitation; described by {what}.")
    shown = f" beyond {ev.quotes(design)}" if design else ""
    return Judgement(NOT_SATISFACTORY, _units(design),
                     "Does not say how the evidence was made (design, size, controls, length)"
                     f"{shown}.")


@criterion(
    "Does the story commit disease-mongering?",
    why="""Inflating how common or serious a condition is, or selling a risk factor as a
    disease, makes readers want treatments they do not need. Whether a figure is inflated needs
    outside knowledge, so claimscan only points at the wording to check.""",
    fix="Check prevalence and severity figures against a reliable source.",
)
def disease_mongering(ev: Evidence) -> Judgement:
    # Whether prevalence or severity is overstated depends on the condition, not on the wording:
    # on the release file, mongering vocabulary is as common where the experts found no mongering.
    found = ev.hits.hits("mongering")
    shown = f"; wording to check: {ev.quotes(found)}" if found else ""
    return Judgement(NOT_APPLICABLE, _units(found),
                     "Cannot be judged from the text: it needs the condition's real prevalence "
                     f"and severity{shown}.")


@criterion(
    "Does the story use unjustifiable, sensational language?",
    why="""Words such as "breakthrough", "miracle" or "game-changer", and an overclaiming
    headline, tell readers how to feel instead of what the study showed.""",
    fix="Replace the sensational words with what changed, by how much and in whom.",
)
def sensational_language(ev: Evidence) -> Judgement:
    found = ev.hits.hits("hype")
    headline = ev.headline
    wording = ([f.code for f in headline.flags if f.code in SENSATIONAL_HEADLINE_FLAGS]
               if headline is not None else [])
    if headline is not None and wording:
        return Judgement(NOT_SATISFACTORY, tuple(sorted({headline.index, *_units(found)})),
                         f"The headline (#{headline.index}) overclaims: {', '.join(wording)}.")
    if len(found) >= ev.thresholds["hype_min_units"]:
        return Judgement(NOT_SATISFACTORY, _units(found),
                         f"Uses sensational language: {ev.quotes(found)}.")
    return Judgement(SATISFACTORY, (), "No sensational wording (breakthrough, game-changer, "
                     "miracle...) and the headline neither hypes nor sells a lab result as a "
                     "benefit to people.")


@criterion(
    "Does the story use independent sources and identify conflicts of interest?",
    why="""Researchers and companies are rarely neutral about their own results; an expert who
    was not involved in the study can say how the finding fits the rest of the evidence.""",
    fix="Quote someone not involved in the study, and say that they were not involved.",
)
def independent_sources(ev: Evidence) -> Judgement:
    found = ev.hits.hits("independent_source")
    if found:
        return Judgement(SATISFACTORY, _units(found),
                         f"Quotes a source outside the study: {ev.quotes(found)}.")
    # The attribution component also knows independence from the speaker's role ("who wrote an
    # accompanying editorial"), told in a unit the signal may not cover.
    outside = [u for u in ev.units if u.speaker_role == "independent"]
    if outside:
        first = outside[0]
        return Judgement(SATISFACTORY, tuple(u.index for u in outside),
                         f"Quotes {first.speaker}, independent of the study (#{first.index}).")
    return Judgement(NOT_SATISFACTORY, (), "No source is identified as independent of the study.")


@criterion(
    "Does the story disclose who funded the research and any conflicts of interest?",
    why="""Industry-funded studies more often report results favourable to the sponsor; readers
    need to know who paid for the work and who profits from it.""",
    fix="Say who funded the study and any financial ties of the researchers quoted.",
)
def funding_conflicts(ev: Evidence) -> Judgement:
    found = ev.hits.hits("funding", "conflicts")
    if found:
        return Judgement(SATISFACTORY, _units(found),
                         f"Says who paid or who has a stake: {ev.quotes(found)}.")
    return Judgement(NOT_SATISFACTORY, (), "Does not say who funded the work or whether anyone has "
                     "a conflict of interest.")


@criterion(
    "Does the story compare the new approach with existing alternatives?",
    why="""A new option is only news if it is better, safer or cheaper than what patients can
    already choose, including doing nothing.""",
    fix="Compare it with the standard treatment or test, and say how they differ.",
)
def alternatives(ev: Evidence) -> Judgement:
    found = ev.hits.hits("alternatives", "comparison")
    if len(found) >= ev.thresholds["alternatives_min_units"]:
        return Judgement(SATISFACTORY, _units(found),
                         f"Compares with other options: {ev.quotes(found)}.")
    shown = f" beyond {ev.quotes(found)}" if found else ""
    return Judgement(NOT_SATISFACTORY, _units(found),
                     f"Does not compare with existing treatments or other options{shown}.")


@criterion(
    "Does the story establish the availability of the treatment/test/product/procedure?",
    why="""Readers need to know whether they can get it: approved, on the market, only in
    trials, or years away.""",
    fix="Say whether it is approved and available, and where; or that it is still in trials.",
)
def availability(ev: Evidence) -> Judgement:
    found = ev.hits.hits("availability")
    if len(found) >= ev.thresholds["availability_min_units"]:
        return Judgement(SATISFACTORY, _units(found),
                         f"Says whether it is available: {ev.quotes(found)}.")
    return Judgement(NOT_SATISFACTORY, (),
                     "Does not say whether it is approved, on sale or still being tested.")


@criterion(
    "Does the story establish the true novelty of the approach?",
    why="""Many "new" treatments are variations of old ones. Whether an approach is truly new
    needs knowledge of earlier work, so claimscan only points at the novelty wording to check.""",
    fix="Check earlier studies and products before calling it new.",
)
def novelty(ev: Evidence) -> Judgement:
    # Whether an approach is truly new is a fact about the field (HNR's reviewers searched the
    # literature); novelty wording and mentions of earlier work are as common either way.
    claims = ev.hits.hits("novelty_claim")
    prior = ev.hits.hits("prior_work")
    said = [f"calls it new in {ev.quotes(claims, 1)}" if claims else "",
            f"refers to earlier work in {ev.quotes(prior, 1)}" if prior else ""]
    shown = "; the article " + " and ".join(p for p in said if p) if claims or prior else ""
    return Judgement(NOT_APPLICABLE, tuple(sorted({*_units(claims), *_units(prior)})),
                     f"Cannot be judged from the text: true novelty needs knowledge of earlier "
                     f"work{shown}.")


if tuple(RULES) != CRITERIA:
    raise RuntimeError("the scorecard's rules must follow pipeline.analysis.CRITERIA")


def judge(ev: Evidence) -> dict[str, Judgement]:
    return {name: rule.judge(ev) for name, rule in RULES.items()}


def features(ev: Evidence, judgements: dict[str, Judgement]) -> dict[str, float]:
    """Numbers the fitted model reads: log(1 + units) per signal, the article's size and claim
    profile, and each verdict as +1 (satisfactory), -1 (not) or 0 (not applicable)."""
    units = ev.units
    claims = [u for u in units if u.is_claim]
    log1p = math.log1p
    count = ev.hits.count
    out: dict[str, float] = {
        key: log1p(count(name)) for name, key in _signal_keys(ev.hits.by_signal)}
    out["log_tokens"] = log1p(ev.tokens)  # the article's length (tokens: free, unlike a word count)
    out["claims_share"] = len(claims) / len(units) if units else 0.0
    hedged = sum(1 for u in claims if any(c.category in HEDGE_CATEGORIES for c in u.cues))
    out["hedged_share"] = hedged / len(claims) if claims else 0.0
    out["unsupported_share"] = sum(u.unsupported for u in claims) / len(claims) if claims else 0.0
    out["caveat_units"] = log1p(len({h.unit for h in ev.caveats()}))
    out["studies"] = math.log1p(len(ev.studies))
    out["study_facts"] = math.log1p(sum(study_facts(s) for s in ev.studies))
    out["human_trial"] = float(any(s.design in STRONG_DESIGNS for s in ev.studies))
    out["weak_design"] = float(bool(ev.studies)
                               and all(s.design in WEAK_DESIGNS for s in ev.studies))
    out["uncontrolled"] = float(any(s.control == "no" for s in ev.studies))
    out["evidence_overclaims"] = math.log1p(len(ev.flagged(EVIDENCE_OVERCLAIMS)))
    out["headline_unsupported"] = float(bool(ev.headline and ev.headline.unsupported))
    out.update(_speaker_features(units))
    for name, judgement in judgements.items():
        out[_VERDICT_KEYS[name]] = _VERDICT_VALUES.get(judgement.verdict, 0.0)
    return out


def _speaker_features(units: list[Unit]) -> dict[str, float]:
    """Who the article lets speak (the attribution component's speakers): how many different
    people it quotes, how many of them are independent of the study, and what share of its
    attributed units the study team and the company speak."""
    roles = named_speakers(units)
    spoken = {"study_team": 0, "company": 0}
    attributed = 0
    for u in units:
        if not u.speaker:
            continue
        attributed += 1
        if u.speaker_role in spoken:
            spoken[u.speaker_role] += 1
    return {
        "speakers": math.log1p(len(roles)),
        "independent_speakers": math.log1p(sum(r == "independent" for r in roles.values())),
        "study_team_voice": spoken["study_team"] / attributed if attributed else 0.0,
        "company_voice": spoken["company"] / attributed if attributed else 0.0,
    }


_VERDICT_KEYS = {c: f"verdict:{c}" for c in CRITERIA}
_VERDICT_VALUES = {SATISFACTORY: 1.0, NOT_SATISFACTORY: -1.0}
_SIGNAL_KEYS: dict[tuple[str, ...], list[tuple[str, str]]] = {}


def _signal_keys(signals: dict[str, list]) -> list[tuple[str, str]]:
    names = tuple(signals)
    keys = _SIGNAL_KEYS.get(names)
    if keys is None:
        keys = _SIGNAL_KEYS[names] = [(name, f"signal:{name}") for name in names]
    return keys


def feature_names(signals: tuple[str, ...]) -> tuple[str, ...]:
    """Every feature `features` can return, for checking a model file against."""
    fixed = ("log_tokens", "claims_share", "hedged_share", "unsupported_share", "caveat_units",
             "studies", "study_facts", "human_trial", "weak_design", "uncontrolled",
             "evidence_overclaims", "headline_unsupported", "speakers", "independent_speakers",
             "study_team_voice", "company_voice")
    return (*(f"signal:{s}" for s in signals), *fixed, *(f"verdict:{c}" for c in CRITERIA))
