"""The analysis of one article: the contract between the spaCy pipeline and everything after it.

`api.analyse` returns an `ArticleAnalysis`. The table writers, the result cache, the CI gate and
the HTML report all read it; none of them re-parses text the pipeline already had as structure.

    analysis.units[3].cues          # [Cue("may", 40, 43, "hedge"), ...] with offsets in
                                    # analysis.text
    analysis.units[3].flags         # [Flag("SMALL_SAMPLE", "Rests on S1: 30 participants, ...",
                                    #       "info")]
    analysis.studies[0].sample_size
    analysis.blocks                 # headings, paragraphs, list items (offsets into the text)
    analysis.directives             # `<!-- claimscan: ignore ... -->` comments with their positions
    analysis.criteria[1]            # CriterionVerdict("benefits", "not_satisfactory", 0.81, (4,),
                                    #   "Benefits are given only as relative changes, ...")
    analysis.score                  # 3.4 (stars, 0-5), from the scorecard component

Inside the pipeline the components fill in the same `Unit` objects (kept in `doc.user_data`, see
`pipeline.extensions`): a plain attribute costs a fraction of a spaCy extension lookup.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from pipeline.lexical import lower_same_length, words_of
from pipeline.source import Block
from pipeline.studies import Study

# Cue categories that count as hedges in the `hedges` column (a caveat lowers certainty too).
HEDGE_CATEGORIES = ("hedge", "doubt", "caveat")
# The article scorecard (after HealthNewsReview.org), in the order of criteria.csv.
CRITERIA = (
    "costs", "benefits", "harms", "evidence_quality", "disease_mongering", "sensational_language",
    "independent_sources", "funding_conflicts", "alternatives", "availability", "novelty",
)
VERDICTS = ("satisfactory", "not_satisfactory", "not_applicable")


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue phrase in a unit: its text as written (lower-cased), character offsets in the article
    text, and its category (hedge, caveat, booster)."""

    text: str
    start: int
    end: int
    category: str


@dataclass(frozen=True, slots=True)
class Flag:
    """A flag on a unit: its code (SPEC vocabulary), one plain-English reason, and its severity."""

    code: str
    reason: str
    severity: str


@dataclass(frozen=True, slots=True)
class CriterionVerdict:
    """One scorecard criterion of an article: the verdict, how likely the experts would agree
    (0-1), the indexes of the units that decide it (empty when it is decided by an absence), and
    one sentence a reviewer can check against those units."""

    criterion: str  # one of CRITERIA
    verdict: str  # one of VERDICTS
    confidence: float
    unit_indexes: tuple[int, ...]
    reason: str


@dataclass(eq=False, slots=True)
class Unit:
    """One sentence-level unit of an article and everything the components found about it."""

    index: int  # position in the article (= sentence_index)
    start: int  # token offsets into the Doc
    end: int
    start_char: int
    end_char: int
    text: str
    block_kind: str = "paragraph"  # kind of the source block: heading, paragraph, list_item, ...
    block: int = 0  # index of the source block in `ArticleAnalysis.blocks`
    line: int | None = None  # 1-based position of the unit's start in the source file
    column: int | None = None
    # `text` lower-cased, same length (offsets carry over)
    lower: str = field(init=False, repr=False)
    words: frozenset[str] = field(init=False, repr=False)  # the words of `lower`, for `Terms` gates
    cues: list[Cue] = field(default_factory=list)  # in order of position
    # who says it ("Dr. Gao", "the company", "experts"); empty: the story's own voice
    speaker: str = ""
    speaker_role: str = ""  # study_team | independent | company | official | unnamed | other
    quoted: bool = False  # inside quotation marks
    frame: tuple[int, int] | None = None  # char offsets of the reporting frame ("..., she added.")
    strength: str = "none"  # none < correlational < conditional < can-causal < direct
    strength_cue: str = ""  # the words that set `strength`
    strength_at: int = -1  # where `strength_cue` starts in `text` (-1: no cue)
    past: bool = False  # `strength_cue` is in the past tense: what happened, not a general claim
    # how `strength_cue` is asserted: "" as a claim, "negated" (did not lower), "denied" (no
    # evidence it lowers)
    assertion: str = ""
    kind: str = "other"
    is_claim: bool = False
    study_ids: list[str] = field(default_factory=list)  # strongest first
    # a news lede's "new research shows" pointing to the study the story tells below (offsets in
    # `text`), set by the study linker; such words are no appeal to unnamed research
    announces: tuple[int, int] | None = None
    flags: list[Flag] = field(default_factory=list)
    unsupported: bool = False
    severity: str = ""

    def __post_init__(self) -> None:
        self.lower = lower_same_length(self.text)
        self.words = words_of(self.lower)

    def in_frame(self, char: int) -> bool:
        """Whether the text offset `char` lies in the reporting frame ("..., she added.")."""
        return self.frame is not None and self.frame[0] <= char < self.frame[1]

    def cue_texts(self, *categories: str) -> list[str]:
        # Read some fifteen times per unit, and most units have no cue: skip building the list.
        if not self.cues:
            return []
        return [cue.text for cue in self.cues if cue.category in categories]

    @property
    def hedges(self) -> list[str]:
        """Hedge and doubt cues, then caveats (a caveat lowers the certainty of a claim too)."""
        return self.cue_texts("hedge", "doubt") + self.cue_texts("caveat") if self.cues else []

    @property
    def boosters(self) -> list[str]:
        return self.cue_texts("booster")

    @property
    def caveats(self) -> list[str]:
        return self.cue_texts("caveat")

    def __getstate__(self) -> dict[str, Any]:
        # `lower` and `words` are derived: rebuilt on unpickling (worker processes send units back).
        return {f.name: getattr(self, f.name) for f in fields(self) if f.init}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__post_init__()


