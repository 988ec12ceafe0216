"""A folder nobody curated: every bad file is named with a reason, the rest is analysed, no
traceback reaches the user, one slow article cannot hang a batch, and cells a spreadsheet would
run as formulas are neutralised.

The hostile-folder run is the real `claimscan run` in a subprocess, so stderr, exit code and the
CSVs are exactly what a user gets. As root (CI containers) it runs without the capabilities that
let root read any file, so that a mode-000 file really cannot be read.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from pipeline import scan, scan_text
from pipeline.cli import app
from pipeline.rules import registry

REPO = Path(__file__).resolve().parent.parent
CORPUS_DEV = REPO / "corpus" / "dev"
GOOD = ("Title line\nA study published in The Lancet followed 2,000 adults for 5 years. "
        "Coffee may lower risk.\n")
HUGE_BYTES = 20_000_000  # twice the default --max-bytes
SUBPROCESS_TIMEOUT = 300  # a hung run fails the test instead of hanging CI


# --- the SPEC contract (copied from SPEC.md, not from the code, so a drift in the code fails) ---

CLAIM_COLUMNS = [
    "article", "claim_id", "sentence_index", "line", "column", "start", "end", "text", "kind",
    "is_claim", "strength", "hedges", "boosters", "study_id", "journal", "sample_size",
    "duration_days", "design", "flags", "unsupported", "severity", "reasons",
]
STUDY_COLUMNS = [
    "article", "study_id", "journal", "citation", "sample_size", "sample_unit", "duration_days",
    "duration_text", "frequency", "population", "design", "control", "blinding", "outcome_measure",
    "funding", "sentence_indexes",
]
KINDS = {"finding", "recommendation", "mechanism", "background", "conclusion", "study_description",
         "caveat", "question", "heading", "other"}
STRENGTHS = {"none", "correlational", "conditional", "can-causal", "direct"}
SEVERITIES = {"error", "warning", "info", ""}
DESIGNS = {"rct", "meta-analysis", "systematic-review", "cohort", "case-control", "cross-sectional",
           "observational", "pilot", "case-series", "animal", "in-vitro", "unknown"}
STUDY_VOCABULARIES = {
    "control": {"yes", "no", "unknown"},
    "blinding": {"double", "single", "none", "unknown"},
    "outcome_measure": {"self-reported", "objective", "mixed", "unknown"},
    "funding": {"industry", "independent", "unknown"},
}
_FLAG_SPECS = {code: {"kind": info.kind} for code, info in registry().items()}
FLAG_CODES = set(_FLAG_SPECS)
OVERCLAIM_CODES = {code for code, spec in _FLAG_SPECS.items() if spec["kind"] == "overclaim"}
INTEGER_COLUMNS = {"sentence_index", "line", "column", "start", "end", "sample_size",
                   "duration_days"}


def source_lines(raw: str) -> list[str]:
    """Lines as an editor numbers them (what `line` in claims.csv refers to)."""
    return re.split(r"\r\n|\r|\n", raw)


def check_contract(claims: pd.DataFrame, studies: pd.DataFrame, article: str, text: str,
                   raw: str, fmt: str) -> None:
    """Every row keeps the SPEC contract; `text` is the extracted plain text the offsets index
    and `raw` the decoded source file the line/column point into."""
    assert list(claims.columns) == CLAIM_COLUMNS
    assert list(studies.columns) == STUDY_COLUMNS
    for column in INTEGER_COLUMNS:
        for frame in (claims, studies):
            if column in frame:
                assert str(frame[column].dtype) == "Int64", (column, frame[column].dtype)
    assert claims["is_claim"].dtype == bool and claims["unsupported"].dtype == bool

    study_rows = studies.to_dict("records")
    # "S1, S2, ... in order of first mention"
    assert [s["study_id"] for s in study_rows] == [f"S{i}" for i in range(1, len(study_rows) + 1)]
    by_id = {s["study_id"]: s for s in study_rows}
    lines = source_lines(raw)
    rows = claims.to_dict("records")
    previous_end = 0
    for row in rows:
        assert row["article"] == article
        assert row["claim_id"] == f"{article}#{row['sentence_index']}"
        # Offsets index the extracted plain text and give back the unit, in reading order.
        assert 0 <= row["start"] < row["end"] <= len(text)
        assert text[row["start"]:row["end"]] == row["text"] and row["text"].strip()
        assert row["start"] >= previous_end, (previous_end, row["start"])  # units never overlap
        previous_end = row["end"]
        assert 1 <= row["line"] <= len(lines) and row["column"] >= 1
        if fmt == "text":
            # Plain text keeps characters one to one within a line: the unit starts right there.
            rest = lines[row["line"] - 1][row["column"] - 1:].rstrip()
            n = min(len(rest), len(row["text"]))
            assert n and rest[:n] == row["text"][:n], (row["line"], row["column"], rest[:40],
                                                       row["text"][:40])
        assert row["kind"] in KINDS
        assert isinstance(row["is_claim"], bool) and isinstance(row["unsupported"], bool)
        assert row["strength"] in STRENGTHS
        for cue in filter(None, (row["hedges"] + "; " + row["boosters"]).split("; ")):
            assert cue == cue.lower() and cue.strip() == cue, cue
        flags = [code for code in row["flags"].split("; ") if code]
        assert set(flags) <= FLAG_CODES, flags
        # Overclaim flags, and only they, make a claim unsupported.
        assert row["unsupported"] == bool(OVERCLAIM_CODES & set(flags))
        assert row["severity"] in SEVERITIES and (row["severity"] == "") == (not flags)
        assert bool(row["reasons"]) == bool(flags)
        if row["study_id"]:
            study = by_id[row["study_id"]]  # a study of the same article
            for column in ("journal", "design"):
                assert row[column] == study[column]
            for column in ("sample_size", "duration_days"):
                assert ((pd.isna(row[column]) and pd.isna(study[column]))
                        or row[column] == study[column])
        else:
            assert row["journal"] == row["design"] == "" and pd.isna(row["sample_size"])
    sentence_indexes = {row["sentence_index"] for row in rows}
    for study in study_rows:
        assert study["article"] == article
        assert study["design"] in DESIGNS
        for column, vocabulary in STUDY_VOCABULARIES.items():
            assert study[column] in vocabulary, (column, study[column])
        assert pd.isna(study["sample_size"]) or study["sample_size"] >= 0
        assert pd.isna(study["duration_days"]) or study["duration_days"] >= 0
        cited = [int(i) for i in study["sentence_indexes"].split("; ") if i]
        assert set(cited) <= sentence_indexes


# --- running the real CLI ----------------------------------------------------------------------

# `claimscan run` with one race made certain: right after the real discovery lists the folder, the
# file named by the first argument is deleted, as when a sync client or an editor removes or
# renames a file during a run. Everything else is the unmodified CLI.
_RUN_WITH_VANISHING_FILE = r"""
import os, sys
import pipeline.api as api
import pipeline.ingest as ingest
from pipeline.cli import main

