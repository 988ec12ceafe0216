"""Word-level text helpers the components share: same-length lower-casing, word sets, and
`Terms`, fixed phrases matched as whole words."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_WORD = re.compile(r"\w+")
# In ASCII, `\w` is letters, digits and "_": every other byte becomes a space (a table for
# bytes.translate, which unlike str.translate is fast).
_ASCII_NON_WORD_TO_SPACE = bytes(
    byte if chr(byte).isalnum() or chr(byte) == "_" else ord(" ") for byte in range(128)
) + bytes(range(128, 256))


def lower_same_length(text: str) -> str:
    """`text.lower()` with every character kept in its place, so offsets of a match in it are
    offsets in `text` (a few characters, such as 'İ', lower-case to two). Typographic apostrophes
    become "'", so rule phrases written "isn't" match news text's "isn’t"."""
    lower = text.lower()
    if len(lower) != len(text):
        lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return lower.replace("’", "'").replace("‘", "'")  # str.translate is 50x slower here


def inflections(verb: str, irregular: dict[str, list[str]]) -> list[str]:
    """Base, third person, past and -ing forms of an effect verb (particles kept: 'leads to')."""
    if verb in irregular:
        return [verb, *irregular[verb]]
    head, _, particle = verb.partition(" ")
    tail = f" {particle}" if particle else ""
    if head.endswith("e"):
        forms = [head, head + "s", head + "d", head[:-1] + "ing"]
    elif head.endswith("y") and head[-2] not in "aeiou":
        forms = [head, head[:-1] + "ies", head[:-1] + "ied", head + "ing"]
    elif head.endswith(("sh", "ch", "x", "ss")):
        forms = [head, head + "es", head + "ed", head + "ing"]
    else:
        forms = [head, head + "s", head + "ed", head + "ing"]
    return [form + tail for form in forms]


def words_of(text: str) -> frozenset[str]:
    """The word set `Terms` gates on; compute it once per text and pass it to every `Terms`."""
    if text.isascii():  # most units: the same words as the regex finds, a third faster
        return frozenset(text.encode().translate(_ASCII_NON_WORD_TO_SPACE).decode().split())
    return frozenset(_WORD.findall(text))


def key_word(phrase: str) -> str:
    """The longest (so likely rarest) word of a phrase, lower-cased: every text a phrase matches as
    whole words holds it, so a set test on it can skip a text before any regex runs."""
    return max(_WORD.findall(phrase.lower()), key=len)


def _longest_first(phrases: Iterable[str]) -> list[str]:
    """The phrases lower-cased, once each, longest first (how an alternation must try them)."""
    return sorted({p.lower() for p in phrases}, key=len, reverse=True)


def alternation(phrases: Iterable[str], space: str = r"\s+") -> str:
    """Phrases as one regex alternation, longest first, spaces matching `space` (any whitespace).
    When every phrase starts with an ASCII letter or digit, the phrases are grouped by that
    character ("s(?:tudy|urvey)|t(?:rial)"): where the engine tested one phrase after another it
    tests one character per group (a third less time). The matches are the same: phrases that
    start with different such characters cannot match at one place, and each group keeps its
    order."""
    ordered = _longest_first(phrases)

    def literal(text: str) -> str:
        return re.escape(text).replace(r"\ ", space)

    if not all(p[:1].isascii() and p[:1].isalnum() for p in ordered):
        return "|".join(map(literal, ordered))
    groups: dict[str, list[str]] = {}
    for phrase in ordered:
        groups.setdefault(phrase[0], []).append(literal(phrase[1:]))
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


# Matches from `pos` to `endpos`: the match object of a phrase already found at a place.
_SPAN = re.compile(r".+", re.DOTALL)


def _is_word_char(char: str) -> bool:
    r"""What `\w` matches in a str pattern (the regex engine tests the same two things)."""
    return char.isalnum() or char == "_"


