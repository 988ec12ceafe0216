"""The project configuration: one `[tool.claimscan]` table read by `run`, `check`, `report`,
`evaluate` and `config` alike.

Discovery (as ruff does it) starts at the deepest folder that contains every input path and walks
up to the filesystem root. In each folder, `claimscan.toml` (or `.claimscan.toml`; keys at top
level) wins over `pyproject.toml`, which counts only if it has a `[tool.claimscan]` table. The
first hit is the configuration; its folder is the *project root*: relative paths in it
(lexicons, baseline, pipeline config) and the globs of `per-file-ignores` and `exclude` are
relative to that folder, and so are the paths finding fingerprints are computed from. With no
file found, the defaults apply and the root is the current directory. `--config FILE` names the
file instead of discovering one; `--isolated` ignores every file.

    [tool.claimscan]
    jobs = 4                         # every command: worker processes (default: all cores)
    max-bytes = 10000000             # every command: larger files are input errors
    time-limit = 60                  # every command: seconds per article (0: no limit)
    pipeline-config = "default.cfg"  # every command: the spaCy pipeline assembly (advanced)
    exclude = ["out", ".venv"]       # every command: left out of folder walks (replaces defaults)
    extend-exclude = ["drafts/"]     # every command: added to `exclude`
    table-format = "csv"             # run: csv | parquet | jsonl
    output-format = "text"           # check: text | json | github | sarif | junit
    select = ["ALL"]                 # check: codes, prefixes (CS1), flag or short names
                                     # (default: CS0, CS1, CS2; ALL adds the scorecard's CS3)
    ignore = ["CS206"]               # check
    fail-on = "error"                # check: error | warning | info | never
    baseline = "claimscan-baseline.json"   # check

    [tool.claimscan.per-file-ignores]      # check
    "archive/**" = ["CS102", "CS108"]

    [tool.claimscan.severity]        # every command (the `severity` column, findings, report)
    CS101 = "error"                  # or VAGUE_ATTRIBUTION / vague-attribution

    [tool.claimscan.thresholds]      # every command
    small-sample = 50                # participants; fewer is SMALL_SAMPLE
    short-duration-days = 90         # shorter is SHORT_DURATION

    [tool.claimscan.lexicons]        # every command
    cues = ["style/house-cues.json"]     # same shape as configs/cues.json: hedges/caveats/boosters
    journals = ["style/journals.txt"]    # one journal title per line

Keys may be written with `-` or `_`. Unknown keys, at any level, are all reported at once with
the allowed ones; a bad value or an unknown code is reported too. Either is a `ConfigError`
(exit code 2), never silently ignored.

Precedence: built-in defaults < the file < the command line. Every value remembers where it came
from (`ProjectConfig.origins`), which `claimscan config` prints. Thresholds, severities and
lexicons reach the spaCy pipeline as config overrides (`ProjectConfig.overrides()`), the same way
for every command.

This module must stay light (no spaCy, pandas or pipeline.api at import): `claimscan --help`
imports it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from pipeline.gate.rules import SEVERITIES, UnknownCode, resolve_all, rules
from pipeline.globs import Exclusion, glob_match
from pipeline.limits import DEFAULT_MAX_BYTES, DEFAULT_TIME_LIMIT
from pipeline.resources import resolve

CONFIG_NAMES = ("claimscan.toml", ".claimscan.toml")
FAIL_ON = ("error", "warning", "info", "never")
OUTPUT_FORMATS = ("text", "json", "github", "sarif", "junit")
TABLE_FORMATS = ("csv", "parquet", "jsonl")
DEFAULT_PIPELINE_CONFIG = "default.cfg"
# Folders that hold tools, dependencies or generated output, never articles. Hidden entries
# (.git, .venv) are skipped by every folder walk anyway; they are listed so the list reads whole.
DEFAULT_EXCLUDE = (".git", ".venv", "venv", "node_modules", "__pycache__", "site-packages",
                   "out", "build", "dist", "_site")

DEFAULT = "default"
COMMAND_LINE = "command line"

# Top-level keys -> the commands that use them (printed by `claimscan config`, listed in errors).
TOP_KEYS = {
    "jobs": "every command",
    "max-bytes": "every command",
    "time-limit": "every command",
    "pipeline-config": "every command",
    "exclude": "every command",
    "extend-exclude": "every command",
    "severity": "every command",
    "thresholds": "every command",
    "lexicons": "every command",
    "table-format": "run",
    "output-format": "check",
    "select": "check",
    "ignore": "check",
    "per-file-ignores": "check",
    "fail-on": "check",
    "baseline": "check",
}
THRESHOLD_KEYS = {"small-sample": "small_sample", "short-duration-days": "short_duration_days"}
LEXICON_KEYS = ("cues", "journals")
CUE_LEXICON_KEYS = ("hedges", "caveats", "boosters")
# Keys of earlier versions: named in the error, so an old file is easy to fix.
RENAMED = {
    "format": "output-format (check) or table-format (run)",
    "pipeline": "pipeline-config",
}

GENERALIZATION = "components.claimscan_generalization"
CUES = "components.claimscan_cues"
CITATIONS = "components.claimscan_citations"


class ConfigError(ValueError):
    """The configuration (file or command line) cannot be used: exit code 2. The message may
    hold several lines, one problem each."""


# What `check` reports unless `select` says otherwise: the gate's own codes and every sentence
# flag. The article scorecard's CS3xx (up to nine per article, about what the article leaves out)
# are review aids an editor opts into: `select = ["ALL"]`, or `--select ALL` for one run.
DEFAULT_SELECT = ("CS0", "CS1", "CS2")


@dataclass
class ProjectConfig:
    """The merged settings of one command: defaults, then the file, then the command line."""

    source: Path | None = None  # the file the settings came from (None: defaults only)
    root: Path = field(default_factory=Path.cwd)
    # every command
    jobs: int | None = None  # None: all cores
    max_bytes: int = DEFAULT_MAX_BYTES
    time_limit: float = DEFAULT_TIME_LIMIT
    pipeline_config: str = DEFAULT_PIPELINE_CONFIG
    exclude: list[str] = field(default_factory=lambda: list(DEFAULT_EXCLUDE))
    extend_exclude: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # code -> severity (overrides only)
    small_sample: int | None = None  # None: the pipeline config's value
    short_duration_days: int | None = None
    cue_lexicons: list[Path] = field(default_factory=list)
    journal_lists: list[Path] = field(default_factory=list)
    # run
    table_format: str = "csv"
    # check
    output_format: str = "text"
    select: list[str] = field(default_factory=lambda: list(DEFAULT_SELECT))
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    fail_on: str = "error"
    baseline: Path | None = None
    # dotted key as printed (`jobs`, `thresholds.small-sample`, `severity.CS101`) -> where its
    # value came from; a key not here has its default
    origins: dict[str, str] = field(default_factory=dict)

    # -- derived ---------------------------------------------------------------------------------

    @property
    def enabled(self) -> frozenset[str]:
        """Codes `check` reports anywhere: `select` minus `ignore`."""
        selected = frozenset(resolve_all(self.select, "select"))
        return selected - frozenset(resolve_all(self.ignore, "ignore"))

    def enabled_for(self, path: str | Path) -> frozenset[str]:
        """Codes reported for one file: `enabled` minus every matching `per-file-ignores` entry."""
        codes = self.enabled
        rel = self.relative(path)
        for pattern, tokens in self.per_file_ignores.items():
            if glob_match(pattern, rel):
                codes -= frozenset(resolve_all(tokens, f"per-file-ignores[{pattern!r}]"))
        return codes

    def relative(self, path: str | Path) -> str:
        """`path` relative to the project root, with forward slashes (as given if outside it)."""
        absolute = Path(os.path.abspath(path))
        try:
            return absolute.relative_to(Path(os.path.abspath(self.root))).as_posix()
        except ValueError:
            return Path(path).as_posix()

    def severity_of(self, code: str) -> str:
        return self.severity.get(code) or rules()[code].severity

    def origin(self, key: str) -> str:
        return self.origins.get(key, DEFAULT)

    def effective_jobs(self) -> int:
        """Worker processes: `jobs`, or every core this process may use."""
        if self.jobs:
            return self.jobs
        if hasattr(os, "sched_getaffinity"):
            return len(os.sched_getaffinity(0))
        return os.cpu_count() or 1

    def exclusion(self) -> Exclusion:
        """What folder walks leave out: `exclude` plus `extend-exclude`, relative to the root."""
        patterns = tuple(self.exclude) + tuple(self.extend_exclude)
        return Exclusion(os.path.abspath(self.root), patterns)

    def overrides(self) -> dict[str, Any]:
        """spaCy config overrides for `pipeline.api.Settings` (hashable values only)."""
        out: dict[str, Any] = {}
        if self.small_sample is not None:
            out[f"{GENERALIZATION}.small_sample"] = self.small_sample
        if self.short_duration_days is not None:
            out[f"{GENERALIZATION}.short_duration_days"] = self.short_duration_days
        table = rules()
        for code, severity in self.severity.items():
            if table[code].flag:  # one dotted key per flag: a dict value would not be hashable
                out[f"{GENERALIZATION}.severities.{table[code].flag}"] = severity
        if self.cue_lexicons:
            out[f"{CUES}.extra_lexicons"] = tuple(str(p) for p in self.cue_lexicons)
        if self.journal_lists:
            out[f"{CITATIONS}.extra_journals"] = tuple(str(p) for p in self.journal_lists)
        return out

    def settings(self):  # -> pipeline.api.Settings (imported here: it pulls in the pipeline)
        """What the pipeline needs of this configuration, for every command the same."""
        from pipeline.api import Settings

        overrides = tuple(sorted(self.overrides().items()))
        return Settings(config=self.pipeline_config, overrides=overrides, max_bytes=self.max_bytes,
                        time_limit=self.time_limit)

    # -- changing ---------------------------------------------------------------------------------

    def set_from_command_line(self, attr: str, value: Any, option: str) -> None:
        """Take `value` for `attr` unless it is None (the option was not given)."""
        if value is None:
            return
        setattr(self, attr, value)
        self.origins[_KEY_OF_ATTR.get(attr, attr)] = f"{COMMAND_LINE} ({option})"

    def validate(self) -> ProjectConfig:
        """Raise ConfigError for unknown codes anywhere and values out of range (the values may
        have come from the command line)."""
        try:
            _ = self.enabled
            for pattern, tokens in self.per_file_ignores.items():
                resolve_all(tokens, f"per-file-ignores[{pattern!r}]")
        except UnknownCode as exc:
            raise ConfigError(str(exc)) from None
        _choice(self.fail_on, FAIL_ON, self._where("fail-on"))
        _choice(self.output_format, OUTPUT_FORMATS, self._where("output-format"))
        _choice(self.table_format, TABLE_FORMATS, self._where("table-format"))
        if self.jobs is not None:
            _positive_int(self.jobs, self._where("jobs"))
        _positive_int(self.max_bytes, self._where("max-bytes"))
        _non_negative_number(self.time_limit, self._where("time-limit"))
        _pipeline_config(self.pipeline_config, self._where("pipeline-config"))
        return self

    def _where(self, key: str) -> str:
        """How an error names a setting: the option it came from, or the file and key."""
        origin = self.origins.get(key, "")
        if origin.startswith(COMMAND_LINE):
            return origin[len(COMMAND_LINE):].strip(" ()")
        return f"{origin}: {key}" if origin else key

    # -- printing --------------------------------------------------------------------------------

    def to_dict(self, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
        """The effective configuration as `[tool.claimscan]` data (every key, every code's
        severity). `defaults` are the pipeline config's thresholds (`pipeline_defaults`)."""
        defaults = defaults or {}
        thresholds = {}
        for key, attr in THRESHOLD_KEYS.items():
            value = getattr(self, attr)
            thresholds[key] = value if value is not None else defaults.get(attr)
        data: dict[str, Any] = {
            "jobs": self.effective_jobs(),
            "max-bytes": self.max_bytes,
            "time-limit": self.time_limit,
            "pipeline-config": self.pipeline_config,
            "exclude": list(self.exclude),
            "extend-exclude": list(self.extend_exclude),
            "table-format": self.table_format,
            "output-format": self.output_format,
            "select": list(self.select),
            "ignore": list(self.ignore),
            "fail-on": self.fail_on,
        }
        if self.baseline is not None:
            data["baseline"] = str(self.baseline)
        data["enabled"] = sorted(self.enabled)
        data["per-file-ignores"] = {k: list(v) for k, v in self.per_file_ignores.items()}
        data["severity"] = {code: self.severity_of(code) for code in rules()}
        data["thresholds"] = {k: v for k, v in thresholds.items() if v is not None}
        data["lexicons"] = {"cues": [str(p) for p in self.cue_lexicons],
                            "journals": [str(p) for p in self.journal_lists]}
        return data


