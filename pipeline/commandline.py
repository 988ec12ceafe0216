"""What every `claimscan` command shares: exit codes, the common options, the one way a usage
error is reported, and the first steps of a command (the inputs exist, the configuration is
loaded and merged with the command line, the pipeline builds).

A usage or configuration problem always takes the same path: `claimscan: error: MESSAGE` on
stderr (one line per problem), nothing on stdout, nothing written, exit code 2. Mistakes typer
finds while parsing (an unknown option, a value of the wrong type) go through `ClaimscanGroup`
to the same path, without typer's box or pydantic's "Value error," prefix.

Light on purpose (typer and the configuration only): `claimscan --help` imports it.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

try:  # typer 0.2x carries its own copy of click; earlier versions use click itself
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover - depends on the installed typer
    from click import exceptions as click_exceptions

from pipeline.config import ConfigError, ProjectConfig
from pipeline.config import load as load_project_config

EXIT_OK = 0
EXIT_FINDINGS = 1  # check: a finding at or above --fail-on
EXIT_INTERNAL_ERROR = 1
EXIT_USAGE = 2
EXIT_SKIPPED = 3  # run, report: outputs written, but some inputs could not be processed
EXIT_INTERRUPTED = 130

ERROR_PREFIX = "claimscan: error: "


class UsageError(Exception):
    """A usage or configuration problem found by a command (exit code 2)."""


def usage_error(message: str) -> typer.Exit:
    """Print `message` as a usage error (each line prefixed); returns the exit to raise."""
    for line in message.splitlines() or [""]:
        typer.echo(ERROR_PREFIX + line, err=True)
    return typer.Exit(EXIT_USAGE)


def fail(message: str, code: int) -> typer.Exit:
    """Print a message that is not a usage error (interrupted, internal error); returns the
    exit to raise."""
    typer.echo(f"claimscan: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def usage_errors() -> Iterator[None]:
    """Report a UsageError or ConfigError raised inside as a usage error."""
    try:
        yield
    except (UsageError, ConfigError) as exc:
        raise usage_error(str(exc)) from None


# -- options every command takes ----------------------------------------------------------------

InputPaths = Annotated[list[Path], typer.Argument(
    help="Article files or folders (folders are searched recursively for .txt, .md, .html).",
    metavar="PATH", show_default=False)]
ConfigOption = Annotated[Optional[Path], typer.Option(
    "--config", help="The claimscan.toml or pyproject.toml to use, instead of the one found from "
    "the inputs upward.", show_default=False)]
PipelineConfigOption = Annotated[Optional[str], typer.Option(
    "--pipeline-config", help="Advanced: the spaCy .cfg that assembles the pipeline "
    "(default: default.cfg).", show_default=False)]
IsolatedOption = Annotated[bool, typer.Option(
    "--isolated", help="Ignore configuration files: defaults and the command line only.")]
JobsOption = Annotated[Optional[int], typer.Option(
    "--jobs", "-j", help="Worker processes (default: all cores).", show_default=False)]
MaxBytesOption = Annotated[Optional[int], typer.Option(
    "--max-bytes", help="Skip larger files (default: 10000000).", show_default=False)]
TimeLimitOption = Annotated[Optional[float], typer.Option(
    "--time-limit", help="Seconds one article may take before it is skipped (default: 60; "
    "0: no limit; not enforced on Dask workers).", show_default=False)]
# `check` and `config` took the TOML as --config-file before every command took it as --config.
DeprecatedConfigFileOption = Annotated[Optional[Path], typer.Option(
    "--config-file", hidden=True, help="Deprecated spelling of --config.", show_default=False)]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")]
DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]


@dataclass(frozen=True)
class CommonOptions:
    """The values of the options every command takes (None: not given)."""

    config: Path | None = None
    pipeline_config: str | None = None
    isolated: bool = False
    jobs: int | None = None
    max_bytes: int | None = None
    time_limit: float | None = None


def chosen_config_file(config: Path | None, config_file: Path | None) -> Path | None:
    """--config, or the deprecated --config-file (with a warning)."""
    if config_file is None:
        return config
    typer.echo("claimscan: warning: --config-file is deprecated; use --config", err=True)
    return config if config is not None else config_file


def require_inputs(paths: Sequence[Path]) -> None:
    """A path that does not exist is a usage error, before anything is read or written."""
    missing = [path for path in paths if not os.path.lexists(path)]
    if missing:
        raise UsageError("\n".join(f"{path}: no such file or directory" for path in missing))


def load_configuration(paths: Sequence[Path], options: CommonOptions,
                       **command_line: tuple[Any, str]) -> ProjectConfig:
    """The configuration of a command over `paths`: the inputs must exist; the file is found (or
    named by --config); the common options and `command_line` (attribute -> (value, option))
    are laid over it. Raises UsageError or ConfigError."""
    require_inputs(paths)
    config = load_project_config(list(paths), options.config, options.isolated)
    common = {
        "pipeline_config": (options.pipeline_config, "--pipeline-config"),
        "jobs": (options.jobs, "--jobs"),
        "max_bytes": (options.max_bytes, "--max-bytes"),
        "time_limit": (options.time_limit, "--time-limit"),
    }
    for attr, (value, option) in {**common, **command_line}.items():
        config.set_from_command_line(attr, value, option)
    return config.validate()


def build_pipeline(settings: Any, debug: bool = False) -> None:
    """Build the pipeline for `settings` (a `pipeline.api.Settings`) once, up front, so that a
    broken pipeline config is one usage error rather than a failure per article."""
    import traceback

    from pipeline.api import pipeline_for

    try:
        pipeline_for(settings)
    except Exception as exc:
        if debug:
            traceback.print_exc()
        raise UsageError(f"cannot build the pipeline from {settings.config}: "
                         f"{pipeline_problem(exc)}") from None


def pipeline_problem(exc: Exception) -> str:
    """One line for what is wrong with a pipeline config, never spaCy's dump of the whole config:
    `unknown key 'small_sampel' in [components.claimscan_generalization] (expected one of ...)`."""
    errors = getattr(exc, "errors", None)
    if isinstance(errors, list) and errors:
        return "; ".join(_config_error(error) for error in errors if isinstance(error, dict))
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    # confection's parse errors: a title, a line of advice, then what is wrong and where
    lines = [line for line in lines if not line.startswith("Make sure the sections")]
    if lines and lines[0] == "Config validation error" and len(lines) > 1:
        return " ".join(lines[1:])
    return lines[0] if lines else type(exc).__name__


def _config_error(error: dict[str, Any]) -> str:
    loc = [str(part) for part in error.get("loc", [])]
    message = str(error.get("msg", "invalid value"))
    if message.startswith("unexpected argument") and len(loc) >= 2:
        component, key = loc[0], loc[-1]
        allowed = _factory_arguments(component)
        expected = f" (expected one of {', '.join(allowed)})" if allowed else ""
        return f"unknown key {key!r} in [components.{component}]{expected}"
    where = f"[components.{loc[0]}] {'.'.join(loc[1:])}" if len(loc) > 1 else ".".join(loc)
    return f"{where}: {message}" if where else message


def _factory_arguments(factory: str) -> list[str]:
    """The settings a component factory takes (its default config), for the error message."""
    try:
        from spacy.language import Language

        return sorted(Language.get_factory_meta(factory).default_config)
    except Exception:  # not a registered factory: the message goes without the list
        return []


# -- typer's own errors -------------------------------------------------------------------------

# pydantic's prefix in typer's conversion errors: "Invalid value for '--format': Value error, ..."
_VALUE_ERROR_PREFIX = re.compile(r"\bValue error, ")


class ClaimscanGroup(TyperGroup):
    """The `claimscan` command group: errors typer finds in the command line take the usage-error
    path like every other usage error."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else EXIT_OK
        except click_exceptions.NoArgsIsHelpError as exc:  # `claimscan` alone prints the help
            exc.show()
            code = exc.exit_code
        except click_exceptions.UsageError as exc:
            usage_error(_VALUE_ERROR_PREFIX.sub("", exc.format_message()))
            if exc.ctx is not None:
                command = " ".join(["claimscan", *exc.ctx.command_path.split()[1:]])
                typer.echo(f"Try '{command} --help' for help.", err=True)
            code = EXIT_USAGE
        except click_exceptions.ClickException as exc:
            usage_error(_VALUE_ERROR_PREFIX.sub("", exc.format_message()))
            code = exc.exit_code
        except click_exceptions.Abort:
            typer.echo("claimscan: aborted", err=True)
            code = EXIT_INTERNAL_ERROR
        if not standalone_mode:
            return code
        sys.exit(code)
