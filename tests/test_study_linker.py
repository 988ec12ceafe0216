"""Mentions are grouped into studies in order, and every claim points at the study it rests on."""

from __future__ import annotations

import json

from pipeline.analysis import ArticleAnalysis
from pipeline.api import analyse
from pipeline.extract import extract
from tests.conftest import unit_containing


def test_seed_has_two_studies_with_their_facts(nlp, seed_text):
    """The seed describes two studies: journals, 30 and 50 participants, 84 days, frequencies."""
    studies = nlp(seed_text)._.studies
    assert [(s.study_id, s.journal, s.sample_size, s.duration_days, s.frequency)
            for s in studies] == [
        ("S1", "Journal of Clinical and Aesthetic Dermatology", 30, 84, "twice a week"),
        ("S2", "International Journal of Trichology", 50, 84, "once a week"),
    ]
    assert all(s.outcome_measure == "self-reported" for s in studies)


def test_follow_up_sentences_join_the_study_just_introduced(nlp, seed_text):
    """'The study involved 30 participants' belongs to S1, not to a new study."""
    doc = nlp(seed_text)
    assert unit_containing(doc, "The study involved 30")._.study_ids == ["S1"]
    assert unit_containing(doc, "The study involved 50")._.study_ids == ["S2"]
    assert unit_containing(doc, "reported a significant increase")._.study_ids == ["S1"]


def test_conclusion_rests_on_all_studies_strongest_first(nlp, seed_text):
    """A conclusion links to every study; the larger one comes first when designs tie."""
    doc = nlp(seed_text)
    assert unit_containing(doc, "In conclusion")._.study_ids == ["S2", "S1"]


def test_background_before_any_study_rests_on_none(nlp, seed_text):
    """Claims made before any study is mentioned have no study."""
    doc = nlp(seed_text)
    assert unit_containing(doc, "These punctures stimulate")._.study_ids == []


def test_stronger_design_ranks_first(nlp):
    """A meta-analysis outranks a bigger cohort for a conclusion."""
    doc = nlp(
        "Title\n"
        "A cohort study published in JAMA Internal Medicine followed 90,000 adults for 10 years.\n"
        "A meta-analysis published in The Lancet pooled 14 trials including 3,412 patients.\n"
        "Overall, the evidence suggests that exercise may lower blood pressure."
    )
    assert [s.design for s in doc._.studies] == ["cohort", "meta-analysis"]
    assert unit_containing(doc, "Overall")._.study_ids == ["S2", "S1"]


def studies_of(nlp, *sentences: str):
    return nlp("Title\n" + "\n".join(sentences))._.studies


def test_journal_named_later_joins_the_study(nlp):
    """'The study involved 71 people' ... 'published in Neurology': one study, not two."""
    studies = studies_of(
        nlp,
        "A wearable device eased migraine pain in a new study.",
        "The study involved 71 people with migraine.",
        "Participants used the device for two months, and some got a sham device.",
        "The results were published in the journal Neurology.",
    )
    assert [(s.journal, s.sample_size) for s in studies] == [("Neurology", 71)]


def test_prevalence_before_the_study_opens_no_study(nlp):
    """Background figures are not a study; the study that follows keeps its own size."""
    studies = studies_of(
        nlp,
        "Depression affects more than 300 million people worldwide.",
        "A new study of 116 participants found lower levels of the chemical in depressed patients "
        "than in healthy people.",
    )
    assert [s.sample_size for s in studies] == [116]


def test_earlier_mouse_studies_do_not_make_a_human_trial_animal(nlp):
    studies = studies_of(
        nlp,
        "A new trial tested the drug in 120 patients with asthma.",
        "Half of the patients received a placebo.",
        "Earlier studies in mice had shown the drug calms inflamed airways.",
        "In the new trial, patients on the drug had fewer attacks.",
    )
    assert studies[0].design == "rct" and studies[0].sample_size == 120
    assert studies[1].design == "animal"
    assert studies[1].sentence_indexes == [3]


def test_mouse_study_stays_animal(nlp):
    studies = studies_of(nlp,
                         "In a new study, researchers gave the compound to 40 mice with asthma.",
                         "The mice breathed more easily.")
    assert studies[0].design == "animal"


