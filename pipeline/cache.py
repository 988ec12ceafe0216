"""The result cache of `claimscan run --cache DIR`: an article whose text and settings were seen
before is answered from disk instead of being analysed again.

    cache = ResultCache.open(Path("cache"), settings)    # fingerprints the settings once
    key = cache.key(text, "markdown")                     # the decoded text and its format
    analysis = cache.get(key, "news/a.md")                # an ArticleAnalysis, or None on a miss
    cache.put(key, analysis)

Each entry is one small file, `DIR/ab/cdef…`, written atomically (`pipeline.output`), so
any number of worker processes can read and write the same folder without locks: a reader sees a
whole entry or none. An entry that cannot be read or parsed is a miss; it is overwritten by the
next `put`. Entries are never evicted: delete the folder to reclaim the space.

The key is the decoded text rather than the file's bytes: the analysis depends only on the text
and its format, and decoding runs the same read checks (size limit, binary, empty) on every run,
so a cache hit never lets through a file the current run would skip.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.analysis import ArticleAnalysis
from pipeline.output import write_bytes

# Part of every key: a change to the entry layout turns old entries into misses.
ENTRY_FORMAT = 3
_PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ResultCache:
    """A cache folder plus the fingerprint of the settings of this run (cheap to pickle to
    workers)."""

    directory: Path
    fingerprint: str

    @classmethod
    def open(cls, directory: Path, settings: Any) -> ResultCache:
        """The cache in `directory` (created if needed) for `settings` (a `pipeline.api.Settings`).
        Raises OSError if the folder cannot be created."""
        directory.mkdir(parents=True, exist_ok=True)
        return cls(directory, settings_fingerprint(settings.config, settings.overrides))

    def key(self, text: str, fmt: str) -> str:
        digest = hashlib.sha256(f"{self.fingerprint}\0{fmt}\0".encode())
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / key[2:]

    def get(self, key: str, article: str) -> ArticleAnalysis | None:
        """The analysis stored under `key`, named for `article`; None on a miss (or a damaged
        entry)."""
        try:
            entry = json.loads(zlib.decompress(self._path(key).read_bytes()))
            if entry["key"] != key:
                return None
            return ArticleAnalysis.from_dict(entry["analysis"]).renamed(article)
        except (OSError, ValueError, TypeError, KeyError, AttributeError, zlib.error):
            return None

    def put(self, key: str, analysis: ArticleAnalysis) -> bool:
        """Store the analysis of one article; False if it could not be stored (the run goes on)."""
        try:
            data = zlib.compress(
                json.dumps({"key": key, "analysis": analysis.to_dict()}, ensure_ascii=False,
                           separators=(",", ":")).encode("utf-8", "surrogatepass"), 1)
            write_bytes(self._path(key), data, durable=False)
        except (OSError, ValueError, TypeError):
            return False
        return True


def settings_fingerprint(config: str, overrides: tuple[tuple[str, Any], ...]) -> str:
    """A digest of everything besides the text that decides a run's rows: the claimscan version and
    source (a checkout can change code without a version bump), the spaCy version, the config file,
    the overrides, every file under configs/ (the boilerplate rules are read without the config),
    and every file the resolved config or the overrides name (house lexicons outside configs/).
    Limits (max_bytes, time_limit) and jobs are left out: they decide which articles fail, and
    failures are never cached."""
    import spacy

    from pipeline import __version__
    from pipeline.resources import configs_dir, resolve

    digest = hashlib.sha256()

    def feed(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    feed("format", str(ENTRY_FORMAT).encode())
    feed("claimscan", __version__.encode())
    feed("spacy", spacy.__version__.encode())
    for path in sorted(_PACKAGE_DIR.rglob("*.py")):
        feed(f"source:{path.relative_to(_PACKAGE_DIR).as_posix()}", path.read_bytes())
    rules = configs_dir()
    for path in sorted(p for p in rules.rglob("*") if p.is_file()):
        feed(f"rules:{path.relative_to(rules).as_posix()}", path.read_bytes())
    config_path = resolve(config)
    feed("config", config_path.read_bytes())
    feed("overrides", repr(sorted(overrides)).encode())
    resolved = spacy.util.load_config(config_path, overrides=dict(overrides), interpolate=True)
    for name in sorted(set(_strings(dict(resolved)))):
        try:
            path = resolve(name)
            if path.is_file():
                feed(f"named:{name}", path.read_bytes())
        except (OSError, ValueError):  # not a file name after all (too long, NUL byte)
            continue
    return digest.hexdigest()


def _strings(value: Any) -> Iterator[str]:
    """Every string in a nested config (candidate file names)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
