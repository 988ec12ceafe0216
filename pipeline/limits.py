"""A per-article time budget, so one pathological input never hangs a batch.

SIGALRM interrupts pure-Python code and the `re` engine alike. Signals reach only the main
thread, so where claimscan runs in a worker thread (e.g. some Dask workers) there is no limit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


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
