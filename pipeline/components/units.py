"""Sentence-level units: split each source block into sentences that survive abbreviations.

A unit never crosses a block boundary (heading, paragraph, list item), so headings stay whole.
Splitting is done on characters with one linear regex scan per block; candidate boundaries after
an abbreviation ("Dr.", "et al.", "J. Clin.") or inside a number ("5.3", "n = 60") are rejected.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.components._util import doc_text
from pipeline.analysis import Unit
from pipeline.extensions import set_unit_records
from pipeline.rulefile import load_rules
from pipeline.source import Block

# A terminator run, optional closing quotes/brackets, then whitespace and a plausible sentence
# start. The run is written "[.!?…][.!?…]*", not "[.!?…]+": a pattern that opens with a character
# class lets the engine skip to the next terminator, where one that opens with a repeat is tried
# at every character (two to three times as long).
_BOUNDARY = re.compile(r"[.!?…][.!?…]*[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


class UnitSegmenter:
    def __init__(self, abbreviations: set[str]) -> None:
        self.abbreviations = abbreviations

    def __call__(self, doc: Doc) -> Doc:
        source = doc._.source
        blocks = source.blocks if source is not None else _line_blocks(doc_text(doc))
        units: list[Unit] = []
        text = doc_text(doc)
        covered = 0  # tokens before this belong to a unit already
        for block_index, block in enumerate(blocks):
            for start, end in self._sentences(text, block):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is not None and span.start < covered:
                    # A cut inside a token (a 2,000-character "word") expands to the whole token
                    # on both sides: the token stays with the unit before.
                    span = doc[covered : span.end] if span.end > covered else None
                if span is None:
                    continue
                unit_text = text[span.start_char : span.end_char]
                if not unit_text.strip():
                    continue
                covered = span.end
                line, column = (source.source_position(span.start_char) if source is not None
                                else (None, None))
                units.append(Unit(len(units), span.start, span.end, span.start_char, span.end_char,
                                  unit_text, block.kind, block_index, line, column))
        # One array write: setting token.is_sent_start one by one rescans the Doc each time.
        # -1 = not a start
        sent_starts = numpy.full((len(doc), 1), -1, dtype="int64").astype("uint64")
        for unit in units:
            sent_starts[unit.start, 0] = 1
        if len(doc):
            doc.from_array([SENT_START], sent_starts)
        set_unit_records(doc, units)
        return doc

    def _sentences(self, text: str, block: Block) -> list[tuple[int, int]]:
        if block.kind == "heading":
            return [_strip(text, block.start, block.end)]
        out = []
        start = block.start
        chunk = text[block.start : block.end]
        for match in _BOUNDARY.finditer(chunk):
            cut = block.start + match.end()
            if self._is_abbreviation(text, block.start + match.start(), match.group()):
                continue
            out.append(_strip(text, start, cut))
            start = cut
        out.append(_strip(text, start, block.end))
        sentences = []
        for s, e in out:  # stripped already: only an over-long one needs `_cap_length`
            if e - s > MAX_UNIT_CHARS:
                sentences += _cap_length(text, s, e)
            elif e > s:
                sentences.append((s, e))
        return sentences

    def _is_abbreviation(self, text: str, dot: int, terminator: str) -> bool:
        if terminator[0] != ".":
            return False
        word = _WORD_BEFORE.search(text[max(0, dot - 20) : dot])
        if word is None:
            return False
        token = word.group(1)
        if len(token) == 1 and token.isupper():  # an initial: "A. B. Smith", "J. Clin."
            return True
        return token.lower().rstrip(".") in self.abbreviations


MAX_UNIT_CHARS = 2000  # a "sentence" longer than this is a run-on or junk: cut it at spaces


def _cap_length(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Keep units readable (and CSV fields under common reader limits) on unpunctuated text."""
    pieces = []
    while end - start > MAX_UNIT_CHARS:
        cut = text.rfind(" ", start + 1, start + MAX_UNIT_CHARS)
        cut = cut if cut > start else start + MAX_UNIT_CHARS
        pieces.append(_strip(text, start, cut))
        start = cut
    pieces.append(_strip(text, start, end))
    return [(s, e) for s, e in pieces if e > s]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _line_blocks(text: str) -> list[Block]:
    """Blocks for a Doc made without extraction (e.g. `nlp("...")` in a notebook): one per line."""
    blocks = []
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            kind = ("heading" if not blocks and len(line) < 120 and line.rstrip()[-1:] not in ".!:;"
                    else "paragraph")
            blocks.append(Block(offset, offset + len(line), kind, ((offset, number, 1),)))
        offset += len(line) + 1
    return blocks


@Language.factory(
    "claimscan_units",
    assigns=["token.is_sent_start", "doc.spans"],
    default_config={"abbreviations": "abbreviations.json"},
)
def make_unit_segmenter(nlp: Language, name: str, abbreviations: str) -> UnitSegmenter:
    words = load_rules(abbreviations, {"abbreviations": [str]})["abbreviations"]
    return UnitSegmenter({w.lower() for w in words})
