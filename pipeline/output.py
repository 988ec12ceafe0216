"""Writing files: the one atomic-write helper every claimscan output goes through (tables, the
HTML report, `check` reports, the baseline, cache entries, Dask parts).

    with atomic_write(Path("out/report.html")) as handle:
        handle.write(html)

The data goes to a temp file beside the target, is flushed to disk, given the ordinary mode of a
new file (0666 less the umask, as `open` would; the temp file starts as mkstemp's 0600) and
renamed into place only when the block succeeds. A reader never sees half a file, and a failed or
interrupted write leaves the previous file as it was.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def file_mode() -> int:
    """The mode `open()` gives a new file: 0666 less the process umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_write(path: str | Path, *, binary: bool = False, newline: str | None = "",
                 durable: bool = True) -> Iterator[IO[Any]]:
    """A handle on a temp file beside `path`, renamed to `path` when the block ends without an
    exception (and removed when it does not). Text mode writes UTF-8 with `newline` as given
    (default: no translation, so CSV's CRLF and JSON's LF are written as they are). `durable`
    flushes the data to the disk before the rename; a cache entry, which can be recomputed,
    skips that (it costs more than writing the entry)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if binary:
            handle = os.fdopen(fd, "wb")
        else:
            handle = os.fdopen(fd, "w", encoding="utf-8", newline=newline)
        with handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text(path: str | Path, text: str) -> None:
    """Write a whole text file atomically."""
    with atomic_write(path, newline="\n") as handle:
        handle.write(text)


def write_bytes(path: str | Path, data: bytes, *, durable: bool = True) -> None:
    """Write a whole binary file atomically."""
    with atomic_write(path, binary=True, durable=durable) as handle:
        handle.write(data)
