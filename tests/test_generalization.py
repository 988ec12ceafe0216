"""Each flag of the SPEC vocabulary fires on the overclaim it names, with a reason naming the
evidence."""

from __future__ import annotations

from tests.conftest import unit_containing


def flags(span) -> list[str]:
    return [flag.code for flag in span._.flags]


def reason(span, code: str) -> str:
    return next(f.reason for f in span._.flags if f.code == code)


def test_vague_attribution(nlp):
    """'Studies show' with no named source is flagged and unsupported."""
    span = unit_containing(nlp("Title\nStudies show that lemon water burns belly fat."),
                           "Studies show")
    assert "VAGUE_ATTRIBUTION" in flags(span) and span._.unsupported


def test_vague_attribution_with_a_named_source_is_fine(nlp):
    """The same words followed by a named journal are not vague."""
    doc = nlp("Title\nResearch shows a benefit, according to a trial of 2,000 adults published in "
              "The Lancet.")
    assert "VAGUE_ATTRIBUTION" not in flags(doc.spans["units"][1])


def test_absolute_language_and_negation(nlp):
    """'cure' is flagged; 'there is no cure' is not."""
    doc = nlp("Title\nThis tea cures anxiety for everyone. There is no cure for the common cold "
              "yet.")
    assert "ABSOLUTE_LANGUAGE" in flags(unit_containing(doc, "This tea"))
    assert "ABSOLUTE_LANGUAGE" not in flags(unit_containing(doc, "There is no cure"))


def test_causal_wording_from_observational_study(nlp):
    """Causal wording resting on a cohort is flagged; associational wording is not."""
    doc = nlp(
        "Title\n"
        "A study published in JAMA Internal Medicine followed 498,134 adults for 10 years.\n"
        "Coffee drinkers were less likely to die during the study. Coffee cuts your risk of death."
    )
    assert "CAUSAL_FROM_OBSERVATIONAL" in flags(unit_containing(doc, "Coffee cuts"))
    assert "CAUSAL_FROM_OBSERVATIONAL" not in flags(unit_containing(doc, "less likely to die"))
    assert "cohort" in reason(unit_containing(doc, "Coffee cuts"), "CAUSAL_FROM_OBSERVATIONAL")


def test_animal_to_human(nlp):
    """A human benefit resting on a mouse study is flagged; the mouse result itself is not."""
    doc = nlp(
        "Title\n"
        "A new study published in Cell Metabolism gave 40 mice the compound for ten weeks.\n"
        "The mice lived longer than untreated mice. The supplement could help people live longer."
    )
    assert "ANIMAL_TO_HUMAN" in flags(unit_containing(doc, "help people"))
    assert "ANIMAL_TO_HUMAN" not in flags(unit_containing(doc, "The mice lived"))


def test_seed_finding_is_overstated_with_evidence_in_reason(nlp, seed_text):
    """The seed's 'significantly improved' rests on a small, self-reported study; the evidence flags
    are stated once, on the sentence that introduces the study, not on every claim resting on it."""
    doc = nlp(seed_text)
    span = unit_containing(doc, "significantly improved")
    assert {"OVERSTATED_CERTAINTY", "SIGNIFICANCE_WITHOUT_STATISTICS"} <= set(flags(span))
    assert ("rests on S1: 30 participants, self-reported outcomes"
            in reason(span, "OVERSTATED_CERTAINTY"))
    assert span._.unsupported and span._.severity == "warning"
    evidence = [(u.text, f) for u in doc.spans["units"] for f in flags(u)
                if f in ("SMALL_SAMPLE", "SELF_REPORTED_OUTCOME")]
    # one per study (S1 and S2), not one per claim
    assert [f for _, f in evidence].count("SMALL_SAMPLE") == 2
    assert all(u.startswith(("One study", "Another study")) for u, _ in evidence), evidence


def test_seed_conclusion_overreaches_population(nlp, seed_text):
    """'a treatment for hair loss' generalises from a study of androgenetic alopecia."""
    span = unit_containing(nlp(seed_text), "In conclusion")
    assert "POPULATION_OVERREACH" in flags(span) and span._.unsupported
    assert "androgenetic alopecia" in reason(span, "POPULATION_OVERREACH")


def test_thresholds_come_from_config():
    """A lower small-sample threshold in the config stops SMALL_SAMPLE for 30 participants."""
    from pipeline.nlp import load_pipeline

    strict = load_pipeline(overrides={"components.claimscan_generalization.small_sample": 20})
    text = ("Title\nOne study published in The Lancet followed 30 adults. The adults reported a "
            "significant benefit.")
    assert "SMALL_SAMPLE" in flags(unit_containing(load_pipeline()(text), "One study"))
    assert "SMALL_SAMPLE" not in flags(unit_containing(strict(text), "One study"))


def test_hedged_well_reported_claim_is_not_unsupported(nlp):
    """A hedged finding from a large placebo-controlled RCT with statistics raises no overclaim."""
    doc = nlp(
        "Title\n"
        "A randomized, double-blind, placebo-controlled trial published in The New England "
        "Journal of Medicine "
        "enrolled 4,200 adults for two years. Blood pressure fell by 9 mmHg in the treatment "
        "group (95% CI 7 to 11). "
        "The drug may lower the risk of stroke, the authors wrote."
    )
    for span in doc.spans["units"]:
        assert not span._.unsupported, (span.text, span._.flags)



def test_only_claims_are_judged(nlp, seed_text):
    """Overclaim rules judge claims only (guide: non-claims are never unsupported), so the run
    summary, articles.csv and a filter on claims.csv count the same units. The seed's closing
    advice to see a doctor ("They can assess your specific situation") is not a claim."""
    from pipeline.rules import rules

    doc = nlp(seed_text)
    overclaims = {code for code, rule in rules().items() if rule.kind == "overclaim"}
    for span in doc.spans["units"]:
        if not span._.is_claim:
            assert not span._.unsupported and not overclaims & set(flags(span)), span.text
    advice = unit_containing(doc, "They can assess your specific situation")
    assert not advice._.is_claim and flags(advice) == []
    assert any(span._.unsupported for span in doc.spans["units"])
