"""The `claimscan check` command (registered in pipeline/cli.py).

Heavy imports (pandas, spaCy, pipeline.api) happen inside the functions: `claimscan --help`
must stay fast.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from pipeline.commandline import (EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, CommonOptions, ConfigOption,
                                  DebugOption, DeprecatedConfigFileOption, IsolatedOption,
                                  JobsOption, MaxBytesOption, PipelineConfigOption,
                                  TimeLimitOption, UsageError, build_pipeline, chosen_config_file,
                                  load_configuration, usage_error, usage_errors)

EXIT_CLEAN = EXIT_OK  # no finding at or above --fail-on
COLOR_MODES = ("auto", "always", "never")

__all__ = ["check", "collect", "use_color", "EXIT_CLEAN", "EXIT_FINDINGS", "EXIT_USAGE"]


def use_color(mode: str, stream=None, environ=None) -> bool:
    """`always`/`never` as told; `auto`: a terminal, unless NO_COLOR is set (no-color.org) or
    TERM=dumb."""
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


def _split_codes(values: list[str] | None) -> list[str] | None:
    """`--select CS101,CS104 --select CS2` -> ['CS101', 'CS104', 'CS2']."""
    if not values:
        return None
    return [token for value in values for token in re.split(r"[,\s]+", value) if token]


def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Article files or folders (searched recursively for .txt, .md, .html). Default: the "
        "current folder, without what `exclude` leaves out (out/, .venv/, node_modules/, ...).",
        metavar="PATH", show_default=False)] = None,
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="Output: text, json, github (workflow annotations), sarif (SARIF "
        "2.1.0), junit (default: output-format in the configuration, else text).",
        show_default=False)] = None,
    fail_on: Annotated[Optional[str], typer.Option(
        "--fail-on", help="Exit 1 when a finding is at or above: error (default), warning, info, "
        "or never.", show_default=False)] = None,
    select: Annotated[Optional[list[str]], typer.Option(
        "--select", help="Report only these codes (CS101, prefix CS1, ALL, or names); replaces "
        "the configured list. Repeat or separate with commas.", show_default=False)] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(
        "--ignore", help="Do not report these codes (added to the configured ignore list).",
        show_default=False)] = None,
    baseline: Annotated[Optional[Path], typer.Option(
        "--baseline", help="Findings recorded in this baseline file are not reported.",
        show_default=False)] = None,
    write_baseline: Annotated[bool, typer.Option(
        "--write-baseline",
        help="Record every current finding in the --baseline file and exit 0.")] = False,
    output_file: Annotated[Optional[Path], typer.Option(
        "--output-file", "-o", help="Write the report to this file instead of standard output.",
        show_default=False)] = None,
    color: Annotated[str, typer.Option(
        "--color", help="Colour: auto (a terminal without NO_COLOR), always, never.")] = "auto",
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No summary line: findings and errors only.")] = False,
    config: ConfigOption = None,
    config_file: DeprecatedConfigFileOption = None,
    pipeline_config: PipelineConfigOption = None,
    isolated: IsolatedOption = False,
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = None,
    time_limit: TimeLimitOption = None,
    debug: DebugOption = False,
) -> None:
    """Lint articles like code: one finding per flagged claim, `path:line:col: CODE message`.

    Exit codes: 0 = no finding at or above --fail-on. 1 = findings at or above --fail-on.
    2 = usage, configuration or input error (an article that cannot be read counts unless
    --fail-on never).

    Codes, configuration (pyproject.toml or claimscan.toml), suppressions and baselines:
    docs/check.md.
    """
    from pipeline.gate import suppress

    paths = list(paths) if paths else [Path(".")]
    with usage_errors():
        if color not in COLOR_MODES:
            raise UsageError(f"--color: expected one of {', '.join(COLOR_MODES)}, got {color!r}")
        common = CommonOptions(chosen_config_file(config, config_file), pipeline_config, isolated,
                               jobs, max_bytes, time_limit)
        project = load_configuration(paths, common, output_format=(fmt, "--format"),
                                     fail_on=(fail_on, "--fail-on"),
                                     baseline=(baseline, "--baseline"),
                                     select=(_split_codes(select), "--select"))
        if ignore:  # --ignore adds to the configured list; --select above replaces it
            ignored = project.ignore + _split_codes(ignore)
            project.set_from_command_line("ignore", ignored, "--ignore")
            project.validate()
        if write_baseline and project.baseline is None:
            raise UsageError("--write-baseline needs --baseline FILE "
                             "(or `baseline` in the configuration)")
        known = None
        if project.baseline is not None and not write_baseline:
            try:
                known = suppress.read_baseline(project.baseline)
            except suppress.BaselineError as exc:
                raise UsageError(str(exc)) from None
        report = collect(paths, project, project.effective_jobs(), debug)

    for problem in report.problems:
        typer.echo(str(problem), err=True)
    if write_baseline:
        count = suppress.write_baseline(project.baseline, report.every)
        findings = "finding" if count == 1 else "findings"
        typer.echo(f"claimscan: wrote {count} {findings} to {project.baseline}", err=True)
        failed = report.problems and project.fail_on != "never"
        raise typer.Exit(EXIT_USAGE if failed else EXIT_CLEAN)
    if known is not None:
        apply_baseline(report, known)

    _emit(report, project, output_file, color, quiet)
    if report.problems and project.fail_on != "never":
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_FINDINGS if report.failing() else EXIT_CLEAN)


def collect(paths: list[Path], config, jobs: int = 1, debug: bool = False):
    """Scan `paths` and turn the claim rows into a Report (before the baseline). Raises
    UsageError when the pipeline cannot be built or no article is found."""
    from pipeline.api import discover_articles, iter_discovered
    from pipeline.gate.findings import InputProblem, Report, article_findings

    settings = config.settings()
    build_pipeline(settings, debug)
    found = discover_articles(paths, config.exclusion())
    files, errors = found.files, found.errors
    if not files and not errors:
        raise UsageError("no .txt, .md or .html files found in " + ", ".join(map(str, paths)))
    displays = [_display(path, name, paths) for path, name in files]
    report = Report(fail_on=config.fail_on)
    for i, result in enumerate(iter_discovered(found, settings, jobs)):
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
    """How a discovered file is printed: the given folder joined with its name, or the given
    file."""
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
            write_text(output_file, render(report, config.output_format, config))
        except OSError as exc:
            raise usage_error(f"cannot write {output_file}: {exc.strerror or exc}") from None
        if not quiet:
            typer.echo(report.summary(), err=True)
        return
    if config.output_format == "text" and use_color(color):
        from rich.console import Console

        console = Console(file=sys.stdout, force_terminal=True, no_color=False, highlight=False,
                          soft_wrap=False)
        rich_text(report, console, summary=not quiet)
        return
    sys.stdout.write(render(report, config.output_format, config, summary=not quiet))
    sys.stdout.flush()
    if config.output_format != "text" and not quiet:
        typer.echo(report.summary(), err=True)
