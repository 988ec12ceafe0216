"""Turning a decoded article (plain text, Markdown or HTML) into `SourceText`: blocks of plain text
that keep track of where they came from in the source file.

The NLP pipeline never sees markup: only the text a reader would see, one block per heading,
paragraph, list item, table cell or quote, blocks separated by a blank line. Every block carries
anchors back to 1-based (line, column) positions in the source file, so that a finding can be
reported as `file:line:col`. Plain text keeps characters one-to-one within a line, so its columns
are exact; Markdown and HTML reflow lines and strip markup, so their anchors give the line (and a
best-effort column) where a block or source line starts.

Everything here runs in time linear in the input: no regular expression with nested
quantifiers, and no recursion over the HTML tree (pages nest thousands of elements deep).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import lxml.html
from lxml import etree
from markdown_it import MarkdownIt

from .source import Block, Directive, InputError, SourceText

FORMATS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}


def format_for(path: str | Path) -> str:
    """The format (`text`, `markdown` or `html`) of a file, from its suffix (case-insensitive)."""
    suffix = Path(path).suffix.lower()
    try:
        return FORMATS[suffix]
    except KeyError:
        raise InputError(
            "read",
            f"unsupported file type {suffix or '(none)'} (expected one of {', '.join(FORMATS)})",
        ) from None


def extract(raw: str, fmt: str, *, rules: BoilerplateRules | None = None) -> SourceText:
    """Extract the article text of `raw` (the decoded file) in format `fmt`.

    Raises `InputError(stage="extract", reason="no article text found")` when nothing readable
    is left (an empty page, a page of scripts). `rules` overrides the HTML boilerplate rules
    loaded from `configs/boilerplate.json`.
    """
    if fmt == "text":
        return _extract_text(raw)
    if fmt == "markdown":
        return _extract_markdown(raw, rules or load_boilerplate_rules())
    if fmt == "html":
        return _extract_html(raw, rules or load_boilerplate_rules())
    raise ValueError(f"unknown format {fmt!r} (expected text, markdown or html)")


def _source_lines(raw: str) -> list[str]:
    """The lines of the source as an editor numbers them: "\\r\\n", "\\r" and "\\n" each end one."""
    return raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# ---------------------------------------------------------------------------------------------
# Assembling blocks


@dataclass
class _Draft:
    """A block before its place in the final text is known (HTML moves the title to the front)."""

    kind: str
    text: str
    anchors: list[tuple[int, int, int]]  # (offset in `text`, line, column)
    exact: bool
    italics: list[tuple[int, int]] = field(default_factory=list)


class _Builder:
    """Collects drafts and directives in document order, then lays them out into a SourceText."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.directives: list[tuple[int, str]] = []

    def add(self, draft: _Draft) -> None:
        if draft.text:
            self.drafts.append(draft)

    def directive(self, comment: str) -> None:
        """Record a `claimscan:` comment against the block that follows it."""
        self.directives.append((len(self.drafts), comment))

    def move_to_front(self, index: int) -> None:
        self.drafts.insert(0, self.drafts.pop(index))
        self.directives = [
            (0 if k == index else k + 1 if k < index else k, text) for k, text in self.directives
        ]

    def insert_front(self, draft: _Draft) -> None:
        self.drafts.insert(0, draft)
        self.directives = [(k + 1, text) for k, text in self.directives]

    def build(self, fmt: str, title: str | None, raw: str = "") -> SourceText:
        """Lay the drafts out; `raw` (the source file) locates the directives' comments in it."""
        if not self.drafts:
            raise InputError("extract", "no article text found")
        parts: list[str] = []
        blocks: list[Block] = []
        italics: list[tuple[int, int]] = []
        pos = 0
        for d in self.drafts:
            if parts:
                parts.append("\n\n")
                pos += 2
            parts.append(d.text)
            anchors = _clean_anchors(d.anchors, len(d.text))
            blocks.append(
                Block(
                    start=pos,
                    end=pos + len(d.text),
                    kind=d.kind,
                    anchors=tuple((pos + o, line, col) for o, line, col in anchors),
                    exact_columns=d.exact,
                )
            )
            if d.italics:  # few blocks have any
                italics.extend((pos + s, pos + e) for s, e in d.italics
                               if 0 <= s < e <= len(d.text))
            pos += len(d.text)
        return SourceText(
            text="".join(parts),
            blocks=blocks,
            format=fmt,
            title=title,
            directives=_locate_directives(raw, sorted(self.directives, key=lambda d: d[0]), blocks),
            italic_spans=italics,
        )


