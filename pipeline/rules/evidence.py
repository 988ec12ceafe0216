"""Evidence family: what describes a study's weight. Stated once per study, on the sentence that
introduces it (a story that rests ten sentences on one small study gets one SMALL_SAMPLE, not ten);
they inform severity and never make a claim unsupported on their own.

SMALL_SAMPLE, SHORT_DURATION, SELF_REPORTED_OUTCOME, NO_CONTROL_GROUP, INDUSTRY_FUNDED,
NOT_PEER_REVIEWED (conference, preprint or company data); SIGNIFICANCE_WITHOUT_STATISTICS is
judged on the claim that says 'significant'.
"""

from __future__ import annotations

import re

from pipeline.rules import claim_rule, family_lexicon, study_rule
from pipeline.rules.context import ArticleContext, ClaimContext
from pipeline.studies import Study

SCHEMA = {"statistics": str}
_WEAK_DESIGNS = frozenset({"pilot", "case-series"})


def lexicon() -> dict:
    data = family_lexicon("evidence", SCHEMA)
    return {"statistics": re.compile(data["statistics"], re.IGNORECASE)}


@study_rule(
    "SMALL_SAMPLE",
    why="Small trials overestimate effects (Dechartres 2013: trials under 50 patients showed "
        "effects 48% larger).",
    fix="Mention the sample size and that the study was small.",
    should_flag=["A study of 24 volunteers found the cream smoothed wrinkles."],
    should_pass=["A study of 2,400 volunteers found the cream smoothed wrinkles."],
)
def small_sample(study: Study, article: ArticleContext, lexicon: dict) -> str | None:
    if study.sample_size is None or study.sample_size >= article.small_sample:
        return None
    return (f"{study.study_id} studied {study.sample_size:,} "
            f"{study.sample_unit or 'participants'}, under the "
            f"{article.small_sample} the configuration calls small.")


@study_rule(
    "SHORT_DURATION",
    why="Short studies cannot show lasting effects (ICH E1: long-term use means more than 6 "
        "months).",
    fix="Say how long the study lasted and that lasting effects were not measured.",
    should_flag=["A 4-week trial of 300 adults found the diet lowered weight."],
    should_pass=["A 2-year trial of 300 adults found the diet lowered weight."],
)
def short_duration(study: Study, article: ArticleContext, lexicon: dict) -> str | None:
    if study.duration_days is None or study.duration_days >= article.short_duration_days:
        return None
    return (f"{study.study_id} lasted {study.duration_text}, too short to show lasting effects "
            f"(under {article.short_duration_days} days).")


@study_rule(
    "SELF_REPORTED_OUTCOME",
    why="Outcomes people report themselves move with expectation (Wood 2008: effects exaggerated "
        "without blinding).",
    fix="Say the outcomes were self-reported, and whether participants knew what they were taking.",
    should_flag=["In a survey of 500 adults, those who meditated reported feeling less anxious."],
    should_pass=["In a trial of 500 adults, blood tests showed lower cholesterol on the drug."],
)
def self_reported_outcome(study: Study, article: ArticleContext, lexicon: dict) -> str | None:
    if study.outcome_measure != "self-reported":
        return None
    return f"{study.study_id}'s outcomes were self-reported by participants."


@study_rule(
    "NO_CONTROL_GROUP",
    why="Without a comparison group, improvement from time, attention or placebo cannot be told "
        "apart from the treatment.",
    fix="Say there was no control group, or describe the comparison.",
    should_flag=["The pilot study of 30 patients had no control group; all received the drug."],
    should_pass=["The trial compared 300 patients on the drug with 300 on a placebo."],
)
def no_control_group(study: Study, article: ArticleContext, lexicon: dict) -> str | None:
    if study.control == "no":
        return f"{study.study_id} had no control group."
    if study.control == "unknown" and study.design in _WEAK_DESIGNS:
        return f"{study.study_id}, a {study.design} study, mentions no control or placebo group."
    return None


@study_rule(
    "INDUSTRY_FUNDED",
    why="Industry-funded studies report favourable results more often (Lundh 2017, Cochrane).",
    fix="Say who funded the study, and let an independent expert comment.",
    should_flag=["The trial of 400 patients was funded by the company that makes the drug."],
    should_pass=["The trial of 400 patients was funded by the National Institutes of Health."],
)
def industry_funded(study: Study, article: ArticleContext, lexicon: dict) -> str | None:
    if study.funding != "industry":
        return None
    return f"{study.study_id} was funded by industry with a stake in the result."


@study_rule(
    "NOT_PEER_REVIEWED",
    why="""Results presented at a meeting, posted as a preprint or announced by a company have not
    been through peer review and often change before publication (HealthNewsReview's
    quality-of-evidence criterion).""",
    fix="Say the results are preliminary and not yet published in a peer-reviewed journal.",
    should_flag=["A new trial of 500 patients, presented at the American Heart Association "
                 "meeting, found the drug lowered blood pressure.",
                 "The drug slowed memory loss in a trial of 1,800 patients, the company said in a "
                 "statement.",
                 "A study of 34 patients, not yet published, found the belt trimmed waists."],
    should_pass=["The trial of 500 patients was published in the New England Journal of Medicine."],
)
def not_peer_reviewed(study: Study, article: ArticleContext, lexicon: dict) -> str | None:
    if study.journal or not study.not_a_journal:
        return None
    return f"{study.study_id} is not peer-reviewed: " + ", ".join(study.not_a_journal) + "."


@claim_rule(
    "SIGNIFICANCE_WITHOUT_STATISTICS",
    kind="evidence",
    why="'Significant' without an effect size, interval or p-value tells the reader nothing "
        "about how large or certain the effect was.",
    fix="Give the numbers: the effect size with its confidence interval, or both groups' results.",
    should_flag=["A trial of 300 adults found the pill significantly improved sleep."],
    should_pass=["A trial of 300 adults found the pill significantly improved sleep, from 5.1 to "
                 "6.3 hours a night."],
)
def significance_without_statistics(claim: ClaimContext, lexicon: dict) -> str | None:
    unit, primary = claim.unit, claim.primary
    said = next((b for b in unit.boosters
                 if b.startswith(("significant", "statistically significant"))), "")
    if not said or primary is None or lexicon["statistics"].search(unit.lower):
        return None
    if claim.article.study_texts[primary.study_id].search(lexicon["statistics"]):
        return None
    return f"Says '{said}' but gives no effect size, interval or p-value for {primary.study_id}."
