"""Journal titles end where the title ends; other references are typed; preprints are not
journals."""

from __future__ import annotations

import pytest


def citations(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(f"Title\n{text}")
    return [(c.label_, c.kb_id_) for c in doc.spans["citations"]]


@pytest.mark.parametrize(
    ("sentence", "journal"),
    [
        ("One study published in the Journal of Clinical and Aesthetic Dermatology found that it "
         "worked.", "Journal of Clinical and Aesthetic Dermatology"),
        ("Another study published in the International Journal of Trichology also supported it.",
         "International Journal of Trichology"),
        ("The findings appear in JAMA Internal Medicine this week.", "JAMA Internal Medicine"),
        ("The trial, reported in The Lancet, enrolled 900 adults.", "The Lancet"),
        ("Writing in the journal Sleep Health, the authors said teens slept less.", "Sleep Health"),
        ("The results were published in Nature on Wednesday.", "Nature"),
        ("A paper in the European Journal of Preventive Cardiology found that walking helped.",
         "European Journal of Preventive Cardiology"),
    ],
)
def test_journal_titles(nlp, sentence, journal):
    """The title as written, without the verb that follows it."""
    assert ("journal", journal) in citations(nlp, sentence)


def test_ordinary_capitalised_words_are_not_journals(nlp):
    """'Science' or 'Sleep' at the start of a sentence, a month, a country: no journal."""
    found = citations(nlp, "Sleep matters. Science says so. It was published in December by "
                           "researchers in Denmark.")
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


@pytest.mark.parametrize(
    ("sentence", "journal"),
    [
        ("The study was published Wednesday in Neurology, the journal of a medical society.",
         "Neurology"),
        ("In a small study published in 2007 in Integrative Medicine Reports, patients improved.",
         "Integrative Medicine Reports"),
        ("A study published earlier this year in Clinical Gastroenterology and Hepatology found "
         "more polyps.", "Clinical Gastroenterology and Hepatology"),
        ("They reported in Lancet Oncology that patients lived longer.", "Lancet Oncology"),
        ("Their findings, published in the journal Nature Biotechnology, describe the test.",
         "Nature Biotechnology"),
        ("The results appear in the March issue of the Archives of Invented Surgery.",
         "Archives of Invented Surgery"),
        ("The paper appeared in Pediatrics on Monday.", "Pediatrics"),
        ("The team described the method in Biochemical Pharmacology last week.",
         "Biochemical Pharmacology"),
        # a subtitle that names the journal belongs to the title
        ("It was published online in Arthroscopy: The Journal of Invented Knee Surgery, they said.",
         "Arthroscopy: The Journal of Invented Knee Surgery"),
        # a title that lists its fields keeps its comma; a list of names after one does not
        ("Tea may help, shows a study in Invented Epidemiology, Biomarkers & Prevention.",
         "Invented Epidemiology, Biomarkers & Prevention"),
        ("In a report published in Pediatrics, Smith and Jones found fewer infections.",
         "Pediatrics"),
    ],
)
def test_more_journal_titles(nlp, sentence, journal):
    """One-word titles after a dated cue, long titles not cut to a listed shorter one, listed
    titles."""
    assert ("journal", journal) in citations(nlp, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "An article in The Wall Street Journal last week described the plantations.",
        "The device uses sensors from Abbott Diabetes Care and other makers.",
        "The study was funded by the Oxford Biomedical Research Centre.",
        "The meeting is sponsored by the American Association for Cancer Research.",
        "It was presented at the American College of Sports Medicine meeting in June.",
        "The paper was published by Elsevier in the spring.",
        "A Cochrane Review of 12 trials found that naps improve memory.",
    ],
)
def test_newspapers_publishers_and_company_names_are_not_journals(nlp, sentence):
    """A newspaper, a publisher, a kind of paper ('a Cochrane review'), or a listed title inside a
    company or centre name is no journal."""
    assert [c for c in citations(nlp, sentence) if c[0] == "journal"] == []


def test_a_name_in_capitals_is_not_a_journal_of_that_word(nlp):
    """'in the MIND diet' is not the journal Mind; titles written in capitals ('JAMA') still count
    after a bare 'in'."""
    assert citations(nlp, "Berries are the only fruit recommended in the MIND diet.") == []
    assert ("journal", "JAMA") in citations(nlp, "The results appeared in JAMA on Tuesday.")


def test_charity_named_like_a_journal_is_not_one(nlp):
    found = citations(nlp, "Around 44,000 new cases a year, according to Cancer Research UK.")
    assert [c for c in found if c[0] == "journal"] == []


@pytest.mark.parametrize(
    ("sentence", "journal"),
    [
        # a listed periodical without a citation cue before it (titles from the NLM Catalog)
        ("The findings appear in the latest Archives of Surgery.", "Archives of Surgery"),
        ("Details are in the current Annals of Family Medicine.", "Annals of Family Medicine"),
        # a comma inside a listed title does not cut it
        ("It ran in the International Journal of Radiation Oncology, Biology, Physics this week.",
         "International Journal of Radiation Oncology, Biology, Physics"),
        # a single-word title after a cue
        ("Writing in the journal Climacteric, the team said hot flushes eased.", "Climacteric"),
    ],
)
def test_listed_periodicals_are_found_around_their_periodical_word(nlp, sentence, journal):
    assert ("journal", journal) in citations(nlp, sentence)


def test_a_department_named_like_a_journal_is_not_one(nlp):
    """'Preventive Medicine' is a journal's title too, but here a department: titles without a
    periodical word ('Journal', 'Archives') are not taken from the NLM Catalog."""
    found = citations(nlp, "Dr. Ames is a professor of Preventive Medicine at Avon University.")
    assert [c for c in found if c[0] == "journal"] == []


def test_the_periodical_word_alone_is_not_a_title(nlp):
    """'Journal' is no title of its own, so it does not cut 'the journal Journal of X' short."""
    found = citations(nlp, "It was published in the journal Journal of Quiet Lakes Research.")
    assert ("journal", "Journal of Quiet Lakes Research") in found


def test_title_matches_are_the_cue_regex_matches():
    """`_title_matches` scans only where a cue can start, and finds what the whole-text scan
    finds (invented text: cues across lines, dates, several titles in one stretch)."""
    from pipeline.components.citations import _TITLE_AFTER_CUE, _title_matches

    text = ("It was published online last August in The Journal of Pediatrics, and in JAMA.\n"
            "A study reported Jan. 5, 2010, in\nNeurology: the issue of Cell; as she wrote in the "
            "journal Nature (“in Science”) - and in a 2007 issue of Diabetes, Obesity and "
            "Metabolism, said Dr. O'Neil of Boston in New York.")
    found = [(m.span(), m.group("title")) for m in _title_matches(text)]
    assert found == [(m.span(), m.group("title")) for m in _TITLE_AFTER_CUE.finditer(text)]
    assert len(found) >= 5


def test_unpublished_results_and_company_statements_are_not_journals(nlp):
    """Results the article calls unpublished, and a company's statement, are recorded as not
    peer-reviewed sources (real-news guide: company data is not a journal)."""
    found = citations(nlp, "The drug slowed memory loss, the company said in a statement. "
                           "A second study, which has not yet been published, found the same.")
    assert ("unpublished", "a company statement") in found
    assert ("unpublished", "unpublished or not peer-reviewed results") in found
    assert all(label != "journal" for label, _ in found)
    published = citations(nlp, "The study was published in the Lancet.")
    assert [label for label, _ in published] == ["journal"]
