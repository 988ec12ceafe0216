"""pandas tables in the SPEC contract, and the atomic, streaming table writers of `claimscan run`.

    writer = open_table(Path("out/claims"), CLAIM_COLUMNS, "parquet")   # -> out/claims.parquet
    writer.write(rows)            # any number of times, a batch of row dicts each
    writer.close()                # renames the temp file into place; close(commit=False) drops it

Every format carries the same columns in the same order with the same types: integers (nullable),
booleans, floats (nullable: articles' score, criteria's confidence) and strings (empty, never
missing). CSV spells them as text; JSON Lines and Parquet keep them typed.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pipeline.output import atomic_write
from pipeline.records import ARTICLE_COLUMNS, CLAIM_COLUMNS, CRITERIA_COLUMNS, STUDY_COLUMNS, Row

if TYPE_CHECKING:  # imported where a DataFrame is built: writing CSV never needs pandas (0.5 s)
    import pandas as pd

ERROR_COLUMNS = ("article", "stage", "error", "detail")
INTEGER_COLUMNS = frozenset({
    "sentence_index", "line", "column", "start", "end", "sample_size", "duration_days",
    "words", "units", "claims", "hedged", "studies", "criteria_met", "criteria_judged",  # articles
})
BOOLEAN_COLUMNS = frozenset({"is_claim", "unsupported"})
FLOAT_COLUMNS = frozenset({"score", "confidence"})
# A name whose type depends on the table: `unsupported` is a flag in claims, a count in articles.
_TABLE_KINDS: dict[tuple[str, ...], dict[str, str]] = {ARTICLE_COLUMNS: {"unsupported": "int"}}
PARQUET_ROW_GROUP_ROWS = 50_000
# A cell starting with one of these is run as a formula by Excel/LibreOffice (OWASP CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_PREFIXES)  # each prefix is one character


def column_kind(column: str, columns: tuple[str, ...] = ()) -> str:
    """The contract's type of `column` in the table with `columns`: int, bool, float or str."""
    special = _TABLE_KINDS.get(tuple(columns))
    if special and column in special:
        return special[column]
    if column in INTEGER_COLUMNS:
        return "int"
    if column in BOOLEAN_COLUMNS:
        return "bool"
    return "float" if column in FLOAT_COLUMNS else "str"


def frame(rows: Iterable[Row], columns: tuple[str, ...]) -> pd.DataFrame:
    """Rows as a DataFrame with the contract's column order and types (nullable integers and
    floats)."""
    import pandas as pd

    table = pd.DataFrame(list(rows), columns=list(columns))
    for column in columns:
        kind = column_kind(column, columns)
        if kind == "int":
            table[column] = pd.array(table[column].tolist(), dtype="Int64")
        elif kind == "bool":
            table[column] = table[column].astype(bool)
        elif kind == "float":
            table[column] = pd.array([None if _missing(v) else float(v) for v in table[column]],
                                     dtype="Float64")
        else:
            table[column] = table[column].fillna("").astype(str)
    return table


def claims_frame(rows: Iterable[Row]) -> pd.DataFrame:
    return frame(rows, CLAIM_COLUMNS)


def studies_frame(rows: Iterable[Row]) -> pd.DataFrame:
    return frame(rows, STUDY_COLUMNS)


def articles_frame(rows: Iterable[Row]) -> pd.DataFrame:
    return frame(rows, ARTICLE_COLUMNS)


def criteria_frame(rows: Iterable[Row]) -> pd.DataFrame:
    return frame(rows, CRITERIA_COLUMNS)


def csv_cell(value: object, *, raw_cells: bool = False) -> str:
    """One field in the contract's text form: true/false, empty for missing, formulas neutralised.
    Called for every cell of a run, so the common types are tested first."""
    if type(value) is str:
        text = value
    elif value is True or value is False:
        return "true" if value else "false"
    elif _missing(value):
        return ""
    else:
        text = str(value)
    if not raw_cells and text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


