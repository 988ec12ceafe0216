"""Certainty family: wording that claims more certainty than any evidence gives.

ABSOLUTE_LANGUAGE     proven, cure, guaranteed, everyone, always, completely.
HYPE_LANGUAGE         breakthrough, miracle, game-changer, remarkable, "first time in history".
OVERSTATED_CERTAINTY  an unhedged general effect claim resting on weak evidence (small,
                      uncontrolled, pilot, not peer-reviewed). A result stated as what the study
                      found ("patients in the trial lived longer") describes; "the drug extends
                      survival" claims.
"""

from __future__ import annotations

import re

from pipeline.lexical import Terms, alternation
from pipeline.rules import claim_rule, family_lexicon
from pipeline.rules.context import RESULT_KINDS, ClaimContext
from pipeline.studies import Study

SCHEMA = {"certainty_words": [str], "universal_words": [str], "study_scope": [str],
          "measured_after": [str], "hypothetical_before": [str], "approximators_before": [str],
          "turned_out_after": [str], "universal_reach": int}
PROVEN = frozenset({"proven", "proved"})
# "no" right before the word, or before one word that modifies it: "with no known cure", "no
# proven benefit" deny the cure and the proof (a pseudo-trigger such as "with no" is skipped by the
# shared negation scope, which must still assert "a study with no control group proves ...")
_NO_BEFORE = re.compile(r"(?<![\w'])no\s+(?:[\w-]+\s+)?$")


def lexicon() -> dict:
    data = family_lexicon("certainty", SCHEMA)
    return {"certain": Terms(data["certainty_words"]), "universal": Terms(data["universal_words"]),
            "study_scope": Terms(data["study_scope"]),
            "measured": re.compile(rf"\s*(?:{alternation(data['measured_after'])})(?!\w)"),
            "hypothetical": re.compile(
                rf"(?<!\w)(?:{alternation(data['hypothetical_before'])})(?:\W+\w+){{0,3}}\W*$"),
            "approximate": re.compile(
                rf"(?<!\w)(?:{alternation(data['approximators_before'])})\s+$"),
            "turned_out": re.compile(rf"\s+(?:{alternation(data['turned_out_after'])})(?!\w)"),
            "universal_reach": data["universal_reach"]}


def measured(lower: str, start: int, end: int, lexicon: dict) -> bool:
    """A red-flag word used as a measurement or a condition, not a claim: '100% of the tissue',
    'cures about half of patients', 'cure rates', 'before the approach is proven'."""
    return (lexicon["measured"].match(lower, end) is not None
            or lexicon["hypothetical"].search(lower, max(0, start - 40), start) is not None)


def not_a_red_flag(claim: ClaimContext, start: int, end: int, lexicon: dict) -> bool:
    """A red-flag word used as something else: the first half of a compound ('proof-of-concept
    study') or the second ('age-proof'), a possessive ('everyone's sleep waves'), a name
    ('Susan G. Komen for the Cure', 'Living Proof': capitalised inside a sentence), 'proven'
    meaning 'turned out' ('has proven tougher to tackle'), or a word that "no" denies ('no known
    cure')."""
    unit = claim.unit
    lower = unit.lower
    if _NO_BEFORE.search(lower, max(0, start - 30), start):
        return True
    if lower[start - 1 : start] == "-" or lower[end : end + 1] == "-" or lower.startswith(
            "'s", end):
        return True
    if (start > 0 and unit.text[start].isupper() and lower[start - 1] == " "
            and unit.kind != "heading"):
        return True
    return lower[start:end] in PROVEN and lexicon["turned_out"].match(lower, end) is not None


def near_effect(claim: ClaimContext, match: re.Match[str], reach: int) -> bool:
    """Whether a universal word stands within `reach` words of the unit's effect word (counted
    from the first of the two to the second, so "everyone can improve" is 2): "lowers blood
    pressure in everyone" claims an effect for everyone; "Everyone must make up their own mind,
    but ... does reduce deaths" does not. Only the strongest effect word is known (`strength_at`):
    a second effect word further on is not measured."""
    at = claim.unit.strength_at
    if at < 0:
        return False  # no effect word: a bare hedge made the unit conditional
    first, last = sorted((match.start(), at))
    return len(claim.unit.lower[first:last].split()) <= reach


