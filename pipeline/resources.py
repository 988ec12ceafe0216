"""Locate and load rule data under configs/ (installed as pipeline/configs in a wheel)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

_PACKAGE_DIR = Path(__file__).resolve().parent


def configs_dir() -> Path:
    """The rule-data folder: `pipeline/configs` in a wheel, the repo's `configs/` in a checkout."""
    installed = _PACKAGE_DIR / "configs"
    return installed if installed.is_dir() else _PACKAGE_DIR.parent / "configs"


def resolve(name: str | Path) -> Path:
    """A path as given if it exists, else the file of that name in configs/."""
    path = Path(name)
    return path if path.is_absolute() or path.exists() else configs_dir() / path


@lru_cache(maxsize=64)
def _load_json_cached(path: str) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def load_json(name: str | Path) -> Any:
    """Parsed JSON rule data. Cached: callers must not mutate the result."""
    return _load_json_cached(str(resolve(name)))


def load_lines(name: str | Path) -> list[str]:
    """Non-empty, non-comment lines of a text lexicon."""
    with open(resolve(name), encoding="utf-8") as handle:
        return [s for line in handle if (s := line.strip()) and not s.startswith("#")]