vanishing = sys.argv.pop(1)
listed = ingest.discover

def discover_then_delete(paths, *rest):
    found = listed(paths, *rest)
    if os.path.lexists(vanishing):  # once: later calls must not fail
        os.unlink(vanishing)
    return found

ingest.discover = api.discover = discover_then_delete
sys.argv[0] = "claimscan"
main()
"""


@dataclass
class Run:
    exit_code: int
    stderr: str
    claims: list[dict[str, str]]
    studies: list[dict[str, str]]
    errors: list[dict[str, str]]
    seconds: float

    def skipped(self) -> dict[str, str]:
        """article -> the reason printed on stderr (`claimscan: skipped NAME: REASON`)."""
        lines = [ln for ln in self.stderr.splitlines() if ln.startswith("claimscan: skipped ")]
        out = {}
        for line in lines:
            name, _, reason = line.removeprefix("claimscan: skipped ").partition(": ")
            out[name] = reason
        return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def unprivileged_prefix() -> list[str] | None:
    """Command prefix under which file permissions apply: [] when we are not root; as root (CI
    containers), `setpriv` dropping the two capabilities that let root read any file; None when
    root cannot drop them here.

    Dropping capabilities rather than switching to another user keeps the same interpreter: here
    Python lives under /root (mode 0700), which another user cannot even open.
    """
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv"):
        return ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
    if shutil.which("capsh"):
        return ["capsh", "--drop=cap_dac_override,cap_dac_read_search", "--"]
    return None


def run_cli(args: list[str], out: Path, *, prefix: list[str] | None = None,
            vanishing: Path | None = None, cwd: Path) -> Run:
    """`claimscan run ARGS --out OUT` in a fresh process; the CSVs are read back if written."""
    if vanishing is not None:
        command = [sys.executable, "-c", _RUN_WITH_VANISHING_FILE, str(vanishing)]
    else:
        command = [sys.executable, "-m", "pipeline"]
    env = {**os.environ, "HOME": str(cwd), "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}
    started = time.perf_counter()
    done = subprocess.run([*(prefix or []), *command, "run", *args, "--out", str(out)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)
    seconds = time.perf_counter() - started
    read = lambda name: read_csv(out / name) if (out / name).exists() else []  # noqa: E731
    return Run(done.returncode, done.stderr, read("claims.csv"), read("studies.csv"),
               read("errors.csv"), seconds)


@pytest.fixture(scope="module")
def shared_tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli")


def long_valid_article(chars: int) -> str:
    """A long but ordinary article: the corpus articles one after the other until `chars` long."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS_DEV.glob("*.txt"))]
    out: list[str] = []
    size = 0
    while size < chars:
        part = parts[len(out) % len(parts)]
        out.append(part)
        size += len(part) + 2
    return "\n\n".join(out)[:chars].rsplit("\n", 1)[0] + "\n"


