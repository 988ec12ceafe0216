"""spaCy components of the claimscan pipeline; importing this registers every factory."""

from pipeline.components import (  # noqa: F401  (imported for their @Language.factory side effect)
    attribution,
    citations,
    claims,
    cues,
    generalization,
    scorecard,
    study_facts,
    study_linker,
    units,
)