def test_a_pilot_study_of_patients_is_not_a_test_tube_study(nlp):
    """A lab background sentence linked to a pilot study in people does not make it in vitro;
    a test-tube study stays one."""
    studies = studies_of(nlp,
                         "In a pilot study in patients with leukaemia, doctors gave them the "
                         "engineered cells.",
                         "The cells had killed cancer in the test tube, the study team said.")
    assert studies[0].design == "pilot"
    studies = studies_of(nlp, "In a new study, the compound killed cancer cells in the test tube.")
    assert studies[0].design == "in-vitro"


def test_trial_with_a_comparison_arm_is_an_rct(nlp):
    """R16: news rarely says 'randomized'; a trial with a placebo or comparison arm is an RCT."""
    studies = studies_of(nlp, "In a phase II trial, 125 former smokers took the pill or a placebo "
                              "for six months.")
    assert studies[0].design == "rct"
    studies = studies_of(nlp, "Each of the 500 people in the trial was given either a chest X-ray "
                              "or a CT scan.")
    assert studies[0].design == "rct"
    # the arms named far from the verb, and a plural dummy pill
    studies = studies_of(nlp, "The researchers assigned 2,400 women who had already taken the pill "
                              "for five years to either stay on it or take dummy pills.")
    assert studies[0].design == "rct"
    studies = studies_of(nlp, "A study of 80 adults compared the cream with sugar pills.")
    assert studies[0].design == "rct"


def test_single_arm_trial_is_a_pilot(nlp):
    studies = studies_of(nlp,
                         "In a small trial, 12 adults with coeliac disease were infected with the "
                         "worm.",
                         "The trial participants tolerated gluten better.")
    assert studies[0].design == "pilot"


def test_test_accuracy_study_is_observational(nlp):
    studies = studies_of(nlp, "The new blood test was checked in a study of 504 people.",
                         "It had a sensitivity of 82% and a specificity of 91%.")
    assert studies[0].design == "observational"
    # accuracy told as a share, or a test that "accurately predicts"
    for told in ("The stick was 95 percent accurate over 991 blood samples.",
                 "The stick was 95-percent accurate.", "It was accurate 95 percent of the time.",
                 "It accurately predicts which patients respond to the drug."):
        studies = studies_of(nlp, "The new blood test was checked in a study of 991 people.", told)
        assert studies[0].design == "observational", told


def test_patients_compared_with_healthy_people_is_case_control(nlp):
    studies = studies_of(nlp, "A new study measured the chemical in the blood of 116 participants.",
                         "Levels were lower in people with depression than in healthy individuals.")
    assert studies[0].design == "case-control"


def test_describing_the_study_opens_no_new_one(nlp):
    """'This is a pilot study' describes the study at hand."""
    studies = studies_of(nlp, "A hormone eased menopause symptoms, a study found.",
                         "The team followed a group of 48 women for a year.",
                         "\"This is a pilot study with a small sample,\" an expert said.")
    assert [(s.sample_size, s.design) for s in studies] == [(48, "pilot")]


def test_a_study_mentioned_in_passing_does_not_take_over(nlp):
    """After 'a 2004 study of 1,290 patients', 'the new study' is the main one again, and
    'that study' right after the mention is the one just mentioned."""
    studies = studies_of(
        nlp,
        "A new trial published in the Journal of Invented Medicine enrolled 2,412 adults.",
        "The findings echo those of a smaller 2019 study of 212 people.",
        "That study, however, lasted only 12 weeks.",
        "The new trial was funded by a government grant and used placebo capsules.",
    )
    assert [(s.sample_size, s.duration_days) for s in studies] == [(2412, None), (212, 84)]
    assert studies[0].design == "rct"


def test_a_previous_study_set_off_by_commas_is_mentioned_in_passing(nlp):
    """'A previous, larger study' is earlier work: the funding and journal named after it are
    the main study's."""
    studies = studies_of(
        nlp,
        "The research, which included 40 adults with migraine, lasted 12 weeks.",
        "A previous, larger study of a similar pill did not find fewer headaches.",
        "The current study was published in the Journal of Invented Neurology.",
    )
    assert [(s.sample_size, s.journal) for s in studies][0] == (
        40, "Journal of Invented Neurology")


def test_repeated_questionnaires_over_years_are_a_cohort(nlp):
    """Answering questionnaires every few years for many years is following people: a cohort."""
    studies = studies_of(
        nlp,
        "The study included nearly 40,000 teachers from an invented health register.",
        "The teachers completed questionnaires about their sleep every two years for 16 years.",
    )
    assert studies[0].design == "cohort"


