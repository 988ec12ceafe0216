"""The article scorecard component: HealthNewsReview.org's criteria checked on the units and
studies the earlier components produced (see `pipeline.scorecard`). Runs last; writes one
`ScorecardResult` on the Doc (`pipeline.scorecard.scorecard_of`).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.analysis import CriterionVerdict, headline_unit
from pipeline.components._util import doc_text
from pipeline.extensions import unit_records
from pipeline.rulefile import load_rules
from pipeline.scorecard import ScorecardResult, set_scorecard
from pipeline.scorecard.criteria import THRESHOLDS_SCHEMA, Evidence, feature_names, features, judge
from pipeline.scorecard.model import MODEL_SCHEMA, ScorecardModel, model_from_rules
from pipeline.scorecard.signals import SIGNAL_SCHEMA, SignalTagger

LEXICON_SCHEMA = {"signals": SIGNAL_SCHEMA, "thresholds": THRESHOLDS_SCHEMA}


class Scorecard:
    """Signals -> a verdict per criterion (the rules) -> confidences and star score (the model)."""

    def __init__(self, nlp: Language, lexicon: dict, model: ScorecardModel) -> None:
        self.tagger = SignalTagger(nlp, lexicon["signals"])
        self.thresholds = {k: v for k, v in lexicon["thresholds"].items() if not k.startswith("_")}
        self.model = model

    def __call__(self, doc: Doc) -> Doc:
        units = unit_records(doc)
        studies = doc._.studies or []
        source = doc._.source
        text = doc_text(doc)
        hits = self.tagger(doc, units, text)
        evidence = Evidence(
            units,
            studies,
            hits,
            self.thresholds,
            headline_unit(units, source.title if source is not None else None),
            len(doc),
        )
        judgements = judge(evidence)
        values = features(evidence, judgements)
        criteria = [
            CriterionVerdict(
                name,
                j.verdict,
                round(self.model.criteria[name].confidence(j.verdict, values), 3),
                j.unit_indexes,
                j.reason,
            )
            for name, j in judgements.items()
        ]
        score = round(self.model.stars(values), 2) if units else None
        set_scorecard(doc, ScorecardResult(criteria, score, values))
        return doc


@Language.factory(
    "claimscan_scorecard",
    assigns=["doc.user_data"],
    requires=["span._.kind", "span._.flags", "doc._.studies"],
    default_config={"lexicon": "scorecard.json", "model": "scorecard_model.json"},
)
def make_scorecard(nlp: Language, name: str, lexicon: str, model: str) -> Scorecard:
    rules = load_rules(lexicon, LEXICON_SCHEMA)
    signals = tuple(n for n in rules["signals"] if not n.startswith("_"))
    fitted = model_from_rules(load_rules(model, MODEL_SCHEMA), feature_names(signals), model)
    return Scorecard(nlp, rules, fitted)
