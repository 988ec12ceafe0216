"""claimscan: audit health articles for hedges, cited evidence and unsupported generalizations.

`from pipeline import scan, scan_text` — imported lazily so `claimscan --help` stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["scan", "scan_text", "__version__"]


def __getattr__(name: str) -> Any:
    if name in ("scan", "scan_text"):
        from pipeline import api

        return getattr(api, name)
    raise AttributeError(name)
