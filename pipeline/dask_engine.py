"""The Dask engine: `claimscan run --engine dask [--scheduler ADDRESS]`.

Files are discovered on the client, cut into partitions of `partition_size`, and each partition
runs `api.process_files` as one task on the cluster. The workers read the files themselves, so
the input paths must be on storage the workers share with the client (see docs/deployment.md).
Results come back in the order of `api.iter_results`, so the tables are the same as a local
run's. Only a bounded window of partitions is in flight at a time, which keeps the client's and
the cluster's memory flat however many articles there are.

With `parquet_dir`, each task also writes its rows as `claims/part-NNNNN.parquet`,
`studies/part-NNNNN.parquet`, `articles/part-NNNNN.parquet` and `criteria/part-NNNNN.parquet`
(one part per table and partition, empty parts included), so the dataset is written by the
workers and the client never holds all rows.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from pipeline import api
from pipeline.api import CHUNK_SIZE, ArticleError, ArticleResult, Settings
from pipeline.globs import Exclusion
from pipeline.ingest import discover
from pipeline.records import (
    ARTICLE_COLUMNS, CLAIM_COLUMNS, CRITERIA_COLUMNS, STUDY_COLUMNS,
    article_rows, claim_rows, criteria_rows, study_rows,
)
from pipeline.tables import write_table

INSTALL_HINT = "the Dask engine needs `pip install 'claimscan[dask]'`"
# Enough queued partitions that no worker idles between tasks, few enough that results waiting
# behind a slow head-of-line partition stay small.
WINDOW_PER_THREAD = 4
MIN_WINDOW = 8

Partition = list[tuple[str, str]]


def iter_results_dask(paths: Iterable[str | Path], settings: Settings, *,
                      scheduler: str | None = None, parquet_dir: Path | None = None,
                      partition_size: int = CHUNK_SIZE,
                      exclusion: Exclusion | None = None) -> Iterator[ArticleResult]:
    """Like `api.iter_results`, with the partitions run on a Dask cluster.

    `scheduler` is the address of a running scheduler (`tcp://host:8786`); None starts a
    `LocalCluster` with one single-threaded worker process per core for the duration of the run.
    Raises ModuleNotFoundError (an ImportError) at once, not on first iteration, when
    dask.distributed is missing. `exclusion` leaves entries of folders out, as in a local run.
    """
    distributed = _import_distributed()
    if partition_size < 1:
        raise ValueError("partition_size must be at least 1")
    # Workers do not share the client's working directory: give them absolute paths.
    parquet_dir = Path(os.path.abspath(parquet_dir)) if parquet_dir is not None else None
    return _results(distributed, paths, _for_workers(settings), scheduler, parquet_dir,
                    partition_size, exclusion)


def _for_workers(settings: Settings) -> Settings:
    """`settings` with a config file given by a relative path made absolute (a bare name such
    as `default.cfg` is looked up in the installed configs on each worker instead)."""
    if os.path.isabs(settings.config) or not os.path.exists(settings.config):
        return settings
    return replace(settings, config=os.path.abspath(settings.config))


def _import_distributed() -> ModuleType:
    try:
        import distributed
    except ImportError as exc:
        # ModuleNotFoundError (an ImportError) naming the module, so callers can tell a missing
        # extra from a broken install of something else.
        raise ModuleNotFoundError(INSTALL_HINT, name="distributed") from exc
    return distributed


def _results(distributed: ModuleType, paths: Iterable[str | Path], settings: Settings,
             scheduler: str | None, parquet_dir: Path | None, partition_size: int,
             exclusion: Exclusion | None = None) -> Iterator[ArticleResult]:
    files, errors = discover(paths, exclusion)
    for name, exc in errors:
        yield ArticleResult(name, error=ArticleError(name, exc.stage, exc.reason, exc.detail))
    partitions = [files[i : i + partition_size] for i in range(0, len(files), partition_size)]
    if not partitions:  # nothing to run: no cluster to start
        if parquet_dir is not None:
            PartDataset.create(parquet_dir, 0)
        return
    with _client(distributed, scheduler) as client:
        # Cleared only once the cluster is reachable: a run that cannot start keeps the old
        # dataset.
        dataset = (PartDataset.create(parquet_dir, len(partitions)) if parquet_dir is not None
                   else None)
        submit = _submitter(client, settings, dataset)
        for index, partition, future in _windowed(partitions, submit, lambda: _window(client)):
            yield from _collect(future, index, partition, dataset)


def _submitter(client: Any, settings: Settings,
               dataset: PartDataset | None) -> Callable[[int, Partition], Any]:
    # pure=False: the task has a side effect (the Parquet part), so a rerun must never be
    # answered from a result the scheduler still holds under the same key.
    return lambda index, partition: client.submit(run_partition, index, partition, settings,
                                                  dataset, pure=False)


@contextmanager
def _client(distributed: ModuleType, scheduler: str | None) -> Iterator[Any]:
    """A client to `scheduler`, or to a LocalCluster that lives as long as the block; both are
    closed on the way out, also on KeyboardInterrupt or when the caller stops iterating."""
    if scheduler is not None:
        try:
            client = distributed.Client(scheduler, set_as_default=False)
        except OSError as exc:  # distributed raises OSError when the connection times out
            from pipeline.runner import BatchError

            raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    from dask.system import CPU_COUNT  # honours cgroup quotas and CPU affinity

    # One single-threaded process per core: the spaCy components are pure Python and hold the GIL.
    with distributed.LocalCluster(n_workers=CPU_COUNT, threads_per_worker=1, processes=True,
                                  dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
            distributed.Client(cluster, set_as_default=False) as client:
        yield client


def _window(client: Any) -> int:
    # Asked again for every partition so that workers joining a running job are used.
    return max(MIN_WINDOW, WINDOW_PER_THREAD * sum(client.nthreads().values()))


def _windowed(partitions: list[Partition], submit: Callable[[int, Partition], Any],
              window: Callable[[], int]) -> Iterator[tuple[int, Partition, Any]]:
    """Submit partitions in order, never more than `window()` in flight, and hand back their
    futures in submission order. The caller's reference is the last one, so a consumed result
    is released on the cluster as soon as the caller moves on."""
    pending: deque[tuple[int, Partition, Any]] = deque()
    for index, partition in enumerate(partitions):
        pending.append((index, partition, submit(index, partition)))
        if len(pending) >= window():
            yield pending.popleft()
    while pending:
        yield pending.popleft()


def _collect(future: Any, index: int, partition: Partition,
             dataset: PartDataset | None) -> list[ArticleResult]:
    """The partition's results, or one engine error per article when its task failed (an
    exception in the task, a task that could not be unpickled on the worker, KilledWorker after
    repeated worker deaths, a cancelled future): no article is ever dropped."""
    try:
        return future.result()
    except Exception as exc:
        if dataset is not None:
            dataset.write(index, [])  # replaces anything the failed task may have written
        return [_engine_error(article, exc) for _, article in partition]


def _engine_error(article: str, exc: BaseException) -> ArticleResult:
    detail = " ".join(str(exc).split())[:200]  # errors.csv fields are one line
    return ArticleResult(article, error=ArticleError(article, "engine",
                                                     f"cluster task failed: {type(exc).__name__}",
                                                     detail))


def run_partition(index: int, partition: Partition, settings: Settings,
                  dataset: PartDataset | None) -> list[ArticleResult]:
    """The task run on a worker: analyse the partition's files and write its Parquet parts."""
    results = api.process_files(partition, settings)
    if dataset is not None:
        dataset.write(index, results)
    return results