def test_people_free_of_a_disease_at_the_start_are_a_cohort(nlp):
    """R16: people free of the disease at the start of the study and counted later are followed
    over time."""
    studies = studies_of(
        nlp,
        "The researchers used data on 5,000 adults who did not have gout at the start of the "
        "study.",
    )
    assert studies[0].design == "cohort"


def test_planned_studies_lend_no_facts(nlp):
    """'An ongoing study will follow patients for two years' is not the reported study's length."""
    studies = studies_of(nlp,
                         "For the new study, 260 patients drank the shake or a placebo for six "
                         "months.",
                         "A longer trial will evaluate the product over two years.")
    assert [(s.sample_size, s.duration_days) for s in studies] == [(260, 183)]


def test_another_trial_of_another_size_is_another_study(nlp):
    studies = studies_of(nlp, "The review pooled data from 21 trials involving 2,964 participants.",
                         "The review also included one large trial in which 320 adults were "
                         "assigned to yoga or a booklet.")
    assert [(s.sample_size, s.design) for s in studies] == [(2964, "meta-analysis"), (320, "rct")]


def test_results_sentence_with_a_duration_joins_the_study(nlp):
    """'The results: 12 years later ...' describes the study, it is no conclusion about all."""
    studies = studies_of(nlp, "A new study assessed 82 patients who had the surgery.",
                         "The results: 12 years or more later, most of the patients were "
                         "satisfied.")
    assert [(s.sample_size, s.duration_days) for s in studies] == [(82, 4383)]


def test_pooled_earlier_studies_are_the_meta_analysis_itself(nlp):
    """'It encompasses eight earlier studies ... 25,000 people' is the study at hand, not a
    background one."""
    studies = studies_of(nlp,
                         "The latest study, published in The Lancet, looked at aspirin and cancer.",
                         "It encompasses eight earlier studies that compared more than 25,000 "
                         "people randomly assigned to aspirin or placebo.")
    assert [(s.journal, s.sample_size, s.design) for s in studies] == [
        ("The Lancet", 25000, "meta-analysis")]


def test_prior_to_the_study_is_no_earlier_study(nlp):
    studies = studies_of(nlp, "A small new study followed patients who had a gastric band.",
                         "The team assessed 82 patients who had the surgery more than a decade "
                         "prior to the study.")
    assert [s.sample_size for s in studies] == [82]


def test_journal_skips_a_trial_mentioned_in_passing(nlp):
    """The journal belongs to the study described, not to 'a longer trial going on'."""
    studies = studies_of(nlp,
                         "For the new study, 260 patients drank the shake or a placebo for six "
                         "months.",
                         "There is a longer trial going on that might answer the question.",
                         "The report was published in the Journal of Invented Disease.")
    assert [(s.journal, s.sample_size) for s in studies] == [("Journal of Invented Disease", 260)]


def test_test_accuracy_with_a_healthy_comparison_group_is_observational(nlp):
    """R16: a test-accuracy study is observational even when healthy people serve as a comparison
    group."""
    studies = studies_of(nlp,
                         "In all, 244 patients and 79 healthy volunteers serving as a comparison "
                         "group took part in the study.",
                         "The blood test had a sensitivity of 82% and a specificity of 91%.")
    assert [(s.sample_size, s.design) for s in studies] == [(323, "observational")]


def test_the_study_published_in_a_journal_is_the_one_described(nlp):
    """'The study, published in X, follows up on an earlier study': X is the journal of the study
    being described, not of a second study opened by 'earlier study'."""
    doc = nlp(
        "Title\n"
        "In a new study, 120 children with egg allergy took a daily dose of egg powder. "
        "The study, published in the journal Pediatrics, follows up on children enrolled in an "
        "earlier study of the same treatment. "
        "The follow-up tracked the children for four years."
    )
    assert [(s.study_id, s.journal, s.sample_size, s.duration_days)
            for s in doc._.studies] == [("S1", "Pediatrics", 120, 1461)]


def test_a_diet_plan_is_no_plan_for_a_future_study(nlp):
    """'a diet plan' is a noun: the sentence opens the study; 'they plan a larger trial' is a
    plan."""
    studies = studies_of(
        nlp,
        "A new study shows a diet plan may cut the risk of dementia by half.",
        "The study, published in the journal Neurology, followed 900 older adults.",
        "They now plan a larger trial in younger people.",
    )
    assert [(s.journal, s.sample_size, s.sentence_indexes) for s in studies] == [
        ("Neurology", 900, [1, 2])]


