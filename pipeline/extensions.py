"""The Doc/Span extension attributes our components write and the record builder reads.

Span extension values live in `doc.user_data` keyed by the span's boundaries, so every Span
object over the same tokens sees the same values.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

UNITS = "units"  # doc.spans key: one span per sentence-level unit
CITATIONS = "citations"  # doc.spans key: journal / author-year / doi / pmid / url / preprint / conference
STUDY_FACTS = "study_facts"  # doc.spans key: sample_size, duration, frequency, design, ...

_DOC_EXTENSIONS = {
    "source": None,  # pipeline.source.SourceText the text was extracted from
    "studies": None,  # list[pipeline.studies.Study], set by the study linker
}

_SPAN_EXTENSIONS = {
    "unit_index": -1,  # position of the unit in the article (= sentence_index)
    "block_kind": "paragraph",  # kind of the source block: heading, paragraph, list_item, ...
    "hedges": None,  # list[str] of hedge cues as written, lower-cased
    "boosters": None,  # list[str] of certainty boosters
    "caveats": None,  # list[str] of caveat phrases ("more research is needed")
    "strength": "none",  # none < correlational < conditional < can-causal < direct
    "strength_cue": "",  # the words that set `strength`
    "kind": "other",
    "is_claim": False,
    "study_ids": None,  # list[str], strongest first
    "flags": None,  # list[tuple[code, reason]]
    "unsupported": False,
    "severity": "",
}


def register() -> None:
    """Idempotent: components call this so a pipeline built from config always has them."""
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, default in _SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)


register()
