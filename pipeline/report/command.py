"""`claimscan report PATH... --out report.html`: the reviewer's self-contained HTML report.

Registered in pipeline/cli.py with `app.command()(report)`. Heavy imports (spaCy, pandas,
Jinja2) stay inside the function so `claimscan --help` stays fast.

Exit codes: 0 report written; 3 report written but some inputs could not be processed (they
are listed on stderr and shown in the report); 2 usage error (no input found, bad config);
130 interrupted (no file replaced).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

EXIT_OK, EXIT_USAGE, EXIT_SKIPPED, EXIT_INTERRUPTED = 0, 2, 3, 130


def report(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (searched recursively for .txt, .md, .html).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write (one self-contained file).")] = Path("report.html"),
    config: Annotated[str, typer.Option("--config", help="Pipeline config (.cfg) to use.")] = "default.cfg",
    title: Annotated[str, typer.Option("--title", help="Heading of the report.")] = "claimscan report",
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes (default: 1).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Write an HTML report: index of articles and flag codes, each article with its claims marked."""
    import traceback

    from pipeline.api import Settings, pipeline_for
    from pipeline.report.build import build_report, collect, render_html, write_html

    def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
        typer.echo(f"claimscan: {message}", err=True)
        return typer.Exit(code)

    settings = Settings(config=config)
    try:
        pipeline_for(settings)
    except Exception as exc:
        raise fail(f"cannot build the pipeline from {config}: {exc}") from None
    try:
        results = collect(paths, settings, jobs or 1)
        if not results:
            raise fail("no .txt, .md or .html files found in " + ", ".join(map(str, paths)))
        built = build_report(results, title=title, inputs=[str(p) for p in paths])
        write_html(render_html(built), out)
    except KeyboardInterrupt:
        raise fail("interrupted; no output was replaced", EXIT_INTERRUPTED) from None
    except typer.Exit:
        raise
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc}", 1) from None
    except Exception as exc:  # pragma: no cover - reported, not a traceback
        traceback.print_exc()
        raise fail(f"internal error: {type(exc).__name__}: {exc}", 1) from None
    failed = [a for a in built.articles if a.error is not None]
    for view in failed:
        typer.echo(f"claimscan: skipped {view.article}: {view.error.error}", err=True)
    if not quiet:
        t = built.totals
        typer.echo(
            f"{len(built.articles)} articles, {t.claims} claims, {t.unsupported} unsupported; "
            f"{len(failed)} skipped -> {out}",
            err=True,
        )
    raise typer.Exit(EXIT_SKIPPED if failed else EXIT_OK)
