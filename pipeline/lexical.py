"""Word-level text helpers the components share: same-length lower-casing, word sets, and
`Terms`, fixed phrases matched as whole words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_WORD = re.compile(r"\w+")


_APOSTROPHES = str.maketrans("’‘", "''")


def lower_same_length(text: str) -> str:
    """`text.lower()` with every character kept in its place, so offsets of a match in it are
    offsets in `text` (a few characters, such as 'İ', lower-case to two). Typographic apostrophes
    become "'", so rule phrases written "isn't" match news text's "isn’t"."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lower.translate(_APOSTROPHES)


def words_of(text: str) -> frozenset[str]:
    """The word set `Terms` gates on; compute it once per text and pass it to every `Terms`."""
    return frozenset(_WORD.findall(text))


class Terms:
    """Fixed phrases matched as whole words in lower-cased text. Python's regex engine tries
    every alternative at every position, so the scan runs only when the text has the longest
    (so likely rarest) word of some phrase: every word of a phrase must be a word of any text it
    matches, so the matches are the same at a fraction of the cost."""

    def __init__(self, phrases: Iterable[str]) -> None:
        ordered = sorted({p.lower() for p in phrases}, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, ordered))
                                  + r")(?![\w])")
        self.key_words = frozenset(max(_WORD.findall(p), key=len) for p in ordered
                                   if _WORD.search(p))
        self.wordless = tuple(p for p in ordered if not _WORD.search(p))

    def _may_match(self, text: str, words: frozenset[str] | None) -> bool:
        words = words_of(text) if words is None else words
        return not self.key_words.isdisjoint(words) or any(p in text for p in self.wordless)

    def search(self, text: str, words: frozenset[str] | None = None) -> re.Match[str] | None:
        """Like `re.search`; pass `words_of(text)` when several `Terms` look at the same text."""
        return self.pattern.search(text) if self._may_match(text, words) else None

    def finditer(self, text: str, words: frozenset[str] | None = None) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self._may_match(text, words) else iter(())
