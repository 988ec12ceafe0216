"""The article scorecard (criteria.csv, articles.csv): hand-labelled verdicts on team-corpus
articles, the signals on invented sentences, the rule and model files, the tables, and the
benchmark and fit scripts (they skip without data; on a tiny invented data set they run).

Every sentence here is invented for the test or comes from the team corpus (corpus/dev,
corpus/test), never from the news data files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

from pipeline import scan, scan_text
from pipeline.analysis import CRITERIA, ArticleAnalysis, CriterionVerdict, Flag, Unit
from pipeline.api import analyse
from pipeline.extract import extract
from pipeline.records import ARTICLE_COLUMNS, CRITERIA_COLUMNS, article_rows, criteria_rows
from pipeline.rulefile import RuleFileError, check, load_rules
from pipeline.scorecard.criteria import feature_names
from pipeline.scorecard.model import MODEL_SCHEMA, fit_linear, fit_logistic, model_from_rules

S, NS, NA = "satisfactory", "not_satisfactory", "not_applicable"

# Verdicts written by reading each article against HealthNewsReview.org's questions (not from the
# tool's output), in CRITERIA order: costs, benefits, harms, evidence_quality, disease_mongering,
# sensational_language, independent_sources, funding_conflicts, alternatives, availability,
# novelty. disease_mongering and novelty are not_applicable for every article: the scorecard
# does not judge them from the text (docs/scorecard.md), whatever a reader with knowledge of the
# condition or the field would say.
EXPECTED = {
    # RCT of a pill: no price; both arms' results and a CI; potassium rates in both arms and
    # dropouts for side effects; double-blind RCT with stated limits; measured headline; an
    # outside cardiologist; company funding; "similar to adding another standard drug"; not
    # approved yet.
    "dev/d01-bp-drug-rct.txt": (NS, S, S, S, NA, S, S, S, S, S, NA),
    # Cohort on coffee: "17 percent less likely" only (relative); no harms beyond a caution; the
    # limitations paragraph (observational, cannot prove cause); "slashes", "huge study";
    # only the lead author quoted; no funding; no alternatives; nothing on availability.
    "dev/d02-coffee-longevity-cohort.txt": (NS, NS, NS, S, NA, NS, NS, NS, NS, NS, NA),
    # Company press release: a price (GBP 24.99); a pilot with no control group, so before/after
    # numbers only; "completely natural and has no side effects"; a 24-person open-label pilot
    # called proof; "breakthrough"; no outside source; funder and consulting fees disclosed;
    # standard treatments only dismissed; on sale now.
    "dev/d08-probiotic-press-release.txt": (S, NS, NS, NS, NA, NS, NS, S, NS, S, NA),
    # Cohort on vitamin D: "cheap" but no price; "18% lower risk" and a hazard ratio only;
    # "can cause harm" at high doses, nothing named; observational limits and confounding stated;
    # measured headline; an outside oncologist; no funding; no alternatives; not stated.
    "dev/d10-vitamin-d-breast-cancer.txt": (NS, NS, NS, S, NA, S, S, NS, NS, NS, NA),
    # RCT of a triple pill: no price; 71% vs 24% at target; dizziness, ankle swelling, 3% stopped;
    # blinded RCT with its limits; measured; independent experts; public funder, company role
    # stated; the usual one-drug-then-more approach in the guidelines; not yet available.
    "test/t01-bp-triple-pill-rct.txt": (NS, S, S, S, NA, S, S, S, S, S, NA),
    # Device press release: retail price; 18-person pre/post pilot without a comparison group;
    # "no side effects and suitable for all ages"; a pilot called proof; "groundbreaking",
    # "dramatically"; only company voices; company funding stated; "drug-free alternative" but no
    # comparison; launch this fall.
    "test/t08-neurocalm-press-release.txt": (S, NS, NS, NS, NA, NS, NS, S, NS, S, NA),
}


@pytest.fixture(scope="module")
def corpus_result():
    return scan([REPO / "corpus"])


@pytest.mark.parametrize("article", sorted(EXPECTED))
def test_corpus_articles_match_hand_labels(corpus_result, article):
    rows = corpus_result.criteria[corpus_result.criteria.article == article]
    assert list(rows.criterion) == list(CRITERIA)
    got = dict(zip(rows.criterion, rows.verdict))
    want = dict(zip(CRITERIA, EXPECTED[article]))
    wrong = {c: (want[c], got[c]) for c in CRITERIA if want[c] != got[c]}
    assert not wrong, f"{article}: (expected, got) {wrong}"


def test_every_criterion_row_is_well_formed(corpus_result):
    criteria, claims, articles = (
        corpus_result.criteria,
        corpus_result.claims,
        corpus_result.articles,
    )
    assert list(criteria.columns) == list(CRITERIA_COLUMNS)
    assert list(articles.columns) == list(ARTICLE_COLUMNS)
    claim_ids = set(claims.claim_id)
    for row in criteria.itertuples():
        assert row.verdict in (S, NS, NA)
        assert 0.0 <= row.confidence <= 1.0
        assert row.reason.endswith(".") and "\n" not in row.reason
        ids = [i for i in row.claim_ids.split("; ") if i]
        assert all(i in claim_ids and i.startswith(f"{row.article}#") for i in ids), row
    for row in articles.itertuples():
        assert 0.0 <= row.score <= 5.0
        assert row.criteria_judged == 9  # disease_mongering and novelty are never judged
        satisfied = criteria[(criteria.article == row.article) & (criteria.verdict == S)]
        assert row.criteria_met == len(satisfied)
        assert row.claims == claims[(claims.article == row.article) & claims.is_claim].shape[0]


def test_reasons_quote_the_units_they_name(corpus_result):
    """A quote "'…' (#n)" in a reason is text of unit n of that article."""
    import re

    texts = {(r.article, r.sentence_index): r.text for r in corpus_result.claims.itertuples()}
    quoted = 0
    for row in corpus_result.criteria.itertuples():
        for quote, index in re.findall(r"'([^']+)' \(#(\d+)\)", row.reason):
            quote = quote.rstrip("…")
            assert quote in " ".join(texts[(row.article, int(index))].split()), (row.reason, index)
            quoted += 1
    assert quoted > 50


# --------------------------------------------------------------------------- signals, invented text


def card(body: str, title: str = "Invented test article") -> dict[str, CriterionVerdict]:
    analysis = analyse("test.txt", extract(f"{title}\n\n{body}\n", "text"))
    return {c.criterion: c for c in analysis.criteria}


def test_a_price_is_a_cost_but_a_research_grant_is_not():
    assert card("The injections cost about $1,200 a month.")["costs"].verdict == S
    assert card("Patients pay £30 for each session at the clinic.")["costs"].verdict == S
    grant = card("The work was funded by a $2 million grant from the city.")["costs"]
    assert grant.verdict == NS and grant.unit_indexes == ()
    talk = card("The pills are expensive, the doctors said.")["costs"]
    assert talk.verdict == NS and "'expensive'" in talk.reason


def test_benefits_absolute_relative_and_uncontrolled():
    absolute = card(
        "In the trial, strokes fell from 4.1% to 3.2% of patients. "
        "Fewer patients, 12 percent, needed surgery."
    )["benefits"]
    assert absolute.verdict == S and "from 4.1% to 3.2%" in absolute.reason
    relative = card("The pill cut deaths by 30 percent. Hospital stays were 20% shorter.")[
        "benefits"
    ]
    assert (
        relative.verdict == NS
        and "relative" in relative.reason
        and "'by 30 percent'" in relative.reason
    )
    counts = card(
        "Of the patients, 18 out of 40 improved, compared with 9 percent on placebo. "
        "About 45 per cent slept better."
    )["benefits"]
    assert counts.verdict == S
    # percentages that are neither relative changes nor both groups' rates: not absolute terms
    lone = card("The test was 89 percent accurate. About 45 per cent of users liked it.")[
        "benefits"
    ]
    assert lone.verdict == NS and "none in absolute terms" in lone.reason
    assert "'89 percent'" in lone.reason
    none = card("The patients felt much better after the programme.")["benefits"]
    assert none.verdict == NS and none.unit_indexes == ()


def test_harms_need_several_named_harms_and_denials_fail():
    named = card("Common side effects were nausea, headache and dizziness.")["harms"]
    assert named.verdict == S and named.unit_indexes == (1,)
    one = card("Some patients reported side effects.")["harms"]
    assert one.verdict == NS and "only 1 harm" in one.reason
    denied = card("Common side effects were nausea and headache. The cream has no side effects.")[
        "harms"
    ]
    assert denied.verdict == NS and "'no side effects'" in denied.reason
    vague = card("The treatment appears to be safe.")["harms"]
    assert vague.verdict == NS and "safety" in vague.reason


def test_independent_sources_funding_availability_alternatives():
    verdicts = card(
        "The trial was funded by the National Institutes of Health. "
        '"It is a careful study," said Dr. Ana Ruiz, who was not involved in the study. '
        "The drug is not yet approved by the FDA. "
        "It worked as well as the standard treatment. It also did better than surgery."
    )
    assert verdicts["funding_conflicts"].verdict == S
    assert (
        verdicts["independent_sources"].verdict == S
        and "'who was not involved'" in verdicts["independent_sources"].reason
    )
    assert verdicts["availability"].verdict == S
    assert verdicts["alternatives"].verdict == S
    silent = card("The drug helped the patients in the study.")
    for criterion in ("funding_conflicts", "independent_sources", "availability", "alternatives"):
        assert silent[criterion].verdict == NS and silent[criterion].unit_indexes == ()


def test_a_speaker_the_attribution_component_calls_independent_is_an_independent_source():
    """The editorial writer is independent by role; no phrase of the signal says so."""
    verdicts = card(
        "The drug lowered blood pressure in a trial of 400 adults. "
        '"The result is modest," said Dr. Omar Haddad, who wrote an accompanying editorial. '
        '"Larger trials are needed," Haddad said.'
    )
    independent = verdicts["independent_sources"]
    assert independent.verdict == S and "Haddad" in independent.reason
    assert len(independent.unit_indexes) == 2


def test_a_comparison_with_placebo_is_not_an_alternative():
    verdict = card("The drug was compared with a placebo. It was compared with a dummy pill.")[
        "alternatives"
    ]
    assert verdict.verdict == NS


def test_sensational_language():
    hyped = card("Scientists hail a breakthrough. The new device is a game-changer for patients.")
    assert hyped["sensational_language"].verdict == NS
    assert "'breakthrough'" in hyped["sensational_language"].reason
    calm = card("The device lowered pain scores a little in a small trial.")
    assert calm["sensational_language"].verdict == S


def test_a_headline_is_sensational_for_its_wording_not_for_every_overclaim():
    mice = "In the study, 40 mice on the diet lived longer than 40 mice on normal food."
    sold = card(mice, title="Diet reverses ageing, offering hope for people")
    assert sold["sensational_language"].verdict == NS
    assert "ANIMAL_TO_HUMAN" in sold["sensational_language"].reason
    survey = ("In a survey of 5,000 adults, those who drank coffee reported fewer headaches. "
              "The survey was published in the journal Headache.")
    causal = analyse("t.txt", extract(f"Coffee prevents headaches\n\n{survey}\n", "text"))
    assert "CAUSAL_FROM_OBSERVATIONAL" in [f.code for f in causal.units[0].flags]
    verdict = next(c for c in causal.criteria if c.criterion == "sensational_language")
    assert verdict.verdict == S


def test_undecidable_criteria_are_not_applicable_with_the_units_to_check():
    verdicts = card(
        "This is the first drug of its kind. Previous studies found similar effects. "
        "Millions of people suffer from the condition, an epidemic."
    )
    novelty, mongering = verdicts["novelty"], verdicts["disease_mongering"]
    assert novelty.verdict == NA and "Cannot be judged from the text" in novelty.reason
    assert set(novelty.unit_indexes) == {1, 2}
    assert mongering.verdict == NA and "'Millions of people' (#3)" in mongering.reason
    assert mongering.unit_indexes == (3,)


def test_weak_evidence_called_proof_fails_evidence_quality():
    verdict = card(
        "A pilot study of 12 volunteers with no control group proves that the tea "
        "eliminates fatigue."
    )["evidence_quality"]
    assert verdict.verdict == NS and "proof" in verdict.reason
    described = card(
        "In the randomized trial, 400 adults took the drug or a placebo for a year. "
        "Neither the patients nor the doctors knew who got the drug: it was double-blind. "
        "The placebo group did worse. The study had limitations."
    )["evidence_quality"]
    assert described.verdict == S and "'randomized' (#1)" in described.reason
    too_little = card("In the randomized trial, the drug helped.")["evidence_quality"]
    assert too_little.verdict == NS and "beyond 'randomized' (#1)" in too_little.reason


def test_number_patterns_find_every_spelling_their_gates_list():
    """The percentage patterns run only on units holding '%', 'percent' or 'per cent' (matcher
    tokens): each spelling reaches them."""
    for unit in (" per cent", "%", " percent"):
        body = (
            f"About 45{unit} of the patients improved, compared with 20{unit} on placebo. "
            f"Pain fell in 30{unit} of them."
        )
        benefits = card(body)["benefits"]
        assert benefits.verdict == S and benefits.unit_indexes == (1,), body


# --------------------------------------------------------------------------- tables and headline


def _unit(
    index: int, text: str, start: int, kind: str = "paragraph", block: int = 0, **extra
) -> Unit:
    return Unit(index, 0, 0, start, start + len(text), text, kind, block, **extra)


def test_article_row_counts_and_headline_flags():
    title = "Tea cures colds"
    body = "Tea may ease colds, a survey found."
    text = f"{title}\n\n{body}"
    headline = _unit(
        0,
        title,
        0,
        "heading",
        0,
        is_claim=True,
        unsupported=True,
        flags=[Flag("ABSOLUTE_LANGUAGE", "'cures' ...", "error")],
    )
    claim = _unit(1, body, len(title) + 2, "paragraph", 1, is_claim=True)
    analysis = ArticleAnalysis(
        "a.txt",
        text,
        title,
        [headline, claim],
        [],
        [],
        criteria=[
            CriterionVerdict("costs", NS, 0.9, (), "No price."),
            CriterionVerdict("harms", S, 0.7, (1,), "Names harms."),
            CriterionVerdict("novelty", NA, 0.1, (), "Cannot be judged."),
        ],
        score=2.5,
    )
    [row] = article_rows(analysis)
    assert row == {
        "article": "a.txt",
        "title": title,
        "words": 10,
        "units": 2,
        "claims": 2,
        "hedged": 0,
        "unsupported": 1,
        "studies": 0,
        "criteria_met": 1,
        "criteria_judged": 2,
        "score": 2.5,
        "headline_flags": "ABSOLUTE_LANGUAGE",
    }
    rows = criteria_rows(analysis)
    assert [r["claim_ids"] for r in rows] == ["", "a.txt#1", ""]
    # A first unit that is not the title is not a headline.
    analysis.title = "Another title"
    assert article_rows(analysis)[0]["headline_flags"] == ""


def test_the_scorecard_survives_the_result_cache_round_trip():
    analysis = analyse(
        "x.txt", extract((REPO / "corpus/dev/d01-bp-drug-rct.txt").read_text(), "text")
    )
    again = ArticleAnalysis.from_dict(json.loads(json.dumps(analysis.to_dict())))
    assert again.criteria == analysis.criteria and again.score == analysis.score
    assert criteria_rows(again) == criteria_rows(analysis)


def test_scan_text_returns_the_scorecard_and_stays_a_pair():
    result = scan_text("A title\n\nThe tea costs $4 a box.\n", article="t.txt")
    claims, _studies = result
    assert len(result) == 2 and len(claims) == 2
    assert list(result.articles.article) == ["t.txt"]
    assert list(result.criteria.criterion) == list(CRITERIA)
    assert str(result.articles.score.dtype) == "Float64"


def test_csv_neutralises_formula_titles_in_the_articles_table(tmp_path):
    from pipeline.runner import run_batch

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "f.txt").write_text(
        '=HYPERLINK("http://x")\n\nTea may help colds.\n', encoding="utf-8"
    )
    run_batch([folder], tmp_path / "out")
    text = (tmp_path / "out" / "articles.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert (tmp_path / "out" / "criteria.csv").read_text(encoding="utf-8").count("\n") == 1 + len(
        CRITERIA
    )


# --------------------------------------------------------------------------- rule and model files


def test_rule_file_rejects_unknown_keys(tmp_path):
    from pipeline.components.scorecard import LEXICON_SCHEMA

    data = load_rules("scorecard.json", LEXICON_SCHEMA)
    broken = json.loads(json.dumps(data))
    broken["signals"]["hype"]["phrase"] = ["typo"]
    with pytest.raises(RuleFileError, match="unknown key 'phrase'"):
        check(broken, LEXICON_SCHEMA, "scorecard.json")
    broken = json.loads(json.dumps(data))
    broken["thresholds"]["harm_min_terms"] = 2
    with pytest.raises(RuleFileError, match="harm_min_terms"):
        check(broken, LEXICON_SCHEMA, "scorecard.json")


def test_model_file_names_only_known_features_and_every_criterion():
    data = load_rules("scorecard_model.json", MODEL_SCHEMA)
    signals = tuple(
        n
        for n in load_rules("scorecard.json", {"signals": dict, "thresholds": dict})["signals"]
        if not n.startswith("_")
    )
    model = model_from_rules(data, feature_names(signals))
    assert set(model.criteria) == set(CRITERIA)
    broken = json.loads(json.dumps(data))
    broken["score"]["weights"]["signal:no_such_signal"] = 1.0
    with pytest.raises(RuleFileError, match="no_such_signal"):
        model_from_rules(broken, feature_names(signals))
    del broken["criteria"]["costs"]
    with pytest.raises(RuleFileError, match="missing costs"):
        model_from_rules(broken, feature_names(signals))


def test_fitting_recovers_known_models():
    import numpy as np

    rng = np.random.default_rng(3)
    x = rng.normal(size=(400, 2))
    y = 1.5 + 2.0 * x[:, 0] - 1.0 * x[:, 1]
    weights, bias = fit_linear(x, y, l2=0.0)
    assert weights == pytest.approx([2.0, -1.0], abs=1e-6) and bias == pytest.approx(1.5, abs=1e-6)
    labels = (x[:, 0] + rng.normal(scale=0.5, size=400)) > 0
    weights, bias = fit_logistic(x, labels.astype(float), l2=1.0)
    assert weights[0] > 1.0 and abs(weights[1]) < 0.5


def test_the_runtime_does_not_need_numpy_for_the_model():
    """Applying the fitted model is plain Python: numpy is imported only by the fitting helpers."""
    source = (REPO / "pipeline" / "scorecard" / "model.py").read_text()
    head = source.split("def fit_logistic")[0]
    assert "import numpy" not in head


# --------------------------------------------------------------------------- scripts


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )


def test_benchmark_and_fit_script_skip_cleanly_without_data(tmp_path):
    missing = [
        "--stories",
        str(tmp_path / "no-stories.jsonl"),
        "--releases",
        str(tmp_path / "no.jsonl"),
    ]
    bench = _run("benchmarks/scorecard.py", *missing)
    assert bench.returncode == 0 and "scorecard: skipped" in bench.stdout
    model = REPO / "configs" / "scorecard_model.json"
    before = model.read_bytes()
    fit = _run("scripts/fit_scorecard.py", *missing)
    assert fit.returncode == 0 and "skipped" in fit.stdout
    assert model.read_bytes() == before


def _invented_data(root: Path) -> tuple[Path, Path]:
    good_body = (
        "In a randomized trial of 600 adults, migraines fell from 40% to 25% of days, compared "
        "with 38% on placebo. Side effects were nausea, dizziness and fatigue. The pill costs $30 "
        "a month. It was funded by the National Institutes of Health. Dr. Kim, who was not "
        "involved, said the result was solid but that the drug is not yet approved."
    )
    poor_body = "A breakthrough tea cures migraines, experts say. It is a game-changer."
    good = ("New pill eases migraines in trial", good_body)
    poor = ("Miracle tea cures migraines", poor_body)
    stories, releases = [], []
    for i in range(30):
        title, text = good if i % 2 else poor
        stories.append(
            {
                "id": f"story-{i}",
                "title": title.strip(),
                "text": text,
                "rating": 5 if i % 2 else 1,
                "num_satisfactory": 8 if i % 2 else 2,
            }
        )
        answer = "Satisfactory" if i % 2 else "Not Satisfactory"
        keys = (
            "cost",
            "benefits",
            "harms",
            "evidence_quality",
            "disease_mongering",
            "funding_conflicts",
            "alternatives",
            "availability",
            "novelty",
            "sensational_language",
        )
        releases.append(
            {
                "id": f"release-{i}",
                "release_title": title.strip(),
                "release_text": text,
                "criteria": [
                    {"key": k, "question": "?", "answer": answer, "explanation": ""} for k in keys
                ],
            }
        )
    paths = root / "stories.jsonl", root / "releases.jsonl"
    for path, rows in zip(paths, (stories, releases)):
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return paths


def test_benchmark_and_fit_script_run_on_invented_data(tmp_path):
    stories, releases = _invented_data(tmp_path)
    out = tmp_path / "model.json"
    fit = _run(
        "scripts/fit_scorecard.py",
        "--stories",
        str(stories),
        "--releases",
        str(releases),
        "--out",
        str(out),
    )
    assert fit.returncode == 0, fit.stderr
    check(json.loads(out.read_text()), MODEL_SCHEMA, "model.json")
    bench = _run(
        "benchmarks/scorecard.py",
        "--stories",
        str(stories),
        "--releases",
        str(releases),
        "--bootstrap",
        "20",
        "--json",
    )
    assert bench.returncode == 0, bench.stderr
    payload = json.loads(bench.stdout[bench.stdout.index("{\n") :])
    report = payload["report"]
    assert set(report["releases"]) == {"dev", "held-out"} and set(report["stories"]) == {
        "dev",
        "held-out",
    }
    assert "Miracle tea" not in bench.stdout.split("{\n", 1)[1]  # aggregate numbers only
    dev = report["stories"]["dev"]
    assert dev["score_auc_good_vs_poor"]["auc"] == 1.0
    assert report["releases"]["dev"]["criteria"]["sensational_language"]["f1"] == 1.0


def test_every_decidable_criterion_has_a_check_code_with_guidance():
    """flags.json gives a CS3xx code to each criterion the text can decide; the two that are
    always not_applicable have none (a code that can never fire would be dead)."""
    from pipeline.rules import criterion_codes
    from pipeline.scorecard.criteria import RULES

    codes = criterion_codes()
    assert set(codes) == set(RULES) - {"disease_mongering", "novelty"}
    assert [c.id for c in codes.values()] == [f"CS3{i:02d}" for i in range(1, len(codes) + 1)]
    assert all(c.why and c.fix and c.severity == "info" for c in codes.values())
