"""Finding article files and reading them into text (pipeline/ingest.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pytest

from pipeline.ingest import SUFFIXES, VANISHED, discover, read_article
from pipeline.source import InputError


def write(path: Path, data: bytes | str = "Some article text.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def names(found: list[tuple[Path, str]]) -> list[str]:
    return [name for _, name in found]


# --- discover -------------------------------------------------------------------------------


def test_discover_walks_folders_recursively_in_sorted_order_with_relative_names(tmp_path):
    """A folder is walked recursively in sorted order; names are relative, with forward slashes."""
    root = tmp_path / "corpus"
    for rel in ["b.txt", "a/z.md", "a/b/c.html", "a/b/a.htm", "c.markdown"]:
        write(root / rel)
    files, errors = discover([root])
    assert errors == []
    assert names(files) == ["a/b/a.htm", "a/b/c.html", "a/z.md", "b.txt", "c.markdown"]
    for path, name in files:
        assert os.path.isabs(path)
        assert path == str((root / name).absolute())


def test_discover_order_is_stable_across_calls(tmp_path):
    """Running discovery twice over the same tree lists the files in the same order."""
    for i in range(20):
        write(tmp_path / f"d{i % 3}" / f"f{i}.txt")
    assert discover([tmp_path]) == discover([tmp_path])


def test_discover_names_a_directly_given_file_by_its_file_name(tmp_path):
    """A file given on the command line is reported under its bare file name."""
    path = write(tmp_path / "sub" / "Article.MD")
    files, errors = discover([str(path)])
    assert errors == []
    assert files == [(str(path.absolute()), "Article.MD")]


def test_discover_ignores_other_suffixes_and_hidden_entries(tmp_path):
    """Only .txt/.md/.markdown/.html/.htm files count; hidden folders such as .git are skipped."""
    write(tmp_path / "keep.txt")
    write(tmp_path / "image.png", b"\x89PNG")
    write(tmp_path / "notes.pdf")
    write(tmp_path / "README")
    write(tmp_path / ".git" / "description.txt")
    write(tmp_path / ".hidden.md")
    files, errors = discover([tmp_path])
    assert names(files) == ["keep.txt"]
    assert errors == []
    assert set(SUFFIXES) == {".txt", ".md", ".markdown", ".html", ".htm"}


def test_discover_reports_a_missing_path_and_goes_on(tmp_path):
    """A path that does not exist is an error entry (read: no such file) and the rest still run."""
    write(tmp_path / "a.txt")
    missing = tmp_path / "nope"
    files, errors = discover([missing, tmp_path])
    assert names(files) == ["a.txt"]
    assert len(errors) == 1
    name, err = errors[0]
    assert name == str(missing)
    assert (err.stage, err.reason) == ("read", "no such file or directory")


def test_discover_reports_a_directly_given_file_of_unsupported_type(tmp_path):
    """Naming a .pdf explicitly is reported rather than silently ignored."""
    pdf = write(tmp_path / "paper.pdf")
    files, errors = discover([pdf])
    assert files == []
    assert errors[0][1].stage == "read"
    assert "unsupported file type .pdf" in errors[0][1].reason


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_discover_survives_a_symlink_loop(tmp_path):
    """A symlink pointing back up the tree does not make the walk loop or list files twice."""
    root = tmp_path / "root"
    write(root / "a.txt")
    write(root / "sub" / "b.txt")
    try:
        os.symlink(root, root / "sub" / "loop")
    except OSError:
        pytest.skip("cannot create symlinks here")
    files, errors = discover([root])
    assert names(files) == ["a.txt", "sub/b.txt"]
    assert errors == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_discover_reports_a_broken_symlink(tmp_path):
    """A dangling symlink with an article suffix is reported by name."""
    write(tmp_path / "a.txt")
    try:
        os.symlink(tmp_path / "gone.txt", tmp_path / "link.txt")
    except OSError:
        pytest.skip("cannot create symlinks here")
    files, errors = discover([tmp_path])
    assert names(files) == ["a.txt"]
    assert [(n, e.reason) for n, e in errors] == [("link.txt", "broken symbolic link")]


def test_discover_lists_a_file_once_when_given_twice(tmp_path):
    """The same file reached through two arguments is listed once."""
    path = write(tmp_path / "a.txt")
    files, _ = discover([path, tmp_path])
    assert names(files) == ["a.txt"]


# --- read_article: decoding ----------------------------------------------------------------


def test_reads_utf8(tmp_path):
    """Plain UTF-8 text is returned as is, newlines untouched."""
    text = "Café – “quoted”\r\nSecond line 日本\n"
    assert read_article(write(tmp_path / "a.txt", text.encode("utf-8"))) == text


def test_reads_utf8_with_bom_and_drops_the_bom(tmp_path):
    """A UTF-8 byte-order mark is accepted and not part of the text."""
    path = write(tmp_path / "a.txt", b"\xef\xbb\xbfHello \xe2\x80\x9cworld\xe2\x80\x9d")
    assert read_article(path) == "Hello “world”"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_reads_utf16_with_bom(tmp_path, codec):
    """UTF-16 files with a byte-order mark (either byte order) are decoded, mark dropped."""
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    text = "Hair loss – “a study” of 30 participants.\n"
    path = write(tmp_path / "a.txt", bom + text.encode(codec))
    assert read_article(path) == text


def test_reads_windows_1252_smart_quotes(tmp_path):
    """Text saved as Windows-1252 (smart quotes, dashes, é) is decoded correctly."""
    data = "It’s “proven” – café".encode("cp1252")
    assert read_article(write(tmp_path / "a.txt", data)) == "It’s “proven” – café"


def test_reads_utf8_file_with_a_pasted_windows_1252_quote(tmp_path):
    """A UTF-8 file with one stray Windows-1252 byte keeps its UTF-8 characters intact."""
    data = "日本 – ".encode("utf-8") + b"it\x92s"
    assert read_article(write(tmp_path / "a.txt", data)) == "日本 – it’s"


def test_utf8_file_with_bom_and_a_pasted_windows_1252_quote_reads(tmp_path):
    """Notepad saves UTF-8 with a byte-order mark; a cp1252 quote pasted into such a file is read
    like in a file without the mark, not refused."""
    data = b"\xef\xbb\xbf" + "日本 – ".encode("utf-8") + b"it\x92s"
    assert read_article(write(tmp_path / "a.txt", data)) == "日本 – it’s"


def test_undecodable_bytes_are_a_decode_error_naming_the_byte(tmp_path):
    """Bytes that are neither UTF-8 nor Windows-1252 are reported with their offset."""
    path = write(tmp_path / "a.txt", b"line one\nbad \x9d byte")
    with pytest.raises(InputError) as info:
        read_article(path)
    err = info.value
    assert err.stage == "decode"
    assert err.reason == "not valid UTF-8 or Windows-1252 text"
    assert err.detail.startswith("invalid byte 0x9d at offset 13")
    assert "line 2" in err.detail


def test_png_is_reported_as_binary(tmp_path):
    """A PNG renamed to .txt is 'binary file (PNG image), not text'."""
    path = write(tmp_path / "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputError) as info:
        read_article(path)
    assert (info.value.stage, info.value.reason) == ("decode", "binary file (PNG image), not text")


def test_pdf_is_reported_as_binary(tmp_path):
    """A PDF renamed to .txt is named as a PDF document."""
    with pytest.raises(InputError, match=r"binary file \(PDF document\), not text"):
        read_article(write(tmp_path / "a.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"))


def test_nul_bytes_are_reported_as_binary(tmp_path):
    """NUL bytes (without a UTF-16 byte-order mark) mean binary data."""
    path = write(tmp_path / "a.txt", b"abc\x00def")
    with pytest.raises(InputError) as info:
        read_article(path)
    assert info.value.stage == "decode"
    assert info.value.reason.startswith("binary file")
    assert "offset 3" in info.value.detail


# --- read_article: read errors ---------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n"])
def test_empty_or_whitespace_file_is_an_error(tmp_path, data):
    """An empty or whitespace-only file is 'empty file' (read stage)."""
    with pytest.raises(InputError) as info:
        read_article(write(tmp_path / "a.txt", data))
    assert (info.value.stage, info.value.reason) == ("read", "empty file")


def test_file_over_the_size_limit_is_an_error_with_sizes(tmp_path):
    """A 20 MB file is refused with its size and the limit, pointing at --max-bytes."""
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.truncate(20_000_000)  # sparse: nothing is written
    with pytest.raises(InputError) as info:
        read_article(path)
    assert info.value.stage == "read"
    assert info.value.reason == "file is 20.0 MB, over the 10.0 MB limit (--max-bytes)"


def test_max_bytes_can_be_lowered(tmp_path):
    """max_bytes applies to any size; exactly at the limit is fine."""
    path = write(tmp_path / "a.txt", "x" * 100)
    assert read_article(path, max_bytes=100) == "x" * 100
    with pytest.raises(InputError, match="over the 99 bytes limit"):
        read_article(path, max_bytes=99)


@contextmanager
def unprivileged() -> Iterator[None]:
    """Act as the `nobody` user for file permission checks, then become root again.

    As root (CI containers) chmod 000 does not stop reading, so the permission test would prove
    nothing; dropping the effective uid makes open() raise a real PermissionError.
    """
    import pwd  # POSIX only, like the rest of this helper

    try:
        nobody = pwd.getpwnam("nobody")
        uid, gid = nobody.pw_uid, nobody.pw_gid
    except KeyError:
        uid = gid = 65534
    os.setegid(gid)
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


def test_unreadable_file_is_permission_denied():
    """A file without read permission is 'permission denied', raised by open() for real."""
    # Not pytest's tmp_path: as root it sits under a 0700 folder the unprivileged user cannot
    # enter, which would fail at stat() instead of at open().
    folder = Path(tempfile.mkdtemp(prefix="claimscan-perm-"))
    try:
        folder.chmod(0o755)
        path = write(folder / "a.txt")
        path.chmod(0)
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
        with unprivileged() if as_root else nullcontext():
            # effective_ids: os.access checks the real uid by default, which is still root.
            if os.access(path, os.R_OK, effective_ids=os.access in os.supports_effective_ids):
                pytest.skip("this user can read a mode-000 file (e.g. it has CAP_DAC_OVERRIDE)")
            with pytest.raises(InputError) as info:
                read_article(path)
        assert (info.value.stage, info.value.reason) == ("read", "permission denied")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_file_deleted_after_listing_says_it_disappeared(tmp_path):
    """A file that vanished between discovery and reading is reported as having disappeared,
    not as "no such file", which would make the user doubt the path they gave."""
    path = write(tmp_path / "a.txt")
    files, _ = discover([tmp_path])
    path.unlink()
    with pytest.raises(InputError) as info:
        read_article(files[0][0])
    assert info.value.stage == "read"
    assert info.value.reason == VANISHED
    assert "disappeared" in VANISHED and "\n" not in VANISHED


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_named_pipe_in_a_folder_is_reported_not_opened(tmp_path):
    """A FIFO named like an article is reported as what it is, and nothing blocks on it
    (opening a FIFO for reading waits for a writer forever)."""
    write(tmp_path / "a.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    files, errors = discover([tmp_path])
    assert names(files) == ["a.txt"]
    assert [(n, e.stage, e.reason) for n, e in errors] == [
        ("pipe.txt", "read", "not a regular file (named pipe)")
    ]
    with pytest.raises(InputError, match=r"^not a regular file \(named pipe\)$"):
        read_article(tmp_path / "pipe.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_named_pipe_given_directly_is_reported(tmp_path):
    """The same reason when the FIFO is named on the command line."""
    os.mkfifo(tmp_path / "pipe.md")
    files, errors = discover([tmp_path / "pipe.md"])
    assert files == []
    assert [e.reason for _, e in errors] == ["not a regular file (named pipe)"]


def test_directory_is_reported(tmp_path):
    """Reading a folder (e.g. one named like an article) is 'is a directory'."""
    folder = tmp_path / "odd.txt"
    folder.mkdir()
    with pytest.raises(InputError) as info:
        read_article(folder)
    assert (info.value.stage, info.value.reason) == ("read", "is a directory")


def test_seed_article_reads():
    """The seed article decodes as UTF-8 with its curly apostrophes."""
    seed = Path(__file__).resolve().parent.parent / "corpus" / "dev" / "microneedling-hair-loss.txt"
    if not seed.exists():
        pytest.skip("seed article not in corpus/dev")
    text = read_article(seed)
    assert text.startswith("Can Micro Needling Help with Hair Loss?\n")
    assert "Let’s explore" in text
