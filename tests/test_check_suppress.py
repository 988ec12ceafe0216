"""Inline suppressions (`<!-- claimscan: ignore ... -->`) and the baseline, end to end."""

from __future__ import annotations

import json

import pytest

from pipeline.gate.suppress import parse
from tests.check_helpers import HEDGED_RCT, WELLNESS_BLOG, codes, findings, invoke, write


@pytest.fixture
def project(tmp_path, monkeypatch):
    write(tmp_path / "claimscan.toml", "")
    monkeypatch.chdir(tmp_path)
    return tmp_path


SUPPRESSED_BLOG = """\
# Turmeric

<!-- claimscan: ignore CS103 CS101 CS102 -- quoting the manufacturer's advert verbatim -->
Studies show that turmeric cures inflammation.

Kale is a proven way to detox your liver, and everyone should eat it daily.
"""


def test_parse_directive():
    assert parse("claimscan: ignore CS101, CS104 -- quoted from the press release") == (
        "ignore", frozenset({"CS101", "CS104"}), ("CS101", "CS104"),
        "quoted from the press release", "")
    verb, codes_, _, reason, error = parse("claimscan: ignore vague-attribution")
    assert (verb, codes_, reason, error) == ("ignore", frozenset({"CS101"}), "", "")
    assert parse("claimscan ignore-file CS1 \u2014 satire column")[1] == frozenset(
        {"CS101", "CS102", "CS103", "CS104", "CS105", "CS106", "CS107", "CS108", "CS109", "CS110"})
    assert parse("claimscan: ignore -- everything here is a quote")[1] is None  # every code
    assert "unknown code" in parse("claimscan: ignore CS999 -- x")[4]
    assert "unknown directive" in parse("claimscan: disable CS101 -- x")[4]


def test_suppression_applies_to_the_next_paragraph_only(project):
    write(project / "blog.md", SUPPRESSED_BLOG)
    result = invoke("check", "blog.md", "-j", "1")
    found = findings(result.stdout)
    # the kale line is still reported
    assert [(f["line"], f["code"]) for f in found] == [("6", "CS103")]
    assert result.stdout.splitlines()[-1] == "1 finding (1 error) in 1 article; 1 suppressed"


def test_suppressing_one_code_keeps_the_others(project):
    write(project / "blog.md", "# T\n\n<!-- claimscan: ignore CS103 -- advert -->\n"
                               "Studies show that turmeric cures inflammation.\n")
    found = findings(invoke("check", "blog.md", "-j", "1").stdout)
    assert [(f["line"], f["code"]) for f in found] == [("4", "CS101")]
    assert "CS102" in found[0]["message"] and "CS103" not in found[0]["message"]


def test_suppression_in_html(project):
    html = ("<html><body><article><h1>Turmeric</h1>\n"
            "<!-- claimscan: ignore CS101 CS102 CS103 -- quoted advert -->\n"
            "<p>Studies show that turmeric cures inflammation.</p>\n"
            "<p>Experts agree that celery juice eliminates bloating for good.</p>\n"
            "</article></body></html>\n")
    write(project / "page.html", html)
    found = findings(invoke("check", "page.html", "-j", "1").stdout)
    assert [f["line"] for f in found] == ["4"]


def test_unused_suppression_is_reported(project):
    text = HEDGED_RCT.replace("Participants who took",
                              "<!-- claimscan: ignore CS103 -- legacy -->\nParticipants who took")
    write(project / "rct.md", text)
    result = invoke("check", "rct.md", "-j", "1")
    found = findings(result.stdout)
    assert [(f["code"], f["line"], f["col"]) for f in found] == [("CS002", "5", "1")]
    assert "CS103" in found[0]["message"]
    assert result.exit_code == 0  # a warning
    assert invoke("check", "rct.md", "--fail-on", "warning", "-j", "1").exit_code == 1


def test_suppression_without_reason_is_reported(project):
    write(project / "blog.md",
          SUPPRESSED_BLOG.replace(" -- quoting the manufacturer's advert verbatim", ""))
    found = findings(invoke("check", "blog.md", "-j", "1").stdout)
    assert [(f["line"], f["code"]) for f in found] == [("3", "CS001"), ("6", "CS103")]


