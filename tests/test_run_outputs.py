"""`claimscan run --format csv|parquet|jsonl`: the same tables (columns, order, types) in every
format, written atomically; plus the run's usage errors and the Dask engine switch."""

from __future__ import annotations

import json
import shutil
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from pipeline import scan
from pipeline.cli import app
from pipeline.records import ARTICLE_COLUMNS, CLAIM_COLUMNS, CRITERIA_COLUMNS, STUDY_COLUMNS
from pipeline.tables import (ERROR_COLUMNS, FORMATS, ParquetStream, claims_frame, column_kind,
                             open_table)

from conftest import REPO

ARTICLES = ("d01-bp-drug-rct.txt", "d06-lemon-water-benefits.md", "d07-cycling-sick-days.html")
FORMULA = "Title\n=HYPERLINK(\"http://x\") may cure everyone.\n"
TABLES = {"claims": CLAIM_COLUMNS, "studies": STUDY_COLUMNS, "articles": ARTICLE_COLUMNS,
          "criteria": CRITERIA_COLUMNS, "errors": ERROR_COLUMNS}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    for name in ARTICLES:
        shutil.copy(REPO / "corpus" / "dev" / name, folder / name)
    (folder / "formula.txt").write_text(FORMULA)
    (folder / "empty.txt").write_text("")
    return folder


@pytest.fixture(scope="module")
def runs(articles, tmp_path_factory):
    """The folder written once per format (CSV with --raw-cells, so that cells compare as text)."""
    outs = {}
    for fmt in FORMATS:
        out = tmp_path_factory.mktemp(f"out-{fmt}")
        extra = ["--raw-cells"] if fmt == "csv" else []
        result = invoke("run", str(articles), "--out", str(out), "--format", fmt, "--jobs", "1",
                        "--quiet", *extra)
        assert result.exit_code == 3, result.output  # empty.txt is skipped
        outs[fmt] = out
    return outs