class TableWriter(Protocol):
    """What `open_table` returns, whatever the format."""

    path: Path

    def write(self, rows: list[Row]) -> None: ...

    def close(self, *, commit: bool = True) -> None: ...


def open_table(stem: Path, columns: tuple[str, ...], fmt: str = "csv", *,
               raw_cells: bool = False) -> TableWriter:
    """A streaming writer for `stem` + `.csv`, `.parquet` or `.jsonl`; nothing appears at that path
    until `close()` (`raw_cells` only matters for CSV: see `csv_cell`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown table format {fmt!r} (expected one of {', '.join(FORMATS)})")
    path = stem.with_name(f"{stem.name}.{fmt}")
    return (CsvStream(path, columns, raw_cells=raw_cells) if fmt == "csv"
            else FORMATS[fmt](path, columns))


def _missing(value: object) -> bool:
    if value is None or (isinstance(value, float) and value != value):
        return True
    pandas = sys.modules.get("pandas")  # without pandas loaded, no value can be pd.NA
    return pandas is not None and value is pandas.NA


def typed_cell(value: object, column: str,
               kind: str | None = None) -> int | bool | float | str | None:
    """One field as the contract's type: int or None, bool, float or None, or str ("" for missing).
    `kind` (from `column_kind`) is needed where the column's name does not decide it."""
    kind = kind or column_kind(column)
    if kind == "int":
        return None if _missing(value) else int(value)
    if kind == "bool":
        # as `frame` does: a flag never set is false
        return False if _missing(value) else bool(value)
    if kind == "float":
        return None if _missing(value) else float(value)
    return "" if _missing(value) else str(value)


class CsvStream:
    """Append rows to an RFC 4180 CSV as they come (header once); atomic on close. Rows are
    formatted field by field: a DataFrame per article would cost more than the analysis."""

    def __init__(self, path: Path, columns: tuple[str, ...], *, raw_cells: bool = False) -> None:
        self.path = path
        self.columns = columns
        self.raw_cells = raw_cells
        self._context = atomic_write(path)
        self._handle = self._context.__enter__()
        self._writer = csv.writer(self._handle, lineterminator="\r\n")
        self._writer.writerow(columns)

    def write(self, rows: list[Row]) -> None:
        raw = self.raw_cells
        columns = self.columns
        # Most cells are text that needs no neutralising, a count, or missing: the csv module
        # writes those as `csv_cell` would (an int as str(int), None as ""), so only the rest pay
        # for the call. Text is tested by its first character, in a set: the prefixes are one
        # character each, and this is faster than str.startswith with a tuple of them. Booleans
        # (is_claim and unsupported, two per claim row) are spelled here, as `csv_cell` spells them.
        self._writer.writerows(
            [value if ((kind := type(value)) is str and (raw or value[:1] not in _FORMULA_FIRST))
             or (kind is int and value >= 0) or value is None
             else ("true" if value else "false") if kind is bool
             else csv_cell(value, raw_cells=raw) for value in map(row.get, columns)]
            for row in rows
        )

    def close(self, *, commit: bool = True) -> None:
        _finish(self._context, commit)


# Characters that str.splitlines() and some JSON Lines readers treat as line breaks but json.dumps
# leaves unescaped with ensure_ascii=False; escaped so that one row is always one line.
_JSONL_LINE_BREAKS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


