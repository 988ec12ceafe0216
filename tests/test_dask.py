"""The Dask engine gives the rows and errors of a local run, in the same order, and a Parquet
dataset with the contract's types; a failed partition becomes errors, never lost articles.

One real two-process LocalCluster (random ports) serves the module."""

from __future__ import annotations

import logging
import shutil
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")
import dask  # noqa: E402

from pipeline import api  # noqa: E402
from pipeline.dask_engine import INSTALL_HINT, MIN_WINDOW, _windowed, iter_results_dask  # noqa: E402
from pipeline.ingest import discover  # noqa: E402
from pipeline.runner import BatchError  # noqa: E402
from pipeline.records import claim_rows, study_rows  # noqa: E402
from pipeline.tables import claims_frame, studies_frame  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SETTINGS = api.Settings()
PARTITION = 3  # small, so the folder spans several partitions and a partial last one


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0",
                                  silence_logs=logging.CRITICAL) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """corpus/dev and corpus/test, plus an empty file that fails in the worker's read stage."""
    folder = tmp_path_factory.mktemp("articles")
    shutil.copytree(REPO / "corpus" / "dev", folder / "dev")
    shutil.copytree(REPO / "corpus" / "test", folder / "test")
    (folder / "dev" / "empty.txt").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def inputs(articles, tmp_path_factory) -> list[str]:
    return [str(articles), str(tmp_path_factory.getbasetemp() / "no-such-folder")]


@pytest.fixture(scope="module")
def local(inputs) -> list[api.ArticleResult]:
    return list(api.iter_results(inputs, SETTINGS, jobs=1))


@pytest.fixture(scope="module")
def dask_run(cluster, inputs, tmp_path_factory) -> tuple[list[api.ArticleResult], Path]:
    parquet = tmp_path_factory.mktemp("parquet")
    results = list(iter_results_dask(inputs, SETTINGS, scheduler=cluster.scheduler_address,
                                     parquet_dir=parquet, partition_size=PARTITION))
    return results, parquet


def _claims(result: api.ArticleResult) -> list[dict]:
    return claim_rows(result.analysis) if result.analysis else []


def _studies(result: api.ArticleResult) -> list[dict]:
    return study_rows(result.analysis) if result.analysis else []


def rows(results: list[api.ArticleResult]) -> list[tuple]:
    return [(r.article, _claims(r), _studies(r), r.error) for r in results]


def claims_of(results: list[api.ArticleResult]) -> pd.DataFrame:
    return claims_frame([row for r in results for row in _claims(r)])


def studies_of(results: list[api.ArticleResult]) -> pd.DataFrame:
    return studies_frame([row for r in results for row in _studies(r)])