class Terms:
    """Fixed phrases matched as whole words in lower-cased text, as one alternation of them
    (longest first) would match. Python's regex engine tries every alternative at every position,
    so no such pattern is run: every word of a phrase must be a word of any text it matches, so
    the phrases whose longest (so likely rarest) word is in the text are found with `str.find`,
    and at each place one occurs, longest first, the characters either side decide whether it
    stands as whole words: no word character may touch an end that is a word character ("%"
    follows a number: "82%"). The first match is the one a search with the alternation would
    find."""

    def __init__(self, phrases: Iterable[str]) -> None:
        ordered = _longest_first(phrases)
        by_key_word: dict[str, list[str]] = {}
        for phrase in ordered:
            if _WORD.search(phrase):
                by_key_word.setdefault(key_word(phrase), []).append(phrase)
        self.by_key_word = {word: tuple(group) for word, group in by_key_word.items()}
        self.key_words = frozenset(self.by_key_word)
        self.wordless = tuple(p for p in ordered if not _WORD.search(p))
        # One-word phrases: each stands as a whole word in any text it is a word of.
        self.one_word = frozenset(p for p in ordered if _WORD.fullmatch(p))
        # phrase -> whether its first and its last character are word characters
        self._word_ends = {p: (_is_word_char(p[0]), _is_word_char(p[-1])) for p in ordered}

    def _candidates(self, text: str, words: frozenset[str] | None) -> list[str]:
        """The phrases that can match in `text`: those whose key word is a word of it, and the
        wordless ones it contains. `words` must hold every word of `text` that is one of
        `key_words`."""
        words = words_of(text) if words is None else words
        phrases = ([p for w in self.key_words.intersection(words) for p in self.by_key_word[w]]
                   if not self.key_words.isdisjoint(words) else [])
        if self.wordless:
            phrases += filter(text.__contains__, self.wordless)
        return phrases

    def _occurrences(self, text: str, words: frozenset[str] | None) -> list[tuple[int, int, str]]:
        """(position, -length, phrase) of every occurrence in `text` (maybe inside a word) of a
        phrase that can match, in order: by position, then longest first."""
        found = []
        for phrase in self._candidates(text, words):
            start = text.find(phrase)
            while start >= 0:
                found.append((start, -len(phrase), phrase))
                start = text.find(phrase, start + 1)
        return sorted(found)

    def _stands(self, text: str, start: int, phrase: str) -> bool:
        """Whether `phrase`, which occurs at `start`, stands there as whole words. Tested on the
        characters either side, not with a pattern per phrase: compiling those cost more than
        all the searches."""
        end = start + len(phrase)
        first_is_word, last_is_word = self._word_ends[phrase]
        return not ((first_is_word and start > 0 and _is_word_char(text[start - 1]))
                    or (last_is_word and end < len(text) and _is_word_char(text[end])))

    def _match(self, text: str, start: int, phrase: str) -> re.Match[str] | None:
        """`phrase` (which occurs at `start`) as a match, if it stands there as whole words."""
        if not self._stands(text, start, phrase):
            return None
        return _SPAN.match(text, start, start + len(phrase))

    def search(self, text: str, words: frozenset[str] | None = None) -> re.Match[str] | None:
        """Like `re.search`; pass `words_of(text)` when several `Terms` look at the same text (or
        only those of its words that are key words of some of them)."""
        # `map` over `text.__contains__`: a generator here cost as much as the rest of the test
        if (words is not None and self.key_words.isdisjoint(words)
                and not (self.wordless and any(map(text.__contains__, self.wordless)))):
            return None  # most calls: decided without collecting occurrences
        # The first match is the earliest (then longest) occurrence that stands as whole words:
        # each phrase's earliest such occurrence is compared, with no sort of all occurrences.
        first: tuple[int, int] | None = None  # (position, -length)
        for phrase in self._candidates(text, words):
            start = text.find(phrase)
            while start >= 0 and (first is None or start <= first[0]):
                if self._stands(text, start, phrase):
                    if first is None or (start, -len(phrase)) < first:
                        first = (start, -len(phrase))
                    break
                start = text.find(phrase, start + 1)
        return None if first is None else _SPAN.match(text, first[0], first[0] - first[1])

    def found_in(self, text: str, words: frozenset[str] | None = None) -> bool:
        """Whether `search` finds a match: at once when a one-word phrase is one of `words` (most
        texts with a match), else at the first occurrence that stands as whole words, without
        sorting the occurrences to find the first one."""
        if words is not None:
            # One set test for most calls: the one-word phrases are key words too.
            if self.key_words.isdisjoint(words):
                if not (self.wordless and any(map(text.__contains__, self.wordless))):
                    return False  # most calls
            elif not self.one_word.isdisjoint(words):
                return True
        else:
            words = words_of(text)
        # The candidates of `_candidates`, group by group without collecting them in a list: any
        # match will do.
        for word in self.key_words.intersection(words):
            if self._stands_somewhere(text, self.by_key_word[word]):
                return True
        return bool(self.wordless) and self._stands_somewhere(text, self.wordless)

    def _stands_somewhere(self, text: str, phrases: tuple[str, ...]) -> bool:
        """Whether one of `phrases` occurs in `text` as whole words."""
        for phrase in phrases:
            start = text.find(phrase)
            while start >= 0:
                if self._stands(text, start, phrase):
                    return True
                start = text.find(phrase, start + 1)
        return False

    def finditer(self, text: str, words: frozenset[str] | None = None) -> Iterator[re.Match[str]]:
        """Like `re.finditer`: the matches, left to right, that do not overlap."""
        if (words is not None and self.key_words.isdisjoint(words)
                and not (self.wordless and any(map(text.__contains__, self.wordless)))):
            return iter(())  # most calls: no phrase can occur, and no generator is started
        return self._matches(text, words)

    def _matches(self, text: str, words: frozenset[str] | None) -> Iterator[re.Match[str]]:
        end = 0
        for start, _, phrase in self._occurrences(text, words):
            if start >= end and (match := self._match(text, start, phrase)) is not None:
                end = match.end()
                yield match
