"""Attribution family: who stands behind a claim.

VAGUE_ATTRIBUTION  "studies show", "experts say": an appeal to unnamed research or experts, with
                   no study, journal or person named in the sentence or the next one.
UNCITED_CLAIM      an effect stated as fact in an article that describes no study at all.
"""

from __future__ import annotations

import re

from pipeline.analysis import named_speakers
from pipeline.lexical import Terms, inflections
from pipeline.rules import claim_rule, family_lexicon
from pipeline.rules.context import ArticleContext, ClaimContext

SCHEMA = {"vague_phrases": [str], "belief_phrases": [str], "harm_verbs": [str],
          "harm_properties": [str], "well_sourced_speakers": int}
FIRST_PERSON = re.compile(r"\b(?:i|my|me|i'm|i've)\b")
# "She stops whenever the pain comes back": one person's story told by the writer (guide R3).
ONE_PERSON = re.compile(r"^(?:and |but |so |then |now )?(?:she|he)\b")
# A possessive right before a vague phrase: the research or experts belong to someone named
# (the unit's lower-cased text has "'" for "’").
OWNED = re.compile(r"(?:\b(?:his|her|their|its|our|my)|\w's)\s+(?:\w+\s+)?$")
# "the experts agree", "these studies show": a reference back to sources already named (R22)
DEFINITE = re.compile(r"\b(?:the|these|those)\s+$")
SOURCES = ("experts", "doctors", "scientists", "researchers", "physicians", "studies")
NAMED_ROLES = frozenset({"study_team", "independent", "company", "official", "other"})


def lexicon() -> dict:
    data = family_lexicon("attribution", SCHEMA)
    return {"vague": Terms(data["vague_phrases"]), "belief": Terms(data["belief_phrases"]),
            "harm": frozenset([*data["harm_properties"],
                               *(form for verb in data["harm_verbs"]
                                 for form in inflections(verb, {}))]),
            "well_sourced_speakers": data["well_sourced_speakers"]}


def names_a_source(article: ArticleContext, index: int) -> bool:
    """The unit cites something (journal, DOI, author-year), describes a study, or quotes a named
    person or body."""
    unit = article.units[index]
    return (index in article.cited
            or any(index in s.sentence_indexes for s in article.studies.values())
            or (unit.speaker_role in NAMED_ROLES and any(c.isupper() for c in unit.speaker)))


@claim_rule(
    "VAGUE_ATTRIBUTION",
    why="""'Studies show' or 'experts agree' with no named source cannot be checked, and readers
    take it as settled science (Wikipedia MOS:WEASEL; Vincze 2013). A named expert or study in
    the same or the next sentence is a source. An impersonal 'is said to' or 'is believed to'
    appeals to unnamed belief before an effect; before a fact, an estimate or how a treatment
    works (a mechanism) it hedges it.""",
    fix="Name the study (journal, year, size) or the expert, or drop the appeal to authority.",
    should_flag=[
        "Studies show that green tea melts belly fat.",
        "Experts say the supplement protects the heart.",
        "Previous research has shown that the herb can ease anxiety.",
        "The herb is said to improve digestion.",
        "Many doctors recommend probiotics while patients take antibiotics.",
    ],
    should_pass=[
        "A 2019 trial of 400 adults, published in JAMA, found that green tea lowered blood "
        "pressure.",
        "At least 30 million adults are believed to have migraines.",
        "No studies show that the supplement protects the heart.",
        "Many experts are skeptical that the herb eases anxiety.",
        "The pulses are thought to work by reducing the calcium in cartilage cells.",
        "Studies have yet to show that the herb eases anxiety.",
        "\"Other studies show the same benefit,\" said Dr. Ana Ruiz, a cardiologist at Mercy "
        "Hospital.",
        "Dr. Ana Ruiz studies sleep at Mercy Hospital. Colleagues admire her work. Her previous "
        "research has shown that short naps improve memory.",
        "Dr. Ana Ruiz and Dr. Li Wei both treat insomnia. Their advice differs on pills. Short "
        "naps improve memory, the experts agree.",
        "Short naps may sharpen memory, new research shows.\n\nIn the trial, published in "
        "Sleep, 120 adults napped or stayed awake.",
    ],
)
def vague_attribution(claim: ClaimContext, lexicon: dict) -> str | None:
    unit, article = claim.unit, claim.article
    match = claim.first_asserted(lexicon["vague"]) or (
        # "is believed to help digestion"; how a treatment works ("the pulses are thought to
        # reduce calcium in the cartilage") is only hedged by it (R41)
        claim.first_asserted(lexicon["belief"])
        if claim.effect and unit.kind != "mechanism" else None)
    phrase = match.group() if match else (f"{unit.speaker.lower()} say"
                                          if unit.speaker_role == "unnamed" else "")
    if not phrase or claim.negative or names_a_source(article, unit.index):
        return None
    if unit.cue_texts("doubt"):
        return None  # "many experts are skeptical": a caution about the evidence is a caveat
    pointer = unit.announces
    if match and pointer and match.start() < pointer[1] and pointer[0] < match.end():
        return None  # "..., new research shows": a lede pointing to the study told below (R43)
    if match and OWNED.search(unit.lower, 0, match.start()):
        return None  # "his previous research", "Dr. Ruiz's studies": someone's own, not unnamed
    if (match and match.group().startswith(SOURCES)
            and DEFINITE.search(unit.lower, 0, match.start())):
        return None  # "the experts agree" after named experts: the same people (R22)
    if unit.kind == "recommendation" and unit.strength == "none":
        return None  # an instruction ("consult your doctor, experts say") asserts no finding
    follower = article.following(unit.index)
    if (follower is not None and article.same_paragraph(unit.index, follower.index)
            and names_a_source(article, follower.index)):
        return None
    return (f"'{phrase}' appeals to unnamed research or experts; no study, journal or person is "
            "named for it here or in the next sentence.")


