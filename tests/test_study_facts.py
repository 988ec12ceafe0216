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
        ("After tracking 77,659 Americans for seven years, the team found fewer cancers.",
         "77659|americans"),
        ("Among 24,071 Medicare enrollees, almost a quarter had a second scan.",
         "24071|enrollees"),
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
    assert facts(nlp, "It pooled 14 trials including 3,412 patients.", "study_count") == [
        "14|trials"]


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
        ("One group took the pill; the other group took nothing.", "control", "yes"),
        ("There was no control group.", "control", "no"),
        ("The trial was double-blind.", "blinding", "double"),
        ("Participants rated their symptoms in a diary.", "outcome_measure", "self-reported"),
        ("The study was funded by NutriCorp, which makes the supplement.", "funding", "industry"),
    ],
)
def test_design_control_blinding_outcome_funding(nlp, sentence, label, value):
    """Fixed cue phrases map to the studies.csv vocabulary."""
    assert value in facts(nlp, sentence, label)


def test_paid_for_by_names_the_payer(nlp):
    """'Paid for by' a company (named or not) is industry funding; by a public funder, a grant or
    a charity it is independent (the longer phrase wins)."""
    for payer in ("the National Cancer Institute", "a grant from the FDA", "a charity"):
        assert facts(nlp, f"The study was paid for by {payer}.", "funding") == ["independent"]
    for payer in ("Pfizer", "the drug maker"):
        assert facts(nlp, f"The study was paid for by {payer}.", "funding") == ["industry"]


def ranked(nlp, sentence: str, label: str) -> list[tuple[str, int]]:
    doc = nlp(f"Title\n{sentence}")
    return [(f.kb_id_, int(f.id_ or 0)) for f in doc.spans["study_facts"] if f.label_ == label]


@pytest.mark.parametrize(
    "sentence",
    [
        "Migraine affects more than 36 million people worldwide.",
        "Lung cancer kills 1.2 million people a year.",
        "The condition affects 40 million Americans.",
        "About 800,000 people suffer a stroke each year.",
        "Autism is diagnosed in one in 50 children.",
        "The risk is about 2 in every 1,000 people a year.",
        "Doctors would need to treat 200 people for five years to prevent one heart attack.",
        "For every 300 people who were screened, one death was avoided.",
        "Of these, 88 patients had a rarer form of the disease.",
    ],
)
def test_prevalence_rates_subsets_and_nnt_are_not_sample_sizes(nlp, sentence):
    """The population a disease affects, rates, subsets and numbers needed to treat are not
    the participants of a study."""
    assert facts(nlp, sentence, "sample_size") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("In a two-year, 121-person study published in a journal, the supplement slowed damage.",
         "121|people"),
        ("The study was a 20-patient trial of the new drug.", "20|patients"),
        ("Two of three patients in the study went into remission.", "3|patients"),
        ("For the new study, nearly 260 early patients in Europe drank the shake or a placebo.",
         "260|patients"),
        ("Researchers looked at biopsies from 125 current and former smokers in the trial.",
         "125|smokers"),
        ("The team analysed 991 blood samples from the clinic.", "991|blood samples"),
        ("A larger trial will involve some 2,600 healthy, HIV-negative women.", "2600|women"),
        # a rate follows its number in one phrase; after the comma "each day" is not one
        ("Among 46 chronic pain sufferers, those who sat in a sauna each day slept better.",
         "46|sufferers"),
    ],
)
def test_study_samples_written_in_other_ways(nlp, sentence, expected):
    """Sizes written into the study's name, totals after 'N of', and samples are found."""
    assert expected in facts(nlp, sentence, "sample_size")


def test_deaths_counted_as_outcome_rank_below_the_sample(nlp):
    """'7,489 women died' is an outcome: kept only as a weak candidate, below the enrolled total."""
    found = dict(ranked(nlp, "The trial enrolled 27,347 women, and during the study 7,489 women "
                             "died.", "sample_size"))
    assert found["27347|women"] > found["7489|women"]


def test_arms_are_added_up(nlp):
    """The arms a sentence gives are added up into a total that ranks above each arm."""
    found = ranked(nlp, "In all, 244 patients with the disease and 79 healthy volunteers took "
                        "part in the study.", "sample_size")
    best = max(found, key=lambda f: f[1])
    assert best[0] == "323|patients"


def test_arms_compared_with_to_are_added_up(nlp):
    """'compared 25 infants who got the drops to 21 who got a placebo' names two arms."""
    found = ranked(nlp, "The researchers compared 25 infants who were assigned to get the drops "
                        "to 21 infants assigned to get placebo drops.", "sample_size")
    assert max(found, key=lambda f: f[1])[0] == "46|infants"


def test_subgroups_are_not_added_to_the_total(nlp):
    """'including 200 women' is part of the 500, not another arm."""
    found = ranked(nlp, "The study enrolled 500 patients, including 200 women.", "sample_size")
    assert max(found, key=lambda f: f[1])[0] == "500|patients"