class JsonlStream:
    """One JSON object per row, keys in column order, real JSON types (null only for a missing
    integer); atomic on close. Cells are not formula-neutralised: JSON Lines is read by programs,
    which take a leading `=` literally, and a changed cell would no longer be the article's text."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path = path
        self.columns = columns
        self._kinds = [(c, column_kind(c, columns)) for c in columns]
        self._context = atomic_write(path)
        self._handle = self._context.__enter__()

    def write(self, rows: list[Row]) -> None:
        kinds = self._kinds
        self._handle.writelines(
            json.dumps({c: typed_cell(row.get(c), c, kind) for c, kind in kinds},
                       ensure_ascii=False,
                       separators=(",", ":")).translate(_JSONL_LINE_BREAKS) + "\n"
            for row in rows
        )

    def close(self, *, commit: bool = True) -> None:
        _finish(self._context, commit)


def parquet_schema(columns: tuple[str, ...]) -> Any:
    """The pyarrow schema of a table in the contract: int64 and float64 (nullable), bool and string
    (not null). It carries pandas metadata so that `pandas.read_parquet` gives back `frame()`'s
    dtypes (Int64, Float64)."""
    import pyarrow as pa

    types = {"int": pa.int64(), "bool": pa.bool_(), "float": pa.float64(), "str": pa.string()}
    kinds = {c: column_kind(c, columns) for c in columns}
    schema = pa.schema([pa.field(c, types[kinds[c]], nullable=kinds[c] in ("int", "float"))
                        for c in columns])
    return pa.Table.from_pandas(frame([], columns), schema=schema, preserve_index=False).schema


class ParquetStream:
    """Parquet written a row group at a time (every `row_group_rows` rows), so memory stays bounded
    however large the run; atomic on close like the other streams. Not formula-neutralised, for
    the same reason as JSON Lines."""

    def __init__(self, path: Path, columns: tuple[str, ...], *,
                 row_group_rows: int = PARQUET_ROW_GROUP_ROWS) -> None:
        import pyarrow.parquet as pq

        self.path = path
        self.columns = columns
        self.schema = parquet_schema(columns)
        self.row_group_rows = row_group_rows
        self._buffer: dict[str, list] = {c: [] for c in columns}
        self._buffered = 0
        self._context = atomic_write(path, binary=True)
        handle = self._context.__enter__()
        try:
            self._writer = pq.ParquetWriter(handle, self.schema, compression="zstd")
        except BaseException:
            _finish(self._context, False)
            raise

    def write(self, rows: list[Row]) -> None:
        for column, values in self._buffer.items():
            values.extend([row.get(column) for row in rows])
        self._buffered += len(rows)
        if self._buffered >= self.row_group_rows:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if not self._buffered:
            return
        arrays = []
        for field in self.schema:
            values = self._buffer[field.name]
            # pyarrow converts a column of well-typed cells several times faster than typed_cell;
            # a column with odd cells (a float or numeric string for an integer) goes cell by cell.
            try:
                array = pa.array(values, type=field.type, from_pandas=True)
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                kind = column_kind(field.name, self.columns)
                array = pa.array([typed_cell(value, field.name, kind) for value in values],
                                 type=field.type)
            if not field.nullable and array.null_count:
                kind = column_kind(field.name, self.columns)
                array = array.fill_null(typed_cell(None, field.name, kind))
            arrays.append(array)
        self._writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=self.schema),
                                 row_group_size=self.row_group_rows)
        self._buffer = {c: [] for c in self.columns}
        self._buffered = 0

    def close(self, *, commit: bool = True) -> None:
        try:
            if commit:
                self._flush()
        except BaseException:
            commit = False
            raise
        finally:
            self._writer.close()  # writes the footer into the handle, which stays open
            _finish(self._context, commit)


def write_table(path: Path, columns: tuple[str, ...], rows: list[Row],
                fmt: str = "parquet") -> None:
    """A whole table in one go (a Dask partition's part), with the same schema as a stream's."""
    writer = FORMATS[fmt](path, columns)
    try:
        writer.write(rows)
    except BaseException:
        writer.close(commit=False)
        raise
    writer.close()


def _finish(context: Any, commit: bool) -> None:
    """Leave an `atomic_write` block: rename into place, or drop the temp file."""
    if commit:
        context.__exit__(None, None, None)
        return
    try:
        context.__exit__(RuntimeError, RuntimeError("aborted"), None)
    except RuntimeError:
        pass


# Table formats by name: the CLI's choices and every validation derive from this.
FORMATS: dict[str, type] = {"csv": CsvStream, "parquet": ParquetStream, "jsonl": JsonlStream}
