"""The `claimscan check` and `claimscan config` commands (registered in pipeline/cli.py).

Heavy imports (pandas, spaCy, pipeline.api) happen inside the functions: `claimscan --help`
must stay fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
COLOR_MODES = ("auto", "always", "never")


class _Usage(Exception):
    """A usage or configuration error: printed as `claimscan: error: ...`, exit code 2."""


def _usage(message: str) -> typer.Exit:
    typer.echo(f"claimscan: error: {message}", err=True)
    return typer.Exit(EXIT_USAGE)


def use_color(mode: str, stream=None, environ=None) -> bool:
    """`always`/`never` as told; `auto`: a terminal, unless NO_COLOR is set (no-color.org) or TERM=dumb."""
    environ = os.environ if environ is None else environ
    if mode == "always":
        return True
    if mode == "never" or environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    stream = sys.stdout if stream is None else stream
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _jobs(jobs: int | None) -> int:
    if jobs:
        return max(1, jobs)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _choice(value: str | None, choices: tuple[str, ...], option: str) -> str | None:
    if value is not None and value not in choices:
        raise _usage(f"{option}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Article files or folders (searched recursively for .txt, .md, .html). Default: the current folder.",
        show_default=False)] = None,
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="Output: text, json, github (workflow annotations), sarif (SARIF 2.1.0), junit.",
        show_default=False)] = None,
    fail_on: Annotated[Optional[str], typer.Option(
        "--fail-on", help="Exit 1 when a finding is at or above: error (default), warning, info, or never.",
        show_default=False)] = None,
    select: Annotated[Optional[list[str]], typer.Option(
        "--select", help="Report only these codes (CS101, prefix CS1, ALL, or names); replaces the configured list. "
        "Repeat or separate with commas.", show_default=False)] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", help="Do not report these codes (added to the configured ignore list).", show_default=False)] = None,
    baseline: Annotated[Optional[Path], typer.Option(
        "--baseline", help="Findings recorded in this baseline file are not reported.", show_default=False)] = None,
    write_baseline: Annotated[bool, typer.Option(
        "--write-baseline", help="Record every current finding in the --baseline file and exit 0.")] = False,
    config_file: Annotated[Optional[Path], typer.Option(
        "--config-file", help="Use this claimscan.toml or pyproject.toml instead of discovering one.",
        show_default=False)] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore configuration files: defaults only.")] = False,
    output_file: Annotated[Optional[Path], typer.Option(
        "--output-file", "-o", help="Write the report to this file instead of standard output.",
        show_default=False)] = None,
    color: Annotated[str, typer.Option(
        "--color", help="Colour: auto (a terminal without NO_COLOR), always, never.")] = "auto",
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line: findings and errors only.")] = False,
    jobs: Annotated[Optional[int], typer.Option(
        "--jobs", "-j", help="Worker processes (default: all cores).", show_default=False)] = None,
    max_bytes: Annotated[Optional[int], typer.Option(
        "--max-bytes", help="Treat larger files as input errors (default 10000000).", show_default=False)] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """Lint articles like code: one finding per flagged claim, `path:line:col: CODE message`.

    Exit codes: 0 = no finding at or above --fail-on. 1 = findings at or above --fail-on.
    2 = usage, configuration or input error (an article that cannot be read counts unless --fail-on never).

    Codes, configuration (pyproject.toml or claimscan.toml), suppressions and baselines: docs/check.md.
    """
    from pipeline.gate import settings as gate_settings
    from pipeline.gate import suppress

    paths = list(paths) if paths else [Path(".")]
    _choice(fmt, gate_settings.FORMATS, "--format")
    _choice(fail_on, gate_settings.FAIL_ON, "--fail-on")
    _choice(color, COLOR_MODES, "--color")
    if max_bytes is not None and max_bytes <= 0:
        raise _usage("--max-bytes: expected a positive number")
    for path in paths:
        if not os.path.lexists(path):
            typer.echo(f"{path}: error: no such file or directory", err=True)
            raise typer.Exit(EXIT_USAGE)
    try:
        config = gate_settings.load(paths, config_file, isolated)
        config = gate_settings.merge_cli(config, select=select, ignore=ignore, fail_on=fail_on, fmt=fmt,
                                         baseline=baseline)
    except gate_settings.ConfigError as exc:
        raise _usage(str(exc)) from None
    if max_bytes is not None:
        config.max_bytes = max_bytes
    if write_baseline and config.baseline is None:
        raise _usage("--write-baseline needs --baseline FILE (or `baseline` in the configuration)")
    known = None
    if config.baseline is not None and not write_baseline:
        try:
            known = suppress.read_baseline(config.baseline)
        except suppress.BaselineError as exc:
            raise _usage(str(exc)) from None

    try:
        report = collect(paths, config, _jobs(jobs), debug)
    except _Usage as exc:
        raise _usage(str(exc)) from None

    for problem in report.problems:
        typer.echo(str(problem), err=True)
    if write_baseline:
        count = suppress.write_baseline(config.baseline, report.every)
        typer.echo(f"claimscan: wrote {count} finding{'s' if count != 1 else ''} to {config.baseline}", err=True)
        raise typer.Exit(EXIT_USAGE if report.problems and config.fail_on != "never" else EXIT_CLEAN)
    if known is not None:
        apply_baseline(report, known)

    _emit(report, config, output_file, color, quiet)
    if report.problems and config.fail_on != "never":
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_FINDINGS if report.failing() else EXIT_CLEAN)


def collect(paths: list[Path], config, jobs: int = 1, debug: bool = False):
    """Scan `paths` and turn the claim rows into a Report (before the baseline)."""
    import traceback

    from pipeline.api import Settings, iter_results, pipeline_for
    from pipeline.gate.findings import InputProblem, Report, article_findings
    from pipeline.ingest import discover

    settings = Settings(config=config.pipeline, overrides=tuple(sorted(config.overrides().items())),
                        max_bytes=config.max_bytes)
    try:
        pipeline_for(settings)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        raise _Usage(f"cannot build the pipeline from {config.pipeline}: {exc}") from None

    files, errors = discover(paths)
    if not files and not errors:
        raise _Usage("no .txt, .md or .html files found in " + ", ".join(map(str, paths)))
    displays = [_display(path, name, paths) for path, name in files]
    report = Report(fail_on=config.fail_on)
    for i, result in enumerate(iter_results(paths, settings, jobs)):
        j = i - len(errors)
        matched = 0 <= j < len(files) and files[j][1] == result.article
        display = displays[j] if matched else result.article
        if result.error:
            e = result.error
            report.problems.append(InputProblem(display, e.stage, e.error, e.detail))
            continue
        report.articles.append(display)
        findings, suppressed = article_findings(result.analysis, path=display, config=config)
        report.every += findings
        report.suppressed += suppressed
    report.every.sort(key=lambda f: f.sort_key())
    report.findings = list(report.every)
    return report


def _display(path: str, name: str, given: list[Path]) -> str:
    """How a discovered file is printed: the given folder joined with its name, or the given file."""
    target = os.path.normpath(str(path))
    for p in given:
        absolute = os.path.abspath(p)
        if os.path.isdir(p):
            if os.path.normpath(os.path.join(absolute, name)) == target:
                return os.path.normpath(os.path.join(str(p), name))
        elif absolute == target:
            return os.path.normpath(str(p))
    return name


def apply_baseline(report, known) -> None:
    """Drop findings whose fingerprint the baseline holds (each entry absorbs one finding)."""
    remaining = known.copy()
    kept = []
    for f in report.findings:
        if remaining[f.fingerprint] > 0:
            remaining[f.fingerprint] -= 1
            report.baselined += 1
        else:
            kept.append(f)
    report.findings = kept


def _emit(report, config, output_file: Path | None, color: str, quiet: bool) -> None:
    from pipeline.gate.formats import render, rich_text

    if output_file is not None:
        from pipeline.output import write_text

        try:
            write_text(output_file, render(report, config.format, config))
        except OSError as exc:
            raise _usage(f"cannot write {output_file}: {exc.strerror or exc}") from None
        if not quiet:
            typer.echo(report.summary(), err=True)
        return
    if config.format == "text" and use_color(color):
        from rich.console import Console

        console = Console(file=sys.stdout, force_terminal=True, no_color=False, highlight=False,
                          soft_wrap=False)
        rich_text(report, console, summary=not quiet)
        return
    sys.stdout.write(render(report, config.format, config, summary=not quiet))
    sys.stdout.flush()
    if config.format != "text" and not quiet:
        typer.echo(report.summary(), err=True)


# -- claimscan config ---------------------------------------------------------------------------


def show_config(
    path: Annotated[Optional[Path], typer.Argument(
        help="Where to discover the configuration from (default: the current folder).", show_default=False)] = None,
    config_file: Annotated[Optional[Path], typer.Option(
        "--config-file", help="Use this claimscan.toml or pyproject.toml instead of discovering one.",
        show_default=False)] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore configuration files: defaults only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of TOML.")] = False,
) -> None:
    """Print the effective `claimscan check` configuration (as TOML you can paste into pyproject.toml)."""
    import json

    from pipeline.gate import settings as gate_settings
    from pipeline.gate.rules import rules

    target = path or Path(".")
    if not os.path.lexists(target):
        typer.echo(f"{target}: error: no such file or directory", err=True)
        raise typer.Exit(EXIT_USAGE)
    try:
        config = gate_settings.load([target], config_file, isolated)
    except gate_settings.ConfigError as exc:
        raise _usage(str(exc)) from None
    data = config.to_dict(gate_settings.pipeline_defaults(config.pipeline))
    if as_json:
        typer.echo(json.dumps({"source": str(config.source) if config.source else None,
                               "root": str(config.root), **data}, indent=1))
        return
    enabled = data.pop("enabled")
    lines = [
        "# Effective claimscan configuration",
        f"# source: {config.source}" if config.source else "# source: defaults (no claimscan.toml or [tool.claimscan] found)",
        f"# project root: {config.root}",
        f"# enabled codes: {', '.join(enabled)}",
        "[tool.claimscan]",
    ]
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    for key, value in data.items():
        if key not in tables:
            lines.append(f"{key} = {_toml(value)}")
    table = rules()
    for name, values in tables.items():
        lines += ["", f"[tool.claimscan.{name}]"]
        for key, value in values.items():
            comment = f"  # {table[key].name}" if name == "severity" else ""
            lines.append(f"{_toml_key(key)} = {_toml(value)}{comment}")
    typer.echo("\n".join(lines))


def _toml_key(key: str) -> str:
    import json
    import re

    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml(value) -> str:
    """TOML for the value types of the configuration (JSON strings are valid TOML basic strings)."""
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
