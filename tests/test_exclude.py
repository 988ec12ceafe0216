"""What folder walks leave out: the `exclude` / `extend-exclude` globs of the configuration and
claimscan's own outputs. `claimscan check` with no path lints the articles of a project, not its
output folder, dependencies or reports."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pipeline.config import load
from pipeline.globs import Exclusion
from pipeline.ingest import discover, is_claimscan_report
from tests.check_helpers import VAGUE_ONLY, WELLNESS_BLOG, invoke, write

REPO = Path(__file__).resolve().parent.parent


def names(paths, exclusion=None) -> list[str]:
    files, errors = discover(paths, exclusion)
    assert errors == []
    return [name for _, name in files]


@pytest.fixture
def newsroom(tmp_path, monkeypatch):
    """A project as a newcomer has it after a few runs: articles, outputs, tools around them."""
    write(tmp_path / "claimscan.toml", 'extend-exclude = ["drafts/"]\n')
    write(tmp_path / "articles" / "superfoods.md", WELLNESS_BLOG)
    write(tmp_path / "articles" / "tea" / "green-tea.txt", VAGUE_ONLY)
    write(tmp_path / "node_modules" / "left-pad" / "README.md", "# left-pad\n\nPads strings.\n")
    write(tmp_path / "build" / "index.html", "<p>Studies show kale cures everything.</p>")
    write(tmp_path / "drafts" / "wip.md", WELLNESS_BLOG)
    write(tmp_path / ".venv" / "lib" / "notes.txt", "Studies show that everything works.\n")
    monkeypatch.chdir(tmp_path)
    # claimscan's own outputs, written by the real commands
    assert invoke("run", "articles", "--out", "out", "-q", "-j", "1").exit_code == 0
    assert invoke("report", "articles", "--out", "out/report.html", "-q", "-j", "1").exit_code == 0
    assert invoke("report", "articles", "--out", "review.html", "-q", "-j", "1").exit_code == 0
    result = invoke("check", "articles", "--baseline", "claimscan-baseline.json",
                    "--write-baseline", "-j", "1")
    assert result.exit_code == 0, result.output
    return tmp_path


def checked_articles(*args: str) -> list[str]:
    """The articles `claimscan check` looked at (one JUnit test case each)."""
    result = invoke("check", *args, "--format", "junit", "--fail-on", "never", "-j", "1")
    assert result.exit_code == 0, result.output
    return sorted(re.findall(r'<testcase classname="claimscan" name="([^"]+)"', result.stdout))


def test_check_without_a_path_lints_only_the_articles(newsroom):
    """Was: every .md/.txt/.html under the current folder, outputs and dependencies included."""
    assert checked_articles() == ["articles/superfoods.md", "articles/tea/green-tea.txt"]


def test_a_folder_named_on_the_command_line_is_walked_even_if_excluded(newsroom):
    assert checked_articles("drafts") == ["drafts/wip.md"]
    assert checked_articles("build/index.html") == ["build/index.html"]


def test_run_and_report_leave_out_the_same_entries(newsroom):
    result = invoke("run", ".", "--out", "out2", "-q", "-j", "1")
    assert result.exit_code == 0
    rows = (newsroom / "out2" / "claims.csv").read_text(encoding="utf-8")
    assert {line.split(",", 1)[0] for line in rows.splitlines()[1:]} == {
        "articles/superfoods.md", "articles/tea/green-tea.txt"}


def test_exclude_replaces_the_defaults(newsroom):
    write(newsroom / "claimscan.toml", 'exclude = ["drafts", "articles/tea/"]\n')
    assert checked_articles() == ["articles/superfoods.md", "build/index.html",
                                  "node_modules/left-pad/README.md"]


def test_claimscan_reports_are_never_inputs(newsroom):
    assert is_claimscan_report(str(newsroom / "review.html"))
    assert not is_claimscan_report(str(newsroom / "build" / "index.html"))
    assert "review.html" not in names([newsroom])  # without any exclusion


def test_exclusion_patterns():
    root = os.path.abspath("/project")
    exclusion = Exclusion(root, ("out", "docs/", "/README.md", "*.draft.md"))
    assert exclusion.excludes("out", True) and exclusion.excludes("site/out", True)
    assert exclusion.excludes("docs", True) and not exclusion.excludes("site/docs", True)
    assert exclusion.excludes("README.md", False) and not exclusion.excludes("a/README.md", False)
    assert exclusion.excludes("a/b/x.draft.md", False)
    prefix, inside_docs = exclusion.for_walk(os.path.join(root, "docs"))
    assert prefix == "docs/" and "docs/" not in inside_docs.patterns
    assert exclusion.for_walk(os.path.abspath("/elsewhere"))[0] is None


def test_this_repository_checks_its_corpus_only():
    """`claimscan check` at the root of this repository: the articles of corpus/, not the README,
    docs, rule data or test fixtures ([tool.claimscan] in pyproject.toml)."""
    config = load([REPO])
    found = names([REPO], config.exclusion())
    assert found and all(name.startswith("corpus/") for name in found), found
