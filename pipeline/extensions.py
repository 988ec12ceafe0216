"""What our components learn about a Doc, and how users read it (`span._.hedges`, `doc._.studies`).

Components keep per-unit results on plain `pipeline.analysis.Unit` objects (one per sentence-level
unit, in `doc.user_data`): a custom-attribute lookup costs about fifty times a plain attribute
read, and each unit is read some forty times on its way through the pipeline. The Span extensions
are getters over the same objects, so `span._.hedges` works on any Span over a unit's exact
characters (e.g. the spans in `doc.spans["units"]`) and gives the default elsewhere.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

from pipeline.analysis import Unit

UNITS = "units"  # doc.spans key: one span per sentence-level unit
# doc.spans key: journal / author-year / doi / pmid / url / preprint / conference
CITATIONS = "citations"
STUDY_FACTS = "study_facts"  # doc.spans key: sample_size, duration, frequency, design, ...
_UNIT_RECORDS = "claimscan_units"
_UNIT_BY_CHARS = "claimscan_unit_by_chars"


_DOC_EXTENSIONS = {
    "source": None,  # pipeline.source.SourceText the text was extracted from
    "studies": None,  # list[pipeline.studies.Study], set by the study linker
}
# Span extension name -> Unit attribute, and the value a Span that is not a unit gets.
_SPAN_EXTENSIONS: dict[str, tuple[str, Any]] = {
    "unit_index": ("index", -1),
    **{name: (name, default) for name, default in (
        ("block_kind", "paragraph"), ("cues", None), ("hedges", None), ("boosters", None),
        ("caveats", None), ("speaker", ""), ("speaker_role", ""), ("quoted", False),
        ("strength", "none"), ("strength_cue", ""), ("kind", "other"), ("is_claim", False),
        ("study_ids", None), ("flags", None), ("unsupported", False), ("severity", ""),
    )},
}


def unit_records(doc: Doc) -> list[Unit]:
    """The Doc's units in order (empty before the unit segmenter has run)."""
    return doc.user_data.get(_UNIT_RECORDS, [])


def set_unit_records(doc: Doc, units: list[Unit]) -> None:
    doc.user_data[_UNIT_RECORDS] = units
    doc.user_data[_UNIT_BY_CHARS] = {(u.start_char, u.end_char): u for u in units}
    # Span() directly: slicing the Doc normalises the slice in Python first, twice as slow
    doc.spans[UNITS] = [Span(doc, u.start, u.end) for u in units]


def _getter(attribute: str, default: Any):
    def get(span: Span) -> Any:
        unit = span.doc.user_data.get(_UNIT_BY_CHARS, {}).get((span.start_char, span.end_char))
        return default if unit is None else getattr(unit, attribute)

    return get


def register() -> None:
    """Idempotent: components call this so a pipeline built from config always has them."""
    for name, default in _DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name, (attribute, default) in _SPAN_EXTENSIONS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_getter(attribute, default))


register()
