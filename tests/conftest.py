"""Shared fixtures: one real pipeline built from configs/default.cfg per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.nlp import load_pipeline

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "corpus" / "dev" / "microneedling-hair-loss.txt"


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def unit_containing(doc, needle: str):
    """The unit span whose text contains `needle` (fails loudly if none)."""
    for span in doc.spans["units"]:
        if needle in span.text:
            return span
    raise AssertionError(f"no unit contains {needle!r}: {[s.text for s in doc.spans['units']]}")
