"""What the scorecard looks for in an article: named signals (prices, absolute effect sizes, side
effects, limitations, independent sources, hype...) found in the units, from the `signals` of
configs/scorecard.json.

Speed: the scorecard must stay a small part of the pipeline's time.
- All fixed phrases of all signals go into one PhraseMatcher, run once over the Doc; a match's
  character offsets come from the tokens (a Span per match costs three times as much).
- Number patterns ("from 12% to 8%", "3 out of 100", "$20 a month") are regexes run only on the
  units that hold one of the pattern's gate tokens ("%", "percent", "$"). The gates are phrases
  of the same PhraseMatcher, so finding them costs nothing extra, and most units have none.
- A hit counts only if its unit passes the signal's `only_with` / `unless_unit_has` words,
  checked once per unit and signal (`Terms` gated on the unit's word set).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.analysis import Unit
from pipeline.lexical import Terms
from pipeline.rulefile import MapOf, Optional

SIGNAL_SCHEMA = MapOf(
    {
        "phrases": Optional([str]),
        "patterns": Optional([{"regex": str, "gate": [str]}]),
        "only_with": Optional([str]),
        "unless_unit_has": Optional([str]),
    }
)


class SignalHit(NamedTuple):
    """One place a signal fired: the unit, and the character offsets of the match in the article
    text (`SignalHits.text` gives the words as written)."""

    signal: str
    unit: int
    start: int
    end: int


class SignalHits:
    """The hits of one article by signal, with the distinct units each signal fired in."""

    def __init__(self, names: Iterable[str], text: str) -> None:
        self.by_signal: dict[str, list[SignalHit]] = {name: [] for name in names}
        self.article_text = text
        self._units: dict[str, frozenset[int]] = {}
        self._hits: dict[tuple[str, ...], list[SignalHit]] = {}

    def add(self, hit: SignalHit) -> None:
        self.by_signal[hit.signal].append(hit)

    def text(self, hit: SignalHit) -> str:
        return self.article_text[hit.start : hit.end]

    def hits(self, *signals: str) -> list[SignalHit]:
        """The hits of these signals in article order, one per unit (the first in each unit).
        Cached; callers must not change the list."""
        chosen = self._hits.get(signals)
        if chosen is None:
            pool = (
                self.by_signal[signals[0]]
                if len(signals) == 1
                else [h for s in signals for h in self.by_signal[s]]
            )
            seen: set[int] = set()
            chosen = self._hits[signals] = []
            for hit in sorted(pool, key=_position):
                if hit.unit not in seen:
                    seen.add(hit.unit)
                    chosen.append(hit)
        return chosen

    def unit_set(self, signal: str) -> frozenset[int]:
        found = self._units.get(signal)
        if found is None:
            found = self._units[signal] = frozenset(h.unit for h in self.by_signal[signal])
        return found

    def units(self, *signals: str) -> list[int]:
        """Distinct unit indexes where any of these signals fired, in order."""
        return sorted(frozenset().union(*(self.unit_set(s) for s in signals)))

    def count(self, signal: str) -> int:
        """How many units the signal fired in."""
        hits = self.by_signal[signal]
        return len(hits) if len(hits) < 2 else len(self.unit_set(signal))

    def terms(self, *signals: str) -> list[SignalHit]:
        """The first hit of each different term ('side effect' and 'side-effects' are one term)."""
        seen: set[str] = set()
        chosen = []
        for hit in sorted((h for s in signals for h in self.by_signal[s]), key=_position):
            term = _term(self.text(hit))
            if term not in seen:
                seen.add(term)
                chosen.append(hit)
        return chosen


def _position(hit: SignalHit) -> tuple[int, int]:
    return (hit.start, hit.end)


_NON_WORD = re.compile(r"[\W_]+")


def _term(text: str) -> str:
    words = _NON_WORD.sub(" ", text.lower()).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


@dataclass(frozen=True)
class _Pattern:
    """A regex and its gate: lower-cased tokens or token sequences ('%', 'per cent'); the regex
    runs only on units holding one of them."""

    regex: re.Pattern[str]
    gate: tuple[str, ...]


@dataclass(frozen=True)
class _Signal:
    name: str
    patterns: tuple[_Pattern, ...]
    only_with: Terms | None
    unless: Terms | None

    @property
    def filtered(self) -> bool:
        return self.only_with is not None or self.unless is not None


class SignalTagger:
    """Finds every signal of the lexicon in a Doc whose units are set."""

    def __init__(self, nlp: Language, signals: dict[str, dict]) -> None:
        # Imported here: pipeline.components imports the scorecard component, which imports this.
        from pipeline.components._util import end_char, phrase_matcher, unit_of_token

        self.unit_of_token, self.end_char = unit_of_token, end_char
        specs = {name: spec for name, spec in signals.items() if not name.startswith("_")}
        self.names = tuple(specs)
        self.signals = {
            name: _Signal(
                name,
                tuple(
                    _Pattern(re.compile(p["regex"]), tuple(g.lower() for g in p["gate"]))
                    for p in spec.get("patterns", ())
                ),
                Terms(spec["only_with"]) if spec.get("only_with") else None,
                Terms(spec["unless_unit_has"]) if spec.get("unless_unit_has") else None,
            )
            for name, spec in specs.items()
        }
        self.patterned = tuple(s for s in self.signals.values() if s.patterns)
        gates = sorted({g for s in self.patterned for p in s.patterns for g in p.gate})
        phrases = {name: spec["phrases"] for name, spec in specs.items() if spec.get("phrases")}
        self.matcher = phrase_matcher(nlp, {**phrases, **{_GATE + g: [g] for g in gates}})
        self._label_signal = {nlp.vocab.strings[name]: self.signals[name] for name in phrases}
        self._label_gate = {nlp.vocab.strings[_GATE + g]: g for g in gates}

    def __call__(self, doc: Doc, units: list[Unit], text: str) -> SignalHits:
        """The hits in `doc`, whose text is `text`."""
        found = SignalHits(self.names, text)
        if not units:
            return found
        passes: dict[tuple[str, int], bool] = {}  # (signal, unit) -> does the unit pass its filters
        by_signal = found.by_signal
        owner = self.unit_of_token(doc)
        gated: dict[str, set[int]] = {}  # gate token -> units holding it
        label_signal, label_gate = self._label_signal, self._label_gate
        for label, start, end in self.matcher(doc):
            index = owner[start]
            if index < 0 or owner[end - 1] != index:
                continue
            signal = label_signal.get(label)
            if signal is None:
                gated.setdefault(label_gate[label], set()).add(index)
                continue
            if signal.filtered and not self._passes(signal, units[index], passes):
                continue
            by_signal[signal.name].append(
                SignalHit(signal.name, index, doc[start].idx, self.end_char(doc, end))
            )
        if gated:
            present = gated.keys()
            gate_units: dict[tuple[str, ...], list[int]] = {}  # patterns often share a gate
            for signal in self.patterned:
                hits = by_signal[signal.name]
                for pattern in signal.patterns:
                    if present.isdisjoint(pattern.gate):
                        continue
                    indexes = gate_units.get(pattern.gate)
                    if indexes is None:
                        indexes = gate_units[pattern.gate] = sorted(
                            {i for g in pattern.gate if g in gated for i in gated[g]}
                        )
                    for index in indexes:
                        unit = units[index]
                        for match in pattern.regex.finditer(unit.lower):
                            if signal.filtered and not self._passes(signal, unit, passes):
                                break
                            hits.append(
                                SignalHit(
                                    signal.name,
                                    index,
                                    unit.start_char + match.start(),
                                    unit.start_char + match.end(),
                                )
                            )
        return found

    @staticmethod
    def _passes(signal: _Signal, unit: Unit, cache: dict[tuple[str, int], bool]) -> bool:
        """Whether a hit of `signal` in `unit` counts (its only_with / unless_unit_has words)."""
        key = (signal.name, unit.index)
        verdict = cache.get(key)
        if verdict is None:
            verdict = cache[key] = (
                signal.only_with is None
                or signal.only_with.found_in(unit.lower, unit.words)
            ) and (signal.unless is None or not signal.unless.found_in(unit.lower, unit.words))
        return verdict


_GATE = "gate:"  # matcher label prefix of a pattern's gate token
