"""The rich terminal summary printed after `claimscan run`.

    from rich.console import Console
    from pipeline.report.build import count_article, code_totals
    tally = RunTally()
    for result in results:
        tally.add(count_article(result))                                  # ArticleCounts
    totals = code_totals(row for result in results for row in result.claims)
    tally.print(Console(stderr=True), totals)

Counts may be `ArticleCounts` or mappings with the same keys (article, claims, hedged,
unsupported, errors). Only rich is imported here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

TOP_ARTICLES = 10


def _get(item: Any, name: str, default: Any = 0) -> Any:
    if isinstance(item, Mapping):
        return item.get(name, default)
    return getattr(item, name, default)


def _flag_info() -> dict[str, dict]:
    try:
        from pipeline.resources import load_json

        return dict(load_json("flags.json").get("codes", {}))
    except (OSError, ValueError):
        return {}


def _rank(counts: Any) -> tuple:
    """Most unsupported claims first; ties: higher share, then name."""
    unsupported = _get(counts, "unsupported")
    return -unsupported, -(unsupported / (_get(counts, "claims") or 1)), str(_get(counts, "article", ""))


class RunTally:
    """Totals of a run and its `top` worst articles, in memory that does not grow with the run
    (runs reach millions of articles)."""

    def __init__(self, top: int = TOP_ARTICLES) -> None:
        self.top = top
        self.articles = self.claims = self.hedged = self.unsupported = self.errors = 0
        self._worst: list[Any] = []

    def add(self, counts: Any) -> None:
        self.articles += 1
        self.claims += _get(counts, "claims")
        self.hedged += _get(counts, "hedged")
        self.unsupported += _get(counts, "unsupported")
        self.errors += _get(counts, "errors")
        if _get(counts, "unsupported") or _get(counts, "errors"):
            self._worst.append(counts)
            if len(self._worst) > 4 * self.top:
                self._worst = self.worst()

    def worst(self) -> list[Any]:
        return sorted(self._worst, key=_rank)[: self.top]

    def print(self, console: Any, code_totals: Mapping[str, int]) -> None:
        """Print the two tables (nothing when there is nothing to show) and a totals line."""
        if self._worst:
            console.print(articles_table(self.worst(), self.top))
        if any(code_totals.values()):
            console.print(codes_table(code_totals))
        console.print(
            f"[bold]{self.articles}[/bold] articles · [bold]{self.claims}[/bold] claims · [bold]{self.hedged}[/bold] hedged · "
            f"[bold red]{self.unsupported}[/bold red] unsupported · {self.errors} failed",
            highlight=False,
        )


def articles_table(per_article_counts: Iterable[Any], top: int = TOP_ARTICLES):
    """Articles with the most unsupported claims (ties: higher share, then name), at most `top`."""
    from rich.table import Table

    rows = sorted((a for a in per_article_counts if _get(a, "unsupported") or _get(a, "errors")), key=_rank)
    table = Table(title=f"Articles with the most unsupported claims (top {top})", title_justify="left", header_style="bold")
    table.add_column("Article", overflow="fold")
    table.add_column("Claims", justify="right")
    table.add_column("Hedged", justify="right")
    table.add_column("Unsupported", justify="right", style="bold red")
    table.add_column("Share", justify="right")
    table.add_column("Errors", justify="right")
    for a in rows[:top]:
        claims, unsupported = _get(a, "claims"), _get(a, "unsupported")
        share = f"{round(100 * unsupported / claims)}%" if claims else "–"
        errors = _get(a, "errors")
        table.add_row(str(_get(a, "article", "")), str(claims), str(_get(a, "hedged")), str(unsupported), share,
                      f"[red]{errors}[/red]" if errors else "0")
    return table


def codes_table(code_totals: Mapping[str, int]):
    """Rows per flag code, most frequent first, with the code's id, kind and short name."""
    from rich.table import Table

    info = _flag_info()
    table = Table(title="Flags by code", title_justify="left", header_style="bold")
    table.add_column("ID")
    table.add_column("Code")
    table.add_column("Kind")
    table.add_column("Rows", justify="right")
    for code, n in sorted(code_totals.items(), key=lambda kv: (-kv[1], kv[0])):
        if not n:
            continue
        spec = info.get(code, {})
        kind = spec.get("kind", "")
        table.add_row(spec.get("id", ""), code, f"[red]{kind}[/red]" if kind == "overclaim" else kind, str(n))
    return table


def print_run_summary(console: Any, per_article_counts: Iterable[Any], code_totals: Mapping[str, int]) -> None:
    """Print the two tables (nothing when there is nothing to show) and a totals line."""
    tally = RunTally()
    for counts in per_article_counts:
        tally.add(counts)
    tally.print(console, code_totals)
