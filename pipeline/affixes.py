"""spaCy's affix rules with the same matches, found faster.

spaCy joins its hundreds of suffix rules into one regex, `rule$|rule$|...`, and Python's engine
tries every rule at every position of every chunk of text the tokenizer splits: that search was a
third of the time tokenizing took. A suffix rule can only match a chunk that ends in a character
the rule can end with, so the rules are grouped by that character and a chunk is searched with the
few rules its own last character allows: most chunks end in a letter no rule ends with and need no
search at all. Prefix rules (`^rule|...`) are grouped by their first character the same way. Every
infix rule needs one of a few punctuation marks: a chunk without any of them has no infix; and
spaCy's URL pattern needs a ".".

Dropping rules that cannot match anywhere in a string leaves the leftmost match, and which rule
makes it, as they were, so the tokens are the same. The characters are read off the rules as
Python's own regex parser parses them; a rule set this cannot read (a flag, a backreference, a
rule that can match nothing at all) keeps spaCy's regex.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

try:  # the regex parser and its opcodes (Python 3.11 on)
    from re import _constants as sre
    from re import _parser
except ImportError:  # Python 3.10
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse as _parser  # type: ignore[no-redef]

# A character class larger than this is not expanded: the rules it is in keep spaCy's regex.
_MAX_CLASS = 300_000
_ZERO_WIDTH = (sre.ASSERT, sre.ASSERT_NOT, sre.AT)
_REPEATS = tuple(getattr(sre, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")
                 if hasattr(sre, name))
_ATOMIC_GROUP = getattr(sre, "ATOMIC_GROUP", None)  # Python 3.11 on
_NO_MATCHES: Iterator[re.Match[str]] = iter(())


class UnreadableRule(ValueError):
    """A rule whose first or last character cannot be read off its parse tree."""


def _class_chars(items: list) -> set[str]:
    chars: set[str] = set()
    for op, value in items:
        if op is sre.LITERAL:
            chars.add(chr(value))
        elif op is sre.RANGE and value[1] - value[0] < _MAX_CLASS:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:  # a negated class, or a category such as \w
            raise UnreadableRule(op)
    return chars


def _edge_chars(items: list, *, last: bool) -> tuple[set[str], bool]:
    """The characters the first (`last`: the last) character a sequence consumes can be, and
    whether it can consume none."""
    chars: set[str] = set()
    for op, value in reversed(items) if last else items:
        found, optional = _item_chars(op, value, last)
        chars |= found
        if not optional:
            return chars, False
    return chars, True


def _item_chars(op: object, value: object, last: bool) -> tuple[set[str], bool]:
    if op is sre.LITERAL:
        return {chr(value)}, False
    if op is sre.IN:
        return _class_chars(value), False
    if op in _ZERO_WIDTH:  # lookarounds and anchors consume nothing
        return set(), True
    if op is sre.BRANCH:
        chars: set[str] = set()
        optional = False
        for branch in value[1]:
            found, empty = _edge_chars(branch.data, last=last)
            chars |= found
            optional |= empty
        return chars, optional
    if op is sre.SUBPATTERN:
        _, add_flags, del_flags, inner = value
        if add_flags or del_flags:  # (?i:...) and the like
            raise UnreadableRule(op)
        return _edge_chars(inner.data, last=last)
    if op in _REPEATS:
        low, _, inner = value
        chars, optional = _edge_chars(inner.data, last=last)
        return chars, optional or low == 0
    if _ATOMIC_GROUP is not None and op is _ATOMIC_GROUP:
        return _edge_chars(value.data, last=last)
    raise UnreadableRule(op)  # a backreference, a conditional group, any character


def _needed_chars(items: list) -> set[str] | None:
    """Characters one of which every match of a sequence consumes (the fewest such that can be
    read off it), or None when none can be read."""
    best: set[str] | None = None
    for op, value in items:
        needed = _item_needed_chars(op, value)
        if needed is not None and (best is None or len(needed) < len(best)):
            best = needed
    return best


def _item_needed_chars(op: object, value: object) -> set[str] | None:
    if op is sre.LITERAL:
        return {chr(value)}
    if op is sre.IN:
        try:
            return _class_chars(value)
        except UnreadableRule:  # \w, [^...]: an item that tells nothing
            return None
    if op is sre.BRANCH:  # every alternative needs one of its own characters
        union: set[str] = set()
        for branch in value[1]:
            needed = _needed_chars(branch.data)
            if needed is None:
                return None
            union |= needed
        return union
    if op is sre.SUBPATTERN and not value[1] and not value[2]:
        return _needed_chars(value[3].data)
    if op in _REPEATS and value[0] >= 1:
        return _needed_chars(value[2].data)
    return None  # optional, zero-width, or unread: needs nothing that can be told


def _parsed(pattern: str) -> list:
    parsed = _parser.parse(pattern)
    if parsed.state.flags & ~re.UNICODE:
        raise UnreadableRule("flags")
    return parsed.data


class AnchoredRules:
    """The search of spaCy's prefix (`at_end=False`) or suffix (`at_end=True`) regex, trying only
    the rules that can start (end) with the string's first (last) character."""

    def __init__(self, rules: list[str], *, at_end: bool) -> None:
        self.at_end = at_end
        compile_rules = compile_suffix_regex if at_end else compile_prefix_regex
        self._all = compile_rules(rules)
        self.pattern = self._all.pattern  # what `Tokenizer.to_bytes` writes
        anchored = [rule + "$" if at_end else "^" + rule for rule in rules if rule.strip()]
        by_char: dict[str, list[int]] = {}
        for index, rule in enumerate(anchored):
            items = _parsed(rule)
            anchor = (sre.AT, sre.AT_END if at_end else sre.AT_BEGINNING)
            if not items or items[-1 if at_end else 0] != anchor:
                raise UnreadableRule(rule)  # an alternation outside a group: not anchored
            chars, optional = _edge_chars(items[:-1] if at_end else items[1:], last=at_end)
            if optional:
                raise UnreadableRule(rule)
            for char in chars:
                by_char.setdefault(char, []).append(index)
        groups: dict[tuple[int, ...], re.Pattern[str]] = {}
        self._by_char = {}
        for char, indexes in by_char.items():
            key = tuple(indexes)
            if key not in groups:  # in spaCy's order: the first rule that matches still wins
                groups[key] = re.compile("|".join(anchored[i] for i in key))
            self._by_char[char] = groups[key]

    def search(self, string: str) -> re.Match[str] | None:
        # `$` also matches before a final newline (a chunk of line breaks): spaCy's regex decides
        if not string or (self.at_end and string[-1] == "\n"):
            return self._all.search(string)
        rules = self._by_char.get(string[-1] if self.at_end else string[0])
        return None if rules is None else rules.search(string)


