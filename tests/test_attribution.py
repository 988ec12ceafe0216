"""The attribution component: who says each unit and in what role (invented sentences)."""

from __future__ import annotations

from pipeline.api import analyse
from pipeline.extract import extract

STORY = """New pill eases knee pain

A new pill eased knee pain in a trial of 300 adults, published in the Journal of Pain.

The pill works better than anything we have, says Jane Roe, M.D., the lead author of the study.

"It is a real step forward," said Dr. Alan Poe, a rheumatologist at City Hospital in Boston.

"We were surprised," Roe said.

Others are less sure, said Mark Lee, Ph.D., a professor at State University who was not involved.
"""


def speakers(text: str) -> list[tuple[str, str]]:
    analysis = analyse("story.txt", extract(text, "text"))
    return [(u.speaker, u.speaker_role) for u in analysis.units if u.speaker]


def test_a_degree_after_the_name_does_not_cut_the_speaker_short():
    """'M.D.' and 'Ph.D.' are part of the name, so the role told after them is read."""
    found = speakers(STORY)
    assert ("Jane Roe, M.D., the lead author of the study", "study_team") in found
    assert found[-1][0].startswith("Mark Lee, Ph.D., a professor")
    assert found[-1][1] == "independent"


def test_a_surname_keeps_the_role_it_was_introduced_with():
    assert ("Roe", "study_team") in speakers(STORY)


def test_a_named_expert_without_a_stated_tie_has_no_role():
    """An affiliation alone does not say whether the speaker worked on the study."""
    assert ("Dr. Alan Poe, a rheumatologist at City Hospital in Boston", "other") in speakers(STORY)


def test_someones_own_doctors_are_not_unnamed_experts():
    """'her doctors' are particular people; 'doctors say' appeals to nobody in particular."""
    found = speakers("Title\n\nAccording to her doctors, she walks better since the operation.\n\n"
                     "Walking after surgery speeds recovery, doctors say.\n")
    assert found == [("her doctors", "other"), ("doctors", "unnamed")]


def test_a_title_case_headline_names_its_source():
    """'Panel Says ...' and '..., Experts Say' attribute the headline; in running text a
    capitalised 'States' is part of a name, not a reporting verb."""
    found = speakers("Panel Says Aspirin Lowers Heart Attack Risk\n\n"
                     "The United States Preventive Services Task Force says it helps some adults."
                     "\n")
    assert found == [("Panel", "official"),
                     ("The United States Preventive Services Task Force", "official")]
    assert speakers("Coffee Protects the Liver, Experts Say\n\nMore text.\n") == [
        ("Experts", "unnamed")]


def test_a_headline_keeps_the_inverted_frame():
    """'..., says X' in a headline names X, not the claim before it."""
    assert speakers("Vitamin Pills Cut Colds, says Gotham Clinic study\n\nMore text.\n") == [
        ("Gotham Clinic study", "other")]


def test_people_involved_in_the_trial_are_its_team():
    """'doctors involved in the trial' worked on it; 'who was not involved' stays independent."""
    found = speakers("Drug slows memory loss\n\nThe drug slowed memory loss, doctors involved in "
                     "the trial said.\n\nIt is too early to tell, said Ann Bell, who was not "
                     "involved in the study.\n")
    assert ("doctors involved in the trial", "study_team") in found
    assert found[-1][1] == "independent"


def test_a_clause_before_the_verb_is_not_a_speaker():
    """'B vitamins lower homocysteine, so high levels suggest a shortage': the words before
    'suggest' hold a clause of their own, so they are no reporting frame and the effect they
    state is judged; an appositive ('..., but who was not allowed to speak, said') still is."""
    text = ("Title\n\nB vitamins, including B12, have been shown to lower homocysteine levels, so "
            "high levels suggest a shortage of the vitamins.\n\nA researcher close to the panel, "
            "but who was not allowed to speak for it, said the vote was close.\n")
    analysis = analyse("story.txt", extract(text, "text"))
    vitamins, researcher = analysis.units[1], analysis.units[2]
    assert not vitamins.speaker and vitamins.strength == "direct"
    assert researcher.speaker.startswith("A researcher close to the panel")


def test_a_surname_after_a_comma_is_the_speaker():
    """'..., Wang said.': after a comma a capitalised word is a name, so the frame is the end of
    the sentence; before, the whole sentence up to 'said' was taken for the speaker and its
    effect words were hidden."""
    analysis = analyse("story.txt", extract(
        "Title\n\nThe new pill lowers blood pressure in most adults, Wang said.\n", "text"))
    unit = analysis.units[1]
    assert (unit.speaker, unit.strength) == ("Wang", "direct")


def test_a_statement_before_the_verb_is_not_a_speaker():
    """'X can detect Y and could help, say two new studies': the words before 'say' state a
    result (a finite verb outside a relative clause), so they are not taken for the speaker's
    name and their effect words are judged; 'Dr. Roe, who is lead author, says' still is one."""
    analysis = analyse("story.txt", extract(
        "Title\n\nStool DNA tests can find two kinds of polyps and could help prevent cancer, "
        "say two new studies.\n\nJane Roe, who is lead author of the study, says the test is "
        "cheap.\n", "text"))
    stool, roe = analysis.units[1], analysis.units[2]
    assert not stool.speaker.startswith("Stool") and stool.strength != "none"
    assert roe.speaker.startswith("Jane Roe, who is lead author")


def test_the_people_a_passive_reporting_verb_speaks_to_are_no_speaker():
    """'the others were told to stop' says what they were told, not that they said anything."""
    text = ("Knee trial\n\nHalf of the runners were asked to keep training, while the others were "
            "told to stop.\n\nPatients are told to rest for a week, Dr. Ana Ruiz said.\n")
    assert speakers(text) == [("Dr. Ana Ruiz", "other")]
