"""A per-article time budget, so one pathological input never hangs a batch.

SIGALRM interrupts pure-Python code and the `re` engine alike. Signals reach only the main
thread, so where claimscan runs in a worker thread (e.g. some Dask workers) there is no limit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# The defaults of --max-bytes and --time-limit (and of `max-bytes`, `time-limit` in the
# configuration). Here, not in pipeline.api, so the configuration can read them without
# importing the pipeline.
DEFAULT_MAX_BYTES = 10_000_000
DEFAULT_TIME_LIMIT = 60.0  # seconds per article; a typical article takes 10 ms


class ArticleTimeout(Exception):
    """The article took longer than its time budget."""


def _raise_timeout(signum: int, frame: object) -> None:
    raise ArticleTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `ArticleTimeout` inside the block once `seconds` have passed (0 or less: no limit)."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    if seconds <= 0 or not in_main_thread or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _raise_timeout)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