def test_invalid_suppression_is_reported(project):
    write(project / "blog.md",
          SUPPRESSED_BLOG.replace("ignore CS103 CS101 CS102", "ignore CS103 CS777"))
    got = codes(invoke("check", "blog.md", "-j", "1").stdout)
    assert "CS003" in got and got.count("CS103") == 2  # nothing was suppressed


def test_ignore_file(project):
    write(project / "blog.md",
          "<!-- claimscan: ignore-file CS1 -- satire column -->\n" + WELLNESS_BLOG)
    result = invoke("check", "blog.md", "-j", "1")
    assert codes(result.stdout) == [] and result.exit_code == 0


def test_suppression_codes_can_be_ignored(project):
    write(project / "blog.md",
          SUPPRESSED_BLOG.replace(" -- quoting the manufacturer's advert verbatim", ""))
    assert "CS001" not in codes(invoke("check", "blog.md", "--ignore", "CS001", "-j", "1").stdout)


# -- baseline -----------------------------------------------------------------------------------


def test_baseline_round_trip(project):
    article = write(project / "articles" / "blog.md", WELLNESS_BLOG)
    write(project / "articles" / "rct.txt", HEDGED_RCT)
    wrote = invoke("check", "articles", "--baseline", "baseline.json", "--write-baseline",
                   "-j", "1")
    assert wrote.exit_code == 0 and "wrote 3 findings to baseline.json" in wrote.stderr
    data = json.loads((project / "baseline.json").read_text())
    assert len(data["findings"]) == 3
    assert {e["path"] for e in data["findings"]} == {"articles/blog.md"}
    assert all(e["text"] and e["code"].startswith("CS") and e["fingerprint"]
               for e in data["findings"])
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]

    clean = invoke("check", "articles", "--baseline", "baseline.json", "-j", "1")
    assert clean.exit_code == 0
    assert codes(clean.stdout) == []
    assert clean.stdout.splitlines()[-1] == "0 findings in 2 articles; 3 baselined"

    # lines move (a new paragraph on top): still nothing new
    article.write_text(WELLNESS_BLOG.replace("\n\n", "\n\nA fine, hedged intro paragraph.\n\n", 1))
    moved = invoke("check", "articles", "--baseline", "baseline.json", "-j", "1")
    assert codes(moved.stdout) == [] and moved.exit_code == 0

    # one new bad sentence: exactly one new finding, and the gate fails
    with article.open("a") as handle:
        handle.write("\nThis tea is guaranteed to cure anxiety.\n")
    new = invoke("check", "articles", "--baseline", "baseline.json", "-j", "1")
    assert new.exit_code == 1
    assert [f["code"] for f in findings(new.stdout)] == ["CS103"]
    assert new.stdout.splitlines()[-1] == "1 finding (1 error) in 2 articles; 3 baselined"


def test_baseline_from_configuration(project):
    write(project / "claimscan.toml", 'baseline = "ci/claimscan-baseline.json"\n')
    write(project / "blog.md", WELLNESS_BLOG)
    assert invoke("check", "blog.md", "--write-baseline", "-j", "1").exit_code == 0
    assert (project / "ci" / "claimscan-baseline.json").is_file()
    assert invoke("check", "blog.md", "-j", "1").exit_code == 0


def test_repeated_sentence_needs_one_entry_each(project):
    write(project / "blog.md", "# T\n\nThis tea is guaranteed to cure anxiety.\n")
    assert invoke("check", "blog.md", "--baseline", "b.json", "--write-baseline",
                  "-j", "1").exit_code == 0
    write(project / "blog.md", "# T\n\nThis tea is guaranteed to cure anxiety.\n\n"
                               "This tea is guaranteed to cure anxiety.\n")
    result = invoke("check", "blog.md", "--baseline", "b.json", "-j", "1")
    assert [f["line"] for f in findings(result.stdout)] == ["5"]


@pytest.mark.parametrize("content", ["not json", '{"findings": "x"}', "[]"])
def test_bad_baseline_is_a_usage_error(project, content):
    write(project / "blog.md", WELLNESS_BLOG)
    write(project / "b.json", content)
    result = invoke("check", "blog.md", "--baseline", "b.json")
    assert result.exit_code == 2 and result.stderr.startswith("claimscan: error: b.json")