# Printed key of each attribute that the command line can set (for `origins`).
_KEY_OF_ATTR = {
    "max_bytes": "max-bytes", "time_limit": "time-limit", "pipeline_config": "pipeline-config",
    "table_format": "table-format", "output_format": "output-format", "fail_on": "fail-on",
    "extend_exclude": "extend-exclude",
}


# -- discovery ----------------------------------------------------------------------------------


def start_folder(paths: list[str | Path]) -> Path:
    """The deepest existing folder containing every path (the current directory for none)."""
    absolute = [os.path.abspath(p) for p in paths] or [os.getcwd()]
    try:
        common = Path(os.path.commonpath(absolute))
    except ValueError:  # different drives (Windows)
        common = Path(absolute[0])
    while not common.is_dir() and common != common.parent:
        common = common.parent
    return common


def find_config(start: Path) -> Path | None:
    """The first claimscan.toml/.claimscan.toml, or pyproject.toml with [tool.claimscan], upward."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "claimscan" in _tool_table(_read_toml(pyproject)):
            return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None


def _tool_table(data: dict[str, Any]) -> dict[str, Any]:
    tool = data.get("tool")
    return tool if isinstance(tool, dict) else {}


def load(paths: list[str | Path], config_file: str | Path | None = None,
         isolated: bool = False) -> ProjectConfig:
    """The configuration for `paths`: an explicit file, the discovered one, or the defaults."""
    if isolated:
        return ProjectConfig().validate()
    if config_file is not None:
        path = Path(config_file)
        if path.suffix == ".cfg":
            raise ConfigError(f"{path} is a spaCy pipeline config: give it with --pipeline-config "
                              "(--config takes a claimscan.toml or a pyproject.toml)")
        if not path.is_file():
            raise ConfigError(f"{path}: no such configuration file")
    else:
        path = find_config(start_folder(paths))
        if path is None:
            return ProjectConfig().validate()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = _tool_table(data).get("claimscan", {})
        where = f"{path} [tool.claimscan]"
    else:
        table = data
        where = str(path)
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: expected a table")
    return from_table(table, path.resolve(), where).validate()


# -- reading one table --------------------------------------------------------------------------


def _normalised(table: dict[str, Any]) -> dict[str, Any]:
    return {str(key).replace("_", "-"): value for key, value in table.items()}


def _unknown(table: dict[str, Any], allowed: list[str], where: str, prefix: str = "") -> list[str]:
    """One message per key of `table` that is not in `allowed`."""
    problems = []
    for key in table:
        if key in allowed:
            continue
        hint = f"; renamed: use {RENAMED[key]}" if not prefix and key in RENAMED else ""
        if not prefix and key == "tool":  # [tool.claimscan] pasted into a claimscan.toml
            hint = "; in claimscan.toml the keys are at the top level, without [tool.claimscan]"
        problems.append(f"{where}: unknown key {prefix + key!r} (expected one of "
                        f"{', '.join(sorted(allowed))}{hint})")
    return problems


def _subtable(table: dict[str, Any], key: str, where: str, what: str) -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: {key}: expected a table of {what}")
    return _normalised(value) if key in ("thresholds", "lexicons") else value


def from_table(table: dict[str, Any], source: Path | None, where: str) -> ProjectConfig:
    """Read one `[tool.claimscan]` table; relative paths are taken from `source`'s folder.
    Unknown keys at every level are reported together, before any value is looked at."""
    table = _normalised(table)
    problems = _unknown(table, list(TOP_KEYS), where)
    thresholds = _subtable(table, "thresholds", where, "name = number")
    lexicons = _subtable(table, "lexicons", where, "name = [files]")
    severity = _subtable(table, "severity", where, "code = severity")
    problems += _unknown(thresholds, list(THRESHOLD_KEYS), where, "thresholds.")
    problems += _unknown(lexicons, list(LEXICON_KEYS), where, "lexicons.")
    for token in severity:
        try:
            resolve_all([token], f"{where}: severity")
        except UnknownCode as exc:
            problems.append(str(exc))
    if problems:
        raise ConfigError("\n".join(problems))

    root = source.parent if source is not None else Path.cwd()
    config = ProjectConfig(source=source, root=root)

    def take(key: str, attr: str, value: Any) -> None:
        setattr(config, attr, value)
        config.origins[key] = where

    if "jobs" in table:
        take("jobs", "jobs", _positive_int(table["jobs"], f"{where}: jobs"))
    if "max-bytes" in table:
        take("max-bytes", "max_bytes", _positive_int(table["max-bytes"], f"{where}: max-bytes"))
    if "time-limit" in table:
        take("time-limit", "time_limit",
             _non_negative_number(table["time-limit"], f"{where}: time-limit"))
    if "pipeline-config" in table:
        name = _string(table["pipeline-config"], f"{where}: pipeline-config")
        candidate = root / name
        take("pipeline-config", "pipeline_config", str(candidate) if candidate.is_file() else name)
    for key, attr in (("exclude", "exclude"), ("extend-exclude", "extend_exclude"),
                      ("select", "select"), ("ignore", "ignore")):
        if key in table:
            take(key, attr, _string_list(table[key], f"{where}: {key}"))
    for key, attr, choices in (("table-format", "table_format", TABLE_FORMATS),
                               ("output-format", "output_format", OUTPUT_FORMATS),
                               ("fail-on", "fail_on", FAIL_ON)):
        if key in table:
            take(key, attr, _choice(table[key], choices, f"{where}: {key}"))
    if "baseline" in table:
        take("baseline", "baseline", root / _string(table["baseline"], f"{where}: baseline"))
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{where}: per-file-ignores: expected a table of glob = [codes]")
    if pfi:
        take("per-file-ignores", "per_file_ignores",
             {str(k): _string_list(v, f"{where}: per-file-ignores[{k!r}]") for k, v in pfi.items()})
    config.severity = parse_severities(severity, f"{where}: severity")
    config.origins.update({f"severity.{code}": where for code in config.severity})
    for key, value in thresholds.items():
        take(f"thresholds.{key}", THRESHOLD_KEYS[key],
             _positive_int(value, f"{where}: thresholds.{key}"))
    if "cues" in lexicons:
        take("lexicons.cues", "cue_lexicons",
             [_cue_lexicon(root / p, f"{where}: lexicons.cues")
              for p in _string_list(lexicons["cues"], f"{where}: lexicons.cues")])
    if "journals" in lexicons:
        take("lexicons.journals", "journal_lists",
             [_journal_list(root / p, f"{where}: lexicons.journals")
              for p in _string_list(lexicons["journals"], f"{where}: lexicons.journals")])
    return config


def parse_severities(table: dict[str, Any], where: str) -> dict[str, str]:
    """`{code, prefix or flag name: severity}` -> `{code: severity}`, sorted by code."""
    out: dict[str, str] = {}
    for token, value in table.items():
        if value not in SEVERITIES:
            raise ConfigError(f"{where}.{token}: expected one of {', '.join(SEVERITIES)}, "
                              f"got {value!r}")
        try:
            codes = resolve_all([token], where)
        except UnknownCode as exc:
            raise ConfigError(str(exc)) from None
        for code in codes:
            out[code] = value
    return dict(sorted(out.items()))


# -- values -------------------------------------------------------------------------------------


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a string, got {value!r}")
    return value


def _string_list(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return list(value)


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{where}: expected a positive whole number, got {value!r}")
    return value


def _non_negative_number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ConfigError(f"{where}: expected a number of seconds (0: no limit), got {value!r}")
    return float(value)


def _choice(value: Any, choices: tuple[str, ...], where: str) -> str:
    if value not in choices:
        raise ConfigError(f"{where}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def _pipeline_config(name: str, where: str) -> str:
    """A spaCy .cfg that exists (as given, or by name in configs/); checked before spaCy loads."""
    if name.endswith(".toml"):
        raise ConfigError(f"{where}: {name} is TOML; the pipeline config is a spaCy .cfg "
                          "(claimscan.toml and pyproject.toml go to --config)")
    if not resolve(name).is_file():
        raise ConfigError(f"{where}: {name}: no such pipeline config")
    return name


def _cue_lexicon(path: Path, where: str) -> Path:
    """A house cue lexicon: JSON with optional hedges (objects with `literal`), caveats and
    boosters."""
    where = f"{where}: {path}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{where}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{where}: invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a JSON object with hedges, caveats and boosters")
    unknown = [k for k in data if not k.startswith("_") and k not in CUE_LEXICON_KEYS]
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r} (expected "
                          f"{', '.join(CUE_LEXICON_KEYS)})")
    hedges = data.get("hedges", [])
    if not isinstance(hedges, list) or not all(
            isinstance(h, dict) and isinstance(h.get("literal"), str) for h in hedges):
        raise ConfigError(f"{where}: hedges must be a list of objects like "
                          '{"literal": "reportedly"}')
    for key in ("caveats", "boosters"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key} must be a list of strings")
    return path.resolve()


def _journal_list(path: Path, where: str) -> Path:
    try:
        path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise ConfigError(f"{where}: {path}: cannot read: {reason}") from None
    return path.resolve()


def pipeline_defaults(pipeline_config: str) -> dict[str, Any]:
    """Threshold defaults from the pipeline config (imports spaCy: for `claimscan config` only)."""
    from spacy.util import load_config

    try:
        cfg = load_config(resolve(pipeline_config), interpolate=False)
        section = cfg["components"]["claimscan_generalization"]
    except Exception:  # a broken pipeline config is reported when it is built; here omit defaults
        return {}
    return {k: section[k] for k in ("small_sample", "short_duration_days") if k in section}


__all__ = ["ConfigError", "ProjectConfig", "load", "from_table", "find_config", "start_folder",
           "glob_match", "pipeline_defaults"]
