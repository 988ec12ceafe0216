"""Mentions are grouped into studies in order, and every claim points at the study it rests on."""

from __future__ import annotations

from tests.conftest import unit_containing


def test_seed_has_two_studies_with_their_facts(nlp, seed_text):
    """The seed describes two studies: journals, 30 and 50 participants, 84 days, frequencies."""
    studies = nlp(seed_text)._.studies
    assert [(s.study_id, s.journal, s.sample_size, s.duration_days, s.frequency) for s in studies] == [
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
