"""Scope family: claims broader than what was studied, and benefits without their size.

POPULATION_OVERREACH  people, conditions or diseases the study did not include ('men will benefit
                      as well' from a study of women; 'other autoimmune diseases'), hedged or not.
OUTCOME_OVERREACH     an outcome the study did not measure (deaths, dementia, cancer).
RELATIVE_RISK_ONLY    a relative benefit ('cut deaths by 30 percent') with no absolute figures for
                      the same comparison (both groups' rates, counts out of a total, NNT) in the
                      sentence or next to it.
"""

from __future__ import annotations

import re

from pipeline.lexical import Terms, alternation
from pipeline.rulefile import MapOf
from pipeline.rules import claim_rule, family_lexicon
from pipeline.rules.context import RESULT_KINDS, ArticleContext, ClaimContext, StudyText
from pipeline.studies import Study

SCHEMA = {"broad_population_terms": [str], "counterpart_groups": MapOf([str]),
          "carry_over_words": [str], "specific_population_terms": [str],
          "condition_hypernyms": MapOf([str]), "extension_phrases": [str], "hard_outcomes": [str],
          "relative_effect": str, "absolute_figures": str, "event_terms": [str]}


def lexicon() -> dict:
    data = family_lexicon("scope", SCHEMA)
    hypernyms = data["condition_hypernyms"]
    return {
        "broad": Terms(data["broad_population_terms"]),
        "counterparts": {group: (_carried_over(group, data["carry_over_words"]), frozenset(others))
                         for group, others in data["counterpart_groups"].items()},
        "carry_over": Terms(data["carry_over_words"]),
        "specific": Terms(data["specific_population_terms"]),
        "hypernyms": {general: (Terms([general]), Terms(narrower))
                      for general, narrower in hypernyms.items()},
        "extension": Terms(data["extension_phrases"]),
        "hard_outcomes": Terms(data["hard_outcomes"]),
        "relative": re.compile(data["relative_effect"]),
        "absolute": re.compile(data["absolute_figures"]),
        "events": Terms(data["event_terms"]),
    }


def _carried_over(group: str, words: list[str]) -> re.Pattern[str]:
    """The group with a carry-over word close by: 'men ... as well' within a clause after it,
    or 'also help men' just before it (not 'previous studies have also suggested that the effect
    may not be as strong in women')."""
    carry = alternation(words)
    return re.compile(rf"\b{re.escape(group)}\b[^.;:]{{0,50}}?\b(?:{carry})\b"
                      rf"|\b(?:{carry})\b(?:\W+\w+){{0,2}}?\W+{re.escape(group)}\b")


def _population_text(article: ArticleContext, study: Study) -> StudyText:
    return StudyText(study.population) if study.population else article.study_texts[study.study_id]


_GROUP_REST = re.compile(r"(?:\s+[\w'-]+){1,4}?"
                         r"(?=[,.;:()]|\s+(?:and|or|who|which|that|for|in)\b|$)")


def studied_group(studied: StudyText, found: re.Match[str]) -> str:
    """The group a study text names, whole: a term that ends in a preposition ('patients with')
    takes the words after it ('patients with androgenetic alopecia'), so the reason names a
    group."""
    group = found.group()
    if not group.endswith((" with", " of")):
        return group
    rest = _GROUP_REST.match(studied.text, found.end())
    return group + rest.group() if rest else group


