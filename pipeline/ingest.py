"""Finding article files and turning their bytes into text.

Everything that can go wrong with one input file (missing, unreadable, binary, undecodable,
too big, empty) is raised as an `InputError` naming the stage and a one-line reason, so that a
batch run reports the file and carries on with the others.
"""

from __future__ import annotations

import codecs
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .globs import Exclusion
from .source import InputError

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

# How many leading bytes are inspected for NUL bytes and magic numbers.
SNIFF_BYTES = 8192

# Signatures of binary formats people plausibly drop into an article folder by mistake. Checked
# before decoding so the user is told "PNG image" rather than "invalid byte 0x89".
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"PK\x07\x08", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)

# Byte-order marks that select a wide encoding, decoded strictly. The UTF-8 mark is not here: a
# UTF-8 file with a mark (Notepad's default) gets the same Windows-1252 fallback as one without.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _suffix_ok(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


# `claimscan report` writes this into the <head> of its HTML (pipeline/report/templates). The
# tables (.csv, .jsonl, .parquet) and baselines (.json) never have an article suffix; the report
# does, so a folder walk recognises it by this line and leaves it out.
REPORT_GENERATOR = b'<meta name="generator" content="claimscan'
_REPORT_HEAD_BYTES = 2048


def is_claimscan_report(path: str) -> bool:
    """Whether `path` is an HTML report claimscan wrote (an unreadable file is not)."""
    if not path.lower().endswith((".html", ".htm")):
        return False
    try:
        with open(path, "rb") as handle:
            return REPORT_GENERATOR in handle.read(_REPORT_HEAD_BYTES)
    except OSError:
        return False


def _identity(path: str, st: os.stat_result) -> tuple[int, int] | str:
    """What makes two paths the same file: (device, inode), or the real path where inodes are 0."""
    if st.st_ino:
        return (st.st_dev, st.st_ino)
    return os.path.realpath(path)


def _walk(root: str, seen_dirs: set, seen_files: set, errors: list,
          exclusion: Exclusion | None = None) -> Iterator[tuple[str, str]]:
    """Depth-first walk of `root` in sorted order, without recursion (trees can be deep).

    Entries of a folder are visited in name order, folders in place, so the overall order is the
    order of the relative paths compared component by component. Hidden entries (`.git`, editor
    lock files such as `.#draft.md`) are skipped, and so are entries `exclusion` leaves out and
    reports claimscan wrote. A folder already visited (a symlink loop, or two links to one folder)
    is skipped, so the walk always ends.
    """
    # Exclusion patterns are relative to the project root; names below are relative to `root`.
    prefix = None
    if exclusion is not None:
        prefix, exclusion = exclusion.for_walk(root)
    # Names, not DirEntry objects: a folder of a million articles is held while it is walked.
    stack: list[tuple[Iterator[str], str, str]] = []

    def open_dir(path: str, rel: str) -> None:
        try:
            names = sorted(os.listdir(path))
        except OSError as exc:
            errors.append((rel.rstrip("/") or path, _os_error(exc)))
            return
        stack.append((iter(names), path, rel))

    open_dir(root, "")
    while stack:
        entries, folder, rel = stack[-1]
        entry_name = next(entries, None)
        if entry_name is None:
            stack.pop()
            continue
        if entry_name.startswith("."):
            continue
        name = rel + entry_name
        entry_path = os.path.join(folder, entry_name)
        match_path = prefix + name if prefix is not None else entry_name
        try:
            st = os.stat(entry_path)  # follows symlinks
        except OSError as exc:
            if _suffix_ok(entry_name) and not (exclusion and exclusion.excludes(match_path, False)):
                if os.path.islink(entry_path) and isinstance(exc, FileNotFoundError):
                    errors.append((name, InputError("read", "broken symbolic link")))
                else:
                    errors.append((name, _os_error(exc)))
            continue
        is_dir = stat.S_ISDIR(st.st_mode)
        if exclusion is not None and exclusion.excludes(match_path, is_dir):
            continue
        if is_dir:
            key = _identity(entry_path, st)
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            open_dir(entry_path, name + "/")
        elif stat.S_ISREG(st.st_mode) and _suffix_ok(entry_name):
            if is_claimscan_report(entry_path):
                continue
            key = _identity(entry_path, st)
            if key in seen_files:
                continue
            seen_files.add(key)
            yield os.path.abspath(entry_path), name
        elif _suffix_ok(entry_name):
            # A named pipe or device called `x.txt` looks like an article but opening it could
            # block forever; say why it is left out instead of dropping it silently.
            errors.append((name, _not_regular(st.st_mode)))


