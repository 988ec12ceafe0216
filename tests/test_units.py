"""Sentence units survive abbreviations, citations and numbers; headings stay whole."""

from __future__ import annotations

import pytest

from tests.conftest import unit_containing


def texts(doc):
    return [s.text for s in doc.spans["units"]]


@pytest.mark.parametrize(
    "sentence",
    [
        "Dr. Maria Lopez and colleagues enrolled 60 adults (n = 60) in the trial.",
        "The results, reported by Hansen et al. in 2019, held for 5.3 years.",
        "Supplements, e.g. vitamin D, i.e. cholecalciferol, were compared vs. placebo.",
        "As shown in Fig. 2 of the paper in J. Clin. Oncol. the risk fell.",
        "The protocol is online at https://example.org/study?id=4 for readers.",
        "The DOI is doi:10.1136/bmjopen-2019-031234 and the PMID is 31234567.",
        "Prof. A. B. Smith of St. Louis said the U.S. data agreed.",
    ],
)
def test_abbreviations_do_not_split_a_sentence(nlp, sentence):
    """Each of these is one sentence, and the next sentence still starts a new unit."""
    doc = nlp(f"Title line\n{sentence} The next sentence starts here.")
    assert sentence in texts(doc)
    assert "The next sentence starts here." in texts(doc)


def test_question_and_quote_boundaries(nlp):
    """'?' and a closing quote end a sentence; curly apostrophes do not."""
    doc = nlp("Headline\nDoes it work? “It’s too early to say,” she said. Others disagree.")
    assert texts(doc)[1:] == ["Does it work?", "“It’s too early to say,” she said.",
                              "Others disagree."]


def test_heading_is_one_unit_and_units_never_cross_lines(nlp, seed_text):
    """The seed's title is a heading unit; every unit lies inside one paragraph."""
    doc = nlp(seed_text)
    first = doc.spans["units"][0]
    assert first.text == "Can Micro Needling Help with Hair Loss?"
    assert first._.block_kind == "heading"
    assert all("\n" not in s.text for s in doc.spans["units"])
    assert len(doc.spans["units"]) == 26


def test_unit_offsets_match_text(nlp, seed_text):
    """start/end offsets give back the unit text."""
    doc = nlp(seed_text)
    for span in doc.spans["units"]:
        assert doc.text[span.start_char : span.end_char] == span.text
    assert unit_containing(doc, "The study involved 30")._.unit_index == 13
