"""What ingestion hands to the NLP pipeline: plain text, its blocks, and where they came from."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

BLOCK_KINDS = ("heading", "paragraph", "list_item", "table_cell", "quote")


class InputError(Exception):
    """A problem with one input file: reported by name with a one-line reason, never fatal to a
    batch.

    `stage` says where it happened (`read`, `decode`, `extract`, `nlp`), `reason` is the one-line
    message a user sees, `detail` is optional extra context (e.g. the byte offset of a bad byte).
    """

    def __init__(self, stage: str, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.stage = stage
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Block:
    """A run of text that is never split across units: a heading, a paragraph, a list item.

    `start`/`end` are offsets into `SourceText.text`. `anchors` maps text offsets inside the block
    to 1-based source positions: a sorted tuple of (text_offset, line, column); the position of any
    offset is the last anchor at or before it, with the column advanced by the distance when the
    format keeps characters one-to-one (plain text) and left at the anchor otherwise.
    """

    start: int
    end: int
    kind: str
    anchors: tuple[tuple[int, int, int], ...]
    exact_columns: bool = True


@dataclass(frozen=True, slots=True)
class Directive:
    """A `<!-- claimscan: ... -->` comment (Markdown/HTML): its text (stripped), its 1-based line
    and column in the source file, and the index of the block it applies to (the block after it;
    `len(blocks)` for a comment after the last block, the block itself for a comment inside one)."""

    text: str
    line: int
    column: int
    block: int


@dataclass
class SourceText:
    """Extracted plain text of one article. Blocks are separated in `text` by a blank line."""

    text: str
    blocks: list[Block]
    format: str  # "text" | "markdown" | "html"
    title: str | None = None
    directives: list[Directive] = field(default_factory=list)  # `<!-- claimscan: ... -->` comments
    # Offsets (start, end) in `text` of italic runs (HTML <em>/<i>/<cite>, Markdown *emphasis*):
    # journal titles are usually set in italics.
    italic_spans: list[tuple[int, int]] = field(default_factory=list)
    _anchor_offsets: list[int] = field(default_factory=list, repr=False)
    _anchor_rows: list[tuple[int, int, int, bool]] = field(default_factory=list, repr=False)

    def source_position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) in the source file of the character at `offset` of `text`."""
        if not self._anchor_offsets:
            for block in self.blocks:
                for text_offset, line, column in block.anchors:
                    self._anchor_offsets.append(text_offset)
                    self._anchor_rows.append((text_offset, line, column, block.exact_columns))
        i = bisect_right(self._anchor_offsets, offset) - 1
        if i < 0:
            return (1, 1)
        text_offset, line, column, exact = self._anchor_rows[i]
        return (line, column + (offset - text_offset)) if exact else (line, column)
