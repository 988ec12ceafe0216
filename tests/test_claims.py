"""Kind, is_claim and the five-level claim strength."""

from __future__ import annotations

import pytest

from tests.conftest import unit_containing


def unit(nlp, sentence: str):
    return unit_containing(nlp(f"Title\n{sentence}"), sentence[:25])


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Coffee drinking is associated with a lower risk of death.", "correlational"),
        ("Green tea is linked to better memory in older adults.", "correlational"),
        ("Green tea may reduce the risk of stroke.", "conditional"),
        ("The results suggest that green tea improves memory.", "conditional"),
        ("Exercise can reduce the risk of heart disease.", "can-causal"),
        ("This, in turn, can lead to the regeneration of hair follicles.", "can-causal"),
        ("Green tea reduces the risk of stroke.", "direct"),
        ("Smoking causes lung cancer.", "direct"),
        ("The study involved 30 participants.", "none"),
    ],
)
def test_strength_scale(nlp, sentence, strength):
    """none < correlational < conditional < can-causal < direct (Yu 2019, Adams 2017)."""
    assert unit(nlp, sentence)._.strength == strength


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("The army uses the device to treat injured soldiers.", "none"),
        ("Millions of people take vitamin pills every day to prevent colds.", "none"),
        ("The tea has been shown to reduce anxiety.", "direct"),
        ("Walking is guaranteed to add years to your life.", "direct"),
        ("Men over 50 should eat tomatoes every day to keep their prostate healthy.", "direct"),
        ("She did everything she can to heal the injured knee.", "none"),
        ("Other clinics use lower-energy sound waves over several sessions.", "none"),
    ],
)
def test_an_effect_verb_after_to_is_a_purpose_unless_claimed(nlp, sentence, strength):
    """'used to treat' states what something is used for; 'shown to reduce', 'guaranteed to add'
    and advice's purpose ('should eat them to keep healthy') claim the effect."""
    assert unit(nlp, sentence)._.strength == strength


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Working with stroke patients, the designers built a new glove.", "none"),
        ("Her husband works at a cancer clinic in Leeds.", "none"),
        ("The new drug works in people with severe asthma.", "direct"),
        ("The pill and the patch work together to ease migraine pain.", "direct"),
        ("The new pill was given to 400 patients with asthma.", "none"),
        ("It is a realistic group to study, given that many women have asthma.", "none"),
        ("Progress made on a sleep device for patients with apnea.", "none"),
        ("The pill gives patients with asthma fewer attacks.", "direct"),
        ("The sleep trial, named Reset, enrolled 20 patients.", "none"),
        ("The diet's name stands for Intervention for Neurodegenerative Delay.", "none"),
    ],
)
def test_other_senses_of_effect_verbs_are_no_effect(nlp, sentence, strength):
    """'works' claims an effect ('the drug works in people with asthma'); 'working with
    patients' and 'works at a clinic' say what someone does, 'given to patients' how a trial
    was run, 'progress made on a device' how research goes, and a capitalised word inside a
    sentence ('named Reset') is a name."""
    assert unit(nlp, sentence)._.strength == strength


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Ten foods that fight Alzheimer's disease.", "direct"),
        ("Doctors now have a pill that prevents migraines.", "direct"),
        ("Doctors liked that lower dose of the new pill.", "none"),
        ("The company that makes the pill paid for the study.", "none"),
    ],
)
def test_that_before_an_effect_verb_is_a_relative_pronoun(nlp, sentence, strength):
    """'foods that fight Alzheimer's' claims an effect; 'that lower dose' is a noun phrase,
    and 'a company that makes the pill' is business."""
    assert unit(nlp, sentence)._.strength == strength




def test_can_as_ability_is_neither_hedge_nor_causal_claim(nlp):
    """'They can assess your situation' is advice about ability: no strength, no hedge."""
    span = unit(nlp, "A dermatologist can assess your specific situation and talk you through "
                     "options.")
    assert span._.strength == "none" and span._.hedges == []


def test_seed_kinds(nlp, seed_text):
    """Headings and questions are never claims; study descriptions are not claims; findings are."""
    doc = nlp(seed_text)
    expectations = {
        "Can Micro Needling Help": ("heading", False),
        "But can micro needling really help": ("question", False),
        "The study involved 30 participants": ("study_description", False),
        "significantly improved hair density": ("finding", True),
        "In conclusion": ("conclusion", True),
        "These punctures stimulate": ("mechanism", True),
        "Hair loss is a common concern": ("background", True),
    }
    for needle, (kind, is_claim) in expectations.items():
        span = unit_containing(doc, needle)
        assert (span._.kind, span._.is_claim) == (kind, is_claim), needle


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Talk to your doctor before starting any supplement.", "recommendation"),
        ("More research is needed before anyone changes their diet.", "caveat"),
        ("Let's look at what the science says.", "other"),
        # page clutter: pointers to more reading and photo captions are not health statements
        ("The National Sleep Council has more on insomnia and heart health.", "other"),
        ("For more on vitamin D and bone health, see the council's website.", "other"),
        ("FILE PHOTO - A nurse gives a flu shot at a clinic in Leeds.", "other"),
        ("MORE: Walnuts may cut the risk of heart disease, a new study says.", "other"),
        ("Write to the health desk at health@example.com.", "other"),
        # money is no health claim, however many health words it has (guide R2)
        ("The knee treatment costs about $1,000, and few insurers cover it.", "other"),
    ],
)
def test_advice_caveats_and_asides(nlp, sentence, kind):
    """Advice, caveats and reader asides get their own kinds and are not claims."""
    span = unit(nlp, sentence)
    assert span._.kind == kind
    assert span._.is_claim is False


