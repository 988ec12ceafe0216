"""A folder nobody curated: every bad file is named with a reason, the rest is analysed, no
traceback reaches the user, and cells a spreadsheet would run as formulas are neutralised."""

from __future__ import annotations

import csv
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline import scan_text
from pipeline.cli import app

GOOD = "Title line\nA study published in The Lancet followed 2,000 adults for 5 years. Coffee may lower risk.\n"


def build_hostile_folder(root):
    files = {
        "empty.txt": b"",
        "blank.md": b"   \n\t\n",
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "nul.txt": b"abc\x00def" * 10,
        "utf16.txt": "\ufeffTitle\nA study of 50 adults may help.\n".encode("utf-16-le").join([b"\xff\xfe", b""]),
        "cp1252.txt": "Title\nThe \u201cdiet\u201d may help, experts said.\n".encode("cp1252"),
        "bad-utf8.txt": b"Title\nSome text \x81\x8d\x8f bytes that are never text.\n",
        "one-line.txt": ("word " * 40_000).encode(),
        "no-body.html": b"<html><head><script>var x=1;</script></head></html>",
        "unclosed.html": b"<html><body><article><h1>Title<p>A study of 40 mice may help <b>people.",
        "nested.html": b"<html><body>" + b"<div>" * 5000 + b"<p>Deep text may help.</p>" + b"</div>" * 5000 + b"</body></html>",
        "table.md": ("| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 3000).encode(),
        "backtrack.txt": ("Title\n" + "1," * 20_000 + " " * 5000 + "9" * 20_000 + "\n").encode(),
        "formula.txt": b"Title\n=HYPERLINK(\"http://x\") may cure everyone.\n",
        "na\u00efve name with spaces.md": GOOD.encode(),
        "good.txt": GOOD.encode(),
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    (root / "loop").mkdir()
    os.symlink(root / "loop", root / "loop" / "again")
    return files


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    build_hostile_folder(root)
    out = root.parent / (root.name + "-out")
    result = CliRunner().invoke(app, ["run", str(root), "--out", str(out), "--jobs", "1"])
    read = lambda name: list(csv.DictReader(open(out / name, encoding="utf-8", newline="")))
    return result, read("claims.csv"), read("studies.csv"), read("errors.csv")


def test_bad_files_are_named_with_a_reason_and_exit_code_is_3(hostile_run):
    """Empty, blank, binary and undecodable files are skipped with a one-line reason each."""
    result, _, _, errors = hostile_run
    assert result.exit_code == 3, result.output
    skipped = {row["article"]: row["error"] for row in errors}
    for name in ("empty.txt", "blank.md", "image.txt", "nul.txt", "no-body.html"):
        assert name in skipped, skipped
        assert "\n" not in skipped[name] and skipped[name]
    assert "PNG" in skipped["image.txt"]
    assert "Traceback" not in result.output


def test_everything_else_is_analysed(hostile_run):
    """Good files, odd encodings, broken HTML, deep nesting, huge lines and odd names still give rows."""
    _, claims, _, errors = hostile_run
    analysed = {row["article"] for row in claims}
    skipped = {row["article"] for row in errors}
    for name in ("good.txt", "na\u00efve name with spaces.md", "utf16.txt", "cp1252.txt", "unclosed.html",
                 "nested.html", "one-line.txt", "table.md", "backtrack.txt", "formula.txt"):
        assert name in analysed or name in skipped, name
    assert {"good.txt", "na\u00efve name with spaces.md", "utf16.txt", "cp1252.txt", "unclosed.html", "nested.html"} <= analysed


def test_formula_cells_are_neutralised(hostile_run):
    """A unit starting with '=' is written with a leading quote so spreadsheets show it as text."""
    _, claims, _, _ = hostile_run
    texts = [row["text"] for row in claims if row["article"] == "formula.txt"]
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    assert not any(t.startswith("=") for row in claims for t in row.values())


def test_interrupted_output_is_not_replaced(tmp_path):
    """An aborted stream leaves the previous CSV untouched and no temp file behind."""
    from pipeline.records import CLAIM_COLUMNS
    from pipeline.tables import CsvStream

    target = tmp_path / "claims.csv"
    target.write_text("previous\n")
    stream = CsvStream(target, CLAIM_COLUMNS)
    stream.write([{"article": "a", "text": "half"}])
    stream.close(commit=False)
    assert target.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["claims.csv"]


def test_output_is_identical_between_runs(tmp_path):
    """Same input, same bytes."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(GOOD)
    outputs = []
    for n in (1, 2):
        CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / f"o{n}"), "--quiet"])
        outputs.append((tmp_path / f"o{n}" / "claims.csv").read_bytes() + (tmp_path / f"o{n}" / "studies.csv").read_bytes())
    assert outputs[0] == outputs[1]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=400))
def test_random_text_never_raises_and_offsets_are_valid(text):
    """Any text: no exception, and every row's start/end give back its text."""
    from pipeline.extract import extract
    from pipeline.source import InputError

    try:
        source = extract(text, "text")
    except InputError:
        return
    claims, _ = result = scan_text(text)
    assert not result.errors
    for row in claims.to_dict("records"):
        assert source.text[row["start"] : row["end"]] == row["text"]
        assert row["kind"] in {"finding", "recommendation", "mechanism", "background", "conclusion",
                               "study_description", "caveat", "question", "heading", "other"}
        assert row["strength"] in {"none", "correlational", "conditional", "can-causal", "direct"}