def read_csv(path, columns):
    """A CSV in the contract read back with the contract's types."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in columns:
        kind = column_kind(column, columns)
        if kind == "int":
            table[column] = pd.array([int(v) if v else None for v in table[column]], dtype="Int64")
        elif kind == "float":
            table[column] = pd.array([float(v) if v else None for v in table[column]],
                                     dtype="Float64")
        elif kind == "bool":
            assert set(table[column]) <= {"true", "false"}
            table[column] = table[column] == "true"
    return table


def read_jsonl(path, columns):
    table = pd.read_json(path, lines=True, dtype=False)
    if table.empty:
        table = pd.DataFrame(columns=list(columns))
    dtypes = {"int": "Int64", "float": "Float64"}
    for column in columns:
        if column_kind(column, columns) in dtypes:
            kind = column_kind(column, columns)
            table[column] = pd.array(table[column].tolist(), dtype=dtypes[kind])
    return table.astype({c: object for c in columns if column_kind(c, columns) == "str"})


def read(out, name, fmt):
    columns = TABLES[name]
    if fmt == "csv":
        return read_csv(out / f"{name}.csv", columns)
    if fmt == "jsonl":
        return read_jsonl(out / f"{name}.jsonl", columns)
    return pd.read_parquet(out / f"{name}.parquet")


@pytest.mark.parametrize("name", TABLES)
def test_every_format_reads_back_to_the_same_table(runs, name):
    """Every table: same columns, order, values and dtypes whatever the format."""
    tables = {fmt: read(runs[fmt], name, fmt) for fmt in FORMATS}
    assert list(tables["csv"].columns) == list(TABLES[name])
    for fmt in ("jsonl", "parquet"):
        pd.testing.assert_frame_equal(tables[fmt], tables["csv"])
    assert len(tables["csv"]) > 0


def test_tables_match_the_library_frames(runs, articles):
    """What `run` writes is what `scan` returns: Parquet comes back with the same dtypes (Int64)."""
    result = scan([articles])
    claims, studies = result
    pd.testing.assert_frame_equal(pd.read_parquet(runs["parquet"] / "claims.parquet"), claims)
    pd.testing.assert_frame_equal(pd.read_parquet(runs["parquet"] / "studies.parquet"), studies)
    for name in ("articles", "criteria"):
        written = pd.read_parquet(runs["parquet"] / f"{name}.parquet")
        pd.testing.assert_frame_equal(written, getattr(result, name))
    pd.testing.assert_frame_equal(read(runs["csv"], "claims", "csv"),
                                  claims_frame(claims.to_dict("records")))


def test_each_format_writes_its_own_files(runs):
    for fmt, out in runs.items():
        assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.{fmt}" for name in TABLES)


def test_jsonl_rows_are_objects_with_real_json_types(runs):
    lines = (runs["jsonl"] / "claims.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    assert all(list(row) == list(CLAIM_COLUMNS) for row in rows)
    assert all(isinstance(row["is_claim"], bool) and isinstance(row["unsupported"], bool)
               for row in rows)
    assert all(isinstance(row["sentence_index"], int) and isinstance(row["text"], str)
               for row in rows)
    # null only for a missing integer
    assert {type(row["sample_size"]) for row in rows} == {int, type(None)}
    assert all(row["study_id"] == "" for row in rows
               if row["sample_size"] is None and not row["journal"])
    errors = [json.loads(line)
              for line in (runs["jsonl"] / "errors.jsonl").read_text().splitlines()]
    assert errors == [{"article": "empty.txt", "stage": "read", "error": "empty file",
                       "detail": ""}]


def test_parquet_schema_follows_the_contract(runs):
    for name, columns in TABLES.items():
        schema = pq.read_schema(runs["parquet"] / f"{name}.parquet")
        assert schema.names == list(columns)
        for field in schema:
            kind = column_kind(field.name, columns)
            if kind == "int":
                assert field.type == pa.int64() and field.nullable
            elif kind == "float":
                assert field.type == pa.float64() and field.nullable
            elif kind == "bool":
                assert field.type == pa.bool_() and not field.nullable
            else:
                assert field.type == pa.string() and not field.nullable


def test_formulas_are_neutralised_in_csv_only(articles, runs, tmp_path):
    """Spreadsheets open CSV; JSON Lines and Parquet are read by programs and keep the text as
    written."""
    result = invoke("run", str(articles), "--out", str(tmp_path), "--jobs", "1", "--quiet")
    assert result.exit_code == 3
    csv_texts = set(read_csv(tmp_path / "claims.csv", CLAIM_COLUMNS)["text"])
    assert (any(t.startswith("'=HYPERLINK") for t in csv_texts)
            and not any(t.startswith("=") for t in csv_texts))
    for fmt in ("jsonl", "parquet"):
        assert any(t.startswith("=HYPERLINK") for t in read(runs[fmt], "claims", fmt)["text"])


def test_jsonl_keeps_one_row_per_line_whatever_the_text(tmp_path):
    """Unicode line and paragraph separators inside a cell do not split the row for line readers."""
    writer = open_table(tmp_path / "t", ("article", "text"), "jsonl")
    writer.write([{"article": "a", "text": "one\u2028two\u2029three\x85four\nfive"},
                  {"article": "b", "text": None}])
    writer.close()
    data = (tmp_path / "t.jsonl").read_text(encoding="utf-8")
    assert len(data.splitlines()) == 2
    assert [json.loads(line)["text"] for line in data.splitlines()] == [
        "one\u2028two\u2029three\x85four\nfive", ""]


def test_parquet_is_written_a_row_group_per_batch(tmp_path):
    """Memory stays bounded: rows go out every `row_group_rows`, not as one table at the end."""
    stream = ParquetStream(tmp_path / "claims.parquet", CLAIM_COLUMNS, row_group_rows=10)
    rows = claims_frame([]).to_dict("records")
    for i in range(25):
        rows.append({"article": "a.txt", "claim_id": f"a.txt#{i}", "sentence_index": i,
                     "is_claim": i % 2 == 0})
    for start in range(0, 25, 5):
        stream.write(rows[start : start + 5])
    stream.close()
    meta = pq.ParquetFile(tmp_path / "claims.parquet").metadata
    assert meta.num_rows == 25 and meta.num_row_groups == 3
    back = pd.read_parquet(tmp_path / "claims.parquet")
    assert back["sentence_index"].tolist() == list(range(25)) and back["line"].isna().all()
    assert back["is_claim"].tolist() == [i % 2 == 0 for i in range(25)]
    assert not back["unsupported"].any() and set(back["text"]) == {""}  # missing: false and ""


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_typed_formats_coerce_cells_to_the_contract_types(tmp_path, fmt):
    """Whatever a row holds (missing values, a numpy integer, a whole float), the typed formats
    write the contract's types: int or null, bool, and "" for a missing string."""
    import numpy as np

    writer = open_table(tmp_path / "studies", STUDY_COLUMNS, fmt)
    writer.write([{"article": "a.txt", "study_id": "S1", "sample_size": np.int64(30),
                   "duration_days": 84.0},
                  {"article": "a.txt", "study_id": None, "sample_size": None,
                   "duration_days": "7"}])
    writer.close()
    back = read(tmp_path, "studies", fmt)
    assert back["sample_size"].tolist() == [30, pd.NA] and back["duration_days"].tolist() == [84, 7]
    assert back["study_id"].tolist() == ["S1", ""] and back["journal"].tolist() == ["", ""]
    assert str(back["sample_size"].dtype) == "Int64"


