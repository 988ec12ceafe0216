"""pipeline.affixes: the tokenizer's affix searches find exactly what spaCy's regexes find, on
every kind of character the rules care about (invented strings)."""

from __future__ import annotations

import pickle
import random

import pytest
import spacy
import srsly
from spacy.util import compile_infix_regex

from pipeline.affixes import AnchoredRules, CharacterGate, UnreadableRule

# Letters some rules end with (units, "'s"), digits, the marks the rules split off, symbols,
# other scripts, and a line break (`$` matches before a final one).
ALPHABET = list("aAzZsSmkgbtMKGT0123456789.,;:!?'\"’‘“”()[]{}<>-–—~+*^/=%$€£°FfCc&#_@|\\\n "
                "…·、。😀✓★▶ёяΩ中")
WORDS = ["", "www.example.com", "https://doi.org/10.1000/x", "1.2.3.4", "it's", "U.S.", "5km",
         "10°C.", "....", "well-known", "a/b", "3+4", "(hello)", "“Yes,”",
         "cats’", "100%", "$5", "e.g.", "x\n", "\n\n", "Dr.", "co-op", "1,000"]


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def spans(match) -> tuple[int, int] | None:
    return match.span() if match is not None else None


def test_same_matches_as_spacy(blank):
    defaults = blank.Defaults
    prefix = AnchoredRules(list(defaults.prefixes), at_end=False)
    suffix = AnchoredRules(list(defaults.suffixes), at_end=True)
    infix = CharacterGate(compile_infix_regex(defaults.infixes))
    url = CharacterGate(defaults.url_match.__self__)
    spacy_tokenizer = blank.tokenizer
    rng = random.Random(7)
    strings = WORDS + ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6)))
                       for _ in range(20000)]
    for string in strings:
        assert spans(prefix.search(string)) == spans(spacy_tokenizer.prefix_search(string))
        assert spans(suffix.search(string)) == spans(spacy_tokenizer.suffix_search(string))
        assert ([m.span() for m in infix.finditer(string)]
                == [m.span() for m in spacy_tokenizer.infix_finditer(string)])
        assert spans(url.match(string)) == spans(spacy_tokenizer.url_match(string))


def test_pipeline_tokenizer_uses_them_and_tokenizes_as_spacy(nlp, blank, seed_text):
    tokenizer = nlp.tokenizer
    assert isinstance(tokenizer.suffix_search.__self__, AnchoredRules)
    assert isinstance(tokenizer.infix_finditer.__self__, CharacterGate)
    assert isinstance(tokenizer.url_match.__self__, CharacterGate)
    text = seed_text + " " + " ".join(WORDS)
    assert ([(t.text, t.whitespace_) for t in nlp.make_doc(text)]
            == [(t.text, t.whitespace_) for t in blank.make_doc(text)])
    # serialised as spaCy's own rules, and picklable (worker processes)
    ours = srsly.msgpack_loads(tokenizer.to_bytes(exclude=["vocab"]))
    assert ours == srsly.msgpack_loads(blank.tokenizer.to_bytes(exclude=["vocab"]))
    copy = pickle.loads(pickle.dumps(tokenizer))
    assert [t.text for t in copy(text)] == [t.text for t in blank.make_doc(text)]


def test_rules_it_cannot_read_are_refused():
    with pytest.raises(UnreadableRule):
        AnchoredRules([r"\w+"], at_end=True)  # a category: its characters are not listed
    with pytest.raises(UnreadableRule):
        AnchoredRules(["a|b"], at_end=True)  # "a|b$": the first rule is not anchored
    with pytest.raises(UnreadableRule):
        CharacterGate(compile_infix_regex(["x?"]))  # can match nothing, so anywhere
