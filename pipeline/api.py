"""The library API: files in, rows out. The CLI is a thin layer over this module.

    from pipeline import scan, scan_text
    claims, studies = scan(["articles/"])
    claims, studies = scan_text("Coffee cuts cancer risk, a new study shows.")
    result = scan(["articles/"]); result.articles, result.criteria   # the article scorecard

The flow reads top to bottom: discover files → read and decode → (result cache) → extract text →
the pipeline, one article at a time under its time limit → records → pandas tables. Per-article
problems become `ArticleError`s; they never stop a batch. `pipeline.runner.run_batch` writes the
tables of `claimscan run` from the same results.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.analysis import ArticleAnalysis
from pipeline.cache import ResultCache
from pipeline.extract import extract, format_for
from pipeline.globs import Exclusion
from pipeline.ingest import discover, read_article
from pipeline.limits import DEFAULT_MAX_BYTES, DEFAULT_TIME_LIMIT, ArticleTimeout, time_limit
from pipeline.records import Row, article_rows, claim_rows, criteria_rows, study_rows
from pipeline.source import InputError, SourceText
from pipeline.tables import articles_frame, claims_frame, criteria_frame, studies_frame

if TYPE_CHECKING:  # pandas is imported when a table is built: `claimscan run` never needs it
    import pandas as pd

CHUNK_SIZE = 32


@dataclass(frozen=True)
class ArticleError:
    article: str
    stage: str
    error: str
    detail: str = ""
    trace: str = field(default="", compare=False, repr=False)  # shown by --debug, not written


@dataclass
class ArticleResult:
    """One input's outcome: its analysis, or the error that stopped it."""

    article: str
    analysis: ArticleAnalysis | None = None
    error: ArticleError | None = None
    cached: bool = field(default=False, compare=False)  # the analysis came from the result cache


