"""Shared articles and helpers for the `claimscan check` tests."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app

# A well-reported trial: hedged, with the design, size, length, effect and its uncertainty.
HEDGED_RCT = """\
Blood pressure pill may modestly lower readings, trial suggests

A randomised, double-blind, placebo-controlled trial published in The Lancet followed 1,284 \
adults with high blood pressure for 12 months.

Participants who took the drug saw their systolic blood pressure fall by 9.1 mmHg on average, \
compared with 3.2 mmHg in the placebo group (95% CI 4.8 to 7.0; p < 0.001).

The researchers say the drug may help some adults with hard-to-treat hypertension, but more \
research is needed to know whether it reduces heart attacks or strokes.

The trial was funded by the National Institutes of Health.
"""

# A wellness blog: appeals to unnamed studies, absolute words, cures.
WELLNESS_BLOG = """\
# Five foods for the new year

Studies show that turmeric cures inflammation.

Kale is a proven way to detox your liver, and everyone should eat it daily.

Experts agree that celery juice eliminates bloating for good.
"""

# Only a warning: a hedged claim with a vague attribution (CS101).
VAGUE_ONLY = """\
Green tea and memory

Studies show that green tea may help memory in older adults.
"""

# A trial of 80 adults: small under the default threshold (100), not under 50.
SMALL_TRIAL = """\
Supplement and cholesterol

A randomised placebo-controlled trial published in the journal Nutrients followed 80 adults for \
two years.

The supplement lowered cholesterol by 12% in the trial (p = 0.01).
"""

LINE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<code>CS\d{3}) (?P<message>.+)$"
)
SUMMARY = re.compile(r"^\d+ findings?( \([^)]*\))? in \d+ articles?(; .*)?$")


def invoke(*args: str):
    """Run `claimscan ARGS` in-process; `result.stdout` and `result.stderr` are kept apart."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings(stdout: str) -> list[dict]:
    """The `path:line:col: CODE message` lines of plain text output, parsed."""
    return [m.groupdict() for line in stdout.splitlines() if (m := LINE.match(line))]


def codes(stdout: str) -> list[str]:
    return [f["code"] for f in findings(stdout)]
