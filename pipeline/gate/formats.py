"""Output formats of `claimscan check`: one small function per format, each `Report -> str`.

text    `path:line:col: CODE message` per finding, then the summary line (stable, for scripts)
json    {"version", "findings": [...], "errors": [...], "summary": {...}}
github  workflow commands (`::error file=...,line=...,col=...,title=...::message`)
sarif   SARIF 2.1.0 with rule metadata and partial fingerprints (GitHub code scanning)
junit   JUnit XML, one test case per article

`rich_text` is the TTY variant of `text`: colour, and a per-code table above the summary.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from pipeline.gate.findings import FINGERPRINT_KEY, Report
from pipeline.gate.rules import level, rules
from pipeline.config import ProjectConfig

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}
FALLBACK_URI = "https://pypi.org/project/claimscan/"
JSON_VERSION = 1


def _version() -> str:
    from pipeline import __version__

    return __version__


def information_uri() -> str:
    """The project's home page from the installed package metadata, else its PyPI page."""
    try:
        from importlib.metadata import metadata

        for entry in metadata("claimscan").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if (label.strip().lower() in ("homepage", "documentation", "repository", "source")
                    and url.strip()):
                return url.strip()
    except Exception:  # not installed: running from a checkout
        pass
    return FALLBACK_URI


def repo_path(path: str) -> str:
    """A path relative to the current directory with forward slashes (absolute if outside it)."""
    absolute, cwd = os.path.abspath(path), os.getcwd()
    inside = absolute.startswith(cwd.rstrip(os.sep) + os.sep)
    return Path(os.path.relpath(absolute, cwd) if inside else absolute).as_posix()


# -- text ---------------------------------------------------------------------------------------


def text(report: Report, summary: bool = True) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in report.findings]
    if summary:
        lines.append(report.summary())
    return "\n".join(lines) + ("\n" if lines else "")


def rich_text(report: Report, console, summary: bool = True) -> None:
    """Colour for a terminal: path dim, code coloured by severity, a table of codes, the summary."""
    from rich.table import Table
    from rich.text import Text

    style = {"error": "bold red", "warning": "yellow", "info": "cyan"}
    for f in report.findings:
        line = Text()
        line.append(f.path, style="bold")
        line.append(f":{f.line}:{f.column}: ", style="dim")
        line.append(f.code, style=style[f.severity])
        line.append(" " + f.message)
        console.print(line, soft_wrap=True, highlight=False)
    if not summary:
        return
    if report.findings:
        counts = Counter(f.code for f in report.findings)
        table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
        for column in ("count", "code", "name", "severity", "fix"):
            table.add_column(column, justify="right" if column == "count" else "left",
                             overflow="fold" if column == "fix" else "ellipsis")
        severities = {f.code: f.severity for f in report.findings}
        for code in sorted(counts, key=lambda c: (-level(severities[c]), c)):
            rule = rules()[code]
            table.add_row(str(counts[code]), Text(code, style=style[severities[code]]), rule.name,
                          severities[code], rule.fix)
        console.print()
        console.print(table)
    failing = report.failing()
    verdict = Text(report.summary(), style="bold red" if failing else "bold green")
    if report.fail_on != "never":
        verdict.append(f"  (fail-on {report.fail_on}: {'failed' if failing else 'passed'})",
                       style="dim")
    console.print(verdict, highlight=False)


# -- json ---------------------------------------------------------------------------------------


