"""pipeline.components._util.phrase_matcher: letters-only phrases skip the tokenizer, and match
exactly what tokenized phrases would (invented text)."""

from __future__ import annotations

from spacy.matcher import PhraseMatcher

from pipeline.components._util import phrase_matcher

PHRASES = ["more research is needed", "cannot", "isn't", "anti-inflammatory", "in the journal",
           "100%", "Journal of Quiet Lakes", "gonna"]
TEXT = ("More research is needed, but it cannot hurt and isn't costly: an anti-inflammatory pill "
        "described in the journal Journal of Quiet Lakes, 100% of it, gonna work.")


def spans(matcher: PhraseMatcher, doc) -> list[tuple[int, int]]:
    return sorted((start, end) for _, start, end in matcher(doc))


def test_letters_only_phrases_match_as_tokenized_ones(nlp):
    doc = nlp.make_doc(TEXT)
    for attr in ("LOWER", "ORTH"):
        fast = phrase_matcher(nlp, {"p": PHRASES}, attr=attr)
        slow = PhraseMatcher(nlp.vocab, attr=attr)
        written = sorted({p.lower() if attr == "LOWER" else p for p in PHRASES})
        slow.add("p", list(nlp.tokenizer.pipe(written + ["isn’t"])))
        assert spans(fast, doc) == spans(slow, doc)
        assert spans(fast, doc)  # the comparison is not between two empty lists