def read(parquet: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(parquet / table).reset_index(drop=True)


def open_clients() -> set[int]:
    return {id(client) for client in distributed.Client._instances if client.status != "closed"}


def open_clusters() -> set[int]:
    return {id(cluster) for cluster in distributed.SpecCluster._instances
            if cluster.status.name != "closed"}


def test_same_rows_errors_and_order_as_a_local_run(dask_run, local, inputs):
    results, _ = dask_run
    assert rows(results) == rows(local)
    assert {r.article: r.error.stage for r in results if r.error} == {
        inputs[1]: "read", "dev/empty.txt": "read"}
    assert sum(len(_claims(r)) for r in results) > 300


def test_parquet_dataset_reads_back_as_the_contract_tables(dask_run, local, inputs):
    _, parquet = dask_run
    files, _ = discover([inputs[0]])
    parts = [f"part-{i:05d}.parquet" for i in range(-(-len(files) // PARTITION))]
    for table in ("claims", "studies"):
        assert sorted(p.name for p in (parquet / table).iterdir()) == parts
    pd.testing.assert_frame_equal(read(parquet, "claims"), claims_of(local))
    pd.testing.assert_frame_equal(read(parquet, "studies"), studies_of(local))
    assert read(parquet, "claims").dtypes.to_dict() == claims_frame([]).dtypes.to_dict()


def test_dask_parts_have_the_schema_of_a_local_parquet_run(dask_run, inputs, tmp_path):
    """Not-null text and boolean columns, nullable integers: the same schema, field by field."""
    import pyarrow.parquet as pq

    from pipeline.runner import run_batch

    _, parquet = dask_run
    run_batch([inputs[0]], tmp_path / "local", fmt="parquet", jobs=1)
    for table in ("claims", "studies"):
        local = pq.read_schema(tmp_path / "local" / f"{table}.parquet")
        part = pq.read_schema(next((parquet / table).glob("part-*.parquet")))
        assert part.remove_metadata() == local.remove_metadata(), table
        assert [f.nullable for f in part] == [f.nullable for f in local]


def test_a_smaller_rerun_leaves_no_stale_parts(dask_run, cluster, articles, tmp_path):
    _, first = dask_run
    parquet = tmp_path / "parquet"
    shutil.copytree(first, parquet)
    few = [str(path) for path in sorted((articles / "test").iterdir())[:4]]
    results = list(iter_results_dask(few, SETTINGS, scheduler=cluster.scheduler_address,
                                     parquet_dir=parquet, partition_size=PARTITION))
    for table in ("claims", "studies"):
        assert sorted(p.name for p in (parquet / table).iterdir()) == [
            "part-00000.parquet", "part-00001.parquet"]
    pd.testing.assert_frame_equal(read(parquet, "claims"), claims_of(results))
    assert set(read(parquet, "claims")["article"]) == {Path(name).name for name in few}


def test_a_failed_partition_becomes_engine_errors_for_its_articles(articles, local, tmp_path,
                                                                   monkeypatch):
    # An in-process cluster, so the patched api.process_files is what the worker thread runs.
    files, _ = discover([articles])
    broken = {article for _, article in files[PARTITION : 2 * PARTITION]}
    real = api.process_files

    def flaky(partition, settings):
        if any(article in broken for _, article in partition):
            raise OSError("stale NFS file handle\nsecond line")
        return real(partition, settings)

    monkeypatch.setattr(api, "process_files", flaky)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=":0",
                                  silence_logs=logging.CRITICAL) as cluster:
        results = list(iter_results_dask([articles], SETTINGS, scheduler=cluster.scheduler_address,
                                         parquet_dir=tmp_path, partition_size=PARTITION))

    expected = [r for r in local if not r.article.endswith("no-such-folder")]
    assert [r.article for r in results] == [r.article for r in expected]
    for got, want in zip(results, expected):
        if got.article in broken:
            assert got.error == api.ArticleError(got.article, "engine",
                                                 "cluster task failed: OSError",
                                                 "stale NFS file handle second line")
            assert got.analysis is None
        else:
            assert rows([got]) == rows([want])
    survivors = [r for r in expected if r.article not in broken]
    pd.testing.assert_frame_equal(read(tmp_path, "claims"), claims_of(survivors))
    assert len(list((tmp_path / "claims").glob("part-*.parquet"))) == -(-len(files) // PARTITION)


class _Unpicklable:
    """Stands for a task the cluster cannot load (client and cluster environments differ)."""

    def __reduce__(self):
        return (_explode, ())


def _explode():
    raise RuntimeError("no module named 'pipeline' on this machine")


def test_a_task_the_cluster_cannot_load_still_reports_every_article(cluster, articles, tmp_path):
    settings = api.Settings(overrides=(("x", _Unpicklable()),))
    results = list(iter_results_dask([articles / "test"], settings,
                                     scheduler=cluster.scheduler_address,
                                     parquet_dir=tmp_path, partition_size=PARTITION))
    assert [r.article for r in results] == sorted(p.name for p in (articles / "test").iterdir())
    assert {(r.error.stage, r.error.error) for r in results} == {
        ("engine", "cluster task failed: RuntimeError")}
    claims = read(tmp_path, "claims")
    assert claims.empty and claims.dtypes.to_dict() == claims_frame([]).dtypes.to_dict()


def test_no_files_needs_no_cluster_and_still_makes_a_readable_dataset(tmp_path):
    # An unreachable scheduler: the run must not try to connect when there is nothing to run.
    missing = [tmp_path / "missing"]
    results = list(iter_results_dask(missing, SETTINGS, scheduler="tcp://127.0.0.1:9",
                                     parquet_dir=tmp_path / "out"))
    assert rows(results) == rows(api.iter_results(missing, SETTINGS))
    assert read(tmp_path / "out", "studies").dtypes.to_dict() == studies_frame([]).dtypes.to_dict()


def test_windowed_submits_in_order_and_never_more_than_the_window():
    in_flight = peak = 0

    def submit(index, partition):
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        return index

    order = []
    for index, _, future in _windowed([[(Path("a"), str(i))] for i in range(50)], submit,
                                      lambda: 4):
        in_flight -= 1
        order.append((index, future))
    assert peak == 4
    assert order == [(i, i) for i in range(50)]


def test_missing_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r"pip install 'claimscan\[dask\]'") as info:
        iter_results_dask(["corpus"], SETTINGS)
    assert str(info.value) == INSTALL_HINT


def test_without_a_scheduler_a_local_cluster_serves_the_run_only(articles):
    two = sorted((articles / "test").iterdir())[:2]  # one partition: only one worker warms up
    clients, clusters = open_clients(), open_clusters()
    results = list(iter_results_dask(two, SETTINGS))
    assert rows(results) == rows(api.iter_results(two, SETTINGS))
    assert (open_clients(), open_clusters()) == (clients, clusters)


def test_in_flight_partitions_are_bounded_and_released_when_the_caller_stops(cluster, articles):
    clients = open_clients()
    results = iter_results_dask([articles], SETTINGS, scheduler=cluster.scheduler_address,
                                partition_size=1)
    tasks_seen = [len(cluster.scheduler.tasks) for _, _ in zip(range(12), results)]
    results.close()  # what an interrupted or abandoned run does
    assert max(tasks_seen) <= 2 * MIN_WINDOW < len(discover([articles])[0])
    assert open_clients() == clients
    deadline = time.monotonic() + 10
    while cluster.scheduler.tasks and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not cluster.scheduler.tasks


def test_paths_relative_to_the_client_reach_the_workers_absolute(cluster, articles, tmp_path,
                                                                 monkeypatch):
    shutil.copy(REPO / "configs" / "default.cfg", tmp_path / "house.cfg")
    monkeypatch.chdir(tmp_path)  # the workers' working directory is elsewhere
    settings = api.Settings(config="house.cfg")
    results = list(iter_results_dask([articles / "test"], settings,
                                     scheduler=cluster.scheduler_address,
                                     parquet_dir=Path("parquet"), partition_size=PARTITION))
    assert rows(results) == rows(api.iter_results([articles / "test"], settings))
    assert not read(tmp_path / "parquet", "claims").empty


def test_a_run_that_cannot_reach_its_scheduler_keeps_the_previous_dataset(dask_run, articles,
                                                                          tmp_path):
    _, first = dask_run
    parquet = tmp_path / "parquet"
    shutil.copytree(first, parquet)
    before = sorted(path.name for path in (parquet / "claims").iterdir())
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}), pytest.raises(
            BatchError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        list(iter_results_dask([articles], SETTINGS, scheduler="tcp://127.0.0.1:9",
                               parquet_dir=parquet))
    assert sorted(path.name for path in (parquet / "claims").iterdir()) == before
