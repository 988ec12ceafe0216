"""Score claims/studies tables against gold annotations, exactly as SPEC.md describes.

Each gold anchor is matched to the rows whose text contains it (case- and punctuation-
insensitive); a labelled anchor that no row contains counts as predicted `false` (the splitter
lost it). Precision/recall/F1 are computed for is_claim, hedged (hedges non-empty) and
unsupported, skipping `null` labels. Journals are compared by normalised title (case,
punctuation and a leading "the" ignored); sample size and duration are checked per gold study,
matched to a predicted study by journal, or, for gold studies without a journal, to the first
unmatched predicted study with the same sample size, then by order.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

LABELS = (("claim", "is_claim"), ("hedged", "hedges"), ("unsupported", "unsupported"))
_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    return _NON_WORD.sub(" ", text.lower().replace("’", "'")).strip()


def normalise_title(title: str) -> str:
    title = normalise(title or "")
    return title[4:] if title.startswith("the ") else title


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: bool, got: bool) -> None:
        if expected and got:
            self.tp += 1
        elif got:
            self.fp += 1
        elif expected:
            self.fn += 1
        else:
            self.tn += 1

    def scores(self) -> dict[str, float]:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                "support": self.tp + self.fn, "n": self.tp + self.fp + self.fn + self.tn}


@dataclass
class Report:
    labels: dict[str, Counts] = field(
        default_factory=lambda: {name: Counts() for name, _ in LABELS})
    journal: Counts = field(default_factory=Counts)
    sample_size: list[bool] = field(default_factory=list)
    duration: list[bool] = field(default_factory=list)
    design: list[bool] = field(default_factory=list)
    absent_violations: int = 0
    unmatched_anchors: int = 0
    articles: int = 0
    flag_counts: Counter = field(default_factory=Counter)
    # flag code -> Counts over gold-labelled sentences (tp: the sentence is unsupported in gold)
    flag_precision: dict[str, Counts] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        def accuracy(values: list[bool]) -> dict[str, Any]:
            return {"accuracy": round(sum(values) / len(values), 4) if values else 0.0,
                    "n": len(values)}

        return {
            "articles": self.articles,
            **{name: counts.scores() for name, counts in self.labels.items()},
            "journal": self.journal.scores(),
            "sample_size": accuracy(self.sample_size),
            "duration": accuracy(self.duration),
            "design": accuracy(self.design),
            "absent_violations": self.absent_violations,
            "unmatched_anchors": self.unmatched_anchors,
            "flag_counts": dict(sorted(self.flag_counts.items())),
            "flag_precision": {code: {"right": c.tp, "wrong": c.fp,
                                      "precision": (round(c.tp / (c.tp + c.fp), 4)
                                                    if c.tp + c.fp else None)}
                               for code, c in sorted(self.flag_precision.items())},
        }


def load_gold(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        gold = json.load(handle)
    return {k: v for k, v in gold.items() if not k.startswith("_")}


def gold_key(article: str, gold: dict[str, Any]) -> str | None:
    """The gold entry of an output article: by relative path, else by file name, else by the file
    name without its extension (real-news gold is keyed by story id)."""
    if article in gold:
        return article
    name = article.rsplit("/", 1)[-1]
    if name in gold:
        return name
    stem = name.rsplit(".", 1)[0]
    return stem if stem in gold else None


def evaluate(claims: pd.DataFrame, studies: pd.DataFrame, gold: dict[str, Any]) -> Report:
    report = Report()
    for code_list in claims.get("flags", pd.Series(dtype=str)):
        report.flag_counts.update(c for c in str(code_list).split("; ") if c)
    for article, rows in claims.groupby("article", sort=True):
        key = gold_key(article, gold)
        if key is None:
            continue
        report.articles += 1
        entry = gold[key]
        texts = [f" {normalise(t)} " for t in rows["text"]]
        for item in entry.get("sentences", []):
            # whole words: the anchor "AD" is not in "made"
            anchor = f" {normalise(item['anchor'])} "
            matched = rows[[anchor in t for t in texts]]
            if matched.empty:
                report.unmatched_anchors += 1
            if item.get("unsupported") is not None:
                for code in {c for cell in matched.get("flags", [])
                             for c in str(cell).split("; ") if c}:
                    report.flag_precision.setdefault(code, Counts()).add(
                        bool(item["unsupported"]), True)
            for name, column in LABELS:
                expected = item.get(name)
                if expected is None:
                    continue
                got = _predicted(matched, column)
                report.labels[name].add(bool(expected), got)
                if bool(expected) != got:
                    report.misses.append({"article": article, "label": name,
                                          "anchor": item["anchor"],
                                          "expected": bool(expected), "got": got,
                                          "row": (matched.iloc[0]["text"]
                                                  if not matched.empty else None)})
        for text in entry.get("absent", []):
            if any(f" {normalise(text)} " in t for t in texts):
                report.absent_violations += 1
                report.misses.append({"article": article, "label": "absent", "anchor": text,
                                      "expected": False, "got": True, "row": None})
        _score_studies(report, article, entry.get("studies", []),
                       studies[studies["article"] == article])
    return report


def _predicted(matched: pd.DataFrame, column: str) -> bool:
    if matched.empty:
        return False
    values = matched[column]
    if column == "hedges":
        return any(bool(str(v).strip()) for v in values)
    return any(bool(v) and str(v).lower() != "false" for v in values)


def _score_studies(report: Report, article: str, gold_studies: list[dict],
                   predicted: pd.DataFrame) -> None:
    pred = predicted.to_dict("records")
    gold_titles = {normalise_title(s["journal"]) for s in gold_studies if s.get("journal")}
    pred_titles = {normalise_title(p["journal"]) for p in pred if p.get("journal")}
    for title in gold_titles | pred_titles:
        report.journal.add(title in gold_titles, title in pred_titles)
        if (title in gold_titles) != (title in pred_titles):
            report.misses.append({"article": article, "label": "journal", "anchor": title,
                                  "expected": title in gold_titles, "got": title in pred_titles,
                                  "row": None})
    for study, match in zip(gold_studies, _match_studies(gold_studies, pred)):
        _check_value(report.sample_size, report, article, study, match, "sample_size",
                     lambda g, p: p == g)
        _check_value(report.duration, report, article, study, match, "duration_days",
                     lambda g, p: abs(p - g) <= 0.05 * g)
        _check_value(report.design, report, article, study, match, "design", lambda g, p: p == g)


def _match_studies(gold_studies: list[dict], candidates: list[dict]) -> list[dict | None]:
    """The predicted study each gold study is scored against, each used once: first by journal
    (a gold study naming a journal is matched on it or not at all), then by the same sample
    size, then the first journal-less study left. The passes run over all gold studies in turn,
    so a gold study with no journal or size does not take the study another one is told by."""
    unmatched = list(candidates)
    matches: list[dict | None] = [None] * len(gold_studies)

    def take(index: int, found: dict | None) -> None:
        if found is not None:
            unmatched.remove(found)
            matches[index] = found

    for index, study in enumerate(gold_studies):
        if study.get("journal"):
            title = normalise_title(study["journal"])
            take(index, next((p for p in unmatched
                              if normalise_title(p.get("journal") or "") == title), None))
    for index, study in enumerate(gold_studies):
        if not study.get("journal") and study.get("sample_size") is not None:
            take(index, next((p for p in unmatched
                              if _int(p.get("sample_size")) == study["sample_size"]), None))
    for index, study in enumerate(gold_studies):
        if not study.get("journal") and matches[index] is None:
            take(index, next((p for p in unmatched if not p.get("journal")), None))
    return matches


def _int(value: Any) -> int | None:
    try:
        return None if value is None or pd.isna(value) or value == "" else int(value)
    except (TypeError, ValueError):
        return None


def _check_value(results: list[bool], report: Report, article: str, study: dict,
                 match: dict | None, key: str, same) -> None:
    expected = study.get(key)
    if expected is None:
        return
    got = match.get(key) if match else None
    if key != "design":
        got = _int(got)
    ok = got is not None and got != "" and bool(same(expected, got))
    results.append(ok)
    if not ok:
        report.misses.append({"article": article, "label": key,
                              "anchor": (study.get("journal")
                                         or f"study n={study.get('sample_size')}"),
                              "expected": expected, "got": got, "row": None})
