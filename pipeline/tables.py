"""pandas tables in the SPEC contract, and atomic, streaming, spreadsheet-safe CSV writing."""

from __future__ import annotations

import csv
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


def csv_cell(value: object, *, raw_cells: bool = False) -> str:
    """One field in the contract's text form: true/false, empty for missing, formulas neutralised."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if not raw_cells and text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; outputs are shared like any file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class CsvStream:
    """Append rows to an RFC 4180 CSV as they come (header once); atomic on close. Rows are
    formatted field by field: a DataFrame per article would cost more than the analysis."""

    def __init__(self, path: Path, columns: tuple[str, ...], *, raw_cells: bool = False) -> None:
        self.columns = columns
        self.raw_cells = raw_cells
        self._context = atomic_writer(path)
        self._handle = self._context.__enter__()
        self._writer = csv.writer(self._handle, lineterminator="\r\n")
        self._writer.writerow(columns)

    def write(self, rows: list[Row]) -> None:
        raw = self.raw_cells
        self._writer.writerows([csv_cell(row.get(c), raw_cells=raw) for c in self.columns] for row in rows)

    def close(self, *, commit: bool = True) -> None:
        if commit:
            self._context.__exit__(None, None, None)
        else:
            try:
                self._context.__exit__(RuntimeError, RuntimeError("aborted"), None)
            except RuntimeError:
                pass
