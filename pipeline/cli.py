"""`claimscan` command line: a thin typer layer over `pipeline.api` and `pipeline.runner`.

Every command reads the same project configuration (`[tool.claimscan]` in pyproject.toml or a
claimscan.toml, found from the inputs upward: pipeline/config.py) and takes the common options,
exit codes and usage-error path of pipeline/commandline.py.

Exit codes of `run`: 0 every input processed; 3 some inputs skipped (listed on stderr and in
the errors table); 2 usage error (a missing input path, no input found, a bad configuration,
Dask not installed); 130 interrupted (no output replaced).
`evaluate` exits 0 unless its inputs are unusable (2).

Heavy imports (spaCy, pandas, pipeline.api) happen inside the commands: `claimscan --help` must
stay fast.
"""

from __future__ import annotations

import json
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.commandline import (EXIT_INTERNAL_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_SKIPPED,
                                  EXIT_USAGE, ClaimscanGroup, CommonOptions, ConfigOption,
                                  DebugOption, InputPaths, IsolatedOption, JobsOption,
                                  MaxBytesOption, PipelineConfigOption, QuietOption,
                                  TimeLimitOption, UsageError, build_pipeline, fail,
                                  load_configuration, usage_error, usage_errors)


def _show_version(value: bool) -> None:
    if value:
        from pipeline import __version__

        typer.echo(f"claimscan {__version__}")
        raise typer.Exit()


app = typer.Typer(
    cls=ClaimscanGroup,
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    help="Audit health articles: claims, hedges, cited evidence and unsupported generalizations. "
    "Every command reads [tool.claimscan] from pyproject.toml or a claimscan.toml, found from "
    "the inputs upward; `claimscan config` shows the settings and where each came from.",
)

__all__ = ["app", "main", "EXIT_OK", "EXIT_USAGE", "EXIT_SKIPPED", "EXIT_INTERRUPTED"]


class TableFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    jsonl = "jsonl"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


@app.command()
def run(
    paths: InputPaths,
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="Folder for the claims, studies and errors tables.")] = Path("out"),
    fmt: Annotated[Optional[TableFormat], typer.Option(
        "--format", "-f", help="Table format: csv, parquet or jsonl (claims.<format>, ...; "
        "default: table-format in the configuration, else csv).", show_default=False)] = None,
    claims_only: Annotated[bool, typer.Option(
        "--claims-only", help="Keep only units that are claims in the claims table.")] = False,
    cache: Annotated[Optional[Path], typer.Option(
        "--cache", help="Reuse results of unchanged articles from this folder (created if "
        "missing).",
        show_default=False)] = None,
    engine: Annotated[Engine, typer.Option(
        "--engine", help="local: worker processes on this machine; dask: a Dask cluster "
        "(needs claimscan[dask]).")] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="Dask scheduler address (default: start a local cluster).",
        show_default=False)] = None,
    raw_cells: Annotated[bool, typer.Option(
        "--raw-cells", help="CSV: do not neutralise cells starting with = + - @ (spreadsheet "
        "formulas).")] = False,
    progress_interval: Annotated[float, typer.Option(
        "--progress-interval", help="Seconds between progress lines when stderr is not a "
        "terminal.")] = 10.0,
    config: ConfigOption = None,
    pipeline_config: PipelineConfigOption = None,
    isolated: IsolatedOption = False,
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = None,
    time_limit: TimeLimitOption = None,
    quiet: QuietOption = False,
    debug: DebugOption = False,
) -> None:
    """Analyse articles and write the claims, studies and errors tables to --out."""
    from pipeline.progress import progress_for
    from pipeline.runner import BatchError, run_batch

    common = CommonOptions(config, pipeline_config, isolated, jobs, max_bytes, time_limit)
    with usage_errors():
        project = load_configuration(paths, common,
                                     table_format=(fmt.value if fmt else None, "--format"))
        settings = project.settings()
        build_pipeline(settings, debug)
    progress = progress_for(quiet=quiet, interval=progress_interval, debug=debug)
    try:
        summary = run_batch(paths, out, settings=settings, fmt=project.table_format,
                            jobs=project.effective_jobs(), claims_only=claims_only,
                            raw_cells=raw_cells, cache_dir=cache, engine=engine.value,
                            scheduler=scheduler, progress=progress, exclusion=project.exclusion())
    except BatchError as exc:
        raise usage_error(str(exc)) from None
    except KeyboardInterrupt:
        raise fail("interrupted; no output was replaced", EXIT_INTERRUPTED) from None
    except Exception as exc:
        if debug:
            traceback.print_exc()
        raise fail(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)",
                   EXIT_INTERNAL_ERROR) from None
    if not quiet:
        from rich.console import Console

        summary.tally.print(Console(stderr=True))
        from_cache = f" ({summary.cached:,} from cache)" if cache is not None else ""
        typer.echo(f"{summary.articles:,} articles{from_cache}, {summary.claims:,} claims, "
                   f"{summary.unsupported:,} unsupported; {summary.skipped:,} skipped -> {out}/",
                   err=True)
    raise typer.Exit(EXIT_SKIPPED if summary.skipped else EXIT_OK)