@pytest.mark.parametrize(
    ("sentence", "days"),
    [
        ("In a two-year study of 121 people, lesions grew more slowly.", 731),
        ("Over a year, 12 women in the trial took the hormone.", 365),
        ("The researchers tracked the volunteers for a decade.", 3653),
        ("The study ran for eighteen months.", 548),
        ("Twelve years or more later, most of the patients in the study were satisfied.", 4383),
        ("Cells in the study died within 48 hours.", 2),
        # a sentence that names where the results were published is about the study
        ("They were as likely to be alive 30 days later, according to results published in a "
         "surgical journal.", 30),
        # an outcome time in a clause with 'had' is no history
        ("Patients in the trial had fewer relapses after 90 days than those on placebo.", 90),
        # the span of the records a study analysed
        ("The researchers drew their findings from four years of claims.", 1461),
    ],
)
def test_more_study_durations(nlp, sentence, days):
    """'a two-year study' is two years (not three), 'a year' and 'a decade' count after a cue."""
    assert days in [int(v.split("|")[0]) for v in facts(nlp, sentence, "duration")]


@pytest.mark.parametrize(
    "sentence",
    [
        "The device could one day help patients in the trial.",
        "Patients in the study had had diabetes for 10 years on average.",
        "The drug has been in use in patients for more than two decades.",
        "Children as young as two years in the study were included.",
        "Patients aged 4 to 55 years took part in the trial.",
        "Participants were followed for 90 minutes after the dose.",
        "Over the next six hours, 17 study participants were given fluids.",
        "The couples in the study were recruited from a day program for people with dementia.",
        "The smokers in the study had smoked a pack a day for 30 years.",
    ],
)
def test_idioms_histories_ages_and_hours_are_not_durations(nlp, sentence):
    """'one day' as 'some day', how long someone had a disease, ages and hours are not the
    study's length."""
    assert facts(nlp, sentence, "duration") == []


def test_follow_up_outranks_treatment_and_outcome_times(nlp):
    """Follow-up is ranked above the treatment period and survival times."""
    found = ranked(nlp, "Patients took the drug for six months and were followed for a median "
                        "of 4.7 years.", "duration")
    assert max(found, key=lambda f: f[1])[0].startswith("1717|")
    outcome = ranked(nlp, "Patients in the trial lived 12 months versus 11 months on placebo.",
                     "duration")
    assert all(rank == 1 for _, rank in outcome)


@pytest.mark.parametrize(
    ("sentence", "design"),
    [
        ("It encompasses eight earlier studies of aspirin.", "meta-analysis"),
        ("The team pooled data from 21 randomised trials.", "meta-analysis"),
        ("A review published in the journal found the oil was safe.", "systematic-review"),
        ("Each volunteer ate both diets, in random order.", "rct"),
        ("The patients were followed for 18 years.", "cohort"),
        ("The team analysed insurance claims for 2,000 people after surgery.", "cohort"),
    ],
)
def test_more_design_cues(nlp, sentence, design):
    """Pooled studies, plain reviews (R16), crossover order, follow-up and records of claims
    over time name designs."""
    assert design in facts(nlp, sentence, "design")


def test_peer_review_is_not_a_review_design(nlp):
    assert "systematic-review" not in facts(
        nlp, "The review offers some reassurance, and peer review took a year.", "design")


def test_a_time_point_opening_the_clause_is_the_studys_follow_up(nlp):
    """'At three months, 35 percent of the patients were alive' gives the follow-up in a study
    sentence; 'at' inside the clause ('a baby at 6 months') is more often an age and stays weak."""
    from pipeline.components.study_facts import RANK_STUDY, RANK_WEAK

    assert ranked(nlp, "At three months, 35 percent of the patients in the trial were alive.",
                  "duration") == [("91|three months", RANK_STUDY)]
    assert ranked(nlp, "In the trial, a baby scanned at 6 months was diagnosed later.",
                  "duration") == [("183|6 months", RANK_WEAK)]


@pytest.mark.parametrize(
    ("sentence", "label", "value"),
    [
        ("The double-blind study included 264 participants.", "design", "rct"),
        ("The double-blind study included 264 participants.", "blinding", "double"),
        ("The survey asked 500 nurses about their sleep.", "design", "cross-sectional"),
        ("The survey asked 500 nurses about their sleep.", "outcome_measure", "self-reported"),
        ("In the open-label study, 40 patients took the drug.", "design", "pilot"),
        ("In the open-label study, 40 patients took the drug.", "blinding", "none"),
    ],
)
def test_a_phrase_that_tells_two_facts_tells_both(nlp, sentence, label, value):
    """'double-blind' is listed as a design cue and as the blinding: both facts are kept, not
    whichever of the two the phrase matcher returned first."""
    assert value in facts(nlp, sentence, label)


def test_compared_arms_of_equal_size_are_added_up(nlp):
    """'compared outcomes in 100 patients who underwent bypass surgery with 100 patients who
    underwent banding': two arms of 100, so 200 took part; the same number told twice is not
    two arms."""
    compared = facts(nlp, "The study compared outcomes in 100 patients who underwent bypass "
                          "surgery with 100 patients who underwent banding.", "sample_size")
    assert "200|patients" in compared
    told_twice = facts(nlp, "The trial enrolled 100 patients; 100 patients finished it.",
                       "sample_size")
    assert "200|patients" not in told_twice