def json_report(report: Report) -> str:
    counts = report.counts()
    data = {
        "version": JSON_VERSION,
        "tool": {"name": "claimscan", "version": _version()},
        "findings": [
            {"path": f.path, "line": f.line, "column": f.column, "code": f.code, "name": f.name,
             "severity": f.severity, "message": f.message, "also": list(f.also), "text": f.text,
             "claim_id": f.claim_id, "fingerprint": f.fingerprint}
            for f in report.findings
        ],
        "errors": [{"path": p.path, "stage": p.stage, "error": p.error, "detail": p.detail}
                   for p in report.problems],
        "summary": {
            "articles": len(report.articles), "findings": len(report.findings),
            "error": counts["error"], "warning": counts["warning"], "info": counts["info"],
            "suppressed": report.suppressed, "baselined": report.baselined,
            "input_errors": len(report.problems), "fail_on": report.fail_on,
            "failed": bool(report.failing() or (report.problems and report.fail_on != "never")),
        },
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


# -- github -------------------------------------------------------------------------------------


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(report: Report) -> str:
    """GitHub Actions workflow commands: annotations on the changed files of a pull request."""
    lines = []
    for f in report.findings:
        props = (f"file={_escape_property(repo_path(f.path))},line={f.line},col={f.column},"
                 f"title={_escape_property(f'{f.code} {f.name}')}")
        lines.append(f"::{GITHUB_LEVEL[f.severity]} {props}::{_escape_data(f.message)}")
    for p in report.problems:
        props = (f"file={_escape_property(repo_path(p.path))},"
                 f"title={_escape_property('claimscan input error')}")
        lines.append(f"::error {props}::"
                     f"{_escape_data(p.error + (f' ({p.detail})' if p.detail else ''))}")
    return "\n".join(lines) + ("\n" if lines else "")


# -- sarif --------------------------------------------------------------------------------------


def _artifact(path: str) -> dict:
    rel = repo_path(path)
    if os.path.isabs(rel):
        return {"uri": Path(rel).as_uri()}
    return {"uri": quote(rel, safe="/"), "uriBaseId": "%SRCROOT%"}


def sarif(report: Report, config: ProjectConfig) -> str:
    table = rules()
    index = {code: i for i, code in enumerate(table)}
    sarif_rules = []
    for code, rule in table.items():
        sarif_rules.append({
            "id": code,
            "name": rule.name,
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": rule.why},
            "help": {"text": f"{rule.why}\nFix: {rule.fix}",
                     "markdown": f"**{code} {rule.name}** ({rule.kind})\n\n{rule.why}\n\n"
                                 f"**Fix:** {rule.fix}"},
            "defaultConfiguration": {"level": SARIF_LEVEL[config.severity_of(code)],
                                     "enabled": code in config.enabled},
            "properties": {"tags": [rule.kind] + ([rule.flag] if rule.flag else [])},
        })
    results = []
    for f in report.findings:
        results.append({
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": _artifact(f.path),
                "region": {"startLine": f.line, "startColumn": f.column,
                           "snippet": {"text": f.text}},
            }}],
            "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        })
    notifications = [{
        "level": "error",
        "message": {"text": p.error + (f" ({p.detail})" if p.detail else "")},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(p.path)}}],
    } for p in report.problems]
    run = {
        "tool": {"driver": {
            "name": "claimscan",
            "version": _version(),
            "semanticVersion": _version(),
            "informationUri": information_uri(),
            "rules": sarif_rules,
        }},
        "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(os.getcwd()).as_uri() + "/"}},
        "invocations": [{"executionSuccessful": not report.problems,
                         "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=1, ensure_ascii=False) + "\n"


# -- junit --------------------------------------------------------------------------------------


def junit(report: Report) -> str:
    """One <testcase> per article: <failure> lists findings at or above --fail-on, <system-out>
    the rest; an article that could not be read is an <error>."""
    import xml.etree.ElementTree as ET

    by_path: dict[str, list] = {path: [] for path in report.articles}
    for f in report.findings:
        by_path.setdefault(f.path, []).append(f)
    problems = {p.path: p for p in report.problems}
    failing_ids = {id(f) for f in report.failing()}
    cases = []
    failures = 0
    for path in sorted(set(by_path) | set(problems)):
        case = ET.Element("testcase", {"classname": "claimscan", "name": path, "file": path,
                                       "time": "0"})
        if path in problems:
            p = problems[path]
            ET.SubElement(case, "error", {"type": p.stage, "message": p.error}).text = str(p)
        findings = by_path.get(path, [])
        bad = [f for f in findings if id(f) in failing_ids]
        rest = [f for f in findings if id(f) not in failing_ids]
        if bad:
            failures += 1
            message = (f"{len(bad)} finding{'s' if len(bad) != 1 else ''} at or above "
                       f"{report.fail_on}")
            ET.SubElement(case, "failure",
                          {"type": bad[0].code, "message": message}).text = "\n".join(
                f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in bad)
        if rest:
            ET.SubElement(case, "system-out").text = "\n".join(
                f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in rest)
        cases.append(case)
    attrs = {"tests": str(len(cases)), "failures": str(failures), "errors": str(len(problems)),
             "skipped": "0", "time": "0"}
    suites = ET.Element("testsuites", {"name": "claimscan", **attrs})
    suite = ET.SubElement(suites, "testsuite", {"name": "claimscan check", **attrs})
    suite.extend(cases)
    ET.indent(suites)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")
            + "\n")


def render(report: Report, fmt: str, config: ProjectConfig, summary: bool = True) -> str:
    if fmt == "text":
        return text(report, summary)
    if fmt == "json":
        return json_report(report)
    if fmt == "github":
        return github(report)
    if fmt == "sarif":
        return sarif(report, config)
    if fmt == "junit":
        return junit(report)
    raise ValueError(f"unknown format {fmt!r}")
