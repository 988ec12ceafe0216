"""Rule files under configs/ are loaded through a schema: a key the schema does not know is an
error naming the allowed keys, as medspaCy rejects unknown keys in its rule JSON. A typo'd key
must never be silently ignored (a lexicon that is not read is a rule that does not fire).

    SCHEMA = {"hedges": [str], "window": int, "homographs": MapOf({"not_after": [str]})}
    data = load_rules("cues.json", SCHEMA)

A schema is a type (`str`, `int`, `float`, `bool`), `[schema]` for a list of items, a dict of
key -> schema for an object with exactly those keys (wrap a value in `Optional` for a key that
may be left out), `MapOf(schema)` for an object whose keys are free and whose values follow
the schema, or `OneOf(a, b)` for a value following either. Keys starting with `_` (`_about`,
`_source`) are comments and always allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.resources import load_json


class RuleFileError(ValueError):
    """A rule file does not match its schema."""


@dataclass(frozen=True)
class Optional:
    """A key that may be left out."""

    schema: Any


@dataclass(frozen=True)
class OneOf:
    """A value following any one of `schemas` (a phrase, or an object with rules for it)."""

    schemas: tuple

    def __init__(self, *schemas: Any) -> None:
        object.__setattr__(self, "schemas", schemas)


@dataclass(frozen=True)
class MapOf:
    """An object with free keys, each value following `schema`."""

    schema: Any


def load_rules(name: str | Path, schema: dict[str, Any]) -> dict[str, Any]:
    """The parsed rule file `name` (in configs/ unless a path is given), checked against
    `schema`."""
    data = load_json(name)
    check(data, schema, Path(name).name)
    return data


def check(value: Any, schema: Any, where: str) -> None:
    """Raise RuleFileError for the first place where `value` does not follow `schema`."""
    if isinstance(schema, Optional):
        schema = schema.schema
    if isinstance(schema, OneOf):
        errors = []
        for option in schema.schemas:
            try:
                return check(value, option, where)
            except RuleFileError as exc:
                errors.append(str(exc))
        raise RuleFileError(" / ".join(errors) if len(errors) > 1 else errors[0])
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            raise RuleFileError(f"{where}: expected an object with keys "
                                f"{', '.join(sorted(schema))}")
        for key in value:
            if not key.startswith("_") and key not in schema:
                raise RuleFileError(f"{where}: unknown key {key!r} "
                                    f"(allowed: {', '.join(sorted(schema))})")
        for key, sub in schema.items():
            if key in value:
                check(value[key], sub, f"{where}.{key}")
            elif not isinstance(sub, Optional):
                raise RuleFileError(f"{where}: missing key {key!r}")
    elif isinstance(schema, MapOf):
        if not isinstance(value, dict):
            raise RuleFileError(f"{where}: expected an object")
        for key, item in value.items():
            if not key.startswith("_"):
                check(item, schema.schema, f"{where}.{key}")
    elif isinstance(schema, list):
        if not isinstance(value, list):
            raise RuleFileError(f"{where}: expected a list")
        for i, item in enumerate(value):
            check(item, schema[0], f"{where}[{i}]")
    elif schema is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RuleFileError(f"{where}: expected a number, got {value!r}")
    elif schema is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise RuleFileError(f"{where}: expected a whole number, got {value!r}")
    elif not isinstance(value, schema):
        raise RuleFileError(f"{where}: expected {schema.__name__}, got {type(value).__name__}")
