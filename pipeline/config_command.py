"""`claimscan config [PATH]`: the settings every command would use for PATH, and where each value
came from (a default, the configuration file, or the command line). Registered in pipeline/cli.py.

The TOML it prints can be pasted into pyproject.toml: the origins are comments.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from pipeline.commandline import (CommonOptions, ConfigOption, DeprecatedConfigFileOption,
                                  IsolatedOption, JobsOption, MaxBytesOption,
                                  PipelineConfigOption, TimeLimitOption, chosen_config_file,
                                  load_configuration, usage_errors)
from pipeline.config import DEFAULT, THRESHOLD_KEYS, ProjectConfig, pipeline_defaults

ORIGIN_COLUMN = 36  # origins line up here (longer lines push theirs further right)


def show_config(
    path: Annotated[Optional[Path], typer.Argument(
        help="Where the configuration is discovered from (default: the current folder).",
        show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of TOML.")] = False,
    config: ConfigOption = None,
    config_file: DeprecatedConfigFileOption = None,
    pipeline_config: PipelineConfigOption = None,
    isolated: IsolatedOption = False,
    jobs: JobsOption = None,
    max_bytes: MaxBytesOption = None,
    time_limit: TimeLimitOption = None,
) -> None:
    """Print the settings run, check, report and evaluate use for PATH, and where each came from."""
    target = path or Path(".")
    with usage_errors():
        common = CommonOptions(chosen_config_file(config, config_file), pipeline_config, isolated,
                               jobs, max_bytes, time_limit)
        project = load_configuration([target], common)
    data = project.to_dict(pipeline_defaults(project.pipeline_config))
    origins = origins_of(project, data)
    if as_json:
        typer.echo(json.dumps({"source": str(project.source) if project.source else None,
                               "root": str(project.root), **data, "origins": origins}, indent=1))
        return
    typer.echo(as_toml(project, data, origins))


def origins_of(project: ProjectConfig, data: dict[str, Any]) -> dict[str, str]:
    """Where each printed value came from, by dotted key (`jobs`, `severity.CS101`, ...)."""
    defaults = {
        "jobs": f"{DEFAULT}: all cores",
        **{f"thresholds.{key}": f"{DEFAULT}: pipeline config {project.pipeline_config}"
           for key in THRESHOLD_KEYS},
    }
    out: dict[str, str] = {}
    for key, value in data.items():
        if key == "enabled":
            continue
        nested = isinstance(value, dict) and key != "per-file-ignores"  # per-file: one origin
        for dotted in [f"{key}.{sub}" for sub in value] if nested else [key]:
            out[dotted] = project.origins.get(dotted) or defaults.get(dotted, DEFAULT)
    return out


def as_toml(project: ProjectConfig, data: dict[str, Any], origins: dict[str, str]) -> str:
    """The `[tool.claimscan]` tables with each value's origin as a comment."""
    from pipeline.gate.rules import rules

    data = dict(data)
    enabled = data.pop("enabled")
    source = (f"{project.source}" if project.source
              else "defaults (no claimscan.toml or [tool.claimscan] found)")
    lines = [
        "# Effective claimscan configuration (run, check, report and evaluate)",
        f"# source: {source}",
        f"# project root: {project.root}",
        f"# enabled codes (check): {', '.join(enabled)}",
        "# The comment after each value says where it came from.",
        "[tool.claimscan]",
    ]
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    for key, value in data.items():
        if key not in tables:
            lines.append(_with_origin(f"{key} = {_toml(value)}", origins[key]))
    names = rules()
    for name, values in tables.items():
        lines += ["", f"[tool.claimscan.{name}]"]
        for key, value in values.items():
            line = f"{_toml_key(key)} = {_toml(value)}"
            if name == "per-file-ignores":
                lines.append(line)
                continue
            origin = origins[f"{name}.{key}"]
            if name == "severity":
                origin = f"{names[key].name}; {origin}"
            lines.append(_with_origin(line, origin))
        if name == "per-file-ignores":
            lines.append(f"# per-file-ignores: {origins['per-file-ignores']}")
    return "\n".join(lines)


def _with_origin(line: str, origin: str) -> str:
    return f"{line:<{ORIGIN_COLUMN}}  # {origin}"


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml(value: Any) -> str:
    """TOML for the value types of the configuration (JSON strings are valid TOML basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
