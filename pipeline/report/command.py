"""`claimscan report PATH... --out report.html`: the reviewer's self-contained HTML report.

Registered in pipeline/cli.py with `app.command()(report)`. It reads the project configuration
like every command (thresholds, severities, lexicons, exclude, jobs, limits). Heavy imports
(spaCy, pandas, Jinja2) stay inside the function so `claimscan --help` stays fast.

Exit codes: 0 report written; 3 report written but some inputs could not be processed (they
are listed on stderr and shown in the report); 2 usage error (a missing input path, no input
found, a bad configuration); 130 interrupted (no file replaced).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from pipeline.commandline import (EXIT_INTERNAL_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_SKIPPED,
                                  CommonOptions, ConfigOption, DebugOption, InputPaths,
                                  IsolatedOption, JobsOption, MaxBytesOption,
                                  PipelineConfigOption, QuietOption, TimeLimitOption, UsageError,
                                  build_pipeline, fail, load_configuration, usage_errors)


def report(
    paths: InputPaths,
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="The HTML file to write (one self-contained file).")
    ] = Path("report.html"),
    title: Annotated[str, typer.Option(
        "--title", help="Heading of the report.")] = "claimscan report",
    config: ConfigOption = None,
    pipeline_config: PipelineConfigOption = None,
    isolated: IsolatedOption = False,
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = None,
    time_limit: TimeLimitOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Write an HTML report: index of articles and flag codes, each article with its claims
    marked."""
    import traceback

    from pipeline.api import discover_articles, iter_discovered
    from pipeline.report.build import build_report, render_html, write_html

    common = CommonOptions(config, pipeline_config, isolated, jobs, max_bytes, time_limit)
    with usage_errors():
        project = load_configuration(paths, common)
        settings = project.settings()
        build_pipeline(settings, debug)
        found = discover_articles(paths, project.exclusion())
        if not len(found):
            raise UsageError("no .txt, .md or .html files found in " + ", ".join(map(str, paths)))
    try:
        results = list(iter_discovered(found, settings, project.effective_jobs()))
        built = build_report(results, title=title, inputs=[str(p) for p in paths],
                             flag_info=configured_flag_info(project))
        write_html(render_html(built), out)
    except KeyboardInterrupt:
        raise fail("interrupted; no output was replaced", EXIT_INTERRUPTED) from None
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc}", EXIT_INTERNAL_ERROR) from None
    except Exception as exc:  # pragma: no cover - reported, not a traceback
        if debug:
            traceback.print_exc()
        raise fail(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
                   EXIT_INTERNAL_ERROR) from None
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


def configured_flag_info(project) -> dict:
    """The report's table of codes with the severities of the configuration, so that the index
    says what the units (analysed with the same configuration) say."""
    from pipeline.gate.rules import rules
    from pipeline.report.build import load_flag_info

    info = load_flag_info()
    table = rules()
    for code, severity in project.severity.items():
        flag = table[code].flag
        if flag in info:
            info[flag] = replace(info[flag], severity=severity)
    return info
