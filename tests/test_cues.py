"""Hedges, boosters and caveats: the reliable cues count, homographs and negated boosters do not."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from pipeline.components.cues import cue_rules
from pipeline.extensions import unit_records
from tests.conftest import REPO, unit_containing


def cues(nlp, sentence: str):
    span = unit_containing(nlp(f"Title\n{sentence}"), sentence[:20])
    return span._.hedges, span._.boosters


@pytest.mark.parametrize(
    ("sentence", "hedge"),
    [
        ("The drug may lower blood pressure.", "may"),
        ("Coffee might protect the liver.", "might"),
        ("The findings suggest a benefit for older adults.", "suggest"),
        ("Fasting appears to improve insulin sensitivity.", "appears to"),
        ("The effect is likely small.", "likely"),
        ("It is possibly linked to diet.", "possibly"),
        ("Perhaps the effect is real.", "perhaps"),
        ("It is unclear whether the effect lasts.", "unclear"),
        ("The treatment shows potential for hair loss.", "potential"),
        ("Micro needling has emerged as a promising new option.", "promising"),
        ("More research is needed to confirm the results.", "more research is needed"),
        ("Doctors are skeptical that the patch helps.", "skeptical"),
        ("Trials have yet to show that the pill prevents strokes.", "have yet to show"),
        # doxastic and doubt cues of the Szeged corpus and Hyland's list
        ("The enzymes were thought to protect the gut lining.", "were thought to"),
        ("A benefit for older adults is doubtful.", "doubtful"),
        ("A link to sleep is plausible.", "plausible"),
        # statements of uncertainty and dispute (annotation guide R6, R24)
        ("There is no way to tell if the patch works in children.", "no way to tell"),
        ("The heel therapy has its skeptics among surgeons.", "has its skeptics"),
        ("Earlier trials of the pill gave mixed results.", "mixed results"),
        ("The cause of the pain is not fully understood.", "not fully understood"),
        ("Studies at more sites are needed to determine how much it helps.",
         "are needed to determine"),
        # what the evidence cannot show, disputes, consensus not reached (R21, R24, R28)
        ("The survey only found an association between naps and memory.",
         "only found an association"),
        ("Nor is it clear why the effect was larger in men.", "nor is it clear"),
        ("The picture is not so clear for younger women.", "not so clear"),
        ("It's thought to calm the gut.", "it's thought to"),
        ("There is no way to know whether the cream is safe for years.", "no way to know"),
        ("Trials of the herb have come to mixed conclusions.", "mixed conclusions"),
        ("He tried it on the theory, disputed by most doctors, that the herb calms nerves.",
         "disputed by"),
        ("There is no scientific backing for the injections.", "no scientific backing"),
        ("There is still more research to be done on the app.", "more research to be done"),
        ("Doctors don't really know what causes the pain.", "don't really know"),
        ("We won't know the true effect until the trial ends.", "won't know"),
        ("I have to believe that screening played a part.", "have to believe"),
        ("Two percent is an estimate, she said.", "is an estimate"),
        ("The agency questioned whether the data were sound.", "questioned whether"),
        ("Being observational, the study cannot prove that tea caused the drop.",
         "cannot prove"),
        ("The trial did not establish cause and effect.", "did not establish"),
        ("A one-day survey can't show whether naps help.", "can't show"),
        # the modal, not the month: lower case after "this" or before "one day"
        ("Pills feel safer than shots, but this may not be the case.", "may"),
        ("Teams are testing a patch that may one day help children with allergies.", "may"),
        # the evidence is too thin to say (R6, R21, R28)
        ("There is too little evidence to say if the scan saves lives.", "too little evidence"),
        ("There isn't enough evidence to show the beam is better.", "isn't enough evidence"),
        ("We don't have sufficient information to say much.", "don't have sufficient information"),
        ("The review found very limited data on older men.", "very limited data"),
        ("The jury is still out on the new cream.", "jury is still out"),
        ("The pills have not been shown to help people lose weight.", "have not been shown"),
        ("There are no well-designed studies of the tea.", "no well-designed studies"),
        ("How the shot works is still being investigated.", "still being investigated"),
        ("Nobody is exactly sure what the enzyme does in the joint.", "nobody is exactly sure"),
        ("It is impossible to know which child will react badly.", "impossible to know"),
        ("The trial will fuel an intense debate about the pill.", "intense debate"),
        ("Such gels are generally thought to work by blocking pain signals.",
         "generally thought to"),
        ("Some doctors wondered whether the band would stay in place.", "wondered whether"),
        ("There are still many questions about the implant's safety.", "many questions"),
        ("It is hard to predict when the treatment will reach clinics.", "hard to predict"),
        ("This gives us some confidence that the test is safe.", "some confidence that"),
        ("The new wristband claims to be a drug-free cure for nausea.", "claims to be"),
        # the evidence is missing, disputed or still to come (real-news guide R21, R24, R39)
        ("Despite a lack of evidence, the drips sell well.", "lack of evidence"),
        ("There isn't any robust evidence that the drips help.", "isn't any robust evidence"),
        ("Whether the spray helps is disputed.", "is disputed"),
        ("The trial was at odds with an earlier one.", "was at odds with"),
        ("Experts are divided on what causes the rash.", "experts are divided"),
        ("The test needs further validation in larger trials.", "needs further validation"),
        ("The benefit remains to be proved.", "remains to be proved"),
        ("The findings are far less clear for older men.", "less clear"),
        ("The approach is still in its early stages.", "still in its early stages"),
        ("Doctors say they are in limbo about what to advise.", "in limbo"),
        ("It is early days for the new gel.", "early days"),
        ("There is a lack of consensus on how much fibre to eat.", "lack of consensus"),
        ("The trial does not allow us to conclude that the pill works.",
         "does not allow us to conclude"),
        ("Only time will tell whether the effect lasts.", "time will tell"),
        # early or modest evidence (real-news guide R41) and other statements that the evidence
        # is not enough yet
        ("The doctor cautioned that this is still early research.", "early research"),
        ("The gel is one of the early steps toward a test.", "the early steps"),
        ("The field is still in its infancy, he says.", "still in its infancy"),
        ("They found evidence of moderate certainty that peanuts help.", "moderate certainty"),
        ("Long-term studies are needed to see whether the dip lasts.",
         "long-term studies are needed"),
        ("Only future studies will determine who benefits most.", "only future studies will "
         "determine"),
        ("There's not a lot of scientific evidence for the pills.",
         "not a lot of scientific evidence"),
        ("The trial was too small to draw firm conclusions.", "too small to draw"),
        ("The results don't necessarily mean the pill works.", "don't necessarily"),
        ("Some of the details remain mysterious.", "remain mysterious"),
        ("The team had a hunch that price matters.", "a hunch"),
        ("Without proper trials, I'm a skeptic.", "a skeptic"),
    ],
)
def test_reliable_hedges_are_found(nlp, sentence, hedge):
    """The cues annotators mark as uncertainty in 80-100% of uses are reported as written."""
    hedges, _ = cues(nlp, sentence)
    assert hedge in hedges


@pytest.mark.parametrize(
    "sentence",
    [
        "The results were published In May 2021 by the team.",
        "The trial ends this May, the company said.",
        "Coffee drinkers were less likely to die during the study.",
        "The paper appears in the journal Sleep Health this week.",
        "Both studies appear today in the journal Sleep Health.",
        "Babies who lack iron often appear tired and pale.",
        "The new study appeared this week in the journal Sleep Health.",
        "Patients should take the lowest dose for the shortest possible time.",
        "The scar is smaller than you can imagine.",
        "The drug is approved for children only for premature puberty.",
        "Fewer women sought scans after the disputed guideline of 2009.",
        # not in the guide's cue list, and annotators do not mark it (real-news gold)
        "Our results indicate that three deaths in 1,000 women would be prevented.",
        "Exercise can reduce the risk of heart disease.",
        "Patients can download the app for free.",
        "A dermatologist can assess your specific situation.",
        "Many people drink coffee every day.",
        "Screening turned out less useful than believed.",
        # not epistemic: a procedure, a disease stage, a concession
        "Biopsies may be performed with a thin needle through the skin.",
        "Patients in the early stages of Alzheimer's disease joined the trial.",
        "Scans can find the cancer in its early stages, when it is easier to treat.",
        "Clinic rules at odds with the new state law",
        "At first glance it may seem obvious that harder exercise is better.",
        # an opinion about what people should do (R5)
        "I think people should take that message and go with it.",
        "I think we have to respect what patients want to do.",
    ],
)
def test_homographs_and_can_are_not_hedges(nlp, sentence):
    """Months, risk comparisons, 'appears in', 'can' (ability or causal) and vague quantities are
    not hedges."""
    hedges, _ = cues(nlp, sentence)
    assert hedges == []


def test_no_phrase_is_listed_twice():
    """Every phrase of configs/cues.json, its {a|b} alternatives expanded, is listed once: a
    second entry would silently replace the first (and its category or context rules)."""
    lexicon = json.loads((REPO / "configs" / "cues.json").read_text(encoding="utf-8"))
    counts = Counter(rule.literal for rule in cue_rules(lexicon))
    assert [phrase for phrase, n in counts.items() if n > 1] == []


def test_doubts_about_the_evidence_are_hedges_of_their_own_category(nlp):
    """'Skeptical', 'inconclusive', 'has yet to show': hedges in the hedges column, and a
    category of their own (doubt) that VAGUE_ATTRIBUTION reads as a caution, not an appeal."""
    doc = nlp("Title\nMany experts are skeptical that the herb eases anxiety.")
    assert unit_containing(doc, "Many experts")._.hedges == ["skeptical"]
    assert [(c.text, c.category) for c in unit_records(doc)[1].cues] == [("skeptical", "doubt")]
    assert cues(nlp, "Research has yet to show that the herb eases anxiety.")[0] == [
        "has yet to show"]


def test_typographic_apostrophes_match_like_plain_ones(nlp):
    """News text writes "isn’t" and "don’t"; the cue and negation lists write "isn't"."""
    assert cues(nlp, "Exactly how the drug works isn’t clear yet.")[0] == ["isn’t clear"]
    assert cues(nlp, "Doctors don’t know why the rash comes back.")[0] == ["don’t know"]
    assert cues(nlp, "The diet hasn’t significantly lowered weight.")[1] == []


def test_boosters_found_and_negated_boosters_dropped(nlp):
    """'significantly' and 'this proves' are boosters; 'not proven' is not."""
    assert "significantly" in cues(nlp, "The cream significantly improved hair density.")[1]
    assert "this proves" in cues(nlp, "This proves that the diet works.")[1]
    assert cues(nlp, "The benefit has not been proven in people.")[1] == []
    assert cues(nlp, "There was no significant difference between groups.")[1] == []
    # 'significant' of a size or a worry, not of a result
    assert cues(nlp, "Doctors have significant concerns about the injections.")[1] == []
    assert "significant" in cues(nlp, "The pill led to a significant drop in pain.")[1]
    # a 'proof-of-concept study' names a kind of study; 'proof that it works' boosts
    assert cues(nlp, "The small proof-of-concept study tested a memory game.")[1] == []
    assert "proof" in cues(nlp, "This is proof that the memory game works.")[1]


def test_booster_scope_is_the_shared_negation_scope(nlp):
    """Boosters are dropped inside the negation or denial scope of configs/negation.json (the
    scope every rule uses), and not after a pseudo-trigger that negates only its own noun phrase."""
    assert cues(nlp, "There is no evidence that the diet significantly lowers weight.")[1] == []
    assert cues(nlp, "The benefit has yet to be proven in people.") == (
        ["has yet to be proven"], [])
    assert "proves" in cues(
        nlp, "A pilot study with no control group proves that the tea eliminates fatigue.")[1]
    assert "significantly" in cues(
        nlp, "There is no doubt the cream significantly improved hair density.")[1]
    # withholding the word is not using it
    assert cues(nlp, "I would hesitate to say the cream significantly improved hair.")[1] == []
    assert cues(nlp, "It is premature to say the cream significantly improves hair.")[1] == []
    assert cues(nlp, "It is too early to tell if the cream significantly improves hair.")[1] == []
    assert cues(nlp, "They pushed back against the notion that the cream significantly helps.")[
        1] == []
    # "too early to" alone is no denial: "born too early to survive"
    assert "significantly" in cues(
        nlp, "Babies born too early to survive significantly benefited from the drug.")[1]
    # an after-trigger in the plural ("... are uncertain") denies as the singular does
    for after in ("are uncertain", "remain unclear", "are not known"):
        assert cues(nlp, f"The significant gains in people {after}.")[1] == [], after