@claim_rule(
    "POPULATION_OVERREACH",
    why="""The claim covers people or conditions the study did not include (Yavchitz 2016:
    inappropriate extrapolation). A hedge does not make an unstudied population studied. An
    explicit extension ("it may also treat other cancers") or carry-over ("men are likely to
    benefit as well") counts anywhere; a broader word for the population or condition ("people",
    "cancer" for a leukaemia trial) only where the story states its result (the headline, the
    lead, findings and advice): in background ("in some people the virus causes warts") it
    describes the condition.""",
    fix="Limit the claim to the population studied ('in postmenopausal women').",
    should_flag=[
        "A trial of 200 postmenopausal women found the drug strengthened bones. The drug "
        "strengthens bones in everyone.",
        "In a study of 900 women, those who ate the most berries had fewer heart attacks. Men are "
        "likely to benefit from berries as well, although the study included only women.",
        "A trial of 80 patients with breast cancer found the drug shrank tumours. It may also "
        "treat other cancers.",
    ],
    should_pass=[
        "A trial of 200 postmenopausal women found the drug strengthened bones in postmenopausal "
        "women.",
        "A trial of 80 patients with breast cancer found the drug shrank tumours. How well it "
        "works may vary depending on the type of cancer.",
        "A placebo-controlled trial, presented at a meeting of the American College of Allergy, "
        "found the powder raised tolerance to peanuts. People who take the powder should be "
        "protected from accidental exposure.",
        "A trial of 200 postmenopausal women found the drug strengthened bones. But you may not "
        "want to celebrate just yet.",
        "In a trial of 300 patients, half took the new drug. The other patients were given a "
        "combination of four older drugs to slow the cancer.",
        "A trial of 300 women found the pill eased migraines. Researchers controlled for age and "
        "many other factors and found the pill cut migraine days.",
        "HPV vaccine news\n\nA trial of 300 women found the HPV vaccine cut genital warts and "
        "cervical infections.\n\nThe trial ran at 20 clinics.\n\nNurses gave the shots.\n\n"
        "The trial was paid for by a charity.\n\nIn some people, HPV infection causes genital "
        "warts and cervical cancers.",
    ],
)
def population_overreach(claim: ClaimContext, lexicon: dict) -> str | None:
    unit, article = claim.unit, claim.article
    if not claim.rests_on or unit.strength == "none" or unit.assertion:
        return None
    lower, words = unit.lower, unit.words
    extension = lexicon["extension"].search(lower, words)
    if extension and claim.effect:
        return (f"Extends the result to '{extension.group()}', which {claim.primary.study_id} "
                "did not study.")
    if claim.effect and (counterpart := _counterpart(claim, lexicon)):
        return counterpart
    if any(cue.category == "caveat" for cue in unit.cues):
        return None  # 'results may vary with the condition' narrows the claim, it does not widen it
    if not (claim.in_lead or unit.kind in RESULT_KINDS):
        # a broader word in background ("in some people HPV leads to warts", "lifestyle changes
        # lower your risk") describes the condition, not the study's result carried further
        return None
    for general, (general_terms, narrower) in lexicon["hypernyms"].items():
        if not general_terms.found_in(lower, words) or narrower.found_in(lower, words):
            continue
        for study in claim.rests_on:
            studied = _population_text(article, study)
            found = studied.search(narrower)
            if found and not studied.search(general_terms):
                return (f"Claims about {general} in general, but {study.study_id} studied "
                        f"{studied_group(studied, found)} only.")
    # "people" or "you" widen an effect only: "but you may not want to celebrate yet" is hedged
    # and has none ("it could expand to other diseases" above needs none: R12)
    broad = lexicon["broad"].search(lower, words) if unit.strength_cue else None
    if broad and not lexicon["specific"].found_in(lower, words):
        for study in claim.rests_on:
            studied = article.study_texts[study.study_id]
            found = studied.search(lexicon["specific"])
            if found and not studied.search(lexicon["broad"]):
                return (f"Speaks of '{broad.group()}', but {study.study_id} studied "
                        f"{studied_group(studied, found)} only.")
    return None


def _counterpart(claim: ClaimContext, lexicon: dict) -> str | None:
    """'Men are likely to benefit as well' from a study whose participants were women only: the
    result carried over ('as well', 'also', 'likewise') to the group the study left out. Without the
    carry-over the sentence is mostly background about that group ('women have two copies of
    the X chromosome')."""
    unit = claim.unit
    if not lexicon["carry_over"].found_in(unit.lower, unit.words):
        return None
    for group, (carried_over, others) in lexicon["counterparts"].items():
        if group not in unit.words or not carried_over.search(unit.lower):
            continue
        for study in claim.rests_on:
            # the study's own sentences, not this one ("although this study included only women")
            told = set().union(*(claim.article.units[i].words for i in study.sentence_indexes
                                 if i != unit.index))
            studied = sorted(others & told)
            if study.sample_size and studied and group not in told:
                return (f"Speaks of '{group}', but {study.study_id} studied "
                        f"{' and '.join(studied)} only.")
    return None


