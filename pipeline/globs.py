"""Path globs of the configuration: `per-file-ignores` and `exclude`.

Patterns are matched against paths relative to the project root, with forward slashes:

- `**` spans folders; `*` and `?` stay inside one path component; `[...]` is a class.
- A pattern without `/` also matches the last component anywhere (`*.txt`, `node_modules`).
- A leading `/` anchors a pattern to the root (`/README.md`: only the root's README).
- A pattern naming a folder (`archive/` or `archive`) matches everything under it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
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
            body = "^" + body[1:] if body.startswith("!") else body
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


def glob_match(pattern: str, rel: str) -> bool:
    """Whether `rel` (a path relative to the project root) matches `pattern`."""
    pattern = pattern.strip()
    anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
    pattern = pattern.lstrip("/")
    if pattern.startswith("./"):
        pattern = pattern[2:]
        anchored = True
    if pattern.endswith("/"):
        pattern += "**"
    if _glob_regex(pattern).match(rel) or _glob_regex(pattern.rstrip("/") + "/**").match(rel):
        return True
    return not anchored and bool(_glob_regex(pattern).match(rel.rsplit("/", 1)[-1]))


@dataclass(frozen=True)
class Exclusion:
    """What a folder walk leaves out: files and folders matching one of `patterns`, relative to
    `root`. Only what a walk finds is tested; a path named on the command line is always used."""

    root: str  # absolute project root
    patterns: tuple[str, ...] = ()

    def folder_prefix(self, folder: str) -> str | None:
        """The root-relative path of a walked folder, ending in `/` (`""` for the root itself),
        or None when the folder lies outside the root (then only name patterns apply)."""
        rel = os.path.relpath(os.path.abspath(folder), self.root)
        if rel == os.curdir:
            return ""
        if rel == os.pardir or rel.startswith(os.pardir + os.sep):
            return None
        return rel.replace(os.sep, "/") + "/"

    def excludes(self, rel: str, is_dir: bool) -> bool:
        """Whether the entry at root-relative path `rel` is left out. A folder is also tested
        with a trailing slash, so that `out/` prunes the folder itself, not only its files."""
        for pattern in self.patterns:
            if glob_match(pattern, rel) or (is_dir and glob_match(pattern, rel + "/")):
                return True
        return False

    def for_walk(self, folder: str) -> tuple[str | None, Exclusion]:
        """What a walk of `folder` (a path given on the command line) needs: its prefix (see
        `folder_prefix`) and the exclusion without the patterns that match the folder itself,
        since a folder named on the command line is walked whatever `exclude` says."""
        prefix = self.folder_prefix(folder)
        if not prefix:
            return prefix, self
        own = prefix.rstrip("/")
        kept = tuple(p for p in self.patterns if not (glob_match(p, own) or glob_match(p, prefix)))
        return prefix, Exclusion(self.root, kept)
