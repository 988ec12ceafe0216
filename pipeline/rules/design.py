"""Design family: what the study design lets a claim say.

CAUSAL_FROM_OBSERVATIONAL  causal wording or advice ('lowers', 'may protect', 'eat more nuts')
                           resting on an observational study, hedged or not (annotation guide R7).
ANIMAL_TO_HUMAN            a benefit for people resting on animal or lab evidence only.
"""

from __future__ import annotations

from pipeline.lexical import Terms
from pipeline.rules import claim_rule, family_lexicon
from pipeline.rules.context import RESULT_KINDS, ClaimContext, article_for
from pipeline.studies import NON_HUMAN_DESIGNS, OBSERVATIONAL_DESIGNS

SCHEMA = {"association_caveats": [str], "human_terms": [str], "nonhuman_terms": [str],
          "diagnostic_terms": [str], "planned_research": [str]}


def lexicon() -> dict:
    data = family_lexicon("design", SCHEMA)
    return {name: Terms(data[name]) for name in SCHEMA}


@claim_rule(
    "CAUSAL_FROM_OBSERVATIONAL",
    why="""Observational and cross-sectional studies show associations; causal wording or advice
    from them, even hedged ('may protect'), is the most common spin in health news (Haneef 2015:
    49%; Sumner 2014). A hedge does not turn a causal claim into an association. Judged where a
    story states its result (the headline and the lead) and on advice.""",
    fix="Use associational wording ('is linked to', 'was associated with') and say the study "
        "cannot show cause and effect.",
    should_flag=[
        "Coffee may protect the heart\n\nA cohort study of 40,000 nurses followed for 20 years "
        "found that coffee drinkers lived longer.",
    ],
    should_pass=[
        "A cohort study of 40,000 nurses followed for 20 years found that coffee drinking was "
        "linked to longer life.",
        "A cohort study of 40,000 nurses followed for 20 years found coffee drinkers lived "
        "longer, though it cannot prove cause and effect.",
        "Brain fluid may predict autism\n\nA cohort study followed 300 babies for two years: "
        "extra fluid at six months came before a diagnosis.",
        "Hormone linked to heart attacks\n\nA cohort study followed 3,000 men for a year. Those "
        "on the hormone had more heart attacks. The deck may have been stacked, because the men "
        "were already ill.",
        "Walnuts linked to less diabetes\n\nA cohort study followed 3,000 women for ten years. "
        "This may be a realistic group to study, given that many women eat nuts.",
    ],
)
def causal_from_observational(claim: ClaimContext, lexicon: dict) -> str | None:
    primary, unit = claim.primary, claim.unit
    if (primary is None or primary.design not in OBSERVATIONAL_DESIGNS
            or unit.kind not in RESULT_KINDS):
        return None  # background and mechanism around a study are not its result restated
    advice = unit.kind == "recommendation" and unit.strength != "none" and bool(unit.study_ids)
    # causal wording is an effect word: a bare hedge ("this may be a realistic population")
    # makes a unit conditional without one
    causal = claim.effect and bool(unit.strength_cue)
    if not (causal or advice) or not (claim.in_lead or advice):
        # the headline and the lead tell the study's result; later sentences elaborate it
        return None
    if lexicon["association_caveats"].found_in(unit.lower, unit.words):
        return None
    if lexicon["diagnostic_terms"].found_in(unit.lower, unit.words):
        return None  # what a test tells is accuracy, not an exposure's effect
    wording = f"causal wording ('{unit.strength_cue}')" if unit.strength_cue else "advice"
    return (f"Uses {wording} but rests on {primary.evidence_summary()}, "
            f"{article_for(primary.design)} {primary.design} design that shows association, "
            "not cause.")


@claim_rule(
    "ANIMAL_TO_HUMAN",
    why="""Results in mice or cells often fail to carry over to people; stating a human benefit from
    them is inappropriate extrapolation (Sumner 2014; Haneef 2015). A result scoped to the animals
    ('the mice lived longer') is a description, not an overclaim.""",
    fix="Say the result was in animals or cells ('in mice'), and that human studies are needed.",
    should_flag=[
        "In a study of 40 mice, the compound shrank tumours. The compound could help millions of "
        "people with cancer.",
        "Gel Might Boost Stem Cell Therapy\n\nIn a study of 40 rats with heart attacks, the gel "
        "kept more of the injected stem cells in the heart.",
        "In a study of 40 mice, running during pregnancy made the pups more active. The finding "
        "may mean lifelong benefits for the babies of mothers who exercise.",
    ],
    should_pass=[
        "In a study of 40 mice, the compound shrank tumours.",
        "In a study of 40 mice, the treated mice lived longer than the others.",
        "In a study of 40 mice, the compound shrank tumours. Next year the team will test it in "
        "20 people with cancer.",
        "In a study of 40 mice, the compound shrank tumours. In earlier tests, the light killed "
        "bacteria that make people sick.",
    ],
)
def animal_to_human(claim: ClaimContext, lexicon: dict) -> str | None:
    studies, unit = claim.rests_on, claim.unit
    if not studies or not all(s.design in NON_HUMAN_DESIGNS for s in studies) or not claim.effect:
        return None
    if lexicon["planned_research"].found_in(unit.lower, unit.words):
        return None  # a human study still to be done: a plan, not a result (guide R12)
    if claim.happened:
        return None  # what happened in the experiments ("the light killed the bacteria")
    about_people = lexicon["human_terms"].found_in(unit.lower, unit.words)
    scoped = lexicon["nonhuman_terms"].found_in(unit.lower, unit.words)
    if (scoped and not about_people) or not (about_people or claim.is_headline):
        return None  # scoped to the animals or cells, or not about anyone
    evidence = "animal" if studies[0].design == "animal" else "lab"
    return (f"Claims an effect in people but rests on {studies[0].evidence_summary()} "
            f"({evidence} evidence only).")