def test_hype_about_a_study_is_a_verdict_on_it_not_a_description(nlp):
    """'The trial enrolled 300 adults' describes the study; calling it 'a landmark' or 'a
    game-changer' judges its result, and is checked like any claim."""
    doc = nlp("Title\nA new trial of the pill enrolled 300 adults with gout.\n"
              "\"This trial is a game-changer,\" said Dr. Ana Ruiz, who was not involved.\n"
              "Some call the trial a landmark study.")
    assert unit_containing(doc, "enrolled 300")._.kind == "study_description"
    for needle in ("game-changer", "landmark"):
        span = unit_containing(doc, needle)
        assert span._.is_claim and "HYPE_LANGUAGE" in [f.code for f in span._.flags], needle


def test_a_question_inside_quotes_is_still_a_question(nlp):
    """'... In what way is this a miracle?”' asks; it asserts no miracle."""
    doc = nlp("Title\nHe asked the parents, “In what way is this a miracle?”\nThe end came soon.")
    span = unit_containing(doc, "In what way")
    assert not span._.is_claim and not span._.flags


def test_a_percentage_is_a_result_cue(nlp):
    """'%' right after a number ("82%") is a whole phrase of its own: a unit that owns its study
    and gives a percentage reports a result."""
    from pipeline.lexical import Terms, words_of

    terms = Terms(["%", "cure"])
    for text, found in (("sensitivity was 82%.", "%"), ("a cure.", "cure"), ("secure", None)):
        match = terms.search(text, words_of(text))
        assert (match.group() if match else None) == found
    doc = nlp("Title\nA study of 300 adults found the test was accurate. In Sweden, the test had "
              "a sensitivity of 82%.")
    assert unit_containing(doc, "In Sweden")._.kind == "finding"


def test_clutter_set_as_a_heading_is_not_a_headline(nlp):
    """A link to another story, set as a heading, is clutter, not a claim of this article."""
    doc = nlp("Walnuts and the heart\n\nMORE: Walnuts Cut Heart Risk In Half\n\n"
              "Walnuts were studied in 400 adults.")
    span = unit_containing(doc, "MORE: Walnuts")
    assert span._.kind == "other" and span._.is_claim is False


def test_outcomes_counted_in_a_study_are_its_results(nlp):
    """'120 developed dementia', 'were able to walk' report what the study found: findings, not
    descriptions of how it was run."""
    doc = nlp("Title\nA new study of 5,000 adults followed them for ten years.\n"
              "Of the participants with the highest intake, 120 developed dementia.\n"
              "Most of the participants were able to walk a mile by the end of the study.")
    for needle in ("120 developed", "were able to walk"):
        span = unit_containing(doc, needle)
        assert span._.kind == "finding" and span._.is_claim, needle


def test_a_health_fact_told_next_to_a_study_is_background(nlp):
    """The linker ties the sentences after a study to it; one that states a health fact and says
    nothing of how the study was run is a claim (background), not a study description."""
    doc = nlp("Title\nA new trial of 300 women, published in Menopause, found soy eased hot "
              "flashes.\nThe condition affects an estimated one in 3,500 boys, according to the "
              "National Institutes of Health.\nThe trial enrolled women aged 45 to 60.")
    fact = unit_containing(doc, "one in 3,500")
    assert fact._.kind == "background" and fact._.is_claim
    assert unit_containing(doc, "enrolled women")._.kind == "study_description"


def test_the_reporting_frame_does_not_make_a_study_description(nlp):
    """'..., the researchers wrote' names the speaker; the quote states a health fact."""
    doc = nlp("Title\nA new trial of 300 women, published in Menopause, found soy eased hot "
              "flashes.\n\"Expectations play a large part in how well treatments work,\" the "
              "researchers wrote.")
    span = unit_containing(doc, "Expectations play")
    assert span._.kind == "background" and span._.is_claim


