"""Progress of `claimscan run`: a bar on a terminal, periodic lines in logs, nothing with --quiet
but the articles that were skipped."""

from __future__ import annotations

import io
import re
import shutil

import pytest
from typer.testing import CliRunner

from pipeline.api import ArticleError, ArticleResult
from pipeline.cli import app
from pipeline.progress import (
    BarProgress, LineProgress, QuietProgress, duration, progress_for, status_line,
)

from conftest import REPO

STATUS = re.compile(r"^claimscan: (\d+)/3 articles, [\d,]+/s, ETA (\?|\d+s|\d+m\d\ds|\d+h\d\dm)$")


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    folder = tmp_path_factory.mktemp("articles")
    for name in ("d01-bp-drug-rct.txt", "d06-lemon-water-benefits.md"):
        shutil.copy(REPO / "corpus" / "dev" / name, folder / name)
    (folder / "empty.txt").write_text("")
    return folder


def run(articles, out, *options):
    return CliRunner().invoke(app, ["run", str(articles), "--out", str(out), "--jobs", "1",
                                    *options],
                              catch_exceptions=False)


def test_logs_get_a_periodic_status_line(articles, tmp_path):
    """stderr is not a terminal here: one `done/total, rate, ETA` line per interval (0: every
    article)."""
    result = run(articles, tmp_path, "--progress-interval", "0")
    assert result.exit_code == 3
    lines = [line for line in result.stderr.splitlines() if STATUS.match(line)]
    assert [STATUS.match(line).group(1) for line in lines] == ["1", "2", "3"]
    assert "claimscan: skipped empty.txt: empty file" in result.stderr
    assert "\x1b[" not in result.stderr  # no cursor movement or colour in a log


def test_no_status_line_before_the_interval_has_passed(articles, tmp_path):
    result = run(articles, tmp_path, "--progress-interval", "3600")
    assert result.exit_code == 3
    assert not [line for line in result.stderr.splitlines()
                if line.startswith("claimscan: ") and "/3 articles" in line]
    assert "2 articles, " in result.stderr  # the end-of-run summary is still there


def test_quiet_prints_only_the_skipped_articles(articles, tmp_path):
    result = run(articles, tmp_path, "--quiet", "--progress-interval", "0")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == ["claimscan: skipped empty.txt: empty file"]
    assert result.stdout == ""


def test_status_line_reads_like_the_example():
    assert status_line(12_000, 100_000, 84.0) == (
        "claimscan: 12,000/100,000 articles, 143/s, ETA 10m16s")
    assert status_line(0, 10, 5.0) == "claimscan: 0/10 articles, 0/s, ETA ?"
    assert status_line(5, 10, 1.0, cached=4) == (
        "claimscan: 5/10 articles, 5/s, ETA 1s, 4 from cache")
    assert [duration(s) for s in (42, 545, 7380)] == ["42s", "9m05s", "2h03m"]


def test_line_progress_counts_on_a_clock():
    now = [100.0]
    stream = io.StringIO()
    progress = LineProgress(stream, interval=10, clock=lambda: now[0])
    progress.start(4)
    for step in (3.0, 3.0, 5.0, 1.0):  # at 103, 106, 111 (due), 112
        now[0] += step
        progress.advance(ArticleResult("a.txt", cached=True))
    assert stream.getvalue().splitlines() == ["claimscan: 3/4 articles, 0/s, ETA 4s, 3 from cache"]


def test_debug_adds_the_traceback_of_a_skipped_article():
    stream = io.StringIO()
    error = ArticleError("a.txt", "nlp", "internal error: KeyError", "x",
                         trace="Traceback (most recent call last):\n")
    QuietProgress(stream, debug=True).advance(ArticleResult("a.txt", error=error))
    assert stream.getvalue().splitlines() == ["claimscan: skipped a.txt: internal error: KeyError",
                                              "Traceback (most recent call last):"]


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_with_rate_and_eta(monkeypatch):
    monkeypatch.delenv("TERM", raising=False)
    stream = FakeTerminal()
    progress = progress_for(stream=stream)
    assert isinstance(progress, BarProgress)
    progress.start(3)
    for _ in range(3):
        progress.advance(ArticleResult("a.txt"))
    progress.stop()
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue()).replace("\r", "\n")
    final = [line for line in shown.splitlines() if line.strip()][-1]
    assert re.search(r"3/3 +[\d,]+ articles/s +ETA 0s", final), final


def test_dumb_terminals_and_quiet_get_no_bar(monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    assert type(progress_for(stream=FakeTerminal())) is LineProgress
    assert type(progress_for(stream=FakeTerminal(), quiet=True)) is QuietProgress
