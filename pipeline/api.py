"""The library API: files in, rows out. The CLI is a thin layer over this module.

    from pipeline import scan, scan_text
    claims, studies = scan(["articles/"])
    claims, studies = scan_text("Coffee cuts cancer risk, a new study shows.")

The flow reads top to bottom: discover files → read and decode → extract text → nlp.pipe →
records → pandas tables. Per-article problems become `ArticleError`s; they never stop a batch.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.extract import extract, format_for
from pipeline.ingest import discover, read_article
from pipeline.records import Row, claim_rows, study_rows
from pipeline.source import InputError, SourceText
from pipeline.tables import claims_frame, studies_frame

DEFAULT_MAX_BYTES = 10_000_000
CHUNK_SIZE = 32


@dataclass(frozen=True)
class ArticleError:
    article: str
    stage: str
    error: str
    detail: str = ""


@dataclass
class ArticleResult:
    article: str
    claims: list[Row] = field(default_factory=list)
    studies: list[Row] = field(default_factory=list)
    error: ArticleError | None = None


@dataclass(frozen=True)
class Settings:
    """What decides the output besides the input text (also the cache key of a run)."""

    config: str = "default.cfg"
    overrides: tuple[tuple[str, Any], ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES


class ScanResult(tuple):
    """`(claims, studies)` DataFrames; `.errors` lists the inputs that could not be processed."""

    def __new__(cls, claims: pd.DataFrame, studies: pd.DataFrame, errors: list[ArticleError]) -> ScanResult:
        result = super().__new__(cls, (claims, studies))
        result.errors = errors
        return result

    @property
    def claims(self) -> pd.DataFrame:
        return self[0]

    @property
    def studies(self) -> pd.DataFrame:
        return self[1]


@lru_cache(maxsize=4)
def pipeline_for(settings: Settings):
    """The spaCy pipeline for these settings, built once per process (commands build it up front
    so a broken config is a usage error, not one failure per article)."""
    from pipeline.nlp import load_pipeline

    return load_pipeline(settings.config, dict(settings.overrides))


def process_texts(items: Sequence[tuple[str, SourceText]], settings: Settings) -> list[ArticleResult]:
    """Run the pipeline over extracted texts; an article that fails is reported, not raised."""
    nlp = pipeline_for(settings)

    def make(article: str, source: SourceText):
        doc = nlp.make_doc(source.text)
        doc._.source = source
        return doc

    try:
        docs = list(nlp.pipe(make(a, s) for a, s in items))
    except Exception:  # one bad article must not cost the rest of its batch: redo one by one
        return [_process_one(nlp, article, make(article, source)) for article, source in items]
    return [ArticleResult(a, claim_rows(d, a), study_rows(d, a)) for (a, _), d in zip(items, docs)]


def _process_one(nlp, article: str, doc) -> ArticleResult:
    try:
        doc = nlp(doc)
    except Exception as exc:  # reported with its type; --debug shows the traceback
        return ArticleResult(article, error=ArticleError(article, "nlp", f"internal error: {type(exc).__name__}", str(exc)[:200]))
    return ArticleResult(article, claim_rows(doc, article), study_rows(doc, article))


def load_source(path: Path, settings: Settings) -> SourceText:
    raw = read_article(path, max_bytes=settings.max_bytes)
    return extract(raw, format_for(path))


def process_files(files: Sequence[tuple[Path, str]], settings: Settings) -> list[ArticleResult]:
    """Read, extract and analyse a chunk of files, in order. Used directly and by worker processes."""
    results: dict[str, ArticleResult] = {}
    ready: list[tuple[str, SourceText]] = []
    for path, article in files:
        try:
            ready.append((article, load_source(path, settings)))
        except InputError as exc:
            results[article] = ArticleResult(article, error=ArticleError(article, exc.stage, exc.reason, exc.detail))
        except (OSError, ValueError, RecursionError, MemoryError) as exc:
            results[article] = ArticleResult(article, error=ArticleError(article, "extract", f"cannot process: {type(exc).__name__}", str(exc)[:200]))
    for result in process_texts(ready, settings):
        results[result.article] = result
    return [results[article] for _, article in files]


def _chunks(files: list[tuple[Path, str]], size: int) -> list[list[tuple[Path, str]]]:
    return [files[i : i + size] for i in range(0, len(files), size)]


def iter_results(paths: Iterable[str | Path], settings: Settings = Settings(), jobs: int = 1) -> Iterator[ArticleResult]:
    """Results in deterministic order (by article path). `jobs` > 1 uses a process pool over file chunks."""
    files, errors = discover(paths)
    for name, exc in errors:
        yield ArticleResult(name, error=ArticleError(name, exc.stage, exc.reason, exc.detail))
    chunks = _chunks(files, CHUNK_SIZE)
    jobs = max(1, min(jobs, len(chunks)))
    if jobs == 1:
        for chunk in chunks:
            yield from process_files(chunk, settings)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    with context.Pool(jobs) as pool:
        for results in pool.imap(_process_chunk, [(chunk, settings) for chunk in chunks]):
            yield from results


def _process_chunk(args: tuple[list[tuple[Path, str]], Settings]) -> list[ArticleResult]:
    return process_files(*args)


def scan(paths: Iterable[str | Path] | str | Path, *, config: str = "default.cfg", overrides: dict[str, Any] | None = None,
         jobs: int = 1, max_bytes: int = DEFAULT_MAX_BYTES) -> ScanResult:
    """Analyse files and folders; returns `(claims, studies)` DataFrames with `.errors` attached."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    settings = Settings(config, tuple(sorted((overrides or {}).items())), max_bytes)
    claims: list[Row] = []
    studies: list[Row] = []
    errors: list[ArticleError] = []
    for result in iter_results(paths, settings, jobs):
        claims += result.claims
        studies += result.studies
        if result.error:
            errors.append(result.error)
    return ScanResult(claims_frame(claims), studies_frame(studies), errors)


def scan_text(text: str, *, article: str = "<text>", fmt: str = "text", config: str = "default.cfg",
              overrides: dict[str, Any] | None = None) -> ScanResult:
    """Analyse one article given as a string (`fmt`: text, markdown or html)."""
    settings = Settings(config, tuple(sorted((overrides or {}).items())))
    try:
        results = process_texts([(article, extract(text, fmt))], settings)
    except InputError as exc:
        results = [ArticleResult(article, error=ArticleError(article, exc.stage, exc.reason, exc.detail))]
    claims = [row for r in results for row in r.claims]
    studies = [row for r in results for row in r.studies]
    errors = [r.error for r in results if r.error]
    return ScanResult(claims_frame(claims), studies_frame(studies), errors)
