"""Configuration of `claimscan check`: discovery, validation, merging with the command line.

Discovery starts at the deepest folder that contains every checked path and walks up to the
filesystem root. In each folder, `claimscan.toml` (or `.claimscan.toml`; keys at top level) wins
over `pyproject.toml`, which counts only if it has a `[tool.claimscan]` table. The first hit is
the configuration; its folder is the *project root*: relative paths in it (lexicons, baseline)
and `per-file-ignores` globs are relative to that folder, and so are the paths that finding
fingerprints are computed from. With no file found, the defaults apply and the root is the
current directory.

    [tool.claimscan]
    select = ["ALL"]                 # codes, prefixes (CS1), flag or short names
    ignore = ["CS206"]
    fail-on = "error"                # error | warning | info | never
    format = "text"                  # text | json | github | sarif | junit
    baseline = "claimscan-baseline.json"
    pipeline = "default.cfg"         # spaCy pipeline config
    max-bytes = 10000000

    [tool.claimscan.per-file-ignores]
    "archive/**" = ["CS102", "CS108"]

    [tool.claimscan.severity]
    CS101 = "error"                  # or VAGUE_ATTRIBUTION / vague-attribution

    [tool.claimscan.thresholds]
    small-sample = 50                # participants; fewer is SMALL_SAMPLE
    short-duration-days = 90         # shorter is SHORT_DURATION

    [tool.claimscan.lexicons]
    cues = ["style/house-cues.json"]     # same shape as configs/cues.json: hedges/caveats/boosters
    journals = ["style/journals.txt"]    # one journal title per line

Keys may be written with `-` or `_`. An unknown key, a bad value or an unknown code is a
`ConfigError` (exit code 2), never silently ignored.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from pipeline.gate.rules import SEVERITIES, UnknownCode, resolve_all, rules

CONFIG_NAMES = ("claimscan.toml", ".claimscan.toml")
FAIL_ON = ("error", "warning", "info", "never")
FORMATS = ("text", "json", "github", "sarif", "junit")
DEFAULT_MAX_BYTES = 10_000_000

_TOP_KEYS = {"select", "ignore", "per-file-ignores", "severity", "thresholds", "lexicons", "fail-on",
             "format", "baseline", "pipeline", "max-bytes"}
_THRESHOLD_KEYS = {"small-sample": "small_sample", "short-duration-days": "short_duration_days"}
_LEXICON_KEYS = {"cues", "journals"}

GENERALIZATION = "components.claimscan_generalization"
CUES = "components.claimscan_cues"
CITATIONS = "components.claimscan_citations"


class ConfigError(ValueError):
    """The configuration (file or command line) cannot be used: exit code 2."""


@dataclass
class GateConfig:
    source: Path | None = None  # the file the settings came from (None: defaults)
    root: Path = field(default_factory=Path.cwd)
    select: list[str] = field(default_factory=lambda: ["ALL"])
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)  # code -> severity (overrides only)
    small_sample: int | None = None
    short_duration_days: int | None = None
    cue_lexicons: list[Path] = field(default_factory=list)
    journal_lists: list[Path] = field(default_factory=list)
    fail_on: str = "error"
    format: str = "text"
    baseline: Path | None = None
    pipeline: str = "default.cfg"
    max_bytes: int = DEFAULT_MAX_BYTES

    # -- derived ---------------------------------------------------------------------------------

    @property
    def enabled(self) -> frozenset[str]:
        """Codes reported anywhere: `select` minus `ignore`."""
        return frozenset(resolve_all(self.select, "select")) - frozenset(resolve_all(self.ignore, "ignore"))

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

    def validate(self) -> GateConfig:
        """Raise ConfigError for unknown codes anywhere (the properties above resolve lazily)."""
        try:
            _ = self.enabled
            for pattern, tokens in self.per_file_ignores.items():
                resolve_all(tokens, f"per-file-ignores[{pattern!r}]")
        except UnknownCode as exc:
            raise ConfigError(str(exc)) from None
        if self.fail_on not in FAIL_ON:
            raise ConfigError(f"fail-on: expected one of {', '.join(FAIL_ON)}, got {self.fail_on!r}")
        if self.format not in FORMATS:
            raise ConfigError(f"format: expected one of {', '.join(FORMATS)}, got {self.format!r}")
        return self

    # -- printing --------------------------------------------------------------------------------

    def to_dict(self, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
        """The effective configuration as `[tool.claimscan]` data (every key, every code's severity)."""
        defaults = defaults or {}
        thresholds = {
            "small-sample": self.small_sample if self.small_sample is not None else defaults.get("small_sample"),
            "short-duration-days": (self.short_duration_days if self.short_duration_days is not None
                                    else defaults.get("short_duration_days")),
        }
        data: dict[str, Any] = {
            "select": list(self.select),
            "ignore": list(self.ignore),
            "fail-on": self.fail_on,
            "format": self.format,
            "pipeline": self.pipeline,
            "max-bytes": self.max_bytes,
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


def load(paths: list[str | Path], config_file: str | Path | None = None, isolated: bool = False) -> GateConfig:
    """The configuration for checking `paths`: an explicit file, the discovered one, or defaults."""
    if isolated:
        return GateConfig().validate()
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"{path}: no such configuration file")
    else:
        path = find_config(start_folder(paths))
        if path is None:
            return GateConfig().validate()
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


def _norm_keys(table: dict[str, Any], allowed: set[str], where: str) -> dict[str, Any]:
    out = {}
    for key, value in table.items():
        norm = key.replace("_", "-")
        if norm not in allowed:
            raise ConfigError(f"{where}: unknown key {key!r} (expected one of {', '.join(sorted(allowed))})")
        out[norm] = value
    return out


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


def from_table(table: dict[str, Any], source: Path | None, where: str) -> GateConfig:
    """Validate one `[tool.claimscan]` table; relative paths are taken from `source`'s folder."""
    table = _norm_keys(table, _TOP_KEYS, where)
    root = source.parent if source is not None else Path.cwd()
    config = GateConfig(source=source, root=root)
    if "select" in table:
        config.select = _string_list(table["select"], f"{where}: select")
    if "ignore" in table:
        config.ignore = _string_list(table["ignore"], f"{where}: ignore")
    if "fail-on" in table:
        config.fail_on = str(table["fail-on"])
    if "format" in table:
        config.format = str(table["format"])
    if "pipeline" in table:
        config.pipeline = str(table["pipeline"])
        candidate = root / config.pipeline
        if candidate.is_file():
            config.pipeline = str(candidate)
    if "max-bytes" in table:
        config.max_bytes = _positive_int(table["max-bytes"], f"{where}: max-bytes")
    if "baseline" in table:
        config.baseline = root / str(table["baseline"])
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict):
        raise ConfigError(f"{where}: per-file-ignores: expected a table of glob = [codes]")
    config.per_file_ignores = {str(k): _string_list(v, f"{where}: per-file-ignores[{k!r}]") for k, v in pfi.items()}
    severity = table.get("severity", {})
    if not isinstance(severity, dict):
        raise ConfigError(f"{where}: severity: expected a table of code = severity")
    config.severity = parse_severities(severity, f"{where}: severity")
    thresholds = table.get("thresholds", {})
    if not isinstance(thresholds, dict):
        raise ConfigError(f"{where}: thresholds: expected a table")
    for key, value in _norm_keys(thresholds, set(_THRESHOLD_KEYS), f"{where}: thresholds").items():
        setattr(config, _THRESHOLD_KEYS[key], _positive_int(value, f"{where}: thresholds.{key}"))
    lexicons = table.get("lexicons", {})
    if not isinstance(lexicons, dict):
        raise ConfigError(f"{where}: lexicons: expected a table")
    lexicons = _norm_keys(lexicons, _LEXICON_KEYS, f"{where}: lexicons")
    config.cue_lexicons = [_cue_lexicon(root / p, f"{where}: lexicons.cues")
                           for p in _string_list(lexicons.get("cues", []), f"{where}: lexicons.cues")]
    config.journal_lists = [_journal_list(root / p, f"{where}: lexicons.journals")
                            for p in _string_list(lexicons.get("journals", []), f"{where}: lexicons.journals")]
    return config


