"""What a newcomer meets first (issue 13): --version, a mistyped path or option, the defaults of
--jobs. Every usage error has one form: `claimscan: error: ...` on stderr, exit code 2, nothing
on stdout and nothing written."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pipeline import __version__
from pipeline.config import ProjectConfig
from tests.check_helpers import VAGUE_ONLY, invoke, write


@pytest.fixture
def folder(tmp_path, monkeypatch):
    write(tmp_path / "articles" / "tea.txt", VAGUE_ONLY)
    write(tmp_path / "gold.json", '{"tea.txt": {"sentences": []}}')
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_version():
    """Was: listed in --help, but `claimscan --version` failed with "Missing command"."""
    result = invoke("--version")
    assert (result.exit_code, result.stdout) == (0, f"claimscan {__version__}\n")


def test_no_arguments_prints_the_help():
    result = invoke()
    assert "Usage:" in result.output and "Commands" in result.output


@pytest.mark.parametrize("command", [
    ("run", "/no/such", "--out", "out"),
    ("check", "/no/such"),
    ("report", "/no/such", "--out", "report.html"),
    ("evaluate", "/no/such", "--gold", "gold.json"),
    ("config", "/no/such"),
])
def test_a_missing_input_path_is_a_usage_error_and_writes_nothing(folder, command):
    """Was (run): exit 3, empty tables written, two summaries that contradicted each other;
    (report): an empty report written."""
    result = invoke(*command)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "claimscan: error: /no/such: no such file or directory\n"
    assert sorted(p.name for p in folder.iterdir()) == ["articles", "gold.json"]


def test_every_missing_path_is_named(folder):
    result = invoke("run", "articles", "gone.md", "gone/")
    assert result.exit_code == 2 and result.stderr.splitlines() == [
        "claimscan: error: gone.md: no such file or directory",
        "claimscan: error: gone: no such file or directory",
    ]
    assert not (folder / "out").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("run", "articles", "--format", "xml"),
     "claimscan: error: Invalid value for '--format' / '-f': 'xml' is not one of 'csv', 'parquet', "
     "'jsonl'."),
    (("run", "articles", "--jobs", "many"),
     "claimscan: error: Invalid value for '--jobs' / '-j': "),
    (("check", "articles", "--no-such-option"),
     "claimscan: error: No such option: --no-such-option"),
    (("report",), "claimscan: error: Missing argument 'PATH'."),
    (("evaluat", "articles"),
     "claimscan: error: No such command 'evaluat'. Did you mean 'evaluate'?"),
])
def test_typer_errors_take_the_usage_error_path(folder, args, message):
    """Was: typer's "Error: Invalid value ...: Value error, ..." after a usage block."""
    result = invoke(*args)
    assert result.exit_code == 2 and result.stdout == ""
    first, *rest = result.stderr.splitlines()
    assert first.startswith(message), first
    assert "Value error" not in result.stderr
    assert rest == [] or rest[0].startswith("Try 'claimscan")


def test_report_uses_all_cores_by_default_like_run(folder, monkeypatch):
    """Was: `report --jobs` defaulted to 1 while `run` used every core."""
    import pipeline.api

    seen = []
    original = pipeline.api.iter_discovered

    def spy(found, settings, jobs=1, cache=None):
        seen.append(jobs)
        return original(found, settings, 1, cache)

    monkeypatch.setattr(pipeline.api, "iter_discovered", spy)
    assert invoke("report", "articles", "--out", "r.html", "-q").exit_code == 0
    assert invoke("report", "articles", "--out", "r.html", "-q", "--jobs", "3").exit_code == 0
    write(folder / "claimscan.toml", "jobs = 2\n")
    assert invoke("report", "articles", "--out", "r.html", "-q").exit_code == 0
    assert seen == [ProjectConfig().effective_jobs(), 3, 2]


def test_help_names_the_configuration_and_the_shared_options():
    text = invoke("--help").stdout
    assert "--version" in text and "[tool.claimscan]" in text and "claimscan config" in text
    for command in ("run", "check", "report", "evaluate", "config"):
        help_text = invoke(command, "--help").stdout
        for option in ("--config", "--pipeline-config", "--isolated", "--jobs", "--max-bytes",
                       "--time-limit"):
            assert option in help_text, (command, option)
        assert "--config-file" not in help_text  # the deprecated spelling is hidden


def test_help_imports_nothing_heavy():
    code = ("import sys\nfrom pipeline.cli import main\nsys.argv = ['claimscan', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('spacy', 'pandas', 'pipeline.api') if m in sys.modules), "
            "file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage: " in done.stdout and done.stderr.strip() == "[]"
