"""`claimscan check`: findings, exit codes, select/ignore, severities, thresholds, lexicons."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.gate.command import use_color
from tests.check_helpers import (
    HEDGED_RCT, SMALL_TRIAL, SUMMARY, VAGUE_ONLY, WELLNESS_BLOG, codes, findings, invoke, write,
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project (an empty claimscan.toml stops discovery here) as the current folder."""
    write(tmp_path / "claimscan.toml", "")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path


# -- the two acceptance articles -----------------------------------------------------------------


def test_well_hedged_rct_has_no_error_finding(project):
    write(project / "articles" / "rct.txt", HEDGED_RCT)
    result = invoke("check", "articles", "--format", "json", "--fail-on", "error", "-j", "1")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["severity"] == "error"] == []
    assert data["summary"]["articles"] == 1 and data["summary"]["failed"] is False


def test_wellness_blog_fails_the_gate(project):
    write(project / "articles" / "blog.md", WELLNESS_BLOG)
    result = invoke("check", "articles", "--fail-on", "error", "-j", "1")
    assert result.exit_code == 1
    found = findings(result.stdout)
    assert {f["path"] for f in found} == {"articles/blog.md"}
    assert "CS103" in codes(result.stdout)  # 'cures', 'proven', 'eliminates'
    studies_show = next(f for f in found if f["line"] == "3")
    assert studies_show["col"] == "1" and "also CS101" in studies_show["message"]


def test_text_output_is_one_line_per_claim_and_a_summary(project):
    write(project / "articles" / "blog.md", WELLNESS_BLOG)
    write(project / "articles" / "rct.txt", HEDGED_RCT)
    result = invoke("check", "articles", "-j", "1")
    lines = result.stdout.splitlines()
    assert all(findings(line) for line in lines[:-1]), lines
    assert lines[-1] == "3 findings (3 errors) in 2 articles"
    assert SUMMARY.match(lines[-1])
    # one finding per claim: no two findings share a line and column
    positions = [(f["line"], f["col"]) for f in findings(result.stdout)]
    assert len(positions) == len(set(positions))
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_quiet_drops_the_summary(project):
    write(project / "blog.md", WELLNESS_BLOG)
    result = invoke("check", "blog.md", "-q", "-j", "1")
    assert result.stdout.splitlines() and all(findings(line) for line in result.stdout.splitlines())


def test_file_given_directly_is_printed_as_given(project):
    write(project / "a" / "b" / "blog.md", WELLNESS_BLOG)
    result = invoke("check", "a/b/blog.md", "-j", "1")
    assert {f["path"] for f in findings(result.stdout)} == {"a/b/blog.md"}


# -- exit codes ---------------------------------------------------------------------------------


def test_exit_0_when_clean(project):
    write(project / "rct.txt", HEDGED_RCT)
    assert invoke("check", "rct.txt", "-j", "1").exit_code == 0


