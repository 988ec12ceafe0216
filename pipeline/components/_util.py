"""Small helpers shared by the components."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from operator import itemgetter

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from pipeline.extensions import unit_records

_TOKEN_UNITS = "claimscan_token_units"
_PLAIN = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)*")


def doc_text(doc: Doc) -> str:
    """The Doc's text. Doc.text is rebuilt from the tokens on every access; the extracted source
    text it was made from is the same string, so use that when there is one."""
    source = doc._.source
    return source.text if source is not None else doc.text


def end_char(doc: Doc, end: int) -> int:
    """Where the tokens before `end` end in the text: `doc[start:end].end_char` without building a
    Span (matchers give token offsets; a Span costs more than the two lookups)."""
    last = doc[end - 1]
    return last.idx + len(last)


def unit_of_token(doc: Doc) -> list[int]:
    """For every token, the index of the unit containing it (-1 between units). Cached per Doc."""
    cached = doc.user_data.get(_TOKEN_UNITS)
    if cached is None or len(cached) != len(doc):
        cached = [-1] * len(doc)
        for index, unit in enumerate(unit_records(doc)):
            cached[unit.start : unit.end] = [index] * (unit.end - unit.start)
        doc.user_data[_TOKEN_UNITS] = cached
    return cached


def phrase_matcher(nlp: Language, phrases: dict[str, Iterable[str]],
                   attr: str = "LOWER") -> PhraseMatcher:
    """A PhraseMatcher with one label per key; phrases are split as the tokenizer splits them. A
    phrase with an apostrophe ("isn't") also matches the typographic one of news text ("isn’t")."""
    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    special = nlp.tokenizer.rules or {}
    with _uncached(nlp.tokenizer) as tokenizer:
        for label, items in phrases.items():
            written = {p.lower() if attr == "LOWER" else p for p in items}
            unique = sorted(written | {p.replace("'", "’") for p in written if "'" in p})
            # A word of letters only is a token as it stands (no affix rule applies; special
            # cases such as "cannot" excepted), so most phrases skip the tokenizer, which was
            # most of the time the phrase matchers took to build.
            plain = [p for p in unique if _PLAIN.fullmatch(p)
                     and not any(w in special for w in p.split(" "))]
            taken = set(plain)
            tokenized = [p for p in unique if p not in taken]
            matcher.add(label, [Doc(nlp.vocab, words=p.split(" ")) for p in plain]
                        + list(tokenizer.pipe(tokenized)))
    return matcher


@contextmanager
def _uncached(tokenizer: Tokenizer) -> Iterator[Tokenizer]:
    """The tokenizer, kept from adding to its cache. The cache takes the first `max_cache_size`
    chunks of text it meets and no more: the tens of thousands of lexicon phrases (journal titles)
    would take room meant for the words of articles, which then go through affix splitting every
    time they occur."""
    size = tokenizer.max_cache_size
    tokenizer.max_cache_size = 0
    try:
        yield tokenizer
    finally:
        tokenizer.max_cache_size = size


def is_question(text: str) -> bool:
    """Ends with a question mark, also inside closing quotes ('... a miracle?"')."""
    return text.rstrip().rstrip("\"'\u201d\u2019)").endswith("?")


def longest_matches(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Drop matches overlapping a longer one ('more research is needed' wins over 'more
    research')."""
    chosen: list[tuple[int, int, int]] = []
    taken: set[int] = set()
    for match in sorted(matches, key=_longest_first):
        tokens = range(match[1], match[2])
        if taken.isdisjoint(tokens):  # one C call, where a generator over the tokens cost twice
            chosen.append(match)
            taken.update(tokens)
    chosen.sort(key=_match_start)
    return chosen


def _longest_first(match: tuple[int, int, int]) -> tuple[int, int]:
    return match[1] - match[2], match[1]


_match_start = itemgetter(1)

