"""Build the spaCy pipeline from configs/*.cfg (blank English + our components; no downloads)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

import pipeline.components  # noqa: F401  (registers the factories)
from pipeline import extensions
from pipeline.resources import resolve

DEFAULT_CONFIG = "default.cfg"


def load_pipeline(config: str | Path = DEFAULT_CONFIG, overrides: dict[str, Any] | None = None) -> Language:
    """The claimscan pipeline. `overrides` use spaCy's dotted keys, e.g.
    `{"components.claimscan_generalization.small_sample": 50}`."""
    extensions.register()
    cfg = spacy.util.load_config(resolve(config), overrides=overrides or {}, interpolate=True)
    return spacy.util.load_model_from_config(cfg, auto_fill=True)
