"""A study as the article describes it: the row model of studies.csv."""

from __future__ import annotations

from dataclasses import dataclass, field

# Evidence level for "the strongest study" (OCEBM 2011 order; lower is stronger).
DESIGN_RANK = {
    "meta-analysis": 0, "systematic-review": 1, "rct": 2, "cohort": 3, "case-control": 4,
    "cross-sectional": 5, "observational": 5, "pilot": 6, "case-series": 7, "unknown": 8,
    "animal": 9, "in-vitro": 10,
}
OBSERVATIONAL_DESIGNS = frozenset({"cohort", "case-control", "cross-sectional", "observational"})
NON_HUMAN_DESIGNS = frozenset({"animal", "in-vitro"})


@dataclass
class Study:
    study_id: str
    journal: str = ""
    citations: list[str] = field(default_factory=list)
    sample_size: int | None = None
    sample_unit: str = ""
    study_count: int | None = None
    duration_days: int | None = None
    duration_text: str = ""
    frequency: str = ""
    population: str = ""
    design: str = "unknown"
    control: str = "unknown"
    blinding: str = "unknown"
    outcome_measure: str = "unknown"
    funding: str = "unknown"
    sentence_indexes: list[int] = field(default_factory=list)
    not_a_journal: list[str] = field(default_factory=list)  # preprint servers, conferences

    @property
    def strength_key(self) -> tuple[int, int]:
        """Sort key: best design first, then the largest sample."""
        return (DESIGN_RANK.get(self.design, 8), -(self.sample_size or 0))

    def evidence_summary(self) -> str:
        """'S1: 30 participants, 84 days, outcomes self-reported, no control group mentioned'."""
        parts = []
        if self.design not in ("unknown", ""):
            parts.append(self.design)
        if self.sample_size:
            parts.append(f"{self.sample_size:,} {self.sample_unit or 'participants'}")
        else:
            parts.append("sample size not stated")
        if self.duration_text:
            parts.append(self.duration_text)
        if self.outcome_measure == "self-reported":
            parts.append("outcomes self-reported")
        if self.control == "no":
            parts.append("no control group")
        elif self.control == "unknown":
            parts.append("no control group mentioned")
        if self.funding == "industry":
            parts.append("industry-funded")
        if self.not_a_journal:
            parts.append("not peer-reviewed: " + ", ".join(self.not_a_journal))
        return f"{self.study_id}: " + ", ".join(parts)