def test_a_quoted_question_lends_the_study_no_design(nlp):
    """'... why not a randomized trial?”' asks about a trial nobody ran."""
    studies = studies_of(
        nlp,
        "A new study of 900 adults, published in the journal Neurology, tracked their salt intake.",
        "“If they never ran a randomized trial, how can they know?”",
    )
    assert [(s.sample_size, s.design) for s in studies] == [(900, "unknown")]


def test_pooling_the_trials_describes_the_new_analysis(nlp):
    """'pooled the results of the nine trials' tells how the new analysis was done; it is not a
    sentence that rests on all the trials and describes none."""
    studies = studies_of(
        nlp,
        "Daily aspirin may prevent heart attacks in healthy adults, a new analysis suggests.",
        "The team pooled the results of the nine trials that have tested the drug so far.",
        "About 100,000 men and women took part in the trials.",
    )
    assert [(s.design, s.sample_size) for s in studies] == [("meta-analysis", 100000)]


def test_the_next_years_of_follow_up_are_no_next_study(nlp):
    """'Over the next seven years, 17 study participants were diagnosed': the follow-up of the
    study at hand (its length), neither a new study nor a sample of 17; a forecast ('over the
    next five years, the company will') is no follow-up."""
    studies = studies_of(
        nlp,
        "A new study in the journal Neurology followed 271 older adults who took fish oil.",
        "Over the next seven years, 17 study participants were diagnosed with dementia.",
        "Over the next five years, the company will sell the capsules in Europe.",
    )
    assert [(s.journal, s.sample_size, s.duration_days, s.sentence_indexes)
            for s in studies] == [("Neurology", 271, 2557, [1, 2])]


def test_the_findings_design_is_the_studys(nlp):
    """'The findings are observational' refers to all the results, and it tells the design of
    the study they come from."""
    studies = studies_of(
        nlp,
        "A new study in the Lancet found fewer colds among people who took the tablets.",
        "The findings are observational.",
    )
    assert [(s.journal, s.design) for s in studies] == [("Lancet", "observational")]


def test_healthy_people_compared_first_make_a_case_control_study(nlp):
    """'compared 500 healthy adults to 400 people with gout': patients against healthy people
    (guide R16), whichever group the sentence names first."""
    studies = studies_of(
        nlp,
        "A new study in the journal Rheumatology linked coffee to milder gout.",
        "For the study, the authors compared 500 healthy adults to 400 people with gout.",
    )
    assert [(s.design, s.sample_size) for s in studies] == [("case-control", 900)]


def test_a_story_whose_only_study_is_a_trial_with_a_comparison_arm_has_that_study(nlp):
    """'A late-stage study' whose patients did better than those given chemotherapy is an RCT
    (R16), even with no journal, size or length: the story does describe a study, so its claims
    do not rest on 'no study in the article'."""
    doc = nlp("Drug extends survival\n\nThe pill extended survival in a late-stage study of "
              "patients with advanced lung cancer. Patients taking the pill lived longer compared "
              "with those taking chemotherapy, the company said.")
    assert [(s.study_id, s.design, s.sample_size) for s in doc._.studies] == [("S1", "rct", None)]
    assert unit_containing(doc, "Patients taking the pill")._.study_ids == ["S1"]


def test_a_trial_told_in_passing_beside_a_described_study_is_no_study_of_its_own(nlp):
    """The fallback is for a story with no other study: beside a described trial, a trial
    mentioned with a comparison and nothing else adds no study."""
    doc = nlp("Pill eases pain\n\nA trial of 300 adults published in the Lancet found the pill "
              "eased pain. In another trial, patients on a similar pill did better compared with "
              "those on aspirin.")
    assert [(s.journal, s.sample_size) for s in doc._.studies] == [("Lancet", 300)]


def test_a_length_told_before_the_study_is_named_is_that_studys_length(nlp):
    """News ledes give the result before the study: 'Four years after the procedure, patients
    ... were less likely to die', and only later 'The study appears in the Lancet'. The lede's
    length is the study's when the study states none of its own."""
    studies = studies_of(
        nlp,
        "Surgery beats stents for older hearts.",
        "Four years after the procedure, patients who had surgery were less likely to die.",
        "The study appears in the Lancet.",
        "It draws on records of 9,000 patients.",
    )
    assert [(s.journal, s.sample_size, s.duration_days) for s in studies] == [
        ("Lancet", 9000, 1461)]