@dataclass(frozen=True, slots=True)
class Directive:
    """A `<!-- claimscan: ... -->` comment: its text, where it stands in the source file, and the
    block it applies to (the one after it; `len(blocks)` when it comes after the last block)."""

    text: str
    line: int
    column: int
    block: int


@dataclass(eq=False)
class ArticleAnalysis:
    """Everything claimscan found in one article."""

    article: str  # the name shown in the tables (path relative to the folder given)
    text: str  # the extracted plain text; every offset points into it
    title: str | None
    units: list[Unit]
    studies: list[Study]
    blocks: list[Block]
    directives: list[Directive] = field(default_factory=list)
    criteria: list[CriterionVerdict] = field(default_factory=list)  # in CRITERIA order
    score: float | None = None  # 0-5 stars; None when the scorecard did not run

    @property
    def claims(self) -> list[Unit]:
        return [u for u in self.units if u.is_claim]

    @property
    def headline(self) -> Unit | None:
        return headline_unit(self.units, self.title)

    def renamed(self, article: str) -> ArticleAnalysis:
        """The same analysis under another name (a cached text met again at a new path)."""
        self.article = article
        return self

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able data (for the result cache)."""
        return {
            "article": self.article, "text": self.text, "title": self.title,
            "units": [{**unit.__getstate__(), "cues": [list(_values(c)) for c in unit.cues],
                       "flags": [list(_values(f)) for f in unit.flags]} for unit in self.units],
            "studies": [_plain(s) for s in self.studies],
            "blocks": [{**_plain(b), "anchors": [list(a) for a in b.anchors]} for b in self.blocks],
            "directives": [list(_values(d)) for d in self.directives],
            "criteria": [list(_values(c)) for c in self.criteria],
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleAnalysis:
        units = []
        for item in data["units"]:
            values = {**item, "cues": [Cue(*c) for c in item["cues"]],
                      "flags": [Flag(*f) for f in item["flags"]],
                      "frame": tuple(item["frame"]) if item["frame"] else None,
                      "announces": tuple(item["announces"]) if item.get("announces") else None}
            units.append(Unit(**values))
        blocks = [Block(**{**b, "anchors": tuple(tuple(a) for a in b["anchors"])})
                  for b in data["blocks"]]
        criteria = [CriterionVerdict(c[0], c[1], c[2], tuple(c[3]), c[4]) for c in data["criteria"]]
        return cls(data["article"], data["text"], data["title"], units,
                   [Study(**s) for s in data["studies"]], blocks,
                   [Directive(*d) for d in data["directives"]], criteria, data["score"])


def word_count(text: str) -> int:
    """Words (whitespace-separated) in an article's extracted text: the `words` of articles.csv."""
    return len(text.split())


def named_speakers(units: list[Unit]) -> dict[str, str]:
    """The people an article quotes or credits by name, each with the role the attribution
    component gave them first; unnamed sources ("experts say") are left out. A person is keyed
    by the last word of the name, so "Dr. Ann Lee, a dentist in Boston" and a later "Lee" are
    one speaker."""
    roles: dict[str, str] = {}
    for u in units:
        if u.speaker and u.speaker_role != "unnamed":
            roles.setdefault(_person_key(u.speaker), u.speaker_role)
    return roles


def _person_key(speaker: str) -> str:
    name = speaker.split(",", 1)[0].split()
    return name[-1].strip(".'’\"").lower() if name else speaker.lower()


def headline_unit(units: list[Unit], title: str | None) -> Unit | None:
    """The unit that is the article's headline: the first unit, when it is a heading in the first
    block and part of the title (a section heading further down is not a headline)."""
    if not units or not title:
        return None
    first = units[0]
    if first.block_kind != "heading" or first.block != 0 or first.text.strip() not in title:
        return None
    return first


def _values(item: Any) -> tuple:
    return tuple(getattr(item, f.name) for f in fields(item))


def _plain(item: Any) -> dict[str, Any]:
    return {f.name: getattr(item, f.name) for f in fields(item)}
