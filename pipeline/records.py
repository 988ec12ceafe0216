"""Turn a processed Doc into rows of claims.csv and studies.csv (the SPEC output contract)."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from pipeline.extensions import UNITS
from pipeline.studies import Study

CLAIM_COLUMNS = (
    "article", "claim_id", "sentence_index", "line", "column", "start", "end", "text", "kind", "is_claim",
    "strength", "hedges", "boosters", "study_id", "journal", "sample_size", "duration_days", "design",
    "flags", "unsupported", "severity", "reasons",
)
STUDY_COLUMNS = (
    "article", "study_id", "journal", "citation", "sample_size", "sample_unit", "duration_days",
    "duration_text", "frequency", "population", "design", "control", "blinding", "outcome_measure",
    "funding", "sentence_indexes",
)
LIST_SEPARATOR = "; "

Row = dict[str, Any]


def claim_rows(doc: Doc, article: str) -> list[Row]:
    source = doc._.source
    studies = {s.study_id: s for s in (doc._.studies or [])}
    rows = []
    for span in doc.spans[UNITS]:
        line, column = source.source_position(span.start_char) if source is not None else (None, None)
        study = studies.get((span._.study_ids or [""])[0])
        flags = span._.flags or []
        rows.append({
            "article": article,
            "claim_id": f"{article}#{span._.unit_index}",
            "sentence_index": span._.unit_index,
            "line": line,
            "column": column,
            "start": span.start_char,
            "end": span.end_char,
            "text": span.text,
            "kind": span._.kind,
            "is_claim": span._.is_claim,
            "strength": span._.strength,
            "hedges": LIST_SEPARATOR.join(span._.hedges or []),
            "boosters": LIST_SEPARATOR.join(span._.boosters or []),
            "study_id": study.study_id if study else "",
            "journal": study.journal if study else "",
            "sample_size": study.sample_size if study else None,
            "duration_days": study.duration_days if study else None,
            "design": study.design if study else "",
            "flags": LIST_SEPARATOR.join(code for code, _ in flags),
            "unsupported": span._.unsupported,
            "severity": span._.severity,
            "reasons": " ".join(reason for _, reason in flags),
        })
    return rows


def study_rows(doc: Doc, article: str) -> list[Row]:
    return [_study_row(study, article) for study in (doc._.studies or [])]


def _study_row(study: Study, article: str) -> Row:
    return {
        "article": article,
        "study_id": study.study_id,
        "journal": study.journal,
        "citation": LIST_SEPARATOR.join(study.citations),
        "sample_size": study.sample_size,
        "sample_unit": study.sample_unit,
        "duration_days": study.duration_days,
        "duration_text": study.duration_text,
        "frequency": study.frequency,
        "population": study.population,
        "design": study.design,
        "control": study.control,
        "blinding": study.blinding,
        "outcome_measure": study.outcome_measure,
        "funding": study.funding,
        "sentence_indexes": LIST_SEPARATOR.join(str(i) for i in study.sentence_indexes),
    }
