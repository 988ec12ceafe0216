"""Numbers as health articles write them: '498,134', '1.2 million', 'two thousand four hundred'."""

from __future__ import annotations

import re

from pipeline.lexical import alternation

_UNITS = {
    "zero": 0, "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "half": 0.5,
}
_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
           "billion": 1_000_000_000}
_NUMBER_WORDS = [w for w in [*_UNITS, *_SCALES] if w not in {"a", "an", "half"}]
_WORD = alternation(_NUMBER_WORDS)

# The characters a number starts with: the lookahead fails at any other position before the
# engine tries the number words there (most positions a scan for a number reaches).
_FIRST = "".join(sorted({"a", *(word[0] for word in _NUMBER_WORDS)}))
# Digits (with thousands separators or a decimal part, optionally scaled) or a run of number words.
NUMBER = (
    rf"(?=[\d{_FIRST}])"
    r"(?:(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s+(?:million|thousand|billion))?"
    r"|(?:an?\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?"
    rf"(?:(?:{_WORD})(?:[\s-]+(?:and[\s-]+)?))*(?:{_WORD}))"
)
NUMBER_RE = re.compile(rf"\b(?:{NUMBER})\b", re.IGNORECASE)


def parse_number(text: str) -> float | None:
    """The value of a number expression, or None if it is not one."""
    cleaned = text.strip().lower().replace(",", "")
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(?:\s+(million|thousand|billion))?", cleaned)
    if match:
        value = float(match.group(1))
        return value * _SCALES[match.group(2)] if match.group(2) else value
    raw = [w for w in re.split(r"[\s-]+", cleaned) if w]
    if any(w == "and"
           and (i == 0 or raw[i - 1] not in ("hundred", "thousand", "million", "billion"))
           for i, w in enumerate(raw)):
        # "three and four" is two numbers, not seven ("two hundred and twelve" is one)
        return None
    words = [w for w in raw if w != "and"]
    if len(words) > 1 and words[0] in ("a", "an") and words[1] not in _SCALES:
        words = words[1:]  # "a two-year study": the article is not a one
    if not words:
        return None
    total, current = 0.0, 0.0
    for word in words:
        if word in _UNITS:
            current += _UNITS[word]
        elif word in ("hundred", "dozen"):
            current = (current or 1) * _SCALES[word]
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0.0
        else:
            return None
    return total + current