def build_hostile_folder(root: Path) -> dict[str, bytes]:
    files = {
        "empty.txt": b"",
        "blank.md": b"   \n\t\n",
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "nul.txt": b"abc\x00def" * 10,
        "utf16.txt": "\ufeffTitle\nA study of 50 adults may help.\n".encode("utf-16-le").join(
            [b"\xff\xfe", b""]),
        "cp1252.txt": "Title\nThe \u201cdiet\u201d may help, experts said.\n".encode("cp1252"),
        "bad-utf8.txt": b"Title\nSome text \x81\x8d\x8f bytes that are never text.\n",
        "one-line.txt": ("word " * 40_000).encode(),
        "no-body.html": b"<html><head><script>var x=1;</script></head></html>",
        "unclosed.html": b"<html><body><article><h1>Title<p>A study of 40 mice may help <b>people.",
        "nested.html": (b"<html><body>" + b"<div>" * 5000 + b"<p>Deep text may help.</p>"
                        + b"</div>" * 5000 + b"</body></html>"),
        "table.md": ("| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 3000).encode(),
        "backtrack.txt": ("Title\n" + "1," * 20_000 + " " * 5000 + "9" * 20_000 + "\n").encode(),
        "formula.txt": b"Title\n=HYPERLINK(\"http://x\") may cure everyone.\n",
        "na\u00efve name with spaces.md": GOOD.encode(),
        "good.txt": GOOD.encode(),
        "locked.txt": GOOD.encode(),  # made unreadable below
        "vanishing.txt": GOOD.encode(),  # deleted by the run right after discovery
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    # Real text, not a sparse file: what someone drops in by mistake (a concatenated export).
    huge = GOOD.encode() * (HUGE_BYTES // len(GOOD) + 1)
    (root / "huge.txt").write_bytes(huge[:HUGE_BYTES])
    (root / "locked.txt").chmod(0)
    if hasattr(os, "mkfifo"):
        os.mkfifo(root / "pipe.txt")  # opening it for reading would block forever
    (root / "loop").mkdir()
    os.symlink(root / "loop", root / "loop" / "again")
    return files


@dataclass
class HostileRun:
    run: Run
    root: Path
    unreadable_is_real: bool  # open() of locked.txt really fails for the user the CLI ran as


@pytest.fixture(scope="module")
def hostile(shared_tmp: Path) -> HostileRun:
    work = shared_tmp / "hostile"
    root = work / "articles"
    root.mkdir(parents=True)
    build_hostile_folder(root)
    prefix = unprivileged_prefix()
    if prefix and subprocess.run([*prefix, sys.executable, "-c", "pass"],
                                 capture_output=True).returncode:
        prefix = None  # a container that forbids dropping capabilities: run as is
    # Can the user the CLI runs as really not open locked.txt? (A PermissionError from open().)
    probe = subprocess.run([*(prefix or []), sys.executable, "-c",
                            "import sys; open(sys.argv[1], 'rb')",
                            str(root / "locked.txt")], capture_output=True, text=True)
    unreadable_is_real = probe.returncode != 0 and "PermissionError" in probe.stderr
    run = run_cli([str(root), "--jobs", "1"], work / "out", prefix=prefix,
                  vanishing=root / "vanishing.txt", cwd=work)
    return HostileRun(run, root, unreadable_is_real)


def test_bad_files_are_named_with_a_reason_and_exit_code_is_3(hostile: HostileRun):
    """Each skipped file gets one stderr line and one errors.csv row; no traceback, exit code 3."""
    run = hostile.run
    assert run.exit_code == 3, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    skipped = {row["article"]: row["error"] for row in run.errors}
    assert run.skipped() == skipped  # stderr and errors.csv name the same files, same reasons
    for name in ("empty.txt", "blank.md", "image.txt", "nul.txt", "no-body.html", "huge.txt",
                 "vanishing.txt"):
        assert name in skipped, skipped
    for reason in skipped.values():
        assert reason and "\n" not in reason
    assert "PNG" in skipped["image.txt"]
    assert skipped["empty.txt"] == skipped["blank.md"] == "empty file"


def test_huge_file_is_skipped_naming_its_size_and_the_limit(hostile: HostileRun):
    """A 20 MB text file is over the default 10 MB --max-bytes: skipped at the read stage, and the
    reason tells the user which option lets it through."""
    errors = {row["article"]: row for row in hostile.run.errors}
    assert errors["huge.txt"]["stage"] == "read"
    assert hostile.run.skipped()["huge.txt"] == (
        "file is 20.0 MB, over the 10.0 MB limit (--max-bytes)")


def test_unreadable_file_is_permission_denied(hostile: HostileRun):
    """A mode-000 file is skipped as 'permission denied' (a real PermissionError from open())."""
    if not hostile.unreadable_is_real:
        pytest.skip("cannot make a file unreadable here: running as root without setpriv or capsh "
                    "to drop the capabilities that bypass file permissions")
    errors = {row["article"]: row for row in hostile.run.errors}
    assert (errors["locked.txt"]["stage"], errors["locked.txt"]["error"]) == (
        "read", "permission denied")
    assert "claimscan: skipped locked.txt: permission denied" in hostile.run.stderr.splitlines()


def test_file_deleted_during_the_run_says_it_disappeared(hostile: HostileRun):
    """A file listed and then deleted before it is read is reported as having disappeared."""
    assert not (hostile.root / "vanishing.txt").exists()  # the race really happened
    reason = hostile.run.skipped()["vanishing.txt"]
    assert reason.startswith("file disappeared"), reason
    assert "vanishing.txt" not in {row["article"] for row in hostile.run.claims}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_named_pipe_is_reported_and_does_not_block(hostile: HostileRun):
    """A FIFO named pipe.txt is reported for what it is; the run finished, so nothing waited on
    it."""
    assert hostile.run.skipped()["pipe.txt"] == "not a regular file (named pipe)"


def test_everything_else_is_analysed(hostile: HostileRun):
    """Good files, odd encodings, broken HTML, deep nesting, huge lines and odd names still give
    rows."""
    run = hostile.run
    analysed = {row["article"] for row in run.claims}
    skipped = {row["article"] for row in run.errors}
    for name in ("good.txt", "na\u00efve name with spaces.md", "utf16.txt", "cp1252.txt",
                 "unclosed.html", "nested.html", "one-line.txt", "table.md", "backtrack.txt",
                 "formula.txt", "bad-utf8.txt"):
        assert name in analysed or name in skipped, name
    assert {"good.txt", "na\u00efve name with spaces.md", "utf16.txt", "cp1252.txt",
            "unclosed.html", "nested.html", "formula.txt"} <= analysed
    assert not analysed & skipped
    # The closing summary counts the same articles ("10 articles, 108 claims, ...; 10 skipped").
    summary = re.search(r"^([\d,]+) articles\b.*; ([\d,]+) skipped", run.stderr, re.MULTILINE)
    assert summary, run.stderr
    assert [int(n.replace(",", "")) for n in summary.groups()] == [len(analysed), len(skipped)]


def test_formula_cells_are_neutralised(hostile: HostileRun):
    """A unit starting with '=' is written with a leading quote so spreadsheets show it as text."""
    claims = hostile.run.claims
    texts = [row["text"] for row in claims if row["article"] == "formula.txt"]
    assert any(t.startswith("'=HYPERLINK") for t in texts)
    assert not any(t.startswith("=") for row in claims for t in row.values())


def test_interrupted_output_is_not_replaced(tmp_path):
    """An aborted stream leaves the previous CSV untouched and no temp file behind."""
    from pipeline.records import CLAIM_COLUMNS as WRITTEN_COLUMNS
    from pipeline.tables import CsvStream

    target = tmp_path / "claims.csv"
    target.write_text("previous\n")
    stream = CsvStream(target, WRITTEN_COLUMNS)
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
        CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / f"o{n}"),
                                 "--quiet"])
        outputs.append((tmp_path / f"o{n}" / "claims.csv").read_bytes()
                       + (tmp_path / f"o{n}" / "studies.csv").read_bytes())
    assert outputs[0] == outputs[1]