def _clean_anchors(
    anchors: list[tuple[int, int, int]], length: int
) -> list[tuple[int, int, int]]:
    """Anchors sorted, one per offset (the last wins), inside the text, the first at offset 0."""
    out: list[tuple[int, int, int]] = []
    for off, line, col in sorted(anchors, key=lambda a: a[0]):  # stable: equal offsets keep order
        if off >= length and out:
            break
        if out and out[-1][0] == off:
            out[-1] = (off, line, col)
        else:
            out.append((off, line, col))
    if not out:
        return [(0, 1, 1)]
    if out[0][0] != 0:
        out[0] = (0, out[0][1], out[0][2])
    return out


class _Acc:
    """Text of one block being built from pieces, collapsing whitespace runs to one space.

    Leading and trailing whitespace is dropped. `mark` anchors the next character to a source
    position; `italic_open`/`italic_close` record italic runs, in offsets of this block's text.
    """

    __slots__ = ("parts", "length", "space", "anchors", "italics", "_open", "_gen")

    def __init__(self) -> None:
        self._gen = 0
        self._reset()

    def _reset(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.space = False
        self.anchors: list[tuple[int, int, int]] = []
        self.italics: list[tuple[int, int]] = []
        self._open: list[tuple[int, int]] = []
        self._gen += 1

    def add(self, s: str) -> None:
        if not s:
            return
        words = s.split()
        if not words:
            self.space = True
            return
        if self.length and (self.space or s[0].isspace()):
            self.parts.append(" ")
            self.length += 1
        joined = words[0] if len(words) == 1 else " ".join(words)
        self.parts.append(joined)
        self.length += len(joined)
        self.space = s[-1].isspace()

    def next_offset(self) -> int:
        return self.length + 1 if self.length and self.space else self.length

    def mark(self, line: int, column: int) -> None:
        off = self.next_offset()
        if self.anchors and self.anchors[-1][0] >= off:
            self.anchors[-1] = (off, line, column)
        else:
            self.anchors.append((off, line, column))

    def italic_open(self) -> None:
        self._open.append((self._gen, self.next_offset()))

    def italic_close(self) -> None:
        if self._open:
            gen, start = self._open.pop()
            if gen == self._gen and self.length > start:
                self.italics.append((start, self.length))

    def take(self, kind: str) -> _Draft:
        """The block built so far, and a fresh start (open italic runs are abandoned)."""
        draft = _Draft(kind, "".join(self.parts), self.anchors, False, self.italics)
        self._reset()
        return draft


# ---------------------------------------------------------------------------------------------
# Plain text

# Lines longer than this are not hard-wrapped prose: wrapped text stays under ~80-100 columns.
_LONG_LINE = 100
# A heading is shorter than this.
_HEADING_MAX = 120
# Closing quotes, brackets and emphasis marks looked through when checking how a line ends.
_CLOSERS = "\"'\u201d\u2019\u00bb)]*_"
_SENTENCE_END = set(".!?:;\u2026")
_NOT_HEADING_END = set(".!:;,\u2026")
_BULLET = re.compile(r"(?:[-*+\u2022\u25e6\u25aa\u2023]|\d{1,3}[.)])[ \t]+(?=\S)")


def _last_char(s: str) -> str:
    # spaces too: "It's like 'Star Trek.' " ends a sentence inside loosely typed quotes
    return s.rstrip(_CLOSERS + " \t")[-1:]


def _extract_text(raw: str) -> SourceText:
    """Plain text: paragraphs are separated by blank lines, or are one per line.

    Files come in two shapes. Hard-wrapped text (lines under ~100 columns, a blank line between
    paragraphs) joins the lines of a paragraph with a space. Unwrapped text, where each line is a
    paragraph (like text copied out of a web page or word processor: the seed article), is
    recognised by its long lines (at least 30 % over 100 characters); there a line that ends a
    sentence ends its block. Either way a short line without closing punctuation (or ending in
    "?") that opens a paragraph and is not the last line is a heading, and a line starting with a
    bullet or "1." starts a list item. Text within a line is kept character for character, so
    `source_position` gives exact columns.
    """
    lines = _source_lines(raw)
    stripped = [ln.strip() for ln in lines]
    nonblank = [i for i, s in enumerate(stripped) if s]
    builder = _Builder()
    if not nonblank:
        return builder.build("text", None)
    long_lines = sum(1 for i in nonblank if len(stripped[i]) > _LONG_LINE)
    per_line = long_lines * 10 >= 3 * len(nonblank)
    last = nonblank[-1]

    def is_heading(i: int, after_blank: bool) -> bool:
        s = stripped[i]
        if i == last or len(s) >= _HEADING_MAX or _last_char(s) in _NOT_HEADING_END:
            return False
        if per_line:
            return True
        if not after_blank:
            return False
        if not stripped[i + 1]:
            return True
        # Wrapped text, the next line follows directly: a heading only if this cannot be the
        # first line of a wrapped paragraph.
        return len(s) <= 60 and not stripped[i + 1][0].islower()

    pieces: list[tuple[int, int, str]] = []  # (line, column, text)
    kind = "paragraph"

    def flush() -> None:
        nonlocal pieces
        if not pieces:
            return
        anchors = []
        texts = []
        off = 0
        for line, col, text in pieces:
            anchors.append((off, line, col))
            texts.append(text)
            off += len(text) + 1
        builder.add(_Draft(kind, " ".join(texts), anchors, True))
        pieces = []

    after_blank = True
    for i, s in enumerate(stripped):
        if not s:
            flush()
            after_blank = True
            continue
        line = lines[i]
        col = len(line) - len(line.lstrip()) + 1
        if is_heading(i, after_blank):
            flush()
            kind = "heading"
            pieces = [(i + 1, col, s)]
            flush()
        else:
            m = _BULLET.match(s)
            if m:
                flush()
                kind = "list_item"
                s = s[m.end():]
                col += m.end()
            elif not pieces:
                kind = "paragraph"
            pieces.append((i + 1, col, s))
            if per_line and _last_char(s) in _SENTENCE_END:
                flush()
        after_blank = False
    flush()
    first = builder.drafts[0] if builder.drafts else None
    title = first.text if first is not None and first.kind == "heading" else None
    return builder.build("text", title)


# ---------------------------------------------------------------------------------------------
# Markdown


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # CommonMark plus GFM tables and strikethrough; raw HTML is parsed so it can be stripped.
    # markdown-it drops whatever is nested deeper than maxNesting (default 20: a 10-level list).
    # Its parser recurses about 3 Python frames per level, so 50 levels stay far below the
    # interpreter's recursion limit while covering anything a person writes.
    return MarkdownIt("commonmark", {"html": True, "maxNesting": 50}).enable(
        ["table", "strikethrough"]
    )


# Block markers in front of a Markdown line's text: indentation, quote marks, list bullet, task
# box, heading hashes. Each part is optional and consumes a distinct prefix, so matching is linear.
_MD_PREFIX = re.compile(
    r"[ \t]*(?:>[ \t]?)*[ \t]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?(?:\[[ xX]\][ \t]+)?(?:#{1,6}[ \t]+)?"
)
_FRONT_MATTER_KEY = re.compile(r"[A-Za-z_][\w-]*[ \t]*[:=]")
_FRONT_MATTER_TITLE = re.compile(r"title[ \t]*[:=][ \t]*(.*)", re.IGNORECASE)
_INLINE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_ITALIC_TAGS = frozenset({"em", "i", "cite"})


def _front_matter(lines: list[str]) -> tuple[int, str | None, int]:
    """(lines taken by a leading YAML `---` or TOML `+++` block, its title, the title's line).

    Blog engines put metadata there; parsed as Markdown it would become a bogus heading.
    """
    if len(lines) < 3 or lines[0].rstrip() not in ("---", "+++"):
        return 0, None, 0
    if not _FRONT_MATTER_KEY.match(lines[1]):
        return 0, None, 0
    closers = ("---", "...") if lines[0].rstrip() == "---" else ("+++",)
    end = next((j for j in range(1, len(lines)) if lines[j].rstrip() in closers), None)
    if end is None:
        return 0, None, 0
    for k in range(1, end):
        m = _FRONT_MATTER_TITLE.match(lines[k])
        if m:
            title = m.group(1).strip().strip("\"'").strip()
            if title:
                return end + 1, title, k + 1
    return end + 1, None, 0


def _extract_markdown(raw: str, rules: BoilerplateRules) -> SourceText:
    """Markdown via markdown-it (CommonMark + tables): one block per heading, paragraph, list
    item (its paragraphs joined; nested items are blocks of their own), quoted paragraph, table
    cell and code block. Inline markup is stripped: link text stays (not the URL), images keep
    their alt text, emphasis is recorded in `italic_spans`, raw HTML tags are dropped and raw
    HTML blocks go through the HTML extractor. `<!-- claimscan: ... -->` comments become
    directives. Each block is anchored at its first source line (column after the block
    markers), plus one anchor per further source line of a paragraph.
    """
    lines = _source_lines(raw)
    skip, fm_title, fm_line = _front_matter(lines)
    src = "\n" * skip + "\n".join(lines[skip:])
    builder = _Builder()
    walker = _MarkdownWalker(builder, lines, rules)
    walker.walk(_markdown().parse(src))
    title = None
    if walker.h1_index is not None:
        title = builder.drafts[walker.h1_index].text
    elif fm_title and builder.drafts:
        builder.insert_front(_Draft("heading", fm_title, [(0, fm_line, 1)], False))
        title = fm_title
    return builder.build("markdown", title, raw)


class _MarkdownWalker:
    """Walks markdown-it's flat token stream, keeping a stack of open list items and quotes."""

    def __init__(self, builder: _Builder, lines: list[str], rules: BoilerplateRules) -> None:
        self.b = builder
        self.lines = lines
        self.rules = rules
        self.containers: list[str] = []  # "li" | "quote", innermost last
        self.items: list[_Acc] = []  # text of open list items
        self.h1_index: int | None = None
        self.next_kind = "paragraph"
        self.is_h1 = False
        self.cell_cursor = (-1, 0)  # (line, column) searched up to, for table cells

    def _col(self, line: int) -> int:
        """1-based column where the text of 0-based source line `line` starts."""
        if not 0 <= line < len(self.lines):
            return 1
        return _MD_PREFIX.match(self.lines[line]).end() + 1

    def _flush_item(self) -> None:
        if self.items and self.items[-1].length:
            self.b.add(self.items[-1].take("list_item"))

    def walk(self, tokens: Iterable) -> None:
        for tok in tokens:
            t = tok.type
            if t == "heading_open":
                self._flush_item()
                self.next_kind = "heading"
                self.is_h1 = tok.tag == "h1"
            elif t == "paragraph_open":
                self.next_kind = "paragraph"
            elif t in ("th_open", "td_open"):
                self._flush_item()
                self.next_kind = "table_cell"
            elif t == "inline":
                self._inline(tok)
            elif t == "list_item_open":
                self._flush_item()
                self.containers.append("li")
                self.items.append(_Acc())
            elif t == "list_item_close":
                self._flush_item()
                self.containers.pop()
                self.items.pop()
            elif t == "blockquote_open":
                self._flush_item()
                self.containers.append("quote")
            elif t == "blockquote_close":
                self.containers.pop()
            elif t in ("fence", "code_block"):
                self._flush_item()
                acc = _Acc()
                start = tok.map[0] + (1 if t == "fence" else 0) if tok.map else 0
                acc.mark(start + 1, self._col(start) if t == "fence" else 1)
                acc.add(tok.content)
                self.b.add(acc.take("paragraph"))
            elif t == "html_block":
                self._flush_item()
                self._html_block(tok)

    def _inline(self, tok) -> None:
        line = tok.map[0] if tok.map else 0
        kind = self.next_kind
        self.next_kind = "paragraph"
        if kind == "paragraph" and self.containers and self.containers[-1] == "li":
            acc = self.items[-1]
            acc.add(" ")
            acc.mark(line + 1, self._col(line))
            self._render(tok.children or [], acc, line)
            return
        acc = _Acc()
        if kind == "table_cell":
            acc.mark(line + 1, self._cell_col(line, tok.content))
        else:
            acc.mark(line + 1, self._col(line))
        self._render(tok.children or [], acc, line)
        if kind == "paragraph" and self.containers and self.containers[-1] == "quote":
            kind = "quote"
        if kind == "heading" and self.is_h1 and self.h1_index is None and acc.length:
            self.h1_index = len(self.b.drafts)
        self.b.add(acc.take(kind))

    def _cell_col(self, line: int, content: str) -> int:
        if not 0 <= line < len(self.lines):
            return 1
        text = self.lines[line]
        start = self.cell_cursor[1] if self.cell_cursor[0] == line else 0
        needle = content.strip()
        i = text.find(needle, start) if needle else -1
        if i < 0:
            return 1
        self.cell_cursor = (line, i + len(needle))
        return i + 1

    def _render(self, children: list, acc: _Acc, line: int) -> int:
        for c in children:
            t = c.type
            if t in ("text", "text_special", "code_inline"):
                acc.add(c.content)
            elif t in ("softbreak", "hardbreak"):
                acc.add(" ")
                line += 1
                acc.mark(line + 1, self._col(line))
            elif t == "image":
                line = self._render(c.children or [], acc, line)
            elif t == "em_open":
                acc.italic_open()
            elif t == "em_close":
                acc.italic_close()
            elif t == "html_inline":
                self._inline_html(c.content, acc)
        return line

    def _inline_html(self, content: str, acc: _Acc) -> None:
        if content.startswith("<!--"):
            _record_comment(self.b, content[4:].removesuffix("-->"))
            return
        m = _INLINE_TAG.match(content)
        if not m:
            return
        name = m.group(2).lower()
        if name == "br":
            acc.add(" ")
        elif name in _ITALIC_TAGS:
            if m.group(1):
                acc.italic_close()
            else:
                acc.italic_open()

    def _html_block(self, tok) -> None:
        root = _parse_html("<div>" + tok.content + "</div>")
        if root is None:
            return
        body = root.find("body")
        content = body if body is not None else root
        offset = tok.map[0] if tok.map else 0
        walker = _HtmlWalker(self.b, self.rules, self.lines, line_offset=offset)
        walker.walk(root, content, None)


_DIRECTIVE = re.compile(r"\s*claimscan\b", re.IGNORECASE)
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_DIRECTIVE_PREFIX = re.compile(r"^\s*claimscan\b\s*:?\s*", re.IGNORECASE)


def _locate_directives(raw: str, found: list[tuple[int, str]],
                       blocks: list[Block]) -> list[Directive]:
    """Each directive's comment found in `raw` (in order) for its line and column; a comment that
    cannot be found there is placed at the start of its block."""
    comments = [(m.start(), m.group(1).strip()) for m in _COMMENT.finditer(raw)] if found else []
    out = []
    cursor = 0
    for index, text in found:
        position = None
        for i in range(cursor, len(comments)):
            if (comments[i][1] == text or _DIRECTIVE_PREFIX.sub("", comments[i][1])
                    == _DIRECTIVE_PREFIX.sub("", text)):
                position, cursor = comments[i][0], i + 1
                break
        if position is not None:
            line = raw.count("\n", 0, position) + 1
            column = position - (raw.rfind("\n", 0, position) + 1) + 1
        elif index < len(blocks) and blocks[index].anchors:
            _, line, column = blocks[index].anchors[0]
        else:
            line, column = 1, 1
        out.append(Directive(text, line, column, index))
    return out


def _record_comment(builder: _Builder, comment: str | None) -> None:
    """Keep a `<!-- claimscan: ... -->` comment as a directive; other comments are dropped."""
    if comment and _DIRECTIVE.match(comment):
        builder.directive(comment.strip())


# ---------------------------------------------------------------------------------------------
# HTML


@dataclass(frozen=True)
class BoilerplateRules:
    """What to drop from an HTML page before extracting text (see configs/boilerplate.json)."""

    drop_tags: frozenset[str]
    drop_tokens: frozenset[str]
    drop_names: frozenset[str]
    drop_roles: frozenset[str]
    drop_styles: tuple[str, ...]
    title_exclude_tokens: frozenset[str]

    @classmethod
    def from_dict(cls, data: dict) -> BoilerplateRules:
        def words(key: str) -> frozenset[str]:
            return frozenset(str(w).lower() for w in data.get(key, ()))

        return cls(
            drop_tags=words("drop_tags"),
            drop_tokens=words("drop_tokens"),
            drop_names=words("drop_names"),
            drop_roles=words("drop_roles"),
            drop_styles=tuple(str(s).lower().replace(" ", "") for s in data.get("drop_styles", ())),
            title_exclude_tokens=words("title_exclude_tokens"),
        )


def _config_path(name: str) -> Path:
    """A file under configs/: beside the package in a checkout, inside it in an installed wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "configs" / name, here / "configs" / name):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"configs/{name} not found next to the pipeline package")


@lru_cache(maxsize=None)
def load_boilerplate_rules(path: str | None = None) -> BoilerplateRules:
    """The HTML boilerplate rules from `path`, or from the project's configs/boilerplate.json."""
    file = Path(path) if path else _config_path("boilerplate.json")
    return BoilerplateRules.from_dict(json.loads(file.read_text(encoding="utf-8")))


_TOKEN_SPLIT = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")

# Elements that are blocks of their own. None: the kind of the enclosing list item, quote or
# table cell, else "paragraph".
_BLOCK_KIND: dict[str, str | None] = {
    **{f"h{n}": "heading" for n in range(1, 7)},
    "p": None,
    "li": "list_item",
    "dt": "list_item",
    "dd": "list_item",
    "blockquote": "quote",
    "td": "table_cell",
    "th": "table_cell",
    "figcaption": None,
    "pre": None,
    "caption": None,
    "summary": None,
    "address": None,
    "legend": None,
}
_INHERITED_KINDS = frozenset({"list_item", "quote", "table_cell"})
# Layout elements: their own loose text forms paragraphs, broken at their edges.
_BREAK_TAGS = frozenset(
    """html body div section article main header footer nav aside ul ol dl menu table thead
    tbody tfoot tr figure details hr center fieldset hgroup form dialog noscript""".split()
)
_SOURCELINE_CAP = 65535  # libxml2's HTML parser stores line numbers in 16 bits


def _extract_html(raw: str, rules: BoilerplateRules) -> SourceText:
    """HTML via lxml (libxml2's forgiving parser: unclosed and stray tags are fine).

    The content is the largest <article>, else <main>, else role=main, else <body> (the next
    candidate is tried when one yields no text), with boilerplate dropped by `rules`. The title
    <h1> (the first in the content, else a non-logo <h1> elsewhere on the page) becomes the
    first block; without one, the <title> does. Each block is anchored at its element's source
    line, with the column where its first word is found on that line (else column 1).
    """
    src = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines = src.split("\n")
    root = _parse_html(src)
    if root is None:
        raise InputError("extract", "no article text found")
    builder = _Builder()
    walker = None
    for content in _content_candidates(root):
        builder = _Builder()
        h1 = _title_h1(root, content, rules)
        walker = _HtmlWalker(builder, rules, lines)
        walker.walk(root, content, h1)
        if builder.drafts:
            break
    if not builder.drafts or walker is None:
        raise InputError("extract", "no article text found")
    title = None
    if walker.h1_index is not None:
        builder.move_to_front(walker.h1_index)
        title = builder.drafts[0].text
    else:
        title_el = root.find("head/title")
        if title_el is not None:
            text = " ".join((title_el.text or "").split())
            if " | " in text:  # "Article title | Site name"
                text = max(text.split(" | "), key=len).strip()
            if text:
                line = title_el.sourceline or 1
                builder.insert_front(_Draft("heading", text, [(0, line, 1)], False))
                title = text
    return builder.build("html", title, raw)


def _html_parser() -> lxml.html.HTMLParser:
    # A fresh parser per document: lxml parsers are not safe to share between threads.
    return lxml.html.HTMLParser(
        encoding="utf-8",
        huge_tree=True,
        remove_comments=False,
        remove_pis=True,
        no_network=True,
    )


def _parse_html(src: str):
    """Parse HTML text; returns the root element or None for an empty document.

    The text is handed to libxml2 as UTF-8 bytes with the encoding forced, so a stale
    `<meta charset>` cannot make it re-decode text that was already decoded. libxml2 refuses to
    nest deeper than 2048 elements even with huge_tree and silently drops the rest of the page;
    when it reports that, the page is parsed again with the excess nesting flattened.
    """
    data = src.encode("utf-8", "replace")
    parser = _html_parser()
    root = etree.fromstring(data, parser)
    if any(
        e.type_name == "ERR_RESOURCE_LIMIT" and "depth" in e.message.lower()
        for e in parser.error_log
    ):
        root = etree.fromstring(_flatten_nesting(src).encode("utf-8", "replace"), _html_parser())
    return root


_VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
_RAW_TEXT_TAGS = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed"})
_TAG_START = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_RAW_END: dict[str, re.Pattern] = {}


def _flatten_nesting(src: str, limit: int = 1000) -> str:
    """Remove start and end tags nested deeper than `limit`, keeping their text (and newlines,
    so line numbers still match). Script-like elements that deep are removed with their content.

    A single linear scan with str.find; tags are recognised approximately (a ">" inside an
    attribute value ends the tag early), which is good enough for pages this pathological.
    """
    out: list[str] = []
    stack: list[tuple[str, bool]] = []
    kept = 0
    pos = 0
    n = len(src)
    while pos < n:
        lt = src.find("<", pos)
        if lt < 0:
            out.append(src[pos:])
            break
        out.append(src[pos:lt])
        if src.startswith("<!--", lt):
            end = src.find("-->", lt + 4)
            end = n if end < 0 else end + 3
            out.append(src[lt:end])
            pos = end
            continue
        m = _TAG_START.match(src, lt)
        if not m:
            out.append("<")
            pos = lt + 1
            continue
        gt = src.find(">", m.end())
        if gt < 0:
            out.append(src[lt:])
            break
        tag = src[lt:gt + 1]
        closing, name = m.group(1), m.group(2).lower()
        pos = gt + 1
        deep = kept >= limit
        if closing:
            for depth in range(len(stack) - 1, max(-1, len(stack) - 100), -1):
                if stack[depth][0] == name:
                    for _, was_kept in stack[depth:]:
                        kept -= was_kept
                    keep_end = stack[depth][1]
                    del stack[depth:]
                    out.append(tag if keep_end else "\n" * tag.count("\n"))
                    break
            else:
                out.append(tag)
        elif name in _RAW_TEXT_TAGS:
            pattern = _RAW_END.setdefault(name, re.compile(rf"</{name}\s*>", re.IGNORECASE))
            end_m = pattern.search(src, pos)
            end = end_m.end() if end_m else n
            element = src[lt:end]
            out.append("\n" * element.count("\n") if deep else element)
            pos = end
        elif name in _VOID_TAGS or tag.endswith("/>"):
            out.append(tag)
        else:
            stack.append((name, not deep))
            if deep:
                out.append("\n" * tag.count("\n"))
            else:
                kept += 1
                out.append(tag)
    return "".join(out)


def _text_len(el) -> int:
    return len(el.text_content())


def _content_candidates(root) -> list:
    """Elements that may hold the article, best first: the largest <article>, <main>,
    role=main, <body>."""
    candidates = []
    articles = list(root.iter("article"))
    if articles:
        candidates.append(max(articles, key=_text_len))
    main = next(root.iter("main"), None)
    if main is not None:
        candidates.append(main)
    role_main = next(
        (
            el
            for el in root.iter()
            if isinstance(el.tag, str) and el.get("role", "").lower() == "main"
        ),
        None,
    )
    if role_main is not None:
        candidates.append(role_main)
    body = root.find("body")
    if body is not None:
        candidates.append(body)
    seen: set = set()
    unique = []
    for c in candidates:
        if c not in seen:
            seen.add(c)
            unique.append(c)
    return unique


def _class_tokens(el) -> tuple[set[str], set[str]]:
    """(tokens, whole names) of an element's id and class attributes, lower-cased."""
    names: set[str] = set()
    tokens: set[str] = set()
    for attr in ("id", "class"):
        value = el.get(attr)
        if not value:
            continue
        for name in value.split():
            names.add(name.lower())
            tokens.update(t.lower() for t in _TOKEN_SPLIT.split(name) if t)
    return tokens, names


def _title_h1(root, content, rules: BoilerplateRules):
    """The <h1> that titles the article: the first one in the content that is not inside
    boilerplate, else the first one elsewhere that is not inside page navigation and not a logo."""
    protected = frozenset(_ancestors(content))
    for n, h1 in enumerate(content.iter("h1")):
        if n >= 20:
            break
        checker = _DropChecker(rules, content, protected, h1)
        if not any(checker.dropped(a) for a in _ancestors(h1, stop=content)):
            return h1
    furniture = {"nav", "aside", "footer", "form", "template", "noscript", "script", "style"}
    for n, h1 in enumerate(root.iter("h1")):
        if n >= 20:
            break
        if any(a is content for a in h1.iterancestors()):
            continue
        if any(a.tag in furniture for a in h1.iterancestors()):
            continue
        marks = set()
        for el in h1.iter():
            if isinstance(el.tag, str):
                marks |= _class_tokens(el)[0]
        if marks & rules.title_exclude_tokens or not h1.text_content().strip():
            continue
        return h1
    return None


def _ancestors(el, stop=None) -> list:
    """`el` and its ancestors, up to (not including) `stop`."""
    out = []
    while el is not None and el is not stop:
        out.append(el)
        el = el.getparent()
    return out


class _DropChecker:
    """Decides whether an element is boilerplate, by the rules and a few protections: the
    content root and its ancestors, and an element holding most of the content's text, are never
    dropped by attribute rules (a wrapper classed "has-sidebar" is still the article)."""

    def __init__(self, rules: BoilerplateRules, content, protected: frozenset, h1) -> None:
        self.rules = rules
        self.content = content
        self.protected = protected
        self.h1_holders = frozenset(_ancestors(h1, stop=content)) if h1 is not None else frozenset()
        self._total: int | None = None

    def dropped(self, el) -> bool:
        tag = el.tag
        if tag in self.rules.drop_tags:
            # The article's own header (title, byline, date) stays.
            return not (tag == "header" and el in self.h1_holders)
        if el in self.protected or tag in ("html", "body", "main", "article"):
            return False
        attrib = el.attrib
        if not attrib:
            return False
        if not self._attribute_match(el, attrib):
            return False
        if self._total is None:
            self._total = _text_len(self.content)
        return _text_len(el) * 2 <= self._total or self._total == 0

    def _attribute_match(self, el, attrib) -> bool:
        rules = self.rules
        if "hidden" in attrib:
            return True
        if attrib.get("aria-hidden", "").strip().lower() == "true":
            return True
        style = attrib.get("style")
        if style:
            style = style.lower().replace(" ", "")
            if any(s in style for s in rules.drop_styles):
                return True
        role = attrib.get("role")
        if role and rules.drop_roles.intersection(role.lower().split()):
            return True
        if "id" in attrib or "class" in attrib:
            tokens, names = _class_tokens(el)
            if tokens & rules.drop_tokens or names & rules.drop_names:
                return True
        return False


class _Context:
    """An open block element (or the page itself) collecting text."""

    __slots__ = ("kind", "acc", "is_title")

    def __init__(self, kind: str, is_title: bool = False) -> None:
        self.kind = kind
        self.acc = _Acc()
        self.is_title = is_title


class _HtmlWalker:
    """Walks a parsed page in document order with an explicit stack (no recursion), emitting a
    block for each block element and for loose text in layout elements.

    Only the content root and the title <h1> are "active" (produce text); the rest of the page is
    visited just far enough to reach them, and to collect `claimscan:` comments everywhere.
    """

    def __init__(
        self, builder: _Builder, rules: BoilerplateRules, lines: list[str], line_offset: int = 0
    ) -> None:
        self.b = builder
        self.rules = rules
        self.lines = lines
        self.line_offset = line_offset
        self.h1_index: int | None = None
        self.line = 1 + line_offset  # current source line estimate
        self.cursor = (0, 0)  # (line, column) searched up to on that line

    def walk(self, root, content, h1) -> None:
        targets = set(_ancestors(content))
        if h1 is not None:
            targets.update(_ancestors(h1))
        self.checker = _DropChecker(self.rules, content, frozenset(_ancestors(content)), h1)
        self.h1 = h1
        self.contexts = [_Context("paragraph")]
        for sibling in reversed(list(root.itersiblings(preceding=True))):
            self._comment(sibling)
        # Frames: (element, closing, parent_active, active, opened_context, italic)
        stack: list[tuple] = [(root, False, False, False, False, False)]
        while stack:
            el, closing, parent_active, active, opened, italic = stack.pop()
            if closing:
                if italic:
                    self.contexts[-1].acc.italic_close()
                if opened:
                    self._flush(self.contexts.pop())
                elif active and el.tag in _BREAK_TAGS:
                    self._flush(self.contexts[-1])
                if parent_active:
                    self._text(el.tail)
                continue
            tag = el.tag
            if not isinstance(tag, str):  # comment or processing instruction
                self._comment(el)
                if parent_active:
                    self._text(el.tail)
                continue
            active = parent_active or el is content or el is h1
            if active and el is not content and el is not h1 and self.checker.dropped(el):
                active = False
            if not active and el not in targets:
                for c in el.iter(etree.Comment):
                    self._comment(c)
                if parent_active:
                    self._text(el.tail)
                continue
            self._resync(el)
            opened = italic = False
            if active:
                kind = _BLOCK_KIND.get(tag, "")
                if kind != "":
                    parent = self.contexts[-1]
                    self._flush(parent)
                    if kind is None:
                        kind = parent.kind if parent.kind in _INHERITED_KINDS else "paragraph"
                    self.contexts.append(_Context(kind, el is h1))
                    opened = True
                elif tag in _BREAK_TAGS:
                    self._flush(self.contexts[-1])
                elif tag == "br":
                    self.contexts[-1].acc.add(" ")
                elif tag in _ITALIC_TAGS:
                    self.contexts[-1].acc.italic_open()
                    italic = True
                self._text(el.text)
            stack.append((el, True, parent_active, active, opened, italic))
            for child in reversed(el):
                stack.append((child, False, active, False, False, False))
        self._flush(self.contexts[0])
        for sibling in root.itersiblings():
            self._comment(sibling)

    def _comment(self, el) -> None:
        if el.tag is etree.Comment:
            _record_comment(self.b, el.text)

    def _resync(self, el) -> None:
        line = el.sourceline
        if line:
            line += self.line_offset
            if el.sourceline < _SOURCELINE_CAP or line > self.line:
                self.line = line

    def _text(self, s: str | None) -> None:
        if not s:
            return
        ctx = self.contexts[-1]
        acc = ctx.acc
        if not acc.length and not s.isspace():
            # First words of a block: anchor them to their line and, if found there, column.
            lead = len(s) - len(s.lstrip())
            line = self.line + s.count("\n", 0, lead)
            acc.mark(line, self._column(line, s.split(None, 1)[0]))
        self.line += s.count("\n")
        acc.add(s)

    def _column(self, line: int, word: str) -> int:
        if not 1 <= line <= len(self.lines):
            return 1
        text = self.lines[line - 1]
        start = self.cursor[1] if self.cursor[0] == line else 0
        word = word[:30]
        window = start + len(word) + 5000  # bounded search: minified pages are one long line
        i = text.find(">" + word, start, window)
        i = i + 1 if i >= 0 else text.find(word, start, window)
        if i < 0:
            # A leading quote or dash may be written as an entity (&ldquo;Even): find the word.
            core = word[next((k for k, ch in enumerate(word) if ch.isalnum()), 0):]
            if core and core != word:
                i = text.find(core, start, window)
        if i < 0:
            return 1
        self.cursor = (line, i + len(word))
        return i + 1

    def _flush(self, ctx: _Context) -> None:
        if not ctx.acc.length:
            return
        if ctx.is_title and self.h1_index is None:
            self.h1_index = len(self.b.drafts)
        self.b.add(ctx.acc.take(ctx.kind))
