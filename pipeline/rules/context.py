"""What a rule sees: the article as a whole (`ArticleContext`) and one claim in it
(`ClaimContext`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.analysis import Unit
from pipeline.lexical import Terms, words_of
from pipeline.negation import Negation
from pipeline.studies import Study


def article_for(word: str) -> str:
    """'a' or 'an' before `word` ('an observational', 'a cohort')."""
    return "an" if word[:1].lower() in "aeiou" else "a"


# The kinds of unit that state a study's result: a rule about how a result is told judges these.
RESULT_KINDS = frozenset({"heading", "finding", "conclusion", "recommendation"})
LEAD_SENTENCES = 3  # after the headline, the first sentences tell the story's main result
_NEGATIVE = re.compile(r"\b(?:not|no|never|neither|nor|none|cannot)\b|n't\b")


class StudyText:
    """The sentences of one study, lower-cased. Each search runs once however many claims rest on
    the study: in a long article, searching per claim grows with claims × study text. `words`:
    the words of `text`, when they are known already."""

    def __init__(self, text: str, words: frozenset[str] | None = None) -> None:
        self.text = text
        self.words = words_of(text) if words is None else words
        self._found: dict[object, re.Match[str] | bool | None] = {}

    def search(self, pattern: Terms | re.Pattern[str]) -> re.Match[str] | None:
        if pattern not in self._found:
            self._found[pattern] = (pattern.search(self.text, self.words)
                                    if isinstance(pattern, Terms) else pattern.search(self.text))
        return self._found[pattern]

    def contains(self, phrase: str) -> bool:
        if phrase not in self._found:
            self._found[phrase] = phrase in self.text
        return self._found[phrase]


@dataclass
class ArticleContext:
    units: list[Unit]
    studies: dict[str, Study]
    text: str  # the article's extracted text
    cited: set[int]  # units that contain a citation (journal, DOI, author-year, ...)
    negation: Negation
    small_sample: int
    short_duration_days: int
    study_texts: dict[str, StudyText] = field(init=False)
    strongest: list[Study] = field(init=False)  # strongest design first, then the largest sample
    memo: dict[str, Any] = field(default_factory=dict)  # article-level results a rule computes once
    # the first sentences, past datelines, bylines and clutter
    lead: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        body = [u.index for u in self.units if u.kind not in ("heading", "other", "question")]
        self.lead = frozenset(body[:LEAD_SENTENCES])
        # The words of sentences joined by spaces are the words of the sentences: no new scan.
        self.study_texts = {
            sid: StudyText(" ".join(self.units[i].lower for i in s.sentence_indexes),
                           frozenset().union(*(self.units[i].words for i in s.sentence_indexes)))
            for sid, s in self.studies.items()
        }
        self.strongest = sorted(self.studies.values(), key=lambda s: s.strength_key)

    def following(self, index: int) -> Unit | None:
        """The unit after `index`, if it is in the same paragraph or starts the next one."""
        return self.units[index + 1] if index + 1 < len(self.units) else None

    def same_paragraph(self, a: int, b: int) -> bool:
        return "\n" not in self.text[self.units[a].end_char : self.units[b].start_char]


@dataclass
class ClaimContext:
    """One claim (or piece of advice, or the headline) and the evidence it rests on."""

    unit: Unit
    article: ArticleContext
    rests_on: list[Study]  # strongest first; the studies the unit reports, or else the article's
    describes_study: bool  # the unit is one of the sentences describing a study
    is_headline: bool

    @property
    def in_lead(self) -> bool:
        """The headline or one of the first sentences, where a story states its main result."""
        return self.is_headline or self.unit.index in self.article.lead

    @property
    def happened(self) -> bool:
        """A past-tense effect outside the headline tells what happened in a study ("the treated
        mice lived longer"), not a general claim; a headline's past tense is news style."""
        return self.unit.past and not self.is_headline

    @property
    def primary(self) -> Study | None:
        return self.rests_on[0] if self.rests_on else None

    @property
    def hedged(self) -> bool:
        return bool(self.unit.hedges)

    @property
    def strong(self) -> bool:
        """Direct or can-causal effect wording that the unit asserts (not negated or denied)."""
        return self.unit.strength in ("direct", "can-causal") and not self.unit.assertion

    @property
    def effect(self) -> bool:
        """Any causal effect wording, hedged or not, that the unit asserts."""
        return (self.unit.strength in ("conditional", "can-causal", "direct")
                and not self.unit.assertion)

    @property
    def negative(self) -> bool:
        """The unit denies or negates something ('no better than', 'is not necessarily'): a negation
        is never an overclaim (SPEC; annotation guide R14)."""
        return bool(_NEGATIVE.search(self.unit.lower))

    def asserted_at(self, offset: int) -> bool:
        """Whether the word at `offset` of the unit's text is asserted (not negated or denied)."""
        return not self.article.negation.of(self.unit.lower, offset)

    def first_asserted(self, terms: Terms) -> re.Match[str] | None:
        for match in terms.finditer(self.unit.lower, self.unit.words):
            if self.asserted_at(match.start()):
                return match
        return None
