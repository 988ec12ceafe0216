"""The article scorecard: HealthNewsReview.org's review criteria checked per article.

    signals.py    what to look for (prices, absolute effects, side effects...): scorecard.json
    criteria.py   the rules: one readable function per criterion -> verdict, deciding units, reason
    model.py      the fitted confidences and star score: configs/scorecard_model.json

The spaCy component (`pipeline.components.scorecard`) runs them after every other component and
leaves a `ScorecardResult` on the Doc; `api.analyse` copies it onto the `ArticleAnalysis`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from pipeline.analysis import CriterionVerdict

_RESULT = "claimscan_scorecard"


@dataclass
class ScorecardResult:
    """The scorecard of one Doc: a verdict per criterion (CRITERIA order), the 0-5 star score,
    and the features the model read (for fitting and inspection)."""

    criteria: list[CriterionVerdict]
    score: float | None
    features: dict[str, float] = field(default_factory=dict)


def scorecard_of(doc: Doc) -> ScorecardResult | None:
    """The Doc's scorecard; None when the pipeline has no scorecard component."""
    return doc.user_data.get(_RESULT)


def set_scorecard(doc: Doc, result: ScorecardResult) -> None:
    doc.user_data[_RESULT] = result