@claim_rule(
    "OUTCOME_OVERREACH",
    why="""The claim names a hard outcome (deaths, heart attacks, dementia) that the article reports
    nowhere else: the study did not measure it, and surrogate results (cholesterol, polyps, a
    blood marker) do not guarantee hard outcomes.""",
    fix="State the outcome the study actually measured.",
    should_flag=[
        "A trial of 300 adults found the pill lowered cholesterol. The pill prevents heart "
        "attacks.",
    ],
    should_pass=[
        "A trial of 300 adults found the pill lowered cholesterol and heart attacks.",
    ],
)
def outcome_overreach(claim: ClaimContext, lexicon: dict) -> str | None:
    unit = claim.unit
    if claim.describes_study or not claim.rests_on or not claim.effect:
        return None
    outcome = lexicon["hard_outcomes"].search(unit.lower, unit.words)
    if outcome is None or not claim.asserted_at(outcome.start()):
        return None
    if any(outcome.group() in other.lower for other in claim.article.units if other is not unit):
        return None  # the article reports it elsewhere: measured, or at least discussed
    return (f"Names '{outcome.group()}', an outcome {claim.primary.study_id} did not measure "
            "(the article reports it nowhere else).")


NEIGHBOURS = 2  # sentences either side that may give the absolute figures (besides the study's own)


def gives_absolute_figures(article: ArticleContext, index: int, pattern: re.Pattern[str]) -> bool:
    """Whether the sentence, one of its near neighbours, or another sentence about the same study
    gives absolute figures (a story often gives both groups' rates a few paragraphs on, R9)."""
    studies = frozenset(article.units[index].study_ids)
    return any(pattern.search(u.lower) for i, u in enumerate(article.units)
               if abs(i - index) <= NEIGHBOURS or not studies.isdisjoint(u.study_ids))


@claim_rule(
    "RELATIVE_RISK_ONLY",
    why="""A relative change ('cut deaths by 30 percent') says nothing of how many people benefit:
    30 percent of 2 in 1,000 is 0.6 in 1,000. HealthNewsReview failed stories that quantified
    benefits only in relative terms. Associational figures ('a 40 percent lower risk') are judged
    as associations, not as effects.""",
    fix="Give the absolute figures: both groups' rates (from 2 in 1,000 to 1.4 in 1,000) or the "
        "number needed to treat.",
    should_flag=[
        "The vaccine cut hospital admissions by 40 percent.",
        "Daily aspirin halves the risk of bowel cancer.",
        "Daily aspirin cuts the risk of bowel cancer nearly in half.",
        "The new gel produced 41 percent fewer wound infections than the usual one.",
        "Eating nuts daily decreased the risk of heart attacks by one-third.",
        "The drug doubled the chances that a patient would recover from the infection.",
        "In trials the new pill reduced the number of flare-ups by more than half.",
    ],
    should_pass=[
        "The vaccine cut hospital admissions by 40 percent, from 5 in 1,000 children to 3 in "
        "1,000.",
        "People who took aspirin had a 40 percent lower risk of bowel cancer.",
        "A trial of 6,000 women found the pill cut deaths by 25 percent.\n\nThe pill's maker paid "
        "for the study.\n\nIt was run at 30 hospitals.\n\nIn the trial, 3 percent of the women "
        "on the pill died, compared with 4 percent on a placebo.",
    ],
)
def relative_risk_only(claim: ClaimContext, lexicon: dict) -> str | None:
    unit = claim.unit
    if unit.speaker_role == "official" or not lexicon["events"].found_in(unit.lower, unit.words):
        # an agency's figure is background (annotation guide rule 1); a change of a measured
        # quantity is not a relative benefit (tested first: a word-set test, cheaper than the
        # regex)
        return None
    match = lexicon["relative"].search(unit.lower)
    if (match is None or not claim.asserted_at(match.start())
            or " since " in unit.lower[match.start():match.end() + 12]):
        return None  # a trend over time is not a relative benefit
    if gives_absolute_figures(claim.article, unit.index, lexicon["absolute"]):
        return None
    return (f"Gives the change only in relative terms ('{unit.text[match.start():match.end()]}'), "
            "with no absolute figures (both groups' rates or counts) for it.")