def parse_severities(table: dict[str, Any], where: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for token, value in table.items():
        if value not in SEVERITIES:
            raise ConfigError(f"{where}.{token}: expected one of {', '.join(SEVERITIES)}, got {value!r}")
        try:
            codes = resolve_all([token], where)
        except UnknownCode as exc:
            raise ConfigError(str(exc)) from None
        for code in codes:
            out[code] = value
    return dict(sorted(out.items()))


def _cue_lexicon(path: Path, where: str) -> Path:
    """A house cue lexicon: JSON with optional hedges (objects with `literal`), caveats, boosters."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{where}: {path}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ConfigError(f"{where}: {path}: invalid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: {path}: expected a JSON object with hedges, caveats and boosters")
    unknown = [k for k in data if not k.startswith("_") and k not in ("hedges", "caveats", "boosters")]
    if unknown:
        raise ConfigError(f"{where}: {path}: unknown key {unknown[0]!r} (expected hedges, caveats, boosters)")
    hedges = data.get("hedges", [])
    if not isinstance(hedges, list) or not all(isinstance(h, dict) and isinstance(h.get("literal"), str) for h in hedges):
        raise ConfigError(f"{where}: {path}: hedges must be a list of objects like {{\"literal\": \"reportedly\"}}")
    for key in ("caveats", "boosters"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {path}: {key} must be a list of strings")
    return path.resolve()


def _journal_list(path: Path, where: str) -> Path:
    try:
        path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where}: {path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    return path.resolve()


# -- globs --------------------------------------------------------------------------------------


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """`**` spans folders, `*` and `?` stay inside one path component, `[...]` is a class."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(pattern: str, rel: str) -> bool:
    """Match a path relative to the project root; a pattern without `/` matches the file name too.
    A pattern naming a folder (`archive/` or `archive`) matches everything under it."""
    pattern = pattern.strip()
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if pattern.endswith("/"):
        pattern += "**"
    if _glob_regex(pattern).match(rel) or _glob_regex(pattern.rstrip("/") + "/**").match(rel):
        return True
    return "/" not in pattern and bool(_glob_regex(pattern).match(rel.rsplit("/", 1)[-1]))


# -- command line -------------------------------------------------------------------------------


def merge_cli(config: GateConfig, *, select: list[str] | None = None, ignore: list[str] | None = None,
              fail_on: str | None = None, fmt: str | None = None, baseline: Path | None = None) -> GateConfig:
    """Command-line options over the file: `--select` replaces, `--ignore` adds."""
    if select:
        config.select = _split_codes(select)
    if ignore:
        config.ignore = config.ignore + _split_codes(ignore)
    if fail_on is not None:
        config.fail_on = fail_on
    if fmt is not None:
        config.format = fmt
    if baseline is not None:
        config.baseline = baseline
    return config.validate()


def _split_codes(values: list[str]) -> list[str]:
    """`--select CS101,CS104 --select CS2` -> ['CS101', 'CS104', 'CS2']."""
    return [token for value in values for token in re.split(r"[,\s]+", value) if token]


def pipeline_defaults(pipeline: str) -> dict[str, Any]:
    """Threshold defaults from the pipeline config (imports spaCy: for `claimscan config` only)."""
    from spacy.util import load_config

    from pipeline.resources import resolve

    try:
        cfg = load_config(resolve(pipeline), interpolate=False)
        section = cfg["components"]["claimscan_generalization"]
    except Exception:  # a broken pipeline config is reported by `check`; here just omit defaults
        return {}
    return {k: section[k] for k in ("small_sample", "short_duration_days") if k in section}


__all__ = ["ConfigError", "GateConfig", "load", "merge_cli", "glob_match", "find_config"]
