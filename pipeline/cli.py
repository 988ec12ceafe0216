"""`claimscan` command line: a thin typer layer over `pipeline.api` and `pipeline.runner`.

Exit codes of `run`: 0 every input processed; 3 some inputs skipped (listed on stderr and in
the errors table); 2 usage error (e.g. no input found, Dask not installed); 130 interrupted (no
output replaced).
`evaluate` exits 0 unless its inputs are unusable (2).
"""

from __future__ import annotations

import json
import sys
import traceback
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    help="Audit health articles: claims, hedges, cited evidence and unsupported generalizations.",
)

EXIT_OK, EXIT_USAGE, EXIT_SKIPPED, EXIT_INTERRUPTED = 0, 2, 3, 130


class TableFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    jsonl = "jsonl"


class Engine(str, Enum):
    local = "local"
    dask = "dask"


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"claimscan: {message}", err=True)
    return typer.Exit(code)


def _default_jobs() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@app.command()
def run(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (searched recursively for .txt, .md, .html).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the claims, studies and errors tables.")] = Path("out"),
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Table format: csv, parquet or jsonl (claims.<format>, ...).")] = TableFormat.csv,
    claims_only: Annotated[bool, typer.Option("--claims-only", help="Keep only units that are claims in the claims table.")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Worker processes (default: all cores).")] = None,
    cache: Annotated[Optional[Path], typer.Option("--cache", help="Reuse results of unchanged articles from this folder (created if missing).", show_default=False)] = None,
    engine: Annotated[Engine, typer.Option("--engine", help="local: worker processes on this machine; dask: a Dask cluster (needs claimscan[dask]).")] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Dask scheduler address (default: start a local cluster).", show_default=False)] = None,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Skip files larger than this.")] = 10_000_000,
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds one article may take before it is skipped (0: no limit; not enforced on Dask workers).")] = 60.0,
    raw_cells: Annotated[bool, typer.Option("--raw-cells", help="CSV: do not neutralise cells starting with = + - @ (spreadsheet formulas).")] = False,
    config: Annotated[str, typer.Option("--config", help="Pipeline config (.cfg) to use.")] = "default.cfg",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    progress_interval: Annotated[float, typer.Option("--progress-interval", help="Seconds between progress lines when stderr is not a terminal.")] = 10.0,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Analyse articles and write the claims, studies and errors tables to --out."""
    from pipeline.api import Settings, pipeline_for
    from pipeline.progress import progress_for
    from pipeline.runner import BatchError, run_batch

    settings = Settings(config=config, max_bytes=max_bytes, time_limit=time_limit)
    try:
        pipeline_for(settings)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        raise _fail(f"cannot build the pipeline from {config}: {exc}") from None
    progress = progress_for(quiet=quiet, interval=progress_interval, debug=debug)
    try:
        summary = run_batch(paths, out, settings=settings, fmt=fmt.value, jobs=jobs or _default_jobs(),
                            claims_only=claims_only, raw_cells=raw_cells, cache_dir=cache, engine=engine.value,
                            scheduler=scheduler, progress=progress)
    except BatchError as exc:
        raise _fail(str(exc)) from None
    except KeyboardInterrupt:
        raise _fail("interrupted; no output was replaced", EXIT_INTERRUPTED) from None
    except Exception as exc:
        if debug:
            traceback.print_exc()
        raise _fail(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for details)", 1) from None
    if not quiet:
        from rich.console import Console

        summary.tally.print(Console(stderr=True))
        from_cache = f" ({summary.cached:,} from cache)" if cache is not None else ""
        typer.echo(f"{summary.articles:,} articles{from_cache}, {summary.claims:,} claims, {summary.unsupported:,} unsupported; "
                   f"{summary.skipped:,} skipped -> {out}/", err=True)
    raise typer.Exit(EXIT_SKIPPED if summary.skipped else EXIT_OK)


@app.command()
def evaluate(
    paths: Annotated[list[Path], typer.Argument(help="Annotated article files or folders.")],
    gold: Annotated[Path, typer.Option("--gold", help="Gold annotations (SPEC format).")] = Path("corpus/gold.json"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    misses: Annotated[bool, typer.Option("--misses/--no-misses", help="List every miss.")] = True,
    config: Annotated[str, typer.Option("--config", help="Pipeline config (.cfg) to use.")] = "default.cfg",
) -> None:
    """Precision/recall/F1 of is_claim, hedged and unsupported, journal F1, sample-size and duration accuracy."""
    from pipeline.api import scan
    from pipeline.evaluate import evaluate as score
    from pipeline.evaluate import load_gold

    try:
        gold_data = load_gold(gold)
    except (OSError, ValueError) as exc:
        raise _fail(f"cannot read gold file {gold}: {exc}") from None
    claims, studies = scan(paths, config=config)
    report = score(claims, studies, gold_data)
    summary = report.summary()
    if as_json:
        typer.echo(json.dumps({**summary, "misses": report.misses if misses else []}, indent=1, default=str))
        return
    typer.echo(f"articles scored: {summary['articles']}  unmatched anchors: {summary['unmatched_anchors']}  absent violations: {summary['absent_violations']}")
    typer.echo(f"{'metric':<14}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}")
    for name in ("claim", "hedged", "unsupported", "journal"):
        s = summary[name]
        typer.echo(f"{name:<14}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['support']:>9}")
    for name in ("sample_size", "duration", "design"):
        s = summary[name]
        typer.echo(f"{name:<14}accuracy {s['accuracy']:.3f} (n={s['n']})")
    typer.echo("flags: " + ", ".join(f"{k} {v}" for k, v in summary["flag_counts"].items()))
    if misses:
        for miss in report.misses:
            typer.echo(f"MISS {miss['article']} [{miss['label']}] expected={miss['expected']} got={miss['got']}: {miss['anchor']}")


# Commands defined in their own modules (each module keeps heavy imports inside the command).
# One line per command: app.command()(function)
from pipeline.report.command import report; app.command()(report)  # noqa: E402, E702
from pipeline.gate.command import check, show_config; app.command()(check); app.command(name="config")(show_config)  # noqa: E402, E702


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.", is_eager=True)] = False,
) -> None:
    if version:
        from pipeline import __version__

        typer.echo(f"claimscan {__version__}")
        raise typer.Exit()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)


if __name__ == "__main__":
    main()