def discover(
    paths: Iterable[str | Path], exclusion: Exclusion | None = None,
) -> tuple[list[tuple[str, str]], list[tuple[str, InputError]]]:
    """List the article files under `paths` (files or folders), and the paths that cannot be used.

    Returns `(files, errors)`. `files` holds `(absolute_path, relative_name)` string pairs (a
    Path object per file would cost some 400 bytes, a lot in a million-file archive): the name is
    relative to the folder given (forward slashes), or the bare file name for a file given
    directly; it is what reports show. Folders are walked recursively in sorted order and only
    files ending in one of `SUFFIXES` are kept; a file named directly must have one of those
    suffixes too. A file reachable twice (symlinks, repeated arguments) is listed once.
    `errors` holds `(name, InputError)` for missing paths, unreadable folders, broken symlinks and
    special files (named pipes, devices) with an article suffix.

    Inside folders, entries that `exclusion` matches (the configuration's `exclude` globs) and
    HTML reports claimscan wrote are left out; a path given in `paths` is always used.
    """
    files: list[tuple[str, str]] = []
    errors: list[tuple[str, InputError]] = []
    seen_dirs: set = set()
    seen_files: set = set()
    for given in paths:
        path = os.fspath(given)
        try:
            st = os.stat(path)
        except OSError as exc:
            errors.append((path, _os_error(exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = _identity(path, st)
            if key in seen_dirs:
                continue
            seen_dirs.add(key)
            files.extend(_walk(path, seen_dirs, seen_files, errors, exclusion))
        elif stat.S_ISREG(st.st_mode):
            name = os.path.basename(os.path.normpath(path))
            if not _suffix_ok(name):
                errors.append((path, _unsupported(name)))
                continue
            key = _identity(path, st)
            if key in seen_files:
                continue
            seen_files.add(key)
            files.append((os.path.abspath(path), name))
        else:
            errors.append((path, _not_regular(st.st_mode)))
    return files, errors


_SPECIAL_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISFIFO, "named pipe"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


def _not_regular(mode: int) -> InputError:
    """'not a regular file (named pipe)': what the path is, so the user knows why it was left
    out."""
    kind = next((label for test, label in _SPECIAL_KINDS if test(mode)), "")
    return InputError("read", f"not a regular file ({kind})" if kind else "not a regular file")


def _unsupported(name: str) -> InputError:
    suffix = os.path.splitext(name)[1] or "(none)"
    return InputError(
        "read", f"unsupported file type {suffix} (expected one of {', '.join(SUFFIXES)})"
    )


def _os_error(exc: OSError) -> InputError:
    """A user-facing read error for an OSError (no Python class names, no traceback)."""
    if isinstance(exc, FileNotFoundError):
        return InputError("read", "no such file or directory")
    if isinstance(exc, PermissionError):
        return InputError("read", "permission denied")
    if isinstance(exc, IsADirectoryError):
        return InputError("read", "is a directory")
    reason = (exc.strerror or str(exc) or "cannot be read").lower()
    return InputError("read", reason)


# The reason for a file listed by `discover` but gone when it is read (deleted, moved or renamed by
# another program, e.g. an editor saving via rename or a sync client, while the run was going).
VANISHED = "file disappeared (deleted or moved after claimscan listed it)"


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.1f} KB"
    return f"{n} bytes"


def _too_big(size: int, max_bytes: int) -> InputError:
    shown, limit = _size(size), _size(max_bytes)
    if shown == limit:
        # "file is 10.0 MB, over the 10.0 MB limit" reads as a contradiction: give exact bytes.
        shown, limit = f"{size:,} bytes", f"{max_bytes:,} bytes"
    return InputError("read", f"file is {shown}, over the {limit} limit (--max-bytes)")


def read_article(path: str | Path, *, max_bytes: int = 10_000_000) -> str:
    """Read one article file and decode it to a string (newlines left as they are).

    `path` is expected to come from `discover`, so a missing file is one that was deleted or moved
    since it was listed (reason `VANISHED`). Read errors (vanished, permission denied, a folder,
    not a regular file, over `max_bytes`, empty or whitespace-only) raise
    `InputError(stage="read")`; binary content and undecodable bytes raise
    `InputError(stage="decode")`. See `decode` for the encodings accepted.
    """
    path = os.fspath(path)
    try:
        # stat first: opening a FIFO would block, and on Windows opening a folder fails with a
        # misleading "permission denied".
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise InputError("read", "is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(st.st_mode)
        if st.st_size > max_bytes:
            raise _too_big(st.st_size, max_bytes)
        with open(path, "rb") as f:
            # What stat saw and a byte more: read(max_bytes + 1) would allocate a buffer of the
            # limit (10 MB) per file. A file grown since stat is read on, up to the limit.
            data = f.read(st.st_size + 1)
            if len(data) > st.st_size:
                data += f.read(max_bytes + 1 - len(data))
            if len(data) > max_bytes:
                raise _too_big(max(os.fstat(f.fileno()).st_size, len(data)), max_bytes)
    except FileNotFoundError:
        # Paths come from `discover`, which saw the file a moment ago: "no such file" would make
        # the user doubt the folder they gave, so say what happened to it.
        raise InputError("read", VANISHED) from None
    except OSError as exc:
        raise _os_error(exc) from None
    text = decode(data)
    if not text.strip():
        raise InputError("read", "empty file")
    return text


class _Undecodable(Exception):
    def __init__(self, offset: int, byte: int) -> None:
        super().__init__(offset, byte)
        self.offset = offset
        self.byte = byte


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode one byte that is not valid UTF-8 as Windows-1252."""
    assert isinstance(exc, UnicodeDecodeError)
    byte = exc.object[exc.start]
    try:
        return bytes([byte]).decode("cp1252"), exc.start + 1
    except UnicodeDecodeError:
        raise _Undecodable(exc.start, byte) from None


codecs.register_error("claimscan-cp1252", _cp1252_fallback)


def _bad_bytes(data: bytes, offset: int, byte: int, reason: str) -> InputError:
    line = data.count(b"\n", 0, offset) + 1
    return InputError(
        "decode", reason, detail=f"invalid byte {byte:#04x} at offset {offset} (line {line})"
    )


def decode(data: bytes) -> str:
    """Decode the bytes of a text file, refusing binary data.

    - A known binary signature (PNG, PDF, ZIP, gzip, JPEG...) or a NUL byte in the first 8 KB
      (outside UTF-16/32 with a byte-order mark) is "binary file (...), not text".
    - A byte-order mark selects UTF-16 or UTF-32, strictly; the mark itself is dropped.
    - Otherwise the text is UTF-8 (a UTF-8 byte-order mark is dropped). Bytes that are not
      valid UTF-8 are read as Windows-1252, one byte at a time: files written on Windows (Word,
      Notepad) often carry cp1252 smart quotes and dashes (0x91-0x97), sometimes pasted into an
      otherwise UTF-8 file, and decoding only the bad bytes that way gets both kinds of file
      right. The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) make the
      file undecodable.
    """
    head = data[:SNIFF_BYTES]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputError("decode", f"binary file ({what}), not text")
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _bad_bytes(
                    data, exc.start, data[exc.start], f"not valid {label} text"
                ) from None
            return text[1:] if text.startswith("\ufeff") else text
    nul = head.find(b"\x00")
    if nul >= 0:
        raise InputError(
            "decode",
            "binary file (contains NUL bytes), not text",
            detail=f"NUL byte at offset {nul}",
        )
    try:
        text = data.decode("utf-8", "claimscan-cp1252")
    except _Undecodable as exc:
        raise _bad_bytes(
            data, exc.offset, exc.byte, "not valid UTF-8 or Windows-1252 text"
        ) from None
    return text[1:] if text.startswith("\ufeff") else text
