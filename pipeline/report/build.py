"""Build the reviewer's HTML report: article analyses → view objects → one self-contained file.

    from pipeline.report.build import write_report
    report = write_report(["corpus"], Path("out/report.html"))   # returns the Report it rendered

The flow: `collect` (pipeline.api.iter_results) → `build_report` (counts, per-code totals, units
grouped by source block and split at their cues' offsets, studies with back links, the scorecard's
criteria with links to their deciding sentences) → `render_html`
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

from pipeline.analysis import ArticleAnalysis, Cue
from pipeline.studies import Study
from pipeline.tally import ArticleCounts, code_totals, count_analysis, count_result

TEMPLATE = "report.html.j2"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Kinds in the order the legend shows them (SPEC: claims.csv `kind`).
KINDS = (
    "finding", "recommendation", "mechanism", "conclusion", "background",
    "study_description", "caveat", "question", "heading", "other",
)
CUE_TYPES = ("hedge", "booster")
# How each cue category is marked in the text (a doubt or a caveat lowers certainty like a hedge).
_CUE_MARK = {"hedge": "hedge", "doubt": "hedge", "caveat": "hedge", "booster": "booster"}


# --------------------------------------------------------------------------- cue segments


def segments(text: str, offset: int, cues: Sequence[Cue]) -> list[tuple[str, str | None]]:
    """Split a unit's `text` (starting at `offset` in the article) into `(piece, mark)` pairs at
    its cues' offsets; `mark` is None outside any marked cue. Joining the pieces gives `text`."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for cue in sorted(cues, key=lambda c: (c.start, -c.end)):
        mark = _CUE_MARK.get(cue.category)
        start, end = cue.start - offset, cue.end - offset
        if mark is None or start < pos or end > len(text):
            continue
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], mark))
        pos = end
    if pos < len(text) or not out:
        out.append((text[pos:], None))
    return out


# --------------------------------------------------------------------------- view objects


@dataclass(frozen=True)
class FlagInfo:
    """A code of the flag vocabulary, as the index and the notes show it."""

    code: str
    id: str = ""
    kind: str = ""  # overclaim | evidence
    severity: str = ""
    name: str = ""
    why: str = ""
    fix: str = ""


@dataclass(frozen=True)
class FlagView:
    """One flag on a unit: its code, the reason the pipeline gave, and how to fix the sentence."""

    code: str
    reason: str
    severity: str
    fix: str = ""


@dataclass
class UnitView:
    index: int
    anchor: str
    text: str
    kind: str
    is_claim: bool
    strength: str
    segments: list[tuple[str, str | None]]
    flags: list[FlagView]
    unsupported: bool
    severity: str
    study_id: str
    study_anchor: str
    line: int | None = None

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


@dataclass
class Paragraph:
    units: list[UnitView]
    is_heading: bool = False

    @property
    def flagged(self) -> list[UnitView]:
        return [u for u in self.units if u.flagged]


@dataclass
class StudyView:
    study_id: str
    anchor: str
    study: Study
    cited_by: list[UnitView] = field(default_factory=list)

    def get(self, name: str) -> str:
        value = getattr(self.study, name if name != "citation" else "citations", None)
        if isinstance(value, list):
            return "; ".join(map(str, value))
        return "" if value is None else str(value)


@dataclass(frozen=True)
class CriterionView:
    """One scorecard criterion on an article page: the verdict, its reason and the sentences that
    decide it (as `UnitView`s, for their anchors)."""

    criterion: str  # costs
    label: str  # Costs
    verdict: str  # satisfactory | not_satisfactory | not_applicable
    confidence: float
    reason: str
    units: tuple[UnitView, ...]


@dataclass
class ArticleView:
    article: str
    anchor: str
    counts: ArticleCounts
    paragraphs: list[Paragraph]
    studies: list[StudyView]
    code_counts: Counter
    criteria: list[CriterionView] = field(default_factory=list)
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
        """Every code of the vocabulary (zeros too), then unknown codes met in the analyses."""
        rows = [(info, self.code_totals.get(code, 0)) for code, info in self.flag_info.items()]
        rows += [(FlagInfo(code), n) for code, n in sorted(self.code_totals.items())
                 if code not in self.flag_info]
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