@app.command()
def evaluate(
    paths: InputPaths,
    gold: Annotated[Path, typer.Option(
        "--gold", help="Gold annotations (SPEC format).")] = Path("corpus/gold.json"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    misses: Annotated[bool, typer.Option("--misses/--no-misses", help="List every miss.")] = True,
    config: ConfigOption = None,
    pipeline_config: PipelineConfigOption = None,
    isolated: IsolatedOption = False,
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = None,
    time_limit: TimeLimitOption = None,
    debug: DebugOption = False,
) -> None:
    """Precision/recall/F1 of is_claim, hedged and unsupported, journal F1, sample-size and
    duration accuracy, and how often each flag was raised."""
    from pipeline.api import discover_articles, iter_discovered, tables_of
    from pipeline.evaluate import evaluate as score
    from pipeline.evaluate import load_gold

    common = CommonOptions(config, pipeline_config, isolated, jobs, max_bytes, time_limit)
    with usage_errors():
        project = load_configuration(paths, common)
        try:
            gold_data = load_gold(gold)
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read gold file {gold}: {exc}") from None
        settings = project.settings()
        build_pipeline(settings, debug)
    found = discover_articles(paths, project.exclusion())
    if not len(found):
        raise usage_error("no .txt, .md or .html files found in " + ", ".join(map(str, paths)))
    claims, studies = tables_of(iter_discovered(found, settings, project.effective_jobs()))
    report = score(claims, studies, gold_data)
    summary = report.summary()
    if as_json:
        typer.echo(json.dumps({**summary, "misses": report.misses if misses else []}, indent=1,
                              default=str))
        return
    typer.echo(f"articles scored: {summary['articles']}  unmatched anchors: "
               f"{summary['unmatched_anchors']}  absent violations: {summary['absent_violations']}")
    typer.echo(f"{'metric':<14}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}")
    for name in ("claim", "hedged", "unsupported", "journal"):
        s = summary[name]
        typer.echo(f"{name:<14}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}"
                   f"{s['support']:>9}")
    for name in ("sample_size", "duration", "design"):
        s = summary[name]
        typer.echo(f"{name:<14}accuracy {s['accuracy']:.3f} (n={s['n']})")
    typer.echo("flags: " + ", ".join(f"{k} {v}" for k, v in summary["flag_counts"].items()))
    if misses:
        for miss in report.misses:
            typer.echo(f"MISS {miss['article']} [{miss['label']}] expected={miss['expected']} "
                       f"got={miss['got']}: {miss['anchor']}")


# Commands defined in their own modules (each module keeps heavy imports inside the command).
from pipeline.config_command import show_config  # noqa: E402
from pipeline.gate.command import check  # noqa: E402
from pipeline.report.command import report  # noqa: E402

app.command()(report)
app.command()(check)
app.command(name="config")(show_config)


@app.callback()
def _main(
    version: Annotated[bool, typer.Option(
        "--version", help="Show the version and exit.", is_eager=True,
        callback=_show_version)] = False,
) -> None:
    """The group's options; `--version` is handled by its callback before any command."""


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
