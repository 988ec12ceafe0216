"""Rows of claims.csv, studies.csv, articles.csv and criteria.csv (the SPEC output contract) from an
`ArticleAnalysis`.

Rows are made here only, for the table writers and `scan()`'s DataFrames; every other consumer
reads the analysis itself.
"""

from __future__ import annotations

from typing import Any

from pipeline.analysis import ArticleAnalysis, word_count
from pipeline.studies import Study
from pipeline.tally import ArticleCounts, count_analysis

CLAIM_COLUMNS = (
    "article", "claim_id", "sentence_index", "line", "column", "start", "end", "text", "kind",
    "is_claim", "strength", "hedges", "boosters", "study_id", "journal", "sample_size",
    "duration_days", "design", "flags", "unsupported", "severity", "reasons",
)
STUDY_COLUMNS = (
    "article", "study_id", "journal", "citation", "sample_size", "sample_unit", "duration_days",
    "duration_text", "frequency", "population", "design", "control", "blinding", "outcome_measure",
    "funding", "sentence_indexes",
)
ARTICLE_COLUMNS = (
    "article", "title", "words", "units", "claims", "hedged", "unsupported", "studies",
    "criteria_met", "criteria_judged", "score", "headline_flags",
)
CRITERIA_COLUMNS = ("article", "criterion", "verdict", "confidence", "claim_ids", "reason")
LIST_SEPARATOR = "; "

Row = dict[str, Any]


def claim_rows(analysis: ArticleAnalysis) -> list[Row]:
    article = analysis.article
    studies = {s.study_id: s for s in analysis.studies}
    rows = []
    for unit in analysis.units:
        study = studies.get(unit.study_ids[0]) if unit.study_ids else None
        rows.append({
            "article": article,
            "claim_id": f"{article}#{unit.index}",
            "sentence_index": unit.index,
            "line": unit.line,
            "column": unit.column,
            "start": unit.start_char,
            "end": unit.end_char,
            "text": unit.text,
            "kind": unit.kind,
            "is_claim": unit.is_claim,
            "strength": unit.strength,
            # most units have no cue and no flag: their empty cells are not joined up
            "hedges": LIST_SEPARATOR.join(unit.hedges) if unit.cues else "",
            "boosters": LIST_SEPARATOR.join(unit.boosters) if unit.cues else "",
            "study_id": study.study_id if study else "",
            "journal": study.journal if study else "",
            "sample_size": study.sample_size if study else None,
            "duration_days": study.duration_days if study else None,
            "design": study.design if study else "",
            "flags": LIST_SEPARATOR.join([flag.code for flag in unit.flags]) if unit.flags else "",
            "unsupported": unit.unsupported,
            "severity": unit.severity,
            "reasons": " ".join([flag.reason for flag in unit.flags]) if unit.flags else "",
        })
    return rows


def study_rows(analysis: ArticleAnalysis) -> list[Row]:
    return [_study_row(study, analysis.article) for study in analysis.studies]


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


def article_rows(analysis: ArticleAnalysis, counts: ArticleCounts | None = None) -> list[Row]:
    """The article's one row: its size, claim profile and scorecard summary, counted as the run
    summary and the report count them (`pipeline.tally.count_analysis`; pass `counts` when
    already made)."""
    counts = count_analysis(analysis) if counts is None else counts
    headline = analysis.headline
    return [{
        "article": analysis.article,
        "title": analysis.title or "",
        "words": word_count(analysis.text),
        "units": counts.units,
        "claims": counts.claims,
        "hedged": counts.hedged,
        "unsupported": counts.unsupported,
        "studies": counts.studies,
        "criteria_met": counts.criteria_met,
        "criteria_judged": counts.criteria_judged,
        "score": analysis.score,
        "headline_flags": LIST_SEPARATOR.join(f.code for f in headline.flags) if headline else "",
    }]


def criteria_rows(analysis: ArticleAnalysis) -> list[Row]:
    """One row per scorecard criterion, in the SPEC's order."""
    article = analysis.article
    return [{
        "article": article,
        "criterion": verdict.criterion,
        "verdict": verdict.verdict,
        "confidence": verdict.confidence,
        "claim_ids": LIST_SEPARATOR.join(f"{article}#{index}" for index in verdict.unit_indexes),
        "reason": verdict.reason,
    } for verdict in analysis.criteria]