# --- --max-bytes ---------------------------------------------------------------------------------


def test_max_bytes_skips_a_larger_file_and_names_the_limit(tmp_path):
    """`--max-bytes 2000`: a 2,001-byte file is skipped on stderr and in errors.csv with its size
    and the limit; a file of exactly 2,000 bytes and a small one are analysed; exit code 3."""
    folder = tmp_path / "in"
    folder.mkdir()
    body = long_valid_article(5000).encode("utf-8")
    (folder / "a-small.txt").write_text(GOOD, encoding="utf-8")
    (folder / "b-at-limit.txt").write_bytes(body[:1999].rsplit(b" ", 1)[0].ljust(1999) + b"\n")
    (folder / "c-over.txt").write_bytes(body[:2000].rsplit(b" ", 1)[0].ljust(2000) + b"\n")
    assert [(folder / n).stat().st_size for n in ("b-at-limit.txt", "c-over.txt")] == [2000, 2001]
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(out), "--jobs", "1",
                                      "--max-bytes", "2000"])
    assert result.exit_code == 3, result.output
    # One byte over: rounded sizes ("2.0 KB, over the 2.0 KB limit") would read as a contradiction.
    reason = "file is 2,001 bytes, over the 2,000 bytes limit (--max-bytes)"
    assert f"claimscan: skipped c-over.txt: {reason}" in result.stderr.splitlines(), result.stderr
    errors = read_csv(out / "errors.csv")
    assert [(e["article"], e["stage"], e["error"]) for e in errors] == [
        ("c-over.txt", "read", reason)]
    assert {row["article"] for row in read_csv(out / "claims.csv")} == {"a-small.txt",
                                                                        "b-at-limit.txt"}


