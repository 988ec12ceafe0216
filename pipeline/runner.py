"""`claimscan run` as a library call: discover the articles, analyse them (in local worker processes
or on a Dask cluster), and stream the claims, studies, articles, criteria and errors tables to disk.

    from pathlib import Path
    from pipeline.runner import run_batch
    summary = run_batch(["articles/"], Path("out"), fmt="parquet", jobs=4,
                        cache_dir=Path(".claimscan-cache"))
    summary.outputs["claims"]        # Path("out/claims.parquet")
    summary.articles, summary.cached, summary.skipped

The tables are written to temp files and renamed into place only when every article has been
processed: an interrupted or failed run leaves the previous outputs as they were.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.api import ArticleResult, Settings, discover_articles, iter_discovered, pipeline_for
from pipeline.cache import ResultCache
from pipeline.globs import Exclusion
from pipeline.progress import Progress
from pipeline.records import (
    ARTICLE_COLUMNS, CLAIM_COLUMNS, CRITERIA_COLUMNS, STUDY_COLUMNS,
    article_rows, claim_rows, criteria_rows, study_rows,
)
from pipeline.tables import ERROR_COLUMNS, FORMATS, TableWriter, open_table
from pipeline.tally import RunTally

ENGINES = ("local", "dask")
TABLES = (("claims", CLAIM_COLUMNS), ("studies", STUDY_COLUMNS), ("articles", ARTICLE_COLUMNS),
          ("criteria", CRITERIA_COLUMNS), ("errors", ERROR_COLUMNS))


class BatchError(Exception):
    """The run cannot start as asked (no input, unusable output or cache folder, engine not
    installed). Raised before any output is replaced."""


@dataclass
class BatchSummary:
    """What a run wrote and counted."""

    outputs: dict[str, Path]  # table name (claims, studies, articles, criteria, errors) -> file
    articles: int = 0  # analysed, including those answered from the cache
    skipped: int = 0  # inputs that could not be processed (rows in the errors table)
    cached: int = 0
    claims: int = 0  # units with is_claim (also when claims_only drops the others)
    unsupported: int = 0
    tally: RunTally = field(default_factory=RunTally)  # totals, flag totals and worst articles


def run_batch(paths: Iterable[str | Path], out: Path, *, settings: Settings = Settings(),
              fmt: str = "csv", jobs: int = 1, claims_only: bool = False, raw_cells: bool = False,
              cache_dir: Path | None = None, engine: str = "local", scheduler: str | None = None,
              progress: Progress | None = None,
              exclusion: Exclusion | None = None) -> BatchSummary:
    """Analyse every article under `paths` and write `out/claims.<fmt>`, `studies.<fmt>`,
    `articles.<fmt>`, `criteria.<fmt>` and `errors.<fmt>` (`fmt`: csv, parquet or jsonl).
    `cache_dir` reuses the rows of articles whose text and settings are unchanged (local engine).
    `engine="dask"` runs on the Dask cluster at `scheduler` (default: a local one), which also
    writes partitioned Parquet to `out/parquet`.
    `exclusion` leaves files and folders out of the folder walk (`exclude` in the configuration).

    Raises `BatchError` for a run that cannot start; a broken config raises what building the
    pipeline raises (call `api.pipeline_for(settings)` first to tell the two apart). An interruption
    (KeyboardInterrupt) propagates after the temp files are removed."""
    paths = list(paths)
    if fmt not in FORMATS:
        raise BatchError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    if engine not in ENGINES:
        raise BatchError(f"unknown engine {engine!r} (expected one of {', '.join(ENGINES)})")
    if engine != "dask" and scheduler:
        raise BatchError("a scheduler address needs the dask engine (--engine dask)")
    if engine == "dask" and cache_dir is not None:
        raise BatchError("the result cache (--cache) works with the local engine only")
    found = discover_articles(paths, exclusion)
    if not len(found):
        raise BatchError("no .txt, .md or .html files found in " + ", ".join(map(str, paths)))
    if engine == "dask":
        results = _dask_results(paths, out, settings, scheduler, exclusion)
    else:
        cache = _open_cache(cache_dir, settings)
        pipeline_for(settings)  # once, before worker processes fork and share it
        results = iter_discovered(found, settings, jobs, cache)
    writers = _open_writers(out, fmt, raw_cells)
    summary = BatchSummary({name: writer.path for name, writer in writers.items()})
    progress = progress or Progress()
    progress.start(len(found))
    # What is alive now (the pipeline's lexicons, matchers and vocabulary) outlives the run:
    # frozen, it is left out of the collector's full passes, which would walk it all each time.
    gc.freeze()
    try:
        for result in results:
            _write(result, writers, summary, claims_only)
            progress.advance(result)
    except BaseException:
        _close_results(results)
        for writer in writers.values():
            writer.close(commit=False)
        raise
    finally:
        gc.unfreeze()
        progress.stop()
    _commit(list(writers.values()))
    return summary


def _write(result: ArticleResult, writers: dict[str, TableWriter], summary: BatchSummary,
           claims_only: bool) -> None:
    counts = summary.tally.add_result(result)
    if result.analysis is None:
        summary.skipped += 1
        error = result.error
        writers["errors"].write([{"article": error.article, "stage": error.stage,
                                  "error": error.error, "detail": error.detail}])
        return
    summary.articles += 1
    summary.cached += result.cached
    summary.claims += counts.claims
    summary.unsupported += counts.unsupported
    rows = claim_rows(result.analysis)
    writers["claims"].write([row for row in rows if row["is_claim"]] if claims_only else rows)
    writers["studies"].write(study_rows(result.analysis))
    writers["articles"].write(article_rows(result.analysis, counts))
    writers["criteria"].write(criteria_rows(result.analysis))


def _open_cache(directory: Path | None, settings: Settings) -> ResultCache | None:
    if directory is None:
        return None
    try:
        return ResultCache.open(directory, settings)
    except OSError as exc:
        raise BatchError(f"cannot use cache folder {directory}: {exc.strerror or exc}") from None


def _dask_results(paths: list[str | Path], out: Path, settings: Settings, scheduler: str | None,
                  exclusion: Exclusion | None) -> Iterator[ArticleResult]:
    try:
        from pipeline.dask_engine import iter_results_dask

        return iter_results_dask(paths, settings, scheduler=scheduler, parquet_dir=out / "parquet",
                                 exclusion=exclusion)
    except ModuleNotFoundError as exc:  # raised at import or at the call, before any task runs
        if (exc.name or "").partition(".")[0] in ("dask", "distributed"):
            raise BatchError("the dask engine needs Dask, which is not installed: "
                             "pip install 'claimscan[dask]'") from None
        raise


def _open_writers(out: Path, fmt: str, raw_cells: bool) -> dict[str, TableWriter]:
    writers: dict[str, TableWriter] = {}
    try:
        for name, columns in TABLES:
            writers[name] = open_table(out / name, columns, fmt, raw_cells=raw_cells)
    except BaseException as exc:
        for writer in writers.values():
            writer.close(commit=False)
        if isinstance(exc, OSError):
            raise BatchError(f"cannot write to {out}: {exc.strerror or exc}") from None
        raise
    return writers


def _commit(writers: list[TableWriter]) -> None:
    """Rename every table into place; if one fails (disk full), the ones after it are dropped."""
    for i, writer in enumerate(writers):
        try:
            writer.close()
        except BaseException:
            for rest in writers[i + 1:]:
                rest.close(commit=False)
            raise


def _close_results(results: Iterator[ArticleResult]) -> None:
    """Stop the producer now (terminates a local worker pool) rather than when it is collected."""
    close = getattr(results, "close", None)
    if close is not None:
        close()