@pytest.mark.parametrize(
    ("sentence", "kind", "claim"),
    [
        ("The task force recommends screening for most adults from age 50.", "background", True),
        ("Colonoscopies are recommended for adults age 50 and over.", "background", True),
        # what unnamed experts advise is reported as a health fact too (and VAGUE_ATTRIBUTION's)
        ("Many doctors recommend probiotics while patients take antibiotics.", "background",
         True),
        ("Other people should consult their doctors first, experts say.", "recommendation",
         False),
        ("Ask your doctor whether screening is right for you.", "recommendation", False),
        ("If you are over 50, you should talk to your doctor about screening.",
         "recommendation", False),
    ],
)
def test_a_reported_guideline_is_background_advice_to_the_reader_is_not(nlp, sentence, kind,
                                                                         claim):
    """What a guideline or a body recommends is a health fact the story reports (annotation
    guide: background facts include guidelines); advice to the reader asserts no fact (R24)."""
    span = unit(nlp, sentence)
    assert (span._.kind, span._.is_claim) == (kind, claim)


@pytest.mark.parametrize(
    "sentence",
    [
        "Those surgeons who did more of the operations had better outcomes.",
        "On the other hand, the benefits are small.",
    ],
)
def test_outcomes_and_benefits_make_a_sentence_about_health(nlp, sentence):
    """Words for results and benefits are health words: a sentence about them is background, not
    narrative."""
    assert unit(nlp, sentence)._.is_claim


def test_where_and_when_a_study_reports_is_a_description(nlp):
    """'The results were published Monday in X' says where a study reports, not what it found;
    a sentence that also gives the result is a finding."""
    doc = nlp("Title\nA new trial of 300 adults tested a migraine pill.\n"
              "The study, published online in JAMA, found that patients on the pill had 30 percent "
              "fewer attacks.\nThe results were published Monday in the journal Neurology.")
    for needle in ("A new trial", "The results were published"):
        span = unit_containing(doc, needle)
        assert span._.kind == "study_description" and not span._.is_claim, needle
    assert unit_containing(doc, "30 percent fewer")._.kind == "finding"


@pytest.mark.parametrize(
    ("sentence", "kind", "claim"),
    [
        ("The team used the trial to see how stimulating the brain affects memory.",
         "study_description", False),
        ("The patients also got scans to see whether brain tissue was still alive.",
         "study_description", False),
        ("The researchers looked at which drug was better at restoring blood flow.",
         "study_description", False),
        ("The team wanted to see what effect different kinds of exercise had on sleep.",
         "study_description", False),
        ("New scopes may allow doctors to determine whether a polyp is harmless.",
         "background", True),
        ("To see whether the drug works, researchers gave it to 300 adults and found it cut "
         "attacks by half.", "finding", True),
    ],
)
def test_what_a_study_set_out_to_ask_is_no_claim(nlp, sentence, kind, claim):
    """An effect inside the question a study or a test asks ('to see whether ... affects') is
    asked, not claimed; an effect outside it ('may allow doctors to determine whether') and a
    result found are claims."""
    span = unit(nlp, sentence)
    assert (span._.kind, span._.is_claim) == (kind, claim)


@pytest.mark.parametrize(
    ("sentence", "kind", "claim"),
    [
        ("The researchers aim to develop a blood test that could find cancer early.", "other",
         False),
        ("\u201cWe hope to find molecules that might help the cells repair the heart,\u201d "
         "she said.", "other", False),
        ("The company plans to launch the test next year.", "other", False),
        ("The team found that the drug cut attacks by half and hopes to develop it further.",
         "background", True),
        ("The drug could help people who hope to quit smoking.", "background", True),
    ],
)
def test_a_plan_is_no_claim(nlp, sentence, kind, claim):
    """What someone means to do next ('aim to develop a test that could find cancer') is a plan
    (annotation guide: plans are not claims), unless the sentence also reports a result; an
    effect outside the plan ('could help people who hope to quit') is a claim."""
    span = unit(nlp, sentence)
    assert (span._.kind, span._.is_claim) == (kind, claim)


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Dravet syndrome often causes several kinds of seizures.", "none"),
        ("Psoriasis is a chronic condition that can cause itchy, scaly skin.", "none"),
        ("A drug for the treatment of Alzheimer's disease reduces plaques in the brain.",
         "direct"),
        ("Drugs that treat the disease reduce swelling within days.", "direct"),
    ],
)
def test_what_a_disease_does_is_no_effect_claimed(nlp, sentence, strength):
    """A disease as the subject of an effect verb describes the disease (annotation guide R4): no
    effect strength, so no overclaim rule judges it; a disease after a preposition or inside an
    object is not the subject ('a drug for the treatment of Alzheimer's disease reduces', 'drugs
    that treat the disease reduce')."""
    assert unit(nlp, sentence)._.strength == strength


@pytest.mark.parametrize(
    ("sentence", "strength"),
    [
        ("Blood tests and a heart scan can help confirm that heart failure is present.", "none"),
        ("Sound waves from the probe help a doctor check that the coil sits in place.", "none"),
        ("The nurse helped check for a pulse.", "none"),
        ("The new drops help heal the cornea.", "direct"),
    ],
)
def test_help_before_a_diagnostic_verb_is_about_a_test(nlp, sentence, strength):
    """'help' before a diagnostic verb within three words ('help confirm', 'help a doctor check')
    says what a test is for, not an effect on health (not_effect_after_help in configs/claims.json);
    'help heal' is an effect."""
    assert unit(nlp, sentence)._.strength == strength