# --- time limit --------------------------------------------------------------------------------

# About 0.9 M characters: ~6 s of analysis on a 2-core CI machine, far over the limits below,
# and under spaCy's 1 M-character max_length (see
# test_text_over_spacy_max_length_is_not_an_internal_error).
SLOW_CHARS = 900_000


def test_slow_article_is_stopped_and_the_batch_goes_on(tmp_path):
    """With a 0.2 s time limit, a long article and a short pathological one are skipped with stage
    and reason, the articles after each are still analysed, and each is stopped after about the
    limit instead of the ~6 s it needs."""
    from pipeline.api import Settings, iter_results, pipeline_for

    files = {
        "a.txt": GOOD,
        "b-slow-long.txt": long_valid_article(SLOW_CHARS),
        "c.txt": GOOD,
        # 8,000 symbols: spaCy splits a run of them off one at a time, quadratic in the run length
        # (about 2 s without a limit; a run of brackets, searched with the few rules that end in
        # one, is now split in 0.1 s).
        "d-slow-symbols.txt": "Title\n\n" + "\U0001f600" * 8_000 + " Coffee may help.\n",
        "e.txt": GOOD,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = Settings(time_limit=0.2)
    # Built before the clock starts, as `claimscan run` does. (scan() and iter_results() build it
    # inside the first article's budget, and the cache is keyed by all settings, time limit
    # included: a known bug in pipeline/api.py.)
    pipeline_for(settings)
    results, seconds = [], {}
    started = time.perf_counter()
    for result in iter_results([tmp_path], settings):  # one article at a time with --jobs 1
        seconds[result.article] = time.perf_counter() - started
        results.append(result)
        started = time.perf_counter()
    assert [r.article for r in results] == list(files)
    for result in results:
        if "slow" in result.article:
            assert result.error is not None and result.analysis is None
            assert result.error.stage in ("extract", "nlp")
            assert result.error.error == "time limit exceeded (0.2 s per article)"
            assert "--time-limit" in result.error.detail
        else:
            assert result.error is None and result.analysis.units, result
    # Stopped after about the limit (reading, extraction and a C call in progress finish first).
    assert seconds["b-slow-long.txt"] < 3 and seconds["d-slow-symbols.txt"] < 3, seconds


def test_slow_articles_in_worker_processes_are_stopped(shared_tmp: Path):
    """`--jobs 2 --time-limit 0.5` over 36 files (two chunks, one per worker): the slow article in
    each chunk is skipped with the time-limit reason, all 34 others are analysed, exit code 3."""
    work = shared_tmp / "slow-jobs"
    folder = work / "in"
    folder.mkdir(parents=True)
    slow = long_valid_article(SLOW_CHARS)
    slow_names = {"f05-slow.txt", "f34-slow.txt"}  # sorted into the first and second chunk of 32
    for i in range(36):
        name = f"f{i:02d}-slow.txt" if i in (5, 34) else f"f{i:02d}.txt"
        (folder / name).write_text(slow if name in slow_names else GOOD, encoding="utf-8")
    run = run_cli([str(folder), "--jobs", "2", "--time-limit", "0.5"], work / "out", cwd=work)
    assert run.exit_code == 3, run.stderr
    assert run.skipped() == {name: "time limit exceeded (0.5 s per article)" for name in slow_names}
    assert len({row["article"] for row in run.claims}) == 34
    assert run.seconds < 60, run.seconds


def test_text_over_spacy_max_length_is_not_an_internal_error(tmp_path):
    """A 1.2 MB article is under the default 10 MB --max-bytes: it must be analysed, or skipped
    with a reason the user can act on, never an 'internal error'."""
    (tmp_path / "long.txt").write_text(long_valid_article(1_200_000), encoding="utf-8")
    # 5 s: ample for reading and extracting (0.2 s), short of analysing it all if it is let in.
    result = scan([tmp_path], time_limit=5)
    errors = [e.error for e in result.errors]
    assert not errors or errors[0].startswith("time limit exceeded"), errors


def test_unit_cut_inside_a_long_token_does_not_repeat_text():
    """A 2,500-character token (a pasted hash, a run of digits) is longer than the unit cap; the
    units around it must still tile the text, each character in one unit only."""
    text = "Title\n\n" + "a" * 2500 + " may lower blood pressure. Coffee may help.\n"
    claims = scan_text(text).claims
    spans = sorted(zip(claims["start"], claims["end"]))
    overlaps = [(a, b) for a, b in zip(spans, spans[1:]) if b[0] < a[1]]
    assert not overlaps
    from pipeline.extract import extract

    token_start = extract(text, "text").text.index("a" * 2500)
    covered = sum(max(0, min(end, token_start + 2500) - max(start, token_start))
                  for start, end in spans)
    assert covered == 2500  # every character of the token is in exactly one unit


# --- random and mutated input -------------------------------------------------------------------


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
        assert row["kind"] in KINDS
        assert row["strength"] in STRENGTHS


CORPUS = sorted(p for p in CORPUS_DEV.iterdir() if p.suffix in (".txt", ".md", ".html"))
FORMATS = {".txt": "text", ".md": "markdown", ".html": "html"}

# Characters that break text tools: C0/C1 controls and NUL, characters str.splitlines() treats as
# line breaks but editors do not (\x0b \x0c \x1c-\x1e \x85 \u2028 \u2029), bidi controls, zero-width
# characters, BOM, replacement character, combining marks, emoji with ZWJ and variation selectors,
# right-to-left and CJK script.
NASTY = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1d", "\x1e", "\x1f", "\x7f",
         "\x85", "\x9b", "\u00a0", "\u00ad", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
         "\u202a", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029", "\ufeff", "\ufffd", "\ufe0f",
         "e\u0301", "\u0301",
         "\U0001f469\u200d\u2695\ufe0f", "\U0001f600", "\U0001f1fa\U0001f1f8",
         "\u0645\u0631\u062d\u0628\u0627",
         "\u05e9\u05dc\u05d5\u05dd", "\u65e5\u672c\u8a9e", "\r", "\r\n", "\n\n", "\t", " ", "."]