def evidence_phrase(claim: ClaimContext) -> str:
    primary = claim.primary
    return (f"{primary.evidence_summary()} cannot support." if primary
            else "no study in the article supports.")


@claim_rule(
    "ABSOLUTE_LANGUAGE",
    why="""'Proven', 'cure', 'guaranteed', 'everyone' claim a certainty and universality that no
    single study provides (HealthNewsReview's red-flag words). Negated uses ('not a cure') are not
    claims, and universal words count only in an effect claim ('I always tell my patients' claims
    nothing).""",
    fix="Say what was measured, in whom, and how large the effect was.",
    should_flag=[
        "This tea is proven to cure migraines.",
        "This diet lowers blood pressure in everyone who tries it.",
    ],
    should_pass=[
        "The drug is not a cure, the researchers stressed.",
        "There is no proof that the tea prevents migraines.",
        "The standard treatment cures about half of the patients who take it.",
        "It will be years before the approach is proven, or not.",
        "Her lab is working on a cure for the disease.",
        "The agency wanted proof that the scan shows the plaque.",
        "One shot lasts four weeks and eliminates the need for daily pills.",
        "The team is trying to cure the disease with gene therapy.",
        "With no known cure for the syndrome, children take several drugs to control seizures.",
        "Donors tend to focus on curing cancer, the researchers said.",
        "After a week everyone was given antibiotics to clear the infection.",
        "\"Everyone must make up their own mind, but the screening trials show mammography does "
        "reduce deaths,\" he said.",
        "Ten habits age-proof your memory, a new book says.",
        "Once the cancer has spread, the pills almost always stop working.",
        "Nor do the authors of the new trial advise drinking wine as a cure for arthritis.",
        "Naps have proven harder to study than sleep, but they may improve memory.",
        "The small proof-of-concept study suggests the patch can lower blood sugar.",
        "A race run by Susan G. Komen for the Cure raised funds for a drug that fights tumours.",
    ],
)
def absolute_language(claim: ClaimContext, lexicon: dict) -> str | None:
    lower = claim.unit.lower
    for terms in (lexicon["certain"], lexicon["universal"] if claim.effect else None):
        for match in terms.finditer(lower, claim.unit.words) if terms else ():
            if not_a_red_flag(claim, match.start(), match.end(), lexicon):
                continue
            if terms is lexicon["universal"] and (
                    lexicon["approximate"].search(lower, max(0, match.start() - 15),
                                                  match.start())
                    or not near_effect(claim, match, lexicon["universal_reach"])):
                continue  # "almost always", "nearly all patients", or far from the effect
            if (claim.asserted_at(match.start())
                    and not measured(lower, match.start(), match.end(), lexicon)):
                return (f"'{match.group()}' claims a certainty or universality that "
                        f"{evidence_phrase(claim)}")
    return None


@claim_rule(
    "HYPE_LANGUAGE",
    why="""Promotional words ('breakthrough', 'miracle', 'game-changer', 'remarkable') tell readers
    how to feel about a result instead of what it showed (Millar et al. 2022; HealthNewsReview's
    sensational-language criterion). The study team's own hype counts as much as the writer's.
    In the writer's own background sentences beside a described study, hype words mostly
    qualify what is established ('remarkable progress against HIV'; annotation guide R13) and
    are not judged; about the study's result they are.""",
    fix="Replace the adjective with the result: what changed, by how much, in whom.",
    should_flag=[
        "The new pill is a breakthrough for people with migraines.",
        "\"It's a game-changer for diabetes care,\" said the company's chief executive.",
        "\"These are unequivocally positive numbers,\" said a surgeon at a city hospital.",
        "A trial of 300 adults, published in the Lancet, found the new pill is a miracle cure for "
        "migraines.",
    ],
    should_pass=[
        "The pill cut migraine days from eight to six a month in a trial of 300 adults.",
        "It is no miracle, and it will not replace insulin.",
        "Scans showed blood flowing again to 100% of the affected tissue in the trial.",
        "Pill lowers blood pressure\n\nA trial of 300 adults in the Lancet tested the pill.\n\n"
        "Decades ago, doctors made remarkable progress against high blood pressure with "
        "diuretics.",
    ],
)
def hype_language(claim: ClaimContext, lexicon: dict) -> str | None:
    unit = claim.unit
    if (unit.kind == "background" and not (unit.speaker or unit.quoted)
            and not claim.is_headline and claim.article.studies):
        # the writer's own words beside a described study: "remarkable progress against HIV",
        # "a landmark study released in 2007" qualify what is established (R13); quoted hype
        # and the headline's are about the result
        return None
    for cue in unit.cues:
        start = cue.start - unit.start_char
        if (cue.category == "hype" and claim.asserted_at(start)
                and not measured(unit.lower, start, start + len(cue.text), lexicon)):
            who = {"study_team": " (the study team's own words)",
                   "company": " (the company's own words)"}
            return (f"'{cue.text}' is promotional wording{who.get(unit.speaker_role, '')}, "
                    "not a measured result.")
    return None


