"""Configuration as `claimscan check` uses it: discovery, precedence, validation, globs,
`claimscan config`. What every command shares is in test_config.py."""

from __future__ import annotations

import json

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from pipeline import config as settings
from pipeline.commandline import CommonOptions, load_configuration
from pipeline.config import ConfigError, glob_match
from pipeline.gate.rules import rules
from tests.check_helpers import WELLNESS_BLOG, codes, invoke, write

PYPROJECT = """\
[project]
name = "newsroom"

[tool.claimscan]
ignore = ["absolute-language"]
fail-on = "warning"

[tool.claimscan.severity]
CS101 = "error"
"""


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """repo/pyproject.toml with [tool.claimscan]; articles three folders down; cwd elsewhere."""
    root = tmp_path / "repo"
    write(root / "pyproject.toml", PYPROJECT)
    write(root / "content" / "2024" / "05" / "blog.md", WELLNESS_BLOG)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return root


def test_discovered_from_the_checked_path_upward(repo):
    deep = repo / "content" / "2024" / "05"
    result = invoke("check", str(deep), "-j", "1")
    got = codes(result.stdout)
    assert got and "CS103" not in got  # ignored by the pyproject
    assert "CS101" in got and result.exit_code == 1  # CS101 made an error; fail-on warning anyway
    # the same folder checked with --isolated: defaults
    assert "CS103" in codes(invoke("check", str(deep), "--isolated", "-j", "1").stdout)


def test_claimscan_toml_wins_over_pyproject(repo):
    write(repo / "content" / "claimscan.toml", 'select = ["CS103"]\n')
    got = codes(invoke("check", str(repo / "content"), "-j", "1").stdout)
    assert set(got) == {"CS103"}


def test_pyproject_without_the_table_is_skipped(tmp_path, monkeypatch):
    write(tmp_path / "claimscan.toml", 'ignore = ["CS101"]\n')
    write(tmp_path / "site" / "pyproject.toml", '[project]\nname = "site"\n')
    write(tmp_path / "site" / "blog.md", WELLNESS_BLOG)
    monkeypatch.chdir(tmp_path / "site")
    config = settings.load(["blog.md"])
    assert config.source == (tmp_path / "claimscan.toml").resolve()
    assert "CS101" not in config.enabled


def test_explicit_config_file(repo, tmp_path):
    other = write(tmp_path / "strict.toml", 'fail-on = "info"\n')
    config = settings.load([repo / "content"], config_file=other)
    assert config.fail_on == "info" and config.source == other.resolve()


def test_command_line_over_file(repo):
    """--select replaces the configured list, --ignore adds to it, the others replace the key."""
    result = invoke("check", str(repo / "content"), "--select", "CS1", "--ignore", "CS102",
                    "--fail-on", "never", "--format", "sarif", "-j", "1")
    assert result.exit_code == 0
    sarif = json.loads(result.stdout)
    reported = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert reported and all(code.startswith("CS1") for code in reported)
    assert not reported & {"CS102", "CS103"}  # CS103 is still ignored by the pyproject
    config = load_configuration([repo / "content"], CommonOptions(), select=(["CS1"], "--select"),
                                fail_on=("never", "--fail-on"), output_format=("sarif", "--format"))
    assert config.enabled == {code for code in rules() if code.startswith("CS1")} - {"CS103"}
    assert (config.fail_on, config.output_format) == ("never", "sarif")


@pytest.mark.parametrize(("table", "message"), [
    ({"select": ["CS9"]}, "unknown code"),
    ({"ignore": "CS101, nope"}, "unknown code"),
    ({"severity": {"CS101": "fatal"}}, "expected one of info, warning, error"),
    ({"severity": {"CS999": "error"}}, "unknown code"),
    ({"thresholds": {"small-sample": -3}}, "positive whole number"),
    ({"thresholds": {"tiny": 3}}, "unknown key"),
    ({"fail-on": "sometimes"}, "fail-on"),
    ({"per-file-ignores": {"a/**": ["CS1000"]}}, "unknown code"),
    ({"lexicons": {"cues": ["missing.json"]}}, "cannot read"),
])
def test_invalid_settings(tmp_path, table, message):
    with pytest.raises(ConfigError, match=message):
        settings.from_table(table, tmp_path / "claimscan.toml", "claimscan.toml").validate()


def test_overrides_for_the_pipeline(tmp_path):
    write(tmp_path / "cues.json", '{"boosters": ["game-changing"]}')
    config = settings.from_table({
        "severity": {"VAGUE_ATTRIBUTION": "error", "CS001": "warning"},
        "thresholds": {"small_sample": 50, "short-duration-days": 90},
        "lexicons": {"cues": ["cues.json"]},
    }, tmp_path / "claimscan.toml", "x").validate()
    assert config.overrides() == {
        "components.claimscan_generalization.small_sample": 50,
        "components.claimscan_generalization.short_duration_days": 90,
        "components.claimscan_generalization.severities.VAGUE_ATTRIBUTION": "error",
        "components.claimscan_cues.extra_lexicons": (str((tmp_path / "cues.json").resolve()),),
    }
    hash(tuple(sorted(config.overrides().items())))  # usable as the pipeline cache key


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("archive/**", "archive/2019/a.md", True),
    ("archive/**", "news/archive.md", False),
    ("archive/", "archive/a.md", True),
    ("archive", "archive/x/a.md", True),
    ("*.txt", "deep/down/notes.txt", True),
    ("news/*.md", "news/deep/a.md", False),
    ("**/press-*.html", "a/b/press-2024.html", True),
    ("**/press-*.html", "press-2024.html", True),
    ("news/[ab].md", "news/b.md", True),
    ("/README.md", "README.md", True),  # a leading / anchors a name at the root
    ("/README.md", "docs/README.md", False),
    ("README.md", "docs/README.md", True),
    ("docs/", "site/docs/a.md", False),  # a pattern with a / is relative to the root
])
def test_glob(pattern, path, expected):
    assert glob_match(pattern, path) is expected


# -- claimscan config ---------------------------------------------------------------------------


def test_config_command_prints_the_effective_configuration(repo):
    result = invoke("config", str(repo / "content" / "2024"))
    assert result.exit_code == 0
    assert f"# source: {(repo / 'pyproject.toml').resolve()}" in result.stdout
    data = tomllib.loads(result.stdout)["tool"]["claimscan"]
    assert data["ignore"] == ["absolute-language"] and data["fail-on"] == "warning"
    assert data["severity"]["CS101"] == "error" and data["severity"]["CS103"] == "error"
    # from default.cfg
    assert data["thresholds"] == {"small-sample": 100, "short-duration-days": 182}


def test_config_output_round_trips(repo, tmp_path):
    printed = invoke("config", str(repo)).stdout
    copy = write(tmp_path / "copy" / "pyproject.toml", printed)
    again = settings.load([copy.parent])
    original = settings.load([repo])
    assert again.enabled == original.enabled
    assert ({c: again.severity_of(c) for c in again.enabled}
            == {c: original.severity_of(c) for c in original.enabled})
    assert (again.fail_on, again.small_sample) == (original.fail_on, 100)


def test_config_json_and_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("config", "--isolated", "--json")
    data = json.loads(result.stdout)
    assert data["source"] is None and data["fail-on"] == "error"
    assert data["select"] == ["CS0", "CS1", "CS2"]  # the scorecard's CS3xx are opted into
    assert "CS101" in data["enabled"] and data["severity"]["CS201"] == "info"


def test_config_command_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "claimscan.toml", "select = 3\n")
    result = invoke("config")
    assert result.exit_code == 2 and "select: expected a list of strings" in result.stderr
