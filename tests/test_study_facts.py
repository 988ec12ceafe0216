"""Sample sizes, durations and frequencies, and the distractor numbers that are none of them."""

from __future__ import annotations

import pytest


def facts(nlp, sentence: str, label: str) -> list[str]:
    doc = nlp(f"Title\n{sentence}")
    return [f.kb_id_ for f in doc.spans["study_facts"] if f.label_ == label]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The researchers followed 498,134 adults in the UK Biobank.", "498134|adults"),
        ("The trial enrolled patients (n = 60) with mild acne.", "60|participants"),
        ("They surveyed two thousand four hundred high school students.", "2400|students"),
        ("The team fed 40 mice a high-fat diet.", "40|mice"),
        ("The study involved 100 men with early balding.", "100|men"),
        ("It pooled 14 trials including 3,412 patients.", "3412|patients"),
        ("The survey reached three hundred and twelve women.", "312|women"),
    ],
)
def test_sample_sizes(nlp, sentence, expected):
    """Digits, words and n = N become sample sizes with their unit as written."""
    assert expected in facts(nlp, sentence, "sample_size")


@pytest.mark.parametrize(
    "sentence",
    [
        "Participants took 1,000 mg of vitamin C and 2,000 IU of vitamin D.",
        "Risk fell by 25 percent in the treated group.",
        "Participants were aged 38 to 50 at the start.",
        "The study began in 2019 and ended in 2021.",
        "Walkers who took 8,000 steps a day fared better.",
        "The hazard ratio was 0.82 for regular users.",
    ],
)
def test_distractor_numbers_are_not_sample_sizes(nlp, sentence):
    """Doses, percentages, ages, years, step counts and ratios are not participants."""
    assert facts(nlp, sentence, "sample_size") == []


def test_meta_analysis_counts_trials_separately(nlp):
    """'14 trials' is a study count, never the sample size."""
    assert facts(nlp, "It pooled 14 trials including 3,412 patients.", "study_count") == ["14|trials"]


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        ("Participants received treatments twice a week for 12 weeks.", 84),
        ("They were followed for a median of 5.3 years.", 1936),
        ("The cohort was tracked over roughly 11 years.", 4018),
        ("The trial lasted 8 months in total.", 244),
        ("The 6-month trial compared two diets.", 183),
        ("Women were followed for eighteen months.", 548),
    ],
)
def test_study_durations(nlp, sentence, days):
    """Study and follow-up lengths in days (week 7, month 30.44, year 365.25)."""
    assert [int(v.split("|")[0]) for v in facts(nlp, sentence, "duration")] == [days]


@pytest.mark.parametrize(
    "sentence",
    [
        "Each participant wore an accelerometer for a week.",
        "Teens who had two hours of screen time slept forty minutes less.",
        "Participants were aged 40 years or older.",
        "The symptoms started 3 years ago.",
        "Volunteers who wore the tracker for 7 days were included.",
    ],
)
def test_exposure_spans_are_not_durations(nlp, sentence):
    """What participants did for a while is not how long the study ran."""
    assert facts(nlp, sentence, "duration") == []


@pytest.mark.parametrize(
    ("sentence", "frequency"),
    [
        ("Patients received micro needling twice a week.", "twice a week"),
        ("The cream was applied twice-daily for a month.", "twice-daily"),
        ("Volunteers fasted every other day.", "every other day"),
        ("Participants exercised three times a week.", "three times a week"),
    ],
)
def test_frequencies(nlp, sentence, frequency):
    """Treatment schedules are kept as written."""
    assert facts(nlp, sentence, "frequency") == [frequency]


@pytest.mark.parametrize(
    ("sentence", "label", "value"),
    [
        ("It was a randomized controlled trial.", "design", "rct"),
        ("The meta-analysis pooled the data.", "design", "meta-analysis"),
        ("In this cross-sectional survey, teens answered questions.", "design", "cross-sectional"),
        ("Half received a placebo pill.", "control", "yes"),
        ("There was no control group.", "control", "no"),
        ("The trial was double-blind.", "blinding", "double"),
        ("Participants rated their symptoms in a diary.", "outcome_measure", "self-reported"),
        ("The study was funded by NutriCorp, which makes the supplement.", "funding", "industry"),
    ],
)
def test_design_control_blinding_outcome_funding(nlp, sentence, label, value):
    """Fixed cue phrases map to the studies.csv vocabulary."""
    assert value in facts(nlp, sentence, label)