@dataclass(frozen=True)
class Settings:
    """What decides the output besides the input text. The result cache keys on `config` and
    `overrides` only: the limits decide which articles fail, and failures are not cached."""

    config: str = "default.cfg"
    overrides: tuple[tuple[str, Any], ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    time_limit: float = DEFAULT_TIME_LIMIT


class ScanResult(tuple):
    """`(claims, studies)` DataFrames (a 2-tuple, so `claims, studies = scan(...)` keeps working);
    `.articles` and `.criteria` hold the article scorecard, `.errors` the inputs that could not be
    processed."""

    def __new__(cls, claims: pd.DataFrame, studies: pd.DataFrame, errors: list[ArticleError],
                articles: pd.DataFrame | None = None,
                criteria: pd.DataFrame | None = None) -> ScanResult:
        result = super().__new__(cls, (claims, studies))
        result.errors = errors
        result.articles = articles if articles is not None else articles_frame([])
        result.criteria = criteria if criteria is not None else criteria_frame([])
        return result

    @property
    def claims(self) -> pd.DataFrame:
        return self[0]

    @property
    def studies(self) -> pd.DataFrame:
        return self[1]


def pipeline_for(settings: Settings):
    """The spaCy pipeline for these settings, built once per process (commands build it up front
    so a broken config is a usage error, not one failure per article)."""
    nlp = _pipeline(settings.config, settings.overrides)
    # spaCy's 1,000,000-character cap guards the memory of parsers and NER, which we do not run:
    # every text the size limit lets through must be analysed.
    nlp.max_length = max(nlp.max_length, settings.max_bytes)
    return nlp


@lru_cache(maxsize=4)
def _pipeline(config: str, overrides: tuple[tuple[str, Any], ...]):
    from pipeline.nlp import load_pipeline

    return load_pipeline(config, dict(overrides))


def analyse(article: str, source: SourceText, settings: Settings = Settings()) -> ArticleAnalysis:
    """Run the pipeline over one extracted text."""
    from pipeline.extensions import unit_records
    from pipeline.scorecard import scorecard_of

    nlp = pipeline_for(settings)
    doc = nlp.make_doc(source.text)
    doc._.source = source
    doc = nlp(doc)
    scorecard = scorecard_of(doc)  # None in a pipeline configured without the scorecard
    return ArticleAnalysis(article, source.text, source.title, unit_records(doc),
                           doc._.studies or [], source.blocks, source.directives,
                           scorecard.criteria if scorecard else [],
                           scorecard.score if scorecard else None)


class _Stage:
    """How far an article got, for its error message: extract until the text is ready, then nlp."""

    name = "extract"


def _guarded(article: str, settings: Settings,
             work: Callable[[_Stage], ArticleResult]) -> ArticleResult:
    """Run `work` under the time limit; any failure becomes that article's error."""
    stage = _Stage()
    try:
        pipeline_for(settings)  # built (once) outside the article's time budget
        with time_limit(settings.time_limit):
            return work(stage)
    except InputError as exc:
        error = ArticleError(article, exc.stage, exc.reason, exc.detail)
    except ArticleTimeout:
        error = ArticleError(article, stage.name,
                             f"time limit exceeded ({settings.time_limit:g} s per article)",
                             "raise it with --time-limit; 0 turns the limit off")
    except Exception as exc:  # reported with its type; --debug prints the traceback
        error = ArticleError(article, stage.name, f"internal error: {type(exc).__name__}",
                             str(exc)[:200], trace=traceback.format_exc())
    return ArticleResult(article, error=error)


def analyse_safely(article: str, settings: Settings,
                   load: Callable[[], SourceText]) -> ArticleResult:
    """Load and analyse one article under the time limit; any failure becomes that article's
    error."""

    def work(stage: _Stage) -> ArticleResult:
        source = load()
        stage.name = "nlp"
        return ArticleResult(article, analyse(article, source, settings))

    return _guarded(article, settings, work)


def analyse_file(path: str | Path, article: str, settings: Settings,
                 cache: ResultCache | None = None) -> ArticleResult:
    """Read, extract and analyse one file, like `analyse_safely`. With a cache, the file is still
    read and decoded (so this run's size and encoding checks apply), but a text analysed before
    under the same settings skips extraction and the pipeline."""

    def work(stage: _Stage) -> ArticleResult:
        text = read_article(path, max_bytes=settings.max_bytes)
        fmt = format_for(path)
        key = cache.key(text, fmt) if cache is not None else None
        if key and (hit := cache.get(key, article)) is not None:
            return ArticleResult(article, hit, cached=True)
        source = extract(text, fmt)
        stage.name = "nlp"
        analysis = analyse(article, source, settings)
        if key:
            cache.put(key, analysis)
        return ArticleResult(article, analysis)

    return _guarded(article, settings, work)


def process_files(files: Sequence[tuple[str, str]], settings: Settings,
                  cache: ResultCache | None = None) -> list[ArticleResult]:
    """Read, extract and analyse a chunk of files, in order. Used directly and by worker
    processes."""
    return [analyse_file(path, article, settings, cache) for path, article in files]


def _chunks(files: list[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    return [files[i : i + size] for i in range(0, len(files), size)]


@dataclass(frozen=True)
class Discovery:
    """The article files found under some paths, and the paths that could not be used."""

    files: list[tuple[str, str]]  # (absolute path, name shown in the tables)
    errors: list[tuple[str, InputError]]

    def __len__(self) -> int:
        """How many results processing it yields (one per file, one per unusable path)."""
        return len(self.files) + len(self.errors)


def discover_articles(paths: Iterable[str | Path],
                      exclusion: Exclusion | None = None) -> Discovery:
    """Walk `paths` without analysing any article, so a caller can show progress out of a known
    total. `exclusion` (the configuration's `exclude` globs) leaves entries of folders out."""
    return Discovery(*discover(paths, exclusion))


def iter_discovered(found: Discovery, settings: Settings = Settings(), jobs: int = 1,
                    cache: ResultCache | None = None) -> Iterator[ArticleResult]:
    """Results for discovered files in deterministic order (by article path). `jobs` > 1 uses a
    process pool over file chunks; `cache` is consulted where each file is read (in the workers)."""
    for name, exc in found.errors:
        yield ArticleResult(name, error=ArticleError(name, exc.stage, exc.reason, exc.detail))
    chunks = _chunks(found.files, CHUNK_SIZE)
    jobs = max(1, min(jobs, len(chunks)))
    if jobs == 1:
        # one at a time, so a caller can show progress per article
        for path, article in found.files:
            yield analyse_file(path, article, settings, cache)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(jobs, initializer=_leave_interrupts_to_the_parent) as pool:
        for results in pool.imap(_process_chunk, [(chunk, settings, cache) for chunk in chunks]):
            yield from results


def iter_results(paths: Iterable[str | Path], settings: Settings = Settings(), jobs: int = 1,
                 cache: ResultCache | None = None) -> Iterator[ArticleResult]:
    """Results in deterministic order (by article path). `jobs` > 1 uses a process pool over file
    chunks."""
    yield from iter_discovered(discover_articles(paths), settings, jobs, cache)


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl-C reaches the whole process group; the parent stops the pool, so workers need not
    print a KeyboardInterrupt traceback each."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _process_chunk(
    args: tuple[list[tuple[str, str]], Settings, ResultCache | None],
) -> list[ArticleResult]:
    return process_files(*args)


def scan(paths: Iterable[str | Path] | str | Path, *, config: str = "default.cfg",
         overrides: dict[str, Any] | None = None, jobs: int = 1,
         max_bytes: int = DEFAULT_MAX_BYTES,
         time_limit: float = DEFAULT_TIME_LIMIT) -> ScanResult:
    """Analyse files and folders; returns `(claims, studies)` DataFrames with `.articles`,
    `.criteria` and `.errors` attached."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    settings = Settings(config, tuple(sorted((overrides or {}).items())), max_bytes, time_limit)
    return tables_of(iter_results(paths, settings, jobs))


def tables_of(results: Iterable[ArticleResult]) -> ScanResult:
    """The DataFrames of some results (claims, studies, articles, criteria), with their errors."""
    claims: list[Row] = []
    studies: list[Row] = []
    articles: list[Row] = []
    criteria: list[Row] = []
    errors: list[ArticleError] = []
    for result in results:
        if result.analysis is not None:
            claims += claim_rows(result.analysis)
            studies += study_rows(result.analysis)
            articles += article_rows(result.analysis)
            criteria += criteria_rows(result.analysis)
        if result.error:
            errors.append(result.error)
    return ScanResult(claims_frame(claims), studies_frame(studies), errors,
                      articles_frame(articles), criteria_frame(criteria))


def scan_text(text: str, *, article: str = "<text>", fmt: str = "text", config: str = "default.cfg",
              overrides: dict[str, Any] | None = None) -> ScanResult:
    """Analyse one article given as a string (`fmt`: text, markdown or html)."""
    settings = Settings(config, tuple(sorted((overrides or {}).items())))
    result = analyse_safely(article, settings, partial(extract, text, fmt))
    analysis = result.analysis

    def rows(make: Callable[[ArticleAnalysis], list[Row]]) -> list[Row]:
        return make(analysis) if analysis else []

    return ScanResult(claims_frame(rows(claim_rows)), studies_frame(rows(study_rows)),
                      [result.error] if result.error else [], articles_frame(rows(article_rows)),
                      criteria_frame(rows(criteria_rows)))