@pytest.mark.parametrize(("fail_on", "expected"),
                         [("error", 0), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_on_threshold_with_a_warning(project, fail_on, expected):
    write(project / "tea.txt", VAGUE_ONLY)
    result = invoke("check", "tea.txt", "--fail-on", fail_on, "-j", "1")
    assert codes(result.stdout) == ["CS101"]
    assert result.exit_code == expected


def test_fail_on_never_passes_a_bad_article(project):
    write(project / "blog.md", WELLNESS_BLOG)
    result = invoke("check", "blog.md", "--fail-on", "never", "-j", "1")
    assert result.exit_code == 0 and codes(result.stdout)


@pytest.mark.parametrize("args", [
    ("check", "missing-folder"),
    ("check", ".", "--fail-on", "sometimes"),
    ("check", ".", "--format", "xml"),
    ("check", ".", "--select", "CS999"),
    ("check", ".", "--ignore", "not-a-flag"),
    ("check", ".", "--color", "rainbow"),
    ("check", ".", "--write-baseline"),
    ("check", ".", "--baseline", "no-such-baseline.json"),
    ("check", ".", "--config", "nope.toml"),
    ("check", ".", "--config-file", "nope.toml"),  # the deprecated spelling
    ("check", ".", "--no-such-option"),
])
def test_exit_2_on_usage_errors(project, args):
    write(project / "rct.txt", HEDGED_RCT)
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""


def test_usage_error_message_on_stderr(project):
    write(project / "rct.txt", HEDGED_RCT)
    result = invoke("check", ".", "--select", "CS999")
    assert result.stderr.startswith("claimscan: error: ") and "CS999" in result.stderr
    missing = invoke("check", "gone.md")
    assert missing.stderr.strip() == "claimscan: error: gone.md: no such file or directory"


def test_exit_2_when_no_articles(project):
    write(project / "notes" / "readme.rst", "nothing to check")
    result = invoke("check", "notes")
    assert result.exit_code == 2 and "no .txt, .md or .html files" in result.stderr


def test_exit_2_on_bad_configuration(project):
    write(project / "claimscan.toml", "select = [\n")
    write(project / "rct.txt", HEDGED_RCT)
    result = invoke("check", "rct.txt")
    assert result.exit_code == 2 and "invalid TOML" in result.stderr
    write(project / "claimscan.toml", 'colour = "red"\n')
    result = invoke("check", "rct.txt")
    assert result.exit_code == 2 and "unknown key 'colour'" in result.stderr


def test_unreadable_article_is_an_input_error(project):
    write(project / "articles" / "rct.txt", HEDGED_RCT)
    (project / "articles" / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = invoke("check", "articles", "-j", "1")
    assert result.exit_code == 2
    assert "articles/scan.txt: error: binary file (PNG image), not text" in result.stderr
    assert result.stdout.splitlines()[-1] == "0 findings in 1 article; 1 input error"
    # report-only mode: still listed, but does not fail the job
    never = invoke("check", "articles", "--fail-on", "never", "-j", "1")
    assert never.exit_code == 0 and "articles/scan.txt: error:" in never.stderr


def test_input_error_outranks_findings(project):
    write(project / "articles" / "blog.md", WELLNESS_BLOG)
    write(project / "articles" / "empty.md", "   \n")
    result = invoke("check", "articles", "-j", "1")
    assert result.exit_code == 2 and "articles/empty.md: error: empty file" in result.stderr
    assert codes(result.stdout)  # the other article is still reported


# -- select / ignore / per-file ignores ---------------------------------------------------------


@pytest.mark.parametrize("token", ["CS103", "ABSOLUTE_LANGUAGE", "absolute-language", "cs103"])
def test_ignore_by_code_flag_or_short_name(project, token):
    write(project / "blog.md", WELLNESS_BLOG)
    result = invoke("check", "blog.md", "--ignore", token, "-j", "1")
    got = codes(result.stdout)
    assert got and "CS103" not in got
    assert all("CS103" not in f["message"] for f in findings(result.stdout))  # not in [also ...]
    assert result.exit_code == 0  # no error-level finding left


def test_select_replaces_and_accepts_prefixes(project):
    write(project / "blog.md", WELLNESS_BLOG)
    only = invoke("check", "blog.md", "--select", "CS101,CS102", "-j", "1")
    assert set(codes(only.stdout)) == {"CS101", "CS102"}
    assert only.exit_code == 0
    prefix = invoke("check", "blog.md", "--select", "CS2", "-j", "1")
    assert codes(prefix.stdout) == []


def test_per_file_ignores_glob(project):
    write(project / "claimscan.toml",
          '[per-file-ignores]\n"archive/**" = ["CS1"]\n"*.txt" = ["CS101"]\n')
    write(project / "archive" / "2019" / "blog.md", WELLNESS_BLOG)
    write(project / "new" / "blog.md", WELLNESS_BLOG)
    write(project / "new" / "tea.txt", VAGUE_ONLY)
    result = invoke("check", ".", "-j", "1")
    paths = {f["path"] for f in findings(result.stdout)}
    assert paths == {"new/blog.md"}


# -- severities, thresholds, lexicons -------------------------------------------------------------


def test_severity_override_changes_the_verdict(project):
    write(project / "tea.txt", VAGUE_ONLY)
    assert invoke("check", "tea.txt", "-j", "1").exit_code == 0
    write(project / "claimscan.toml", '[severity]\nvague-attribution = "error"\n')
    result = invoke("check", "tea.txt", "-j", "1")
    assert (result.exit_code == 1
            and result.stdout.splitlines()[-1] == "1 finding (1 error) in 1 article")


def test_severity_override_picks_the_reported_code(project):
    write(project / "blog.md", WELLNESS_BLOG)
    write(project / "claimscan.toml", '[severity]\nCS103 = "info"\nCS101 = "error"\n')
    result = invoke("check", "blog.md", "--format", "json", "-j", "1")
    first = json.loads(result.stdout)["findings"][0]
    assert (first["line"], first["code"], first["severity"], first["also"]) == (
        3, "CS101", "error", ["CS102", "CS103"])


def test_threshold_override_changes_findings(project):
    write(project / "trial.txt", SMALL_TRIAL)
    default = invoke("check", "trial.txt", "--select", "CS201", "-j", "1")
    assert codes(default.stdout) == ["CS201"] and "under the 100" in default.stdout
    write(project / "claimscan.toml", "[thresholds]\nsmall-sample = 50\n")
    lowered = invoke("check", "trial.txt", "--select", "CS201", "-j", "1")
    assert codes(lowered.stdout) == []


def test_extra_hedge_lexicon(project):
    write(project / "acne.txt", "Celery juice\n\nCelery juice reputedly clears acne.\n")
    assert codes(invoke("check", "acne.txt", "-j", "1").stdout) == ["CS102"]
    write(project / "style" / "cues.json", json.dumps({"hedges": [{"literal": "reputedly"}]}))
    write(project / "claimscan.toml", '[lexicons]\ncues = ["style/cues.json"]\n')
    assert codes(invoke("check", "acne.txt", "-j", "1").stdout) == []


def test_extra_journal_list(project):
    write(project / "juice.txt", "Celery juice\n\nCelery juice cuts bloating, according to the "
                                 "Quarterly Review of Juice Studies.\n")
    assert codes(invoke("check", "juice.txt", "-j", "1").stdout) == ["CS102"]  # no study behind it
    write(project / "style" / "journals.txt", "# house list\nQuarterly Review of Juice Studies\n")
    write(project / "claimscan.toml", '[lexicons]\njournals = ["style/journals.txt"]\n')
    assert "CS102" not in codes(invoke("check", "juice.txt", "-j", "1").stdout)


def test_bad_lexicon_is_a_usage_error(project):
    write(project / "rct.txt", HEDGED_RCT)
    write(project / "style" / "cues.json", json.dumps({"hedges": ["purportedly"]}))
    write(project / "claimscan.toml", '[lexicons]\ncues = ["style/cues.json"]\n')
    result = invoke("check", "rct.txt")
    assert result.exit_code == 2 and 'literal' in result.stderr
    write(project / "claimscan.toml", '[lexicons]\njournals = ["style/missing.txt"]\n')
    assert invoke("check", "rct.txt").exit_code == 2


# -- terminal output ----------------------------------------------------------------------------


class _Stream:
    def __init__(self, tty: bool) -> None:
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


def test_colour_only_on_a_terminal_without_no_color():
    assert use_color("auto", _Stream(True), {}) is True
    assert use_color("auto", _Stream(False), {}) is False
    assert use_color("auto", _Stream(True), {"NO_COLOR": "1"}) is False
    # no-color.org: empty means unset
    assert use_color("auto", _Stream(True), {"NO_COLOR": ""}) is True
    assert use_color("auto", _Stream(True), {"TERM": "dumb"}) is False
    assert use_color("always", _Stream(False), {"NO_COLOR": "1"}) is True
    assert use_color("never", _Stream(True), {}) is False


def test_colour_output_has_a_rich_summary(project):
    write(project / "blog.md", WELLNESS_BLOG)
    result = invoke("check", "blog.md", "--color", "always", "-j", "1")
    assert result.exit_code == 1
    assert "\x1b[" in result.stdout
    assert "absolute-language" in result.stdout  # the per-code table
    assert "fail-on error: failed" in result.stdout


def test_output_file(project):
    write(project / "blog.md", WELLNESS_BLOG)
    result = invoke("check", "blog.md", "-f", "json", "-o", "reports/claimscan.json", "-j", "1")
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads((project / "reports" / "claimscan.json").read_text())["summary"]["error"] == 3
    assert "3 findings" in result.stderr


def test_check_module_imports_no_heavy_dependencies():
    code = ("import sys, pipeline.cli, pipeline.gate.command, pipeline.config, "
            "pipeline.gate.rules; "
            "print(sorted(m for m in ('spacy', 'pandas', 'pipeline.api') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


# -- findings from rows (unit level) ------------------------------------------------------------


def _analysis(*flag_lists: list[tuple[str, str, str]]):
    """An analysis whose units carry these flags (code, reason, severity), on line 4 and after."""
    from pipeline.analysis import ArticleAnalysis, Flag, Unit

    text = "Kale cures everything, studies show."
    units = []
    for i, flags in enumerate(flag_lists):
        unit = Unit(i, 0, 0, 0, len(text), text, line=4 + i, column=2)
        unit.flags = [Flag(*f) for f in flags]
        units.append(unit)
    return ArticleAnalysis("a.md", text, None, units, [], [])


def test_one_finding_per_unit_most_severe_code_first(tmp_path):
    from pipeline.gate.findings import article_findings
    from pipeline.config import ProjectConfig

    config = ProjectConfig(root=tmp_path)
    analysis = _analysis([("VAGUE_ATTRIBUTION", "'studies show' appeals to unnamed research.",
                           "warning"),
                          ("ABSOLUTE_LANGUAGE", "'cures' claims a certainty.", "error"),
                          ("SMALL_SAMPLE", "Rests on S1: 20 people.", "info")])
    (finding,), suppressed = article_findings(analysis, path=str(tmp_path / "a.md"), config=config)
    assert (finding.code, finding.severity, finding.line, finding.column) == (
        "CS103", "error", 4, 2)
    assert finding.message == "'cures' claims a certainty. [also CS101, CS201]"
    assert suppressed == 0 and len(finding.fingerprint) == 32


def test_evidence_only_unit_is_info_and_its_reason_is_kept_whole(tmp_path):
    from pipeline.gate.findings import article_findings
    from pipeline.config import ProjectConfig

    config = ProjectConfig(root=tmp_path)
    analysis = _analysis([("SMALL_SAMPLE", "one reason. With two sentences.", "info"),
                          ("SHORT_DURATION", "another", "info")], [])
    (finding,), _ = article_findings(analysis, path=str(tmp_path / "a.md"), config=config)
    assert (finding.code, finding.severity) == ("CS201", "info")
    assert finding.message == "one reason. With two sentences. [also CS202]"


def test_fingerprint_ignores_position_and_spacing_but_not_words():
    from pipeline.gate.findings import fingerprint

    a = fingerprint("a.md", "CS103", "Kale  cures everything!", 1)
    assert a == fingerprint("a.md", "CS103", "kale cures everything", 1)
    assert a != fingerprint("a.md", "CS103", "Kale cures most things", 1)
    assert a != fingerprint("b.md", "CS103", "Kale cures everything", 1)
    assert a != fingerprint("a.md", "CS103", "Kale cures everything", 2)


# -- the article scorecard's codes (CS3xx) ------------------------------------------------------


def test_scorecard_codes_are_opted_into_and_reported_on_the_headline(project):
    """CS3xx are off by default; selected, each criterion judged not satisfactory is one info
    finding on the headline's line, its message the criterion's reason."""
    write(project / "articles" / "blog.md", WELLNESS_BLOG)
    assert not [c for c in codes(invoke("check", "articles", "-j", "1").stdout)
                if c.startswith("CS3")]
    result = invoke("check", "articles", "--select", "CS3", "--format", "json", "-j", "1")
    assert result.exit_code == 0  # info findings do not fail the default gate
    found = json.loads(result.stdout)["findings"]
    by_code = {f["code"]: f for f in found}
    # no price, no numbers, no harms, no design: the blog misses what a reviewer asks for
    assert {"CS301", "CS302", "CS303", "CS304"} <= set(by_code)
    assert all(f["line"] == 1 and f["severity"] == "info" for f in found)
    assert by_code["CS301"]["message"] == "No price, insurance coverage or cost comparison is " \
                                          "mentioned."


def test_scorecard_codes_by_name_severity_and_file_suppression(project):
    write(project / "claimscan.toml", 'select = ["ALL"]\n[severity]\ncosts = "error"\n')
    write(project / "articles" / "rct.md", HEDGED_RCT)
    result = invoke("check", "articles", "-j", "1")
    assert result.exit_code == 1 and "CS301" in codes(result.stdout)  # no price, now an error
    write(project / "articles" / "rct.md",
          "<!-- claimscan: ignore-file costs -- the price box sits beside the story -->\n"
          + HEDGED_RCT)
    result = invoke("check", "articles", "-j", "1")
    assert "CS301" not in codes(result.stdout) and "CS002" not in codes(result.stdout)
    assert result.exit_code == 0
