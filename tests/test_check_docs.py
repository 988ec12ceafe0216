"""docs/check.md stays true: the codes table, the README example, the hooks and the workflow."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.gate.rules import rules
from tests.check_helpers import HEDGED_RCT, VAGUE_ONLY, WELLNESS_BLOG, invoke, write

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "check.md"


def test_codes_table_is_up_to_date():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_codes_doc.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_code_is_documented():
    doc = DOC.read_text(encoding="utf-8")
    for code, rule in rules().items():
        assert f"| {code} | `{rule.name}` |" in doc


def test_flags_json_ids_are_unique_and_well_formed():
    ids = [r.code for r in rules().values()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"CS\d{3}", i) for i in ids)
    assert all(r.severity in ("error", "warning", "info") and r.why and r.fix and r.name
               for r in rules().values())


def test_readme_example_is_real_output(tmp_path, monkeypatch):
    """The console session at the top of docs/check.md is what claimscan prints."""
    doc = DOC.read_text(encoding="utf-8")
    block = re.search(r"```console\n\$ claimscan check articles/\n(.*?)\$ echo \$\?\n(\d)\n```",
                      doc, re.DOTALL)
    assert block, "example not found"
    write(tmp_path / "claimscan.toml", "")
    write(tmp_path / "articles" / "superfoods.md", WELLNESS_BLOG)
    write(tmp_path / "articles" / "green-tea.txt", VAGUE_ONLY)
    write(tmp_path / "articles" / "bp-pill-trial.txt", HEDGED_RCT)
    monkeypatch.chdir(tmp_path)
    result = invoke("check", "articles/", "-j", "1")
    assert result.stdout == block.group(1)
    assert str(result.exit_code) == block.group(2)


def test_pre_commit_hook():
    text = (REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        (hook,) = yaml.safe_load(text)
    else:  # the fields this file uses are one `key: value` per line
        hook = dict(re.findall(r"^\s*-?\s*(\w+): (.+)$", text, re.MULTILINE))
        hook["types_or"] = re.findall(r"[\w-]+", hook["types_or"])
    assert (hook["id"] == "claimscan" and hook["entry"] == "claimscan check"
            and hook["language"] == "python")
    assert set(hook["types_or"]) == {"markdown", "html", "plain-text"}
    pattern = hook["files"].strip("'\"")
    assert (re.search(pattern, "articles/a.md") and re.search(pattern, "x.html")
            and not re.search(pattern, "setup.py"))


@pytest.mark.parametrize("needle", [
    "github/codeql-action/upload-sarif", "security-events: write", "--format sarif",
    "sarif_file: claimscan.sarif", "--format github", "id: claimscan", "--write-baseline",
    "<!-- claimscan: ignore",
])
def test_docs_cover_ci_usage(needle):
    assert needle in DOC.read_text(encoding="utf-8")


def test_documented_exit_codes_match_the_command():
    from pipeline.gate import command

    assert (command.EXIT_CLEAN, command.EXIT_FINDINGS, command.EXIT_USAGE) == (0, 1, 2)
    doc = DOC.read_text(encoding="utf-8")
    for code in ("| 0 |", "| 1 |", "| 2 |"):
        assert code in doc