@dataclass(frozen=True)
class PartDataset:
    """`root/<table>/part-NNNNN.parquet` for claims, studies, articles and criteria, one part
    per table and partition. Shipped to the workers with each task, so it holds only the root
    and width."""

    root: Path
    width: int  # zero-padding of the part number, wide enough that lexical order is partition order

    @classmethod
    def create(cls, root: Path, partitions: int) -> PartDataset:
        """Remove the parts of an earlier run (a smaller rerun must not leave extra parts) and,
        when there is nothing to run, write one empty part so the dataset still reads."""
        dataset = cls(root, max(5, len(str(max(partitions - 1, 0)))))
        for table in _TABLES:
            folder = root / table
            folder.mkdir(parents=True, exist_ok=True)
            for stale in [*folder.glob("part-*.parquet"), *folder.glob(".part-*.tmp")]:
                stale.unlink(missing_ok=True)
        if partitions == 0:
            dataset.write(0, [])
        return dataset

    def write(self, index: int, results: list[ArticleResult]) -> None:
        """The partition's parts, through the same Parquet writer and schema as `claims.parquet`."""
        analyses = [result.analysis for result in results if result.analysis is not None]
        for table, (columns, make_rows) in _TABLES.items():
            rows = [row for analysis in analyses for row in make_rows(analysis)]
            write_table(self.root / table / f"part-{index:0{self.width}d}.parquet", columns, rows)


_TABLES = {
    "claims": (CLAIM_COLUMNS, claim_rows), "studies": (STUDY_COLUMNS, study_rows),
    "articles": (ARTICLE_COLUMNS, article_rows), "criteria": (CRITERIA_COLUMNS, criteria_rows),
}
