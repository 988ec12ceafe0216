"""Journal titles end where the title ends; other references are typed; preprints are not journals."""

from __future__ import annotations

import pytest


def citations(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(f"Title\n{text}")
    return [(c.label_, c.kb_id_) for c in doc.spans["citations"]]


@pytest.mark.parametrize(
    ("sentence", "journal"),
    [
        ("One study published in the Journal of Clinical and Aesthetic Dermatology found that it worked.", "Journal of Clinical and Aesthetic Dermatology"),
        ("Another study published in the International Journal of Trichology also supported it.", "International Journal of Trichology"),
        ("The findings appear in JAMA Internal Medicine this week.", "JAMA Internal Medicine"),
        ("The trial, reported in The Lancet, enrolled 900 adults.", "The Lancet"),
        ("Writing in the journal Sleep Health, the authors said teens slept less.", "Sleep Health"),
        ("The results were published in Nature on Wednesday.", "Nature"),
        ("A paper in the European Journal of Preventive Cardiology found that walking helped.", "European Journal of Preventive Cardiology"),
    ],
)
def test_journal_titles(nlp, sentence, journal):
    """The title as written, without the verb that follows it."""
    assert ("journal", journal) in citations(nlp, sentence)


def test_ordinary_capitalised_words_are_not_journals(nlp):
    """'Science' or 'Sleep' at the start of a sentence, a month, a country: no journal."""
    found = citations(nlp, "Sleep matters. Science says so. It was published in December by researchers in Denmark.")
    assert [c for c in found if c[0] == "journal"] == []


def test_author_year_doi_pmid_url(nlp):
    """Each reference type is recognised with a normalised value."""
    found = citations(
        nlp,
        "Earlier work (Hansen et al., 2019) agreed, doi:10.1136/bmjopen-2019-031234. "
        "See PMID: 31234567 and https://example.org/study?id=4.",
    )
    assert ("author_year", "Hansen et al., 2019") in found
    assert ("doi", "10.1136/bmjopen-2019-031234") in found
    assert ("pmid", "31234567") in found
    assert ("url", "https://example.org/study?id=4") in found


def test_preprint_and_conference_are_not_journals(nlp):
    """medRxiv and a meeting are recorded as preprint/conference, never as a journal."""
    found = citations(
        nlp,
        "The study was posted on medRxiv and has not been peer reviewed. "
        "It was presented at the annual meeting of the American Heart Association.",
    )
    labels = {label for label, _ in found}
    assert "preprint" in labels and "conference" in labels and "journal" not in labels
