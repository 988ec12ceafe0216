"""pandas tables in the SPEC contract, and atomic, spreadsheet-safe CSV writing."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pandas as pd

from pipeline.records import CLAIM_COLUMNS, STUDY_COLUMNS, Row

_INTEGER_COLUMNS = {"sentence_index", "line", "column", "start", "end", "sample_size", "duration_days"}
_BOOLEAN_COLUMNS = {"is_claim", "unsupported"}
# A cell starting with one of these is run as a formula by Excel/LibreOffice (OWASP CSV injection).
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def frame(rows: Iterable[Row], columns: tuple[str, ...]) -> pd.DataFrame:
    """Rows as a DataFrame with the contract's column order and types (nullable integers)."""
    table = pd.DataFrame(list(rows), columns=list(columns))
    for column in columns:
        if column in _INTEGER_COLUMNS:
            table[column] = pd.array(table[column].tolist(), dtype="Int64")
        elif column in _BOOLEAN_COLUMNS:
            table[column] = table[column].astype(bool)
        else:
            table[column] = table[column].fillna("").astype(str)
    return table


def claims_frame(rows: Iterable[Row]) -> pd.DataFrame:
    return frame(rows, CLAIM_COLUMNS)


def studies_frame(rows: Iterable[Row]) -> pd.DataFrame:
    return frame(rows, STUDY_COLUMNS)


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would evaluate with a quote, so they show as text."""
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_PREFIXES) else v)
    return out


def to_csv_text(table: pd.DataFrame, *, header: bool, raw_cells: bool = False) -> str:
    """RFC 4180 CSV with true/false booleans and empty fields for missing values."""
    if not raw_cells:
        table = neutralise_formulas(table)
    table = table.copy()
    for column in table.columns:
        if column in _BOOLEAN_COLUMNS:
            table[column] = table[column].map({True: "true", False: "false"})
    return table.to_csv(index=False, header=header, lineterminator="\r\n")


@contextmanager
def atomic_writer(path: Path) -> Iterator[IO[str]]:
    """Write to a temp file beside `path` and rename it into place only when the block succeeds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class CsvStream:
    """Append DataFrames to a CSV as they come (header once); atomic on close."""

    def __init__(self, path: Path, columns: tuple[str, ...], *, raw_cells: bool = False) -> None:
        self.columns = columns
        self.raw_cells = raw_cells
        self._context = atomic_writer(path)
        self._handle = self._context.__enter__()
        self._handle.write(to_csv_text(frame([], columns), header=True, raw_cells=raw_cells))

    def write(self, rows: list[Row]) -> None:
        if rows:
            self._handle.write(to_csv_text(frame(rows, self.columns), header=False, raw_cells=self.raw_cells))

    def close(self, *, commit: bool = True) -> None:
        if commit:
            self._context.__exit__(None, None, None)
        else:
            try:
                self._context.__exit__(RuntimeError, RuntimeError("aborted"), None)
            except RuntimeError:
                pass