def test_a_lede_length_does_not_replace_the_studys_own(nlp):
    """The study's own follow-up wins over a length in the lede, and a lede with no study
    sentence (a hospital stay) gives none."""
    studies = studies_of(
        nlp,
        "Most patients leave the hospital within a day.",
        "The study appears in the Lancet.",
        "It followed 9,000 patients for two years.",
    )
    assert [(s.journal, s.duration_days) for s in studies] == [("Lancet", 731)]
    lone = studies_of(nlp, "Most patients leave the hospital within a day.",
                      "The study appears in the Lancet.", "It draws on records of 9,000 patients.")
    assert [(s.journal, s.duration_days) for s in lone] == [("Lancet", None)]


def test_a_large_long_study_of_people_that_names_no_design_is_a_cohort(nlp):
    """R16: people followed over time are a cohort. A study of 7,500 women over three years
    that no cue names is one; a small one (20 patients) may as well be a trial and stays
    unknown."""
    assert [s.design for s in studies_of(
        nlp, "The study, published in the Lancet, involved about 7,500 women.",
        "After three years, women with implants had fewer pregnancies.")] == ["cohort"]
    assert [s.design for s in studies_of(
        nlp, "The study, published in the Lancet, involved 20 patients.",
        "After three years, patients with implants had fewer pregnancies.")] == ["unknown"]


def test_an_animal_mentioned_in_passing_does_not_make_a_study_of_people_an_animal_study(nlp):
    """A study of women beside a mole rat mentioned in passing is not an animal study, nor beside
    mice that, someone adds, have leaner pups; a sentence that tells the experiment in mice
    ('in the study, pregnant mice ran on wheels') decides, though the study's population is
    women."""
    people = studies_of(
        nlp, "The study, published in the Lancet, looked at screening in women.",
        "The naked mole rat might help us understand cancer, she added.")
    assert [s.design for s in people] == ["unknown"]
    said = studies_of(
        nlp, "A study of pregnant women, published in the Lancet, looked at exercise.",
        "Pregnant mice that run have leaner pups, she added.")
    assert [(s.population, s.design) for s in said] == [("women", "unknown")]
    told = studies_of(
        nlp, "A study of pregnant women, published in the Lancet, looked at exercise.",
        "In the study, pregnant mice ran on wheels and had leaner pups.")
    assert [(s.population, s.design) for s in told] == [("women", "animal")]


def test_a_ledes_new_research_rests_on_the_study_told_below(nlp):
    """'..., new research suggests' in the lede points to the study the story goes on to describe:
    the lede states that study's result (a finding, judged against it); a background sentence of
    the lede without that pointer rests on none."""
    doc = nlp("Drinking tea may ease arthritis, new research suggests.\n\n"
              "Arthritis affects millions of adults.\n\n"
              "The case-control study of 1,877 people was published in Rheumatology.")
    assert unit_containing(doc, "new research suggests")._.study_ids == ["S1"]
    assert unit_containing(doc, "new research suggests")._.kind == "finding"
    assert unit_containing(doc, "affects millions")._.study_ids == []


def test_a_lede_announces_the_new_study_not_one_mentioned_in_passing():
    """The lede's 'new research shows' is the new trial's, not the older mouse study's; the
    pointer survives the result cache's JSON round trip."""
    text = ("Short naps sharpen memory in adults, new research shows.\n\n"
            "A 2010 study of 40 mice, published in Nature, had hinted at this.\n\n"
            "The new randomized trial, published in Sleep, assigned 1,200 adults to nap or not.\n")
    analysis = analyse("x.txt", extract(text, "text"))
    lede = analysis.units[0]
    new_trial = next(s for s in analysis.studies if s.journal == "Sleep")
    assert lede.study_ids == [new_trial.study_id] and lede.announces is not None
    again = ArticleAnalysis.from_dict(json.loads(json.dumps(analysis.to_dict())))
    assert again.units[0].announces == lede.announces
    # "new research is needed" announces nothing
    needed = analyse("y.txt", extract("Naps\n\nDoctors say new research is needed before naps are "
                                      "advised.\n\nA new trial of 300 adults tested naps.\n",
                                      "text"))
    assert needed.units[1].announces is None
