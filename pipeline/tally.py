"""Counting what a run found: per-article counts, per-code totals, and the terminal summary
printed after `claimscan run`.

    tally = RunTally()
    for result in results:                      # pipeline.api.ArticleResult
        tally.add_result(result)
    tally.print(Console(stderr=True))

Counts come from the `ArticleAnalysis` itself (never from table cells). Only rich is imported,
and only when printing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pipeline.analysis import ArticleAnalysis

TOP_ARTICLES = 10
SUMMARY_WIDTH = 80  # the summary is laid out for an 80-column terminal
_COUNTED = ("units", "claims", "hedged", "unsupported", "flagged", "studies", "errors",
            "criteria_met", "criteria_judged", "scored", "score_sum")


@dataclass
class ArticleCounts:
    """What the summary and the report's index show per article (and, with article="", totals)."""

    article: str
    units: int = 0
    claims: int = 0  # units that are claims
    hedged: int = 0  # claims with a hedge
    unsupported: int = 0
    flagged: int = 0  # units with any flag
    studies: int = 0
    errors: int = 0  # 1 if the article could not be processed
    error: str = ""  # the one-line reason, if it failed
    criteria_met: int = 0  # scorecard criteria judged satisfactory
    criteria_judged: int = 0  # ... judged either way (not not_applicable)
    scored: int = 0  # articles with a star score (1 or 0 for one article)
    score_sum: float = 0.0

    @property
    def unsupported_share(self) -> float | None:
        return self.unsupported / self.claims if self.claims else None

    @property
    def score(self) -> float | None:
        """The article's 0-5 star score; for totals, the mean over the scored articles."""
        return self.score_sum / self.scored if self.scored else None

    def add(self, other: ArticleCounts) -> None:
        for name in _COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def count_analysis(analysis: ArticleAnalysis) -> ArticleCounts:
    claims = analysis.claims
    judged = [c for c in analysis.criteria if c.verdict != "not_applicable"]
    return ArticleCounts(
        article=analysis.article,
        units=len(analysis.units),
        claims=len(claims),
        hedged=sum(1 for u in claims if u.hedges),
        unsupported=sum(1 for u in claims if u.unsupported),
        flagged=sum(1 for u in analysis.units if u.flags),
        studies=len(analysis.studies),
        criteria_met=sum(1 for c in judged if c.verdict == "satisfactory"),
        criteria_judged=len(judged),
        scored=analysis.score is not None,
        score_sum=analysis.score or 0.0,
    )


def count_result(result: Any) -> ArticleCounts:
    """Counts of one `pipeline.api.ArticleResult` (a failed article counts one error)."""
    if result.analysis is None:
        reason = result.error.error if result.error is not None else ""
        return ArticleCounts(result.article, errors=1, error=reason or "error")
    return count_analysis(result.analysis)


def code_totals(analysis: ArticleAnalysis) -> Counter:
    """How many units carry each flag code."""
    return Counter(code for unit in analysis.units if unit.flags  # most units have none
                   for code in {f.code for f in unit.flags})


def _rank(counts: ArticleCounts) -> tuple:
    """Most unsupported claims first; ties: higher share, then name."""
    return -counts.unsupported, -(counts.unsupported / (counts.claims or 1)), counts.article


class RunTally:
    """Totals of a run, flag totals, and its `top` worst articles, in memory that does not grow
    with the run (runs reach millions of articles)."""

    def __init__(self, top: int = TOP_ARTICLES) -> None:
        self.top = top
        self.totals = ArticleCounts("")
        self.articles = 0
        self.codes: Counter = Counter()
        self._worst: list[ArticleCounts] = []

    def add_result(self, result: Any) -> ArticleCounts:
        counts = count_result(result)
        if result.analysis is not None:
            self.codes.update(code_totals(result.analysis))
        self.add(counts)
        return counts

    def add(self, counts: ArticleCounts) -> None:
        self.articles += 1
        self.totals.add(counts)
        if counts.unsupported or counts.errors:
            self._worst.append(counts)
            if len(self._worst) > 4 * self.top:
                self._worst = self.worst()

    def worst(self) -> list[ArticleCounts]:
        return sorted(self._worst, key=_rank)[: self.top]

    def print(self, console: Any) -> None:
        """Print the two tables (nothing when there is nothing to show) and a totals line."""
        if self._worst:
            console.print(articles_table(self.worst(), self.top))
        if any(self.codes.values()):
            console.print(codes_table(self.codes))
        t = self.totals
        console.print(
            f"[bold]{self.articles:,}[/bold] {plural(self.articles, 'article')} · "
            f"[bold]{t.claims:,}[/bold] "
            f"{plural(t.claims, 'claim')} · [bold]{t.hedged:,}[/bold] hedged · "
            f"[bold red]{t.unsupported:,}[/bold red] unsupported · {t.errors:,} failed"
            + (f" · {t.score:.1f}★ mean" if t.score is not None else ""),
            highlight=False,
        )


def plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def shorten_middle(name: str, width: int) -> str:
    """`name` cut in the middle with '…' to fit `width` characters (the ends say the most)."""
    if len(name) <= width:
        return name
    keep = width - 1
    return name[: keep - keep // 2] + "…" + name[len(name) - keep // 2 :]


def articles_table(per_article: Iterable[ArticleCounts], top: int = TOP_ARTICLES):
    """Articles with the most unsupported claims (ties: higher share, then name), at most `top`."""
    from rich.table import Table

    rows = sorted((a for a in per_article if a.unsupported or a.errors), key=_rank)
    table = Table(title=f"Articles with the most unsupported claims (top {top})",
                  title_justify="left", header_style="bold")
    name_width = SUMMARY_WIDTH - 53  # what five number columns, padding and borders leave
    table.add_column("Article", no_wrap=True, max_width=name_width)
    table.add_column("Claims", justify="right")
    table.add_column("Unsupported", justify="right", style="bold red")
    table.add_column("Share", justify="right")
    table.add_column("Score", justify="right")  # 0-5 stars (articles.csv)
    table.add_column("Errors", justify="right")
    for a in rows[:top]:
        share = f"{round(100 * a.unsupported / a.claims)}%" if a.claims else "–"
        score = f"{a.score:.1f}" if a.score is not None else "–"
        table.add_row(shorten_middle(a.article, name_width), str(a.claims), str(a.unsupported),
                      share, score,
                      f"[red]{a.errors}[/red]" if a.errors else "0")
    return table


def codes_table(totals: Counter):
    """Rows per flag code, most frequent first, with the code's id, kind and short name."""
    from rich.table import Table

    from pipeline.rules import registry

    rules = registry()
    table = Table(title="Flags by code", title_justify="left", header_style="bold")
    table.add_column("ID")
    table.add_column("Code")
    table.add_column("Kind")
    table.add_column("Units", justify="right")
    for code, n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])):
        if not n:
            continue
        rule = rules.get(code)
        kind = rule.kind if rule else ""
        table.add_row(rule.id if rule else "", code,
                      f"[red]{kind}[/red]" if kind == "overclaim" else kind, str(n))
    return table