def _speakers(article: ArticleContext) -> int:
    """How many people the article quotes or credits by name (computed once per article)."""
    if "named_speakers" not in article.memo:
        article.memo["named_speakers"] = len(named_speakers(article.units))
    return article.memo["named_speakers"]


@claim_rule(
    "UNCITED_CLAIM",
    why="""An effect stated as fact in an article that describes no study gives the reader nothing
    to check it against. Established background stated as such is not an effect claim, and
    neither is a harm stated as fact ('the disease can damage the liver'): with no study in the
    story it is background, not the benefit the rule looks for. Nor is a statement in a story
    built on what five or more named people say: there it is their expertise and established
    background far more often than an overclaim.""",
    fix="Cite the study the claim rests on (journal, size, design), or hedge it ('may', "
        "'is thought to').",
    should_flag=[
        "Turmeric cures inflammation and fights cancer.",
        "Cold showers boost your immune system.",
    ],
    should_pass=[
        "Turmeric may ease joint pain, though the evidence is thin.",
        "She stops running whenever her knee pain flares up.",
        "Adults over 60 benefit from a yearly flu shot, the panel says.",
        "A trial of 120 adults published in the BMJ found that cold showers cut sick days.",
        "The disease can lead to scarring of the heart muscle.",
        "Gout can damage the joints over time.",
        "Long-term use of the painkiller can cause stomach bleeding.",
        "\"Fluoride varnish prevents cavities in adults,\" said Dr. Ann Lee, a dentist in Boston. "
        "\"It strengthens the enamel,\" said Dr. Bo Chan, a dentist in Ohio. \"Saliva washes "
        "bacteria away,\" said Dr. Cy Diaz, a professor of dentistry. \"My patients ask for it,\" "
        "said Dr. Di Evans, a dentist in Maine. \"It costs little,\" said Ed Fox, an insurer.",
    ],
)
def uncited_claim(claim: ClaimContext, lexicon: dict) -> str | None:
    unit, article = claim.unit, claim.article
    if article.studies or unit.index in article.cited or not claim.strong or claim.hedged:
        return None
    if unit.past or FIRST_PERSON.search(unit.lower) or ONE_PERSON.match(unit.lower):
        return None  # what happened ("the alarm triggered"), or one person's account (guide R3)
    if unit.speaker_role == "official":
        return None
    if unit.strength_cue in lexicon["harm"]:
        return None  # "the infection damages the kidneys": background harm, not a benefit claim
    if _speakers(article) >= lexicon["well_sourced_speakers"]:
        # a story with no study built on what many named people say: its uncited statements are
        # their expertise and established background (R13) far more often than overclaims
        return None
    return (f"States a {unit.strength} effect ('{unit.strength_cue}') as fact, and the article "
            "describes no study (journal, size or design) behind it.")