def load_flag_info() -> dict[str, FlagInfo]:
    from pipeline.rules import registry

    return {code: FlagInfo(code, r.id, r.kind, r.severity, r.name, r.why, r.fix)
            for code, r in registry().items()}


def slug(article: str, taken: set[str]) -> str:
    base = "a-" + (re.sub(r"[^A-Za-z0-9]+", "-", article).strip("-").lower() or "article")
    anchor, n = base, 2
    while anchor in taken:
        anchor, n = f"{base}-{n}", n + 1
    taken.add(anchor)
    return anchor


def _paragraphs(units: list[UnitView], analysis: ArticleAnalysis) -> list[Paragraph]:
    """Units grouped by the source block they come from (heading, paragraph, list item)."""
    paragraphs: list[Paragraph] = []
    last_block = None
    for view, unit in zip(units, analysis.units):
        if unit.block != last_block:
            paragraphs.append(Paragraph([], unit.block_kind == "heading"))
            last_block = unit.block
        paragraphs[-1].units.append(view)
    return paragraphs


def article_view(result: Any, anchor: str, flag_info: Mapping[str, FlagInfo]) -> ArticleView:
    """The view of one `ArticleResult` (an analysis, or the error that stopped it)."""
    analysis = result.analysis
    if analysis is None:
        return ArticleView(result.article, anchor, count_result(result), [], [], Counter(),
                           error=result.error)
    studies = [StudyView(s.study_id, f"{anchor}-{s.study_id}", s) for s in analysis.studies]
    by_id = {s.study_id: s for s in studies}
    units: list[UnitView] = []
    for unit in analysis.units:
        study_id = unit.study_ids[0] if unit.study_ids else ""
        view = UnitView(
            index=unit.index,
            anchor=f"{anchor}-u{unit.index}",
            text=unit.text,
            kind=unit.kind,
            is_claim=unit.is_claim,
            strength=unit.strength,
            segments=segments(unit.text, unit.start_char, unit.cues),
            flags=[FlagView(f.code, f.reason, f.severity,
                            flag_info[f.code].fix if f.code in flag_info else "")
                   for f in unit.flags],
            unsupported=unit.unsupported,
            severity=unit.severity,
            study_id=study_id,
            study_anchor=by_id[study_id].anchor if study_id in by_id else "",
            line=unit.line,
        )
        if study_id in by_id:
            by_id[study_id].cited_by.append(view)
        units.append(view)
    return ArticleView(
        article=result.article,
        anchor=anchor,
        counts=count_analysis(analysis),
        paragraphs=_paragraphs(units, analysis),
        studies=studies,
        code_counts=code_totals(analysis),
        criteria=[CriterionView(c.criterion, c.criterion.replace("_", " ").capitalize(),
                                c.verdict, c.confidence, c.reason,
                                tuple(units[i] for i in c.unit_indexes if i < len(units)))
                  for c in analysis.criteria],
    )


def build_report(results: Iterable[Any], *, title: str = "claimscan report",
                 inputs: Sequence[str] = (),
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
    return environment().get_template(TEMPLATE).render(report=report, kinds=KINDS,
                                                       cue_types=CUE_TYPES)


def render_report(paths: Sequence[str | Path], settings: Any = None, jobs: int = 1, *,
                  title: str = "claimscan report") -> tuple[Report, str]:
    """Analyse `paths` and return the report and its HTML."""
    report = build_report(collect(paths, settings, jobs), title=title,
                          inputs=[str(p) for p in paths])
    return report, render_html(report)


def write_html(html: str, out: Path) -> None:
    """Write atomically (see `pipeline.output`), with the mode of any other output file."""
    from pipeline.output import write_text

    write_text(out, html)


def write_report(paths: Sequence[str | Path], out: Path, settings: Any = None, jobs: int = 1, *,
                 title: str = "claimscan report") -> Report:
    report, html = render_report(paths, settings, jobs, title=title)
    write_html(html, out)
    return report