class CharacterGate:
    """One of spaCy's regexes, run only on strings holding one of the characters every match
    needs: a mark of the infix rules, the "." of a web address."""

    def __init__(self, regex: re.Pattern[str]) -> None:
        self._regex = regex
        self.pattern = regex.pattern
        needed = _needed_chars(_parsed(regex.pattern))
        if not needed:
            raise UnreadableRule(regex.pattern)
        self._needed = frozenset(needed)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        if self._needed.isdisjoint(string):
            return _NO_MATCHES
        return self._regex.finditer(string)

    def match(self, string: str) -> re.Match[str] | None:
        return None if self._needed.isdisjoint(string) else self._regex.match(string)


def _faster(current: Callable | None, rules: list[str], make: Callable[[list[str]], object],
            method: str) -> Callable | None:
    """`make(rules)`'s search, if the tokenizer's own is spaCy's regex of these rules."""
    pattern = getattr(getattr(current, "__self__", None), "pattern", None)
    if not rules or pattern is None or not all(isinstance(rule, str) for rule in rules):
        return current
    try:
        faster = make(rules)
    except (UnreadableRule, re.error):
        return current
    return getattr(faster, method) if faster.pattern == pattern else current


def speed_up_affixes(tokenizer: Tokenizer, prefixes: list[str], suffixes: list[str],
                     infixes: list[str]) -> None:
    """Give `tokenizer` the faster searches of its affix rules (the language defaults it was made
    from) and of its URL pattern; a search that is not spaCy's regex of those rules is left as it
    is."""
    tokenizer.prefix_search = _faster(tokenizer.prefix_search, prefixes,
                                      lambda r: AnchoredRules(r, at_end=False), "search")
    tokenizer.suffix_search = _faster(tokenizer.suffix_search, suffixes,
                                      lambda r: AnchoredRules(r, at_end=True), "search")
    tokenizer.infix_finditer = _faster(tokenizer.infix_finditer, infixes,
                                       lambda r: CharacterGate(compile_infix_regex(r)), "finditer")
    url = tokenizer.url_match
    regex = getattr(url, "__self__", None)
    if isinstance(regex, re.Pattern) and url == regex.match:
        try:
            tokenizer.url_match = CharacterGate(regex).match
        except UnreadableRule:
            pass