HTML_DEBRIS = ["<", ">", "<p", "<div class=\"", "</", "</p>", "<!--", "-->", "<script>", "<style>",
               "</script>", "<![CDATA[", "]]>", "&", "&amp", "&#x", "&#0;", "&#xD800;",
               "&#1114112;", "<br/>", "<table><tr><td>", "</article>", "<article>", "<h1>",
               "<!DOCTYPE html>", "<?xml version=\"1.0\"?>",
               "<em>", "<a href='=HYPERLINK(1)'>", "<!-- claimscan: ignore CS101 -->", "<nav>",
               "<main>", "<p hidden>", "```", "| a | b |\n|---|---|\n", "# ", "> ", "* ", "1. ",
               "[x](", "![", "<"]
RUNS = ["1,", "9", "0.", "1.5", "-", "=", "'", "\"", "(", ")", "et al. ", "Dr. ", "e.g. ",
        "Fig. 1. ", "http://x.y/", "may ", "proven ", "studies show ", "mice ", "30 participants ",
        "12 weeks ", "Journal of "]


# Runs longer than the 2,000-character unit cap (MAX_UNIT_CHARS in components/units.py), but not
# much: analysis time grows with the square of a run's length, which the time-limit tests cover.
LONGEST_TOKEN = 3_000
# spaCy splits these off a token one at a time as prefixes/suffixes: 2,500 of them take 2-3 s, so
# here they stay short; test_slow_article_is_stopped_and_the_batch_goes_on feeds 20,000.
SLOW_TO_TOKENIZE = {"\U0001f600", "=", "'", "\"", "(", ")"}