def weaknesses(study: Study, small_sample: int) -> list[str]:
    """Why a study cannot carry an unhedged general claim."""
    weak = []
    if study.sample_size is not None and study.sample_size < small_sample:
        weak.append(f"{study.sample_size:,} {study.sample_unit or 'participants'}")
    if study.design in ("pilot", "case-series"):
        weak.append(f"a {study.design} study")
    if study.control == "no":
        weak.append("no control group")
    if study.outcome_measure == "self-reported" and not (
        study.control == "yes" and study.blinding in ("double", "single")
    ):
        weak.append("self-reported outcomes")
    if study.not_a_journal:
        weak.append("not peer-reviewed: " + ", ".join(study.not_a_journal))
    return weak


def study_scoped(claim: ClaimContext, lexicon: dict) -> bool:
    """A result told as what the study found: a past-tense effect verb, or the study's own subjects
    ('in the trial', 'the participants') in the sentence (annotation guide R8)."""
    unit = claim.unit
    return claim.happened or lexicon["study_scope"].found_in(unit.lower, unit.words)


@claim_rule(
    "OVERSTATED_CERTAINTY",
    why="""An unhedged, general effect claim resting on a small, uncontrolled, pilot or not
    peer-reviewed study states more certainty than the evidence gives (Dechartres 2013; Wood
    2008). A result told as what the study found describes the study; a general present-tense
    claim ('the drug extends survival') claims it for everyone. Judged where a story states its
    result (the headline and the lead) and wherever a booster ('significantly') strengthens a
    claim.""",
    fix="Hedge the claim ('may', 'early results suggest') and state the study's limits.",
    should_flag=[
        "Device restores sight\n\nA pilot study of 12 patients found the device works.",
        "A pilot study of 12 patients found the device works. The device significantly restores "
        "sight.",
    ],
    should_pass=[
        "A pilot study of 12 patients found the device works. The device may restore some sight, "
        "the researchers said.",
        "In a trial of 3,000 adults published in the Lancet, the pill lowered blood pressure.",
        "A trial enrolled 40 adults with migraine. In the trial, those on the pill had "
        "significantly fewer headaches than those on a placebo.",
        "In a trial, 60 men used the spray or a placebo spray and rated their symptoms in "
        "questionnaires. Men who used the spray rated their symptoms significantly better than "
        "those who got the placebo.",
        "In Early Trial, Patch Eases Migraines\n\nA pilot study of 20 patients tested the patch.",
        "A pilot study of 12 patients tested the cream. It did not reduce pain or discomfort "
        "during sex by a statistically significant amount.",
    ],
)
def overstated_certainty(claim: ClaimContext, lexicon: dict) -> str | None:
    unit = claim.unit
    if (claim.primary is None or claim.hedged or not (claim.strong or unit.boosters)
            or unit.assertion):
        # a negated or denied result ("did not reduce pain by a significant amount") is no
        # overclaim, boosted or not (R14)
        return None
    if unit.kind not in RESULT_KINDS or not (claim.in_lead or unit.boosters):
        return None  # the headline and the lead state the result; later sentences elaborate it
    scoped = study_scoped(claim, lexicon)
    if scoped and not unit.boosters:
        # a result told as the study's; boosted ("significantly improved") it still overstates
        return None
    if scoped and claim.primary.control == "yes":
        # the boosted result of a controlled study ("significantly fewer headaches than those on
        # a placebo") reports its comparison with the control group
        return None
    weak = weaknesses(claim.primary, claim.article.small_sample)
    if not weak:
        return None
    cue = unit.boosters[0] if unit.boosters else unit.strength_cue
    return (f"Unhedged general claim ('{cue}') rests on {claim.primary.study_id}: "
            + ", ".join(weak) + ".")
