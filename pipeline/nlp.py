"""Build the spaCy pipeline from configs/*.cfg (blank English + our components; no downloads)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language, create_tokenizer
from spacy.tokenizer import Tokenizer

import pipeline.components  # noqa: F401  (registers the factories)
from pipeline import extensions
from pipeline.affixes import speed_up_affixes
from pipeline.resources import resolve

DEFAULT_CONFIG = "default.cfg"


@spacy.registry.tokenizers("claimscan.Tokenizer.v1")
def cached_tokenizer(max_cache_size: int) -> Callable[[Language], Tokenizer]:
    """spaCy's English tokenizer, remembering how it split up to `max_cache_size` distinct chunks
    of text (spaCy's default keeps the first 10,000 it meets and splits every other chunk again
    each time it occurs, with its affix regexes). Its affix rules are searched with only the rules
    a chunk's first or last character allows (`pipeline.affixes`): the same tokens, a third
    faster."""
    make = create_tokenizer()

    def tokenizer(nlp: Language) -> Tokenizer:
        made = make(nlp)
        made.max_cache_size = max_cache_size
        defaults = nlp.Defaults
        speed_up_affixes(made, list(defaults.prefixes or []), list(defaults.suffixes or []),
                         list(defaults.infixes or []))
        return made

    return tokenizer


def load_pipeline(config: str | Path = DEFAULT_CONFIG,
                  overrides: dict[str, Any] | None = None) -> Language:
    """The claimscan pipeline. `overrides` use spaCy's dotted keys, e.g.
    `{"components.claimscan_generalization.small_sample": 50}`."""
    extensions.register()
    cfg = spacy.util.load_config(resolve(config), overrides=overrides or {}, interpolate=True)
    check_sections(cfg)
    return spacy.util.load_model_from_config(cfg, auto_fill=True)


def check_sections(cfg: Any) -> None:
    """Raise ValueError naming an unknown section or `[nlp]` key. spaCy checks the settings of
    each component, but fills in `[nlp]` and drops what it does not know: a typo there (`pipelin`)
    would silently give a pipeline without components."""
    from spacy.schemas import ConfigSchema, ConfigSchemaNlp

    def fields(schema: Any) -> list[str]:
        return sorted(getattr(schema, "model_fields", None) or schema.__fields__)

    sections = fields(ConfigSchema) + ["paths", "system"]  # the two spaCy's schema leaves open
    for where, keys, allowed in (("the config", list(cfg), sections),
                                 ("[nlp]", list(cfg.get("nlp", {})), fields(ConfigSchemaNlp))):
        unknown = [key for key in keys if key not in allowed]
        if unknown:
            names = ", ".join(repr(key) for key in unknown)
            raise ValueError(f"unknown key {names} in {where} "
                             f"(expected one of {', '.join(allowed)})")