@st.composite
def mutated_articles(draw) -> tuple[str, str]:
    """(file name, text): a corpus article after 1-6 random edits."""
    path = draw(st.sampled_from(CORPUS))
    text = path.read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 6))):
        n = len(text)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 2000)))
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "nasty", "random", "long_token",
                                   "run", "html", "truncate", "formula"]))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "duplicate":
            k = draw(st.integers(0, n))
            text = text[:k] + text[i:j] + text[k:]
        elif op == "swap":
            k = draw(st.integers(j, n))
            m = draw(st.integers(k, min(n, k + 2000)))
            text = text[:i] + text[k:m] + text[j:k] + text[i:j] + text[m:]
        elif op == "nasty":
            text = (text[:i]
                    + "".join(draw(st.lists(st.sampled_from(NASTY), min_size=1, max_size=8)))
                    + text[i:])
        elif op == "random":
            noise = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1,
                                 max_size=30))
            text = text[:i] + noise + text[i:]
        elif op in ("long_token", "run"):
            if op == "long_token":
                piece = draw(st.sampled_from(["a", "x9", "-", "\u00e9", "\U0001f600", "/"]))
            else:
                piece = draw(st.sampled_from(RUNS))
            most = 300 if piece in SLOW_TO_TOKENIZE else LONGEST_TOKEN // len(piece)
            text = text[:i] + piece * draw(st.integers(2, most)) + text[i:]
        elif op == "html":
            text = (text[:i]
                    + "".join(draw(st.lists(st.sampled_from(HTML_DEBRIS), min_size=1, max_size=5)))
                    + text[i:])
        elif op == "truncate":
            text = text[:i]  # for HTML often mid-tag or mid-entity
        else:
            text = (text[:i] + "\n"
                    + draw(st.sampled_from(["=1+1 ", "+44 ", "-3 ", "@SUM(A1) ", "\t=x "]))
                    + text[i:])
    return path.name, text


