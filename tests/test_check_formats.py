"""Every `claimscan check --format`: parses, validates, and carries what CI systems read."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.gate.findings import Finding, Report
from pipeline.gate.formats import github
from tests.check_helpers import HEDGED_RCT, VAGUE_ONLY, WELLNESS_BLOG, invoke, write

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
# ::error file=...,line=N,col=N,title=...::message   (properties escaped: no bare , or :)
GITHUB_LINE = re.compile(
    r"^::(error|warning|notice) file=[^,:]+,line=\d+,col=\d+,title=CS\d{3} [a-z-]+::[^\r\n]+$"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    write(tmp_path / "claimscan.toml", "")
    write(tmp_path / "articles" / "blog.md", WELLNESS_BLOG)
    write(tmp_path / "articles" / "rct.txt", HEDGED_RCT)
    write(tmp_path / "articles" / "tea.txt", VAGUE_ONLY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_json(project):
    result = invoke("check", "articles", "-f", "json", "-j", "1")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["version"] == 1 and data["tool"]["name"] == "claimscan"
    first = data["findings"][0]
    assert set(first) == {"path", "line", "column", "code", "name", "severity", "message", "also",
                          "text", "claim_id", "fingerprint"}
    assert first["path"] == "articles/blog.md" and first["claim_id"].startswith("blog.md#")
    assert data["summary"] == {"articles": 3, "findings": 4, "error": 3, "warning": 1, "info": 0,
                               "suppressed": 0, "baselined": 0, "input_errors": 0,
                               "fail_on": "error", "failed": True}
    assert result.stderr.strip() == "4 findings (3 errors, 1 warning) in 3 articles"


def _validate_sarif(log: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")  # in the `test` extra
    jsonschema.validate(log, json.loads(SCHEMA.read_text(encoding="utf-8")),
                        format_checker=jsonschema.FormatChecker())


def test_sarif_is_valid_2_1_0(project):
    result = invoke("check", "articles", "-f", "sarif", "-j", "1")
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    _validate_sarif(log)
    assert log["version"] == "2.1.0" and "sarif-schema-2.1.0.json" in log["$schema"]
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "claimscan" and driver["informationUri"].startswith("https://")
    rules = {r["id"]: r for r in driver["rules"]}
    assert {"CS101", "CS108", "CS201", "CS206", "CS001", "CS002"} <= set(rules)
    cs103 = rules["CS103"]
    assert cs103["name"] == "absolute-language"
    assert (cs103["shortDescription"]["text"] and cs103["fullDescription"]["text"]
            and cs103["help"]["text"])
    assert cs103["defaultConfiguration"]["level"] == "error"
    assert rules["CS201"]["defaultConfiguration"]["level"] == "note"
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"CS103": "error", "CS101": "warning"}
    for r in run["results"]:
        assert driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] in ("articles/blog.md", "articles/tea.txt")
        assert loc["region"]["startLine"] >= 1 and loc["region"]["startColumn"] >= 1
        assert re.fullmatch(r"[0-9a-f]{32}", r["partialFingerprints"]["claimscan/v1"])
    assert run["invocations"][0]["executionSuccessful"] is True
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_fingerprints_survive_moved_lines(project):
    before = json.loads(invoke("check", "articles", "-f", "sarif", "-j", "1").stdout)
    blog = project / "articles" / "blog.md"
    blog.write_text(blog.read_text().replace("\n\n", "\n\nAn extra, harmless paragraph.\n\n", 1))
    after = json.loads(invoke("check", "articles", "-f", "sarif", "-j", "1").stdout)

    def prints(log):
        return {(r["partialFingerprints"]["claimscan/v1"],
                 r["locations"][0]["physicalLocation"]["region"]["startLine"])
                for r in log["runs"][0]["results"]}

    assert {p for p, _ in prints(before)} == {p for p, _ in prints(after)}
    assert prints(before) != prints(after)  # the lines did move


def test_sarif_reports_input_errors_as_notifications(project):
    (project / "articles" / "broken.txt").write_bytes(b"%PDF-1.4 binary")
    result = invoke("check", "articles", "-f", "sarif", "-j", "1")
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    _validate_sarif(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    note = invocation["toolExecutionNotifications"][0]
    assert note["level"] == "error" and "PDF" in note["message"]["text"]


def test_github_annotations(project):
    result = invoke("check", "articles", "-f", "github", "-j", "1")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    for line in lines:
        assert GITHUB_LINE.match(line), line
    assert lines[0].startswith(
        "::error file=articles/blog.md,line=3,col=1,title=CS103 absolute-language::")
    assert any(line.startswith("::warning file=articles/tea.txt,") for line in lines)


def test_github_escaping():
    finding = Finding("a,b:c.md", 2, 5, "CS101", "info", "50% sure\r\nsecond line")
    out = github(Report(articles=["a,b:c.md"], findings=[finding])).strip()
    assert out == ("::notice file=a%2Cb%3Ac.md,line=2,col=5,title=CS101 vague-attribution::"
                   "50%25 sure%0D%0Asecond line")


def test_junit_one_testcase_per_article(project):
    result = invoke("check", "articles", "-f", "junit", "-j", "1")
    assert result.exit_code == 1
    root = ET.fromstring(result.stdout.encode("utf-8"))
    cases = root.findall("./testsuite/testcase")
    assert sorted(c.get("name") for c in cases) == ["articles/blog.md", "articles/rct.txt",
                                                    "articles/tea.txt"]
    by_name = {c.get("name"): c for c in cases}
    failure = by_name["articles/blog.md"].find("failure")
    assert failure is not None and failure.get("message") == "3 findings at or above error"
    assert failure.text.count("CS103") >= 3
    assert by_name["articles/rct.txt"].find("failure") is None
    tea = by_name["articles/tea.txt"]
    # below the threshold
    assert tea.find("failure") is None and "CS101" in tea.find("system-out").text
    assert root.get("tests") == "3" and root.get("failures") == "1" and root.get("errors") == "0"


def test_junit_fail_on_warning_and_input_errors(project):
    write(project / "articles" / "empty.md", "\n")
    result = invoke("check", "articles", "-f", "junit", "--fail-on", "warning", "-j", "1")
    assert result.exit_code == 2
    root = ET.fromstring(result.stdout.encode("utf-8"))
    by_name = {c.get("name"): c for c in root.iter("testcase")}
    assert by_name["articles/tea.txt"].find("failure") is not None
    assert by_name["articles/empty.md"].find("error").get("message") == "empty file"
    assert root.get("tests") == "4" and root.get("failures") == "2" and root.get("errors") == "1"


def test_text_is_default_and_stable(project):
    one = invoke("check", "articles", "-j", "1").stdout
    assert one == invoke("check", "articles", "-f", "text", "-j", "1").stdout
    assert one.splitlines()[0] == (
        "articles/blog.md:3:1: CS103 'cures' claims a certainty or universality that no study "
        "in the article supports. [also CS101, CS102]")
