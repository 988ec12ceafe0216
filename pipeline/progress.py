"""What `claimscan run` tells the user while it works, chosen by `progress_for`:

- on a terminal, a rich progress bar (done/total, articles/s, time left);
- otherwise (CI logs, `nohup`, redirected stderr), one line every `interval` seconds:
  `claimscan: 12,000/100,000 articles, 143/s, ETA 9m05s`;
- with --quiet, only the articles that were skipped.

`pipeline.runner.run_batch` calls `start(total)`, then `advance(result)` once per article, then
`stop()`. `advance` runs once per article in the main process, so it only counts and compares a
clock; the base class prints nothing, which is what library callers get.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from pipeline.api import ArticleResult

DEFAULT_INTERVAL = 10.0  # seconds between lines when stderr is not a terminal


class Progress:
    """Silent: the hooks `run_batch` calls, doing nothing."""

    def start(self, total: int) -> None:
        pass

    def advance(self, result: ArticleResult) -> None:
        pass

    def stop(self) -> None:
        pass


class QuietProgress(Progress):
    """Names each skipped article on `stream` (and its traceback with `debug`), nothing else."""

    def __init__(self, stream: TextIO, *, debug: bool = False) -> None:
        self.stream = stream
        self.debug = debug

    def advance(self, result: ArticleResult) -> None:
        if result.error:
            self._report(result)

    def _report(self, result: ArticleResult) -> None:
        error = result.error
        self.note(f"claimscan: skipped {error.article}: {error.error}")
        if self.debug and error.trace:
            self.note(error.trace.rstrip("\n"))

    def note(self, line: str) -> None:
        print(line, file=self.stream, flush=True)


class LineProgress(QuietProgress):
    """A one-line summary every `interval` seconds, for logs (no cursor movement, no colour)."""

    def __init__(self, stream: TextIO, *, interval: float = DEFAULT_INTERVAL, debug: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(stream, debug=debug)
        self.interval = interval
        self.clock = clock
        self.total = self.done = self.cached = 0
        self.started = self.next_line = 0.0

    def start(self, total: int) -> None:
        self.total = total
        self.started = self.clock()
        self.next_line = self.started + self.interval

    def advance(self, result: ArticleResult) -> None:
        if result.error:
            self._report(result)
        self.done += 1
        self.cached += result.cached
        now = self.clock()
        if now >= self.next_line:
            self.next_line = now + self.interval
            self.note(status_line(self.done, self.total, now - self.started, self.cached))


def status_line(done: int, total: int, elapsed: float, cached: int = 0) -> str:
    """`claimscan: 12,000/100,000 articles, 143/s, ETA 9m05s[, 1,234 from cache]`."""
    rate = done / elapsed if elapsed > 0 else 0.0
    eta = duration((total - done) / rate) if rate else "?"
    line = f"claimscan: {done:,}/{total:,} articles, {rate:,.0f}/s, ETA {eta}"
    return (line + f", {cached:,} from cache") if cached else line


def duration(seconds: float) -> str:
    """`42s`, `9m05s`, `2h03m`."""
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


class BarProgress(QuietProgress):
    """A rich progress bar on a terminal; skipped articles are printed above it. Rate and time left
    are averages over the whole run, as in `LineProgress`: worker processes return articles in
    chunks, and a short-window rate would jump with every chunk."""

    def __init__(self, stream: TextIO, *, debug: bool = False) -> None:
        super().__init__(stream, debug=debug)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, ProgressColumn, TextColumn
        from rich.progress import Progress as RichProgress
        from rich.text import Text

        def rate(task: Any) -> float:
            return task.completed / task.elapsed if task.elapsed else 0.0

        class RateColumn(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = rate(task)
                return Text(f"{speed:,.0f} articles/s" if speed else "– articles/s",
                            style="progress.data.speed")

        class EtaColumn(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = rate(task)
                left = duration(task.remaining / speed) if speed else "?"
                return Text(f"ETA {left}", style="progress.remaining")

        self._console = Console(file=stream)
        self._bar = RichProgress(TextColumn("claimscan"), BarColumn(), MofNCompleteColumn(),
                                 RateColumn(), EtaColumn(), console=self._console)
        self._task: Any = None

    def start(self, total: int) -> None:
        self._task = self._bar.add_task("articles", total=total)
        self._bar.start()

    def advance(self, result: ArticleResult) -> None:
        if result.error:
            self._report(result)
        self._bar.advance(self._task)

    def note(self, line: str) -> None:
        self._console.print(line, markup=False, highlight=False, soft_wrap=True)

    def stop(self) -> None:
        self._bar.stop()


def progress_for(*, quiet: bool = False, interval: float = DEFAULT_INTERVAL, debug: bool = False,
                 stream: TextIO | None = None) -> Progress:
    """The progress display for `stream` (default: stderr): quiet, a bar on a terminal, else
    lines."""
    stream = sys.stderr if stream is None else stream
    if quiet:
        return QuietProgress(stream, debug=debug)
    if _is_terminal(stream):
        return BarProgress(stream, debug=debug)
    return LineProgress(stream, interval=interval, debug=debug)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # closed or not a real file
        return False
