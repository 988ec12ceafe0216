"""scripts/check_dist.py (`make dist-check`, run by .ci/run) catches what it is there for: a rule
file left out of the wheel or the sdist, and a command that breaks only once installed. The
build-and-install run itself is the CI step; these tests check its judgements on made-up input."""

from __future__ import annotations

import importlib.util
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("check_dist", REPO / "scripts" / "check_dist.py")
check_dist = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_dist)

CONFIGS = check_dist.files_under(REPO / "configs")
PACKAGE = check_dist.files_under(REPO / "pipeline")


def distributions(tmp_path: Path, leave_out: str = "") -> tuple[Path, Path]:
    """A wheel and an sdist holding the names a correct build holds, but `leave_out`."""
    wheel_names = [f"pipeline/configs/{f}" for f in CONFIGS] + [f"pipeline/{f}" for f in PACKAGE]
    sdist_names = [f"configs/{f}" for f in CONFIGS]
    wheel = tmp_path / "claimscan-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name in wheel_names:
            if name != leave_out:
                archive.writestr(name, "")
    sdist = tmp_path / "claimscan-0.1.0.tar.gz"
    empty = tmp_path / "empty"
    empty.write_text("", encoding="utf-8")
    with tarfile.open(sdist, "w:gz") as archive:
        for name in sdist_names:
            if name != leave_out:
                archive.add(empty, arcname=f"claimscan-0.1.0/{name}")
    return wheel, sdist


def test_the_rule_files_are_expected():
    assert {"default.cfg", "flags.json", "journals.txt"} <= set(CONFIGS)
    assert any(f.startswith("rules/") and f.endswith(".json") for f in CONFIGS)
    assert "report/templates/report.html.j2" in PACKAGE


def test_complete_distributions_pass(tmp_path):
    wheel, sdist = distributions(tmp_path)
    assert "config files" in check_dist.contents(wheel, sdist)


@pytest.mark.parametrize("missing", [
    "pipeline/configs/rules/design.json",
    "pipeline/configs/journals.txt",
    "pipeline/report/templates/report.html.j2",
    "configs/rules/evidence.json",
])
def test_a_missing_file_fails(tmp_path, missing):
    wheel, sdist = distributions(tmp_path, leave_out=missing)
    with pytest.raises(check_dist.Failed, match=missing.replace(".", r"\.")):
        check_dist.contents(wheel, sdist)


def done(rc: int, stderr: str = "") -> subprocess.CompletedProcess:
    return subprocess.CompletedProcess([], rc, "", stderr)


def test_judge():
    crash = "Traceback (most recent call last):\n  ...\nKeyError: 'name'\n"
    check_dist.judge("run", done(3), (3,), done(0))  # the expected exit code: fine
    with pytest.raises(check_dist.Skipped, match="KeyError"):  # broken in the checkout too
        check_dist.judge("check", done(1, crash), (0, 1), done(1, crash))
    with pytest.raises(check_dist.Failed):  # broken only once installed
        check_dist.judge("check", done(1, crash), (0, 1), done(1))
    with pytest.raises(check_dist.Failed):
        check_dist.judge("run", done(1, "FileNotFoundError: default.cfg"), (3,), done(3))