@st.composite
def mutated_files(draw) -> tuple[str, bytes]:
    """(file name, bytes): a mutated article encoded as a real file would be, then damaged at the
    byte level (cut mid UTF-8 sequence, stray bytes, lone surrogates written as bytes)."""
    name, text = draw(mutated_articles())
    if draw(st.booleans()):
        k = draw(st.integers(0, len(text)))
        text = text[:k] + draw(st.sampled_from(["\ud800", "\udfff", "\udc80"])) + text[k:]
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    if encoding == "cp1252":
        data = text.encode("cp1252", errors="replace")
    elif encoding.startswith("utf-16"):
        data = text.encode("utf-16", errors="replace")
    else:
        # surrogatepass writes a lone surrogate as the 3 bytes a broken encoder would emit
        data = text.encode(encoding, errors="surrogatepass")
    for _ in range(draw(st.integers(0, 3))):
        k = draw(st.integers(0, len(data)))
        if draw(st.booleans()):
            data = data[:k]  # truncated mid-character, mid-tag, mid-BOM...
        else:
            data = data[:k] + draw(st.binary(min_size=1, max_size=6)) + data[k:]
    return name, data


MUTATION_SETTINGS = settings(max_examples=40, deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


@MUTATION_SETTINGS
@given(mutated_articles())
def test_mutated_article_text_keeps_the_contract(article):
    """scan_text over a damaged corpus article: no exception, valid offsets, SPEC-conform rows."""
    from pipeline.extract import extract
    from pipeline.source import InputError

    name, text = article
    fmt = FORMATS[Path(name).suffix]
    result = scan_text(text, article=name, fmt=fmt)
    try:
        source = extract(text, fmt)
    except InputError as exc:
        assert [(e.stage, e.error) for e in result.errors] == [(exc.stage, exc.reason)]
        return
    assert not result.errors, result.errors
    check_contract(result.claims, result.studies, name, source.text, text, fmt)


@MUTATION_SETTINGS
@given(mutated_files())
def test_mutated_article_files_keep_the_contract(article):
    """scan() over a damaged file: read, decoded and analysed, or skipped with a clear reason."""
    from pipeline.extract import extract
    from pipeline.ingest import read_article
    from pipeline.source import InputError

    name, data = article
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        result = scan([folder])
        try:
            raw = read_article(path)
            source = extract(raw, FORMATS[path.suffix])
        except InputError as exc:
            assert [(e.article, e.stage, e.error) for e in result.errors] == [
                (name, exc.stage, exc.reason)]
            return
    assert not result.errors, result.errors
    check_contract(result.claims, result.studies, name, source.text, raw, FORMATS[path.suffix])
