"""Build the reviewer's HTML report: rows per article → view objects → one self-contained file.

    from pipeline.report.build import write_report
    report = write_report(["corpus"], Path("out/report.html"))   # returns the Report it rendered

The flow: `collect` (pipeline.api.iter_results) → `build_report` (counts, per-code totals, units
grouped into paragraphs and split into cue segments, studies with back links) → `render_html`
(Jinja2 template with autoescape on). Python never assembles HTML: every piece of article text
reaches the template as plain strings, and Jinja escapes it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LIST_SEPARATOR = "; "  # as in pipeline.records (kept literal so this module imports cheaply)
TEMPLATE = "report.html.j2"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Kinds in the order the legend shows them (SPEC: claims.csv `kind`).
KINDS = (
    "finding", "recommendation", "mechanism", "conclusion", "background",
    "study_description", "caveat", "question", "heading", "other",
)
CUE_TYPES = ("hedge", "booster")


# --------------------------------------------------------------------------- counts


@dataclass
class ArticleCounts:
    """What the index shows per article (and, with article="", the totals)."""

    article: str
    units: int = 0
    claims: int = 0  # rows with is_claim
    hedged: int = 0  # claim rows with a non-empty `hedges`
    unsupported: int = 0  # rows with unsupported
    flagged: int = 0  # rows with any flag code
    studies: int = 0
    errors: int = 0  # 1 if the article could not be processed
    error: str = ""  # the one-line reason, if it failed

    @property
    def unsupported_share(self) -> float | None:
        return self.unsupported / self.claims if self.claims else None

    def add(self, other: ArticleCounts) -> None:
        for name in ("units", "claims", "hedged", "unsupported", "flagged", "studies", "errors"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _true(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)


def split_list(value: Any) -> list[str]:
    """A `; `-joined cell as a list (empty cell → [])."""
    if value is None or not isinstance(value, str):
        return []
    return [part.strip() for part in value.split(";") if part.strip()]


def count_rows(article: str, claims: Sequence[Mapping[str, Any]], studies: Sequence[Mapping[str, Any]] = (),
               error: str = "") -> ArticleCounts:
    """Counts of one article from its claims.csv/studies.csv rows."""
    claim_rows = [r for r in claims if _true(r.get("is_claim"))]
    return ArticleCounts(
        article=article,
        units=len(claims),
        claims=len(claim_rows),
        hedged=sum(1 for r in claim_rows if split_list(r.get("hedges"))),
        unsupported=sum(1 for r in claims if _true(r.get("unsupported"))),
        flagged=sum(1 for r in claims if split_list(r.get("flags"))),
        studies=len(studies),
        errors=1 if error else 0,
        error=error,
    )


def count_article(result: Any) -> ArticleCounts:
    """Counts of one `pipeline.api.ArticleResult` (what `claimscan run` passes to the summary)."""
    error = ""
    if result.error is not None:
        error = result.error.error or "error"
    return count_rows(result.article, result.claims, result.studies, error)


def code_totals(rows: Iterable[Mapping[str, Any]]) -> Counter:
    """How many rows carry each flag code (from the `flags` column)."""
    totals: Counter = Counter()
    for row in rows:
        totals.update(split_list(row.get("flags")))
    return totals


# --------------------------------------------------------------------------- cue segments


def _cue_pattern(phrase: str, whole_words: bool = True) -> re.Pattern[str]:
    """The phrase, any whitespace between its words; as whole words, or (fallback) as word starts
    running to the end of the word ("suggest" → "suggests")."""
    words = [re.escape(w) for w in phrase.split()]
    body = r"\s+".join(words) if words else re.escape(phrase)
    left = r"(?<!\w)" if phrase[:1].isalnum() else ""
    right = (r"(?!\w)" if whole_words else r"\w*") if phrase[-1:].isalnum() else ""
    return re.compile(left + body + right, re.IGNORECASE)


def segments(text: str, cues: Mapping[str, Sequence[str]]) -> list[tuple[str, str | None]]:
    """Split `text` into `(piece, cue_type)` pairs; cue_type is None outside any cue.

    Every occurrence of each cue phrase is found case-insensitively, as whole words (when a cue
    has no whole-word occurrence, words starting with it). Overlaps go to the earlier, then the
    longer match. Joining the pieces gives `text` back unchanged.
    """
    found: list[tuple[int, int, str]] = []
    for cue_type, phrases in cues.items():
        for phrase in phrases:
            phrase = phrase.strip()
            if not phrase:
                continue
            matches = [(m.start(), m.end()) for m in _cue_pattern(phrase).finditer(text)]
            if not matches:
                matches = [(m.start(), m.end()) for m in _cue_pattern(phrase, whole_words=False).finditer(text)]
            found.extend((start, end, cue_type) for start, end in matches if end > start)
    found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, cue_type in found:
        if start < pos:
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], cue_type))
        pos = end
    if pos < len(text) or not out:
        out.append((text[pos:], None))
    return out


# --------------------------------------------------------------------------- view objects


@dataclass(frozen=True)
class FlagInfo:
    code: str
    id: str = ""
    kind: str = ""  # overclaim | evidence
    severity: str = ""
    name: str = ""
    why: str = ""
    fix: str = ""


@dataclass
class UnitView:
    index: int
    anchor: str
    text: str
    kind: str
    is_claim: bool
    strength: str
    hedges: list[str]
    boosters: list[str]
    segments: list[tuple[str, str | None]]
    flags: list[FlagInfo]
    reasons: list[str]  # one per flag when the reasons text splits cleanly, else one string
    unsupported: bool
    severity: str
    study_id: str
    study_anchor: str
    line: Any = None
    column: Any = None

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass
class Paragraph:
    units: list[UnitView]

    @property
    def is_heading(self) -> bool:
        return all(u.kind == "heading" for u in self.units)

    @property
    def flagged(self) -> list[UnitView]:
        return [u for u in self.units if u.flagged]


@dataclass
class StudyView:
    study_id: str
    anchor: str
    row: Mapping[str, Any]
    cited_by: list[UnitView] = field(default_factory=list)

    def get(self, name: str) -> str:
        value = self.row.get(name)
        return "" if value is None or (isinstance(value, float) and value != value) else str(value)


@dataclass
class ArticleView:
    article: str
    anchor: str
    counts: ArticleCounts
    paragraphs: list[Paragraph]
    studies: list[StudyView]
    code_counts: Counter
    error: Any = None  # pipeline.api.ArticleError
    prev: ArticleView | None = None
    next: ArticleView | None = None

    @property
    def units(self) -> list[UnitView]:
        return [u for p in self.paragraphs for u in p.units]

    @property
    def kinds(self) -> list[str]:
        present = {u.kind for u in self.units}
        return [k for k in KINDS if k in present] + sorted(present - set(KINDS))


@dataclass
class Report:
    title: str
    inputs: list[str]
    articles: list[ArticleView]
    totals: ArticleCounts
    code_totals: Counter
    flag_info: dict[str, FlagInfo]
    version: str = ""

    @property
    def code_rows(self) -> list[tuple[FlagInfo, int]]:
        """Every code of the vocabulary (zeros too), then unknown codes met in the rows."""
        rows = [(info, self.code_totals.get(code, 0)) for code, info in self.flag_info.items()]
        rows += [(FlagInfo(code), n) for code, n in sorted(self.code_totals.items()) if code not in self.flag_info]
        return rows

    @property
    def chart_max(self) -> int:
        return max([a.counts.claims for a in self.articles] + [1])

    @property
    def kinds(self) -> list[str]:
        present = {k for a in self.articles for k in a.kinds}
        return [k for k in KINDS if k in present] + sorted(present - set(KINDS))

    def article(self, name: str) -> ArticleView:
        for view in self.articles:
            if view.article == name:
                return view
        raise KeyError(name)


def load_flag_info(lexicon: str | Path = "flags.json") -> dict[str, FlagInfo]:
    from pipeline.resources import load_json

    codes = load_json(lexicon).get("codes", {})
    return {
        code: FlagInfo(code, spec.get("id", ""), spec.get("kind", ""), spec.get("severity", ""),
                       spec.get("name", ""), spec.get("why", ""), spec.get("fix", ""))
        for code, spec in codes.items()
    }


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def split_reasons(reasons: str, n_flags: int) -> list[str]:
    """`reasons` is one sentence per flag joined by spaces: pair them back up when the count fits."""
    reasons = (reasons or "").strip()
    if not reasons:
        return []
    parts = _SENTENCE_BREAK.split(reasons)
    return parts if len(parts) == n_flags else [reasons]


def slug(article: str, taken: set[str]) -> str:
    base = "a-" + (re.sub(r"[^A-Za-z0-9]+", "-", article).strip("-").lower() or "article")
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _int(value: Any) -> int | None:
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None


def _paragraphs(units: list[UnitView], rows: Sequence[Mapping[str, Any]]) -> list[Paragraph]:
    """Group units into the article's blocks: blocks are separated by a blank line in the text, so
    a gap of two or more characters between units (on a different source line) starts a new one."""
    paragraphs: list[Paragraph] = []
    prev_end = prev_line = None
    prev_kind = None
    for unit, row in zip(units, rows):
        start, line = _int(row.get("start")), _int(row.get("line"))
        new = (
            not paragraphs
            or start is None or prev_end is None
            or (start - prev_end >= 2 and (line is None or line != prev_line))
            or (unit.kind == "heading") != (prev_kind == "heading")
        )
        if new:
            paragraphs.append(Paragraph([]))
        paragraphs[-1].units.append(unit)
        prev_end, prev_line, prev_kind = _int(row.get("end")), line, unit.kind
    return paragraphs


def article_view(result: Any, anchor: str, flag_info: Mapping[str, FlagInfo]) -> ArticleView:
    """The view of one `ArticleResult` (rows in article order)."""
    counts = count_article(result)
    studies = [
        StudyView(str(row.get("study_id", "")), f"{anchor}-{row.get('study_id', '')}", row)
        for row in result.studies
    ]
    by_id = {s.study_id: s for s in studies}
    units: list[UnitView] = []
    for n, row in enumerate(result.claims):
        index = _int(row.get("sentence_index"))
        index = n if index is None else index
        hedges, boosters = split_list(row.get("hedges")), split_list(row.get("boosters"))
        codes = split_list(row.get("flags"))
        text = str(row.get("text") or "")
        study_id = str(row.get("study_id") or "")
        unit = UnitView(
            index=index,
            anchor=f"{anchor}-u{index}",
            text=text,
            kind=str(row.get("kind") or "other"),
            is_claim=_true(row.get("is_claim")),
            strength=str(row.get("strength") or ""),
            hedges=hedges,
            boosters=boosters,
            segments=segments(text, {"hedge": hedges, "booster": boosters}),
            flags=[flag_info.get(code, FlagInfo(code)) for code in codes],
            reasons=split_reasons(str(row.get("reasons") or ""), len(codes)),
            unsupported=_true(row.get("unsupported")),
            severity=str(row.get("severity") or ""),
            study_id=study_id,
            study_anchor=by_id[study_id].anchor if study_id in by_id else "",
            line=row.get("line"),
            column=row.get("column"),
        )
        if study_id in by_id:
            by_id[study_id].cited_by.append(unit)
        units.append(unit)
    return ArticleView(
        article=result.article,
        anchor=anchor,
        counts=counts,
        paragraphs=_paragraphs(units, result.claims),
        studies=studies,
        code_counts=code_totals(result.claims),
        error=result.error,
    )


def build_report(results: Iterable[Any], *, title: str = "claimscan report", inputs: Sequence[str] = (),
                 flag_info: Mapping[str, FlagInfo] | None = None) -> Report:
    """View objects for the template from `ArticleResult`s (in the order given)."""
    from pipeline import __version__

    info = dict(flag_info if flag_info is not None else load_flag_info())
    taken: set[str] = set()
    articles = [article_view(r, slug(r.article, taken), info) for r in results]
    totals = ArticleCounts("")
    codes: Counter = Counter()
    for prev, view in zip([None] + articles, articles):
        totals.add(view.counts)
        codes.update(view.code_counts)
        view.prev = prev
        if prev is not None:
            prev.next = view
    return Report(title, [str(p) for p in inputs], articles, totals, codes, info, __version__)


def collect(paths: Iterable[str | Path], settings: Any = None, jobs: int = 1) -> list[Any]:
    """Run the pipeline: `ArticleResult`s in article order (errors included)."""
    from pipeline.api import Settings, iter_results

    return list(iter_results(paths, settings if settings is not None else Settings(), jobs))


def environment():
    """The Jinja2 environment: templates from this package, autoescape on."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pct"] = lambda v: "–" if v is None else f"{round(100 * v)}%"
    return env


def render_html(report: Report) -> str:
    return environment().get_template(TEMPLATE).render(report=report, kinds=KINDS, cue_types=CUE_TYPES)


def render_report(paths: Sequence[str | Path], settings: Any = None, jobs: int = 1, *,
                  title: str = "claimscan report") -> tuple[Report, str]:
    """Analyse `paths` and return the report and its HTML."""
    report = build_report(collect(paths, settings, jobs), title=title, inputs=[str(p) for p in paths])
    return report, render_html(report)


def write_html(html: str, out: Path) -> None:
    """Write atomically: a temp file beside `out`, renamed into place (os.replace) when complete.

    The file is readable like any other output (mode of the file it replaces, else 0644), not the
    0600 of a temp file: it is meant to be opened in a browser or uploaded as a CI artifact.
    """
    import os
    import tempfile

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = out.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(html)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(paths: Sequence[str | Path], out: Path, settings: Any = None, jobs: int = 1, *,
                 title: str = "claimscan report") -> Report:
    report, html = render_report(paths, settings, jobs, title=title)
    write_html(html, out)
    return report