@pytest.mark.parametrize("fmt", FORMATS)
def test_interrupted_write_leaves_no_file_and_keeps_the_previous_one(tmp_path, fmt):
    (tmp_path / f"studies.{fmt}").write_bytes(b"previous")
    for name in ("claims", "studies"):
        writer = open_table(tmp_path / name, TABLES[name], fmt)
        writer.write([{"article": "a.txt", "study_id": "S1", "claim_id": "a.txt#0"}] * 3)
        writer.close(commit=False)
    assert [p.name for p in tmp_path.iterdir()] == [f"studies.{fmt}"]
    assert (tmp_path / f"studies.{fmt}").read_bytes() == b"previous"


def test_interrupted_run_replaces_no_output(articles, tmp_path, monkeypatch):
    """Ctrl-C half-way: exit 130, previous tables untouched, no temp files left."""
    import pipeline.progress

    class Interrupt(pipeline.progress.Progress):
        def advance(self, result):
            raise KeyboardInterrupt

    monkeypatch.setattr(pipeline.progress, "progress_for", lambda **kwargs: Interrupt())
    (tmp_path / "claims.parquet").write_bytes(b"previous")
    result = invoke("run", str(articles), "--out", str(tmp_path), "--format", "parquet",
                    "--jobs", "1")
    assert result.exit_code == 130 and "no output was replaced" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["claims.parquet"]
    assert (tmp_path / "claims.parquet").read_bytes() == b"previous"


def test_no_input_is_a_usage_error_and_replaces_nothing(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "claims.csv").write_text("previous\n")
    result = invoke("run", str(tmp_path / "in"), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2 and "no .txt, .md or .html files found" in result.stderr
    assert (tmp_path / "out" / "claims.csv").read_text() == "previous\n"


def test_an_unwritable_output_folder_is_a_usage_error(articles, tmp_path):
    (tmp_path / "out").write_text("a file, not a folder")
    result = invoke("run", str(articles), "--out", str(tmp_path / "out"), "--jobs", "1")
    assert result.exit_code == 2 and f"cannot write to {tmp_path / 'out'}" in result.stderr
    assert "Traceback" not in result.output


def test_dask_engine_without_dask_says_what_to_install(articles, tmp_path, monkeypatch):
    """What a user without the `dask` extra sees: one line naming the extra, exit 2, nothing
    written."""
    for module in ("dask", "distributed", "pipeline.dask_engine"):
        monkeypatch.delitem(sys.modules, module, raising=False)
    monkeypatch.setitem(sys.modules, "dask", None)  # `import dask` now fails, as if not installed
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = invoke("run", str(articles), "--out", str(tmp_path / "out"), "--engine", "dask")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "claimscan: error: the dask engine needs Dask, which is not installed: "
        "pip install 'claimscan[dask]'"]
    assert not (tmp_path / "out").exists()


def test_scheduler_and_cache_need_the_right_engine(articles, tmp_path):
    result = invoke("run", str(articles), "--out", str(tmp_path), "--scheduler",
                    "tcp://127.0.0.1:8786")
    assert result.exit_code == 2 and "needs the dask engine" in result.stderr
    result = invoke("run", str(articles), "--out", str(tmp_path), "--engine", "dask", "--cache",
                    str(tmp_path / "c"))
    assert result.exit_code == 2 and "local engine only" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_dask_engine_writes_the_same_tables_as_the_local_one(articles, runs, tmp_path):
    pytest.importorskip("distributed")
    pytest.importorskip("pipeline.dask_engine")
    result = invoke("run", str(articles), "--out", str(tmp_path), "--engine", "dask", "--format",
                    "parquet", "--quiet")
    assert result.exit_code == 3, result.output
    for name in TABLES:
        assert ((tmp_path / f"{name}.parquet").read_bytes()
                == (runs["parquet"] / f"{name}.parquet").read_bytes())
    assert (tmp_path / "parquet").is_dir()
