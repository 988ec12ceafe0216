"""Smoke tests of benchmarks/: each script on a tiny synthetic dataset in its real file format
(every sentence here is invented for the test), the metrics on hand-computed cases, and the
clean skip when the data is absent. No external data is read or copied."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import (  # noqa: E402
    causal_strength, certainty, common, exaggeration_pairs, healthrelease_criteria,
    journal_mentions, run_all,
)

SCRIPTS = ["causal_strength.py", "certainty.py", "exaggeration_pairs.py", "journal_mentions.py",
           "healthrelease_criteria.py", "run_all.py"]


def _metrics(result: dict) -> dict[str, float]:
    assert result["status"] == "ok"
    return {m["metric"]: m["ours"] for m in result["metrics"]}


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


# One invented sentence per strength level (0 none, 1 correlational, 2 conditional, 3 direct).
STRENGTH_SENTENCES = [
    ("The trial enrolled 40 adults in Ohio.", 0),
    ("Drinking tea is associated with fewer migraines in adults.", 1),
    ("Vitamin D may reduce the number of fractures.", 2),
    ("Daily exercise reduces blood pressure in older adults.", 3),
]


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    folder = root / "causal-strength"
    _write_csv(folder / "annotated_pubmed.csv", ["sentence", "label"],
               [[s, label] for s, label in STRENGTH_SENTENCES])
    _write_csv(folder / "annotated_eureka.csv", ["sentId", "sentence", "label"],
               [[f"1-x-{i}-sentence", s, label] for i, (s, label) in enumerate(STRENGTH_SENTENCES)])
    _write_jsonl(root / "certainty" / "sentence-level-certainty.jsonl", [
        {"id": 0, "finding": "Stretching improves flexibility.", "sentence-level-certainty": 5.5,
         "split": "train"},
        {"id": 1, "finding": "Sleep may improve memory in students.",
         "sentence-level-certainty": 3.5, "split": "train"},
        {"id": 2, "finding": "Fish oil could perhaps protect the heart, the researchers suggest.",
         "sentence-level-certainty": 2.0, "split": "train"},
        {"id": 3, "finding": "Walking lowers blood sugar in adults with diabetes.",
         "sentence-level-certainty": 5.0, "split": "train"},
        {"id": 4, "finding": "Daily exercise reduces blood pressure.",
         "sentence-level-certainty": 5.5, "split": "test"},
        {"id": 5, "finding": "Green tea may reduce colds.", "sentence-level-certainty": 3.5,
         "split": "test"},
        {"id": 6, "finding": "Green tea might possibly reduce colds, the authors suggest.",
         "sentence-level-certainty": 2.0, "split": "test"},
    ])
    _write_jsonl(root / "exaggeration-pairs" / "insciout_test.jsonl", [
        {"original_file_id": "t1",
         "press_release_conclusion": "Daily exercise reduces blood pressure.",
         "press_release_strength": 3,
         "abstract_conclusion": "Exercise is associated with lower blood pressure.",
         "abstract_strength": 1, "exaggeration_label": "exaggerates"},
        {"original_file_id": "t2", "press_release_conclusion": "Coffee is linked to longer life.",
         "press_release_strength": 1,
         "abstract_conclusion": "Coffee intake is associated with lower mortality.",
         "abstract_strength": 1, "exaggeration_label": "same"},
        {"original_file_id": "t3", "press_release_conclusion": "Green tea may reduce colds.",
         "press_release_strength": 2,
         "abstract_conclusion": "Green tea reduces colds.", "abstract_strength": 3,
         "exaggeration_label": "downplays"},
    ])
    _write_csv(root / "journal-mentions" / "reuters_sentences_dev.csv",
               ["sentence", "jo", "label"], [
        ["The widget survey was published in the Journal of Widget Studies.",
         "Journal of Widget Studies", 1],
        ["The study appears in The Lancet.", "The Lancet", 1],
        ["The weather in Boston was mild on Tuesday.", "", 0],
        ["Researchers followed 200 children for two years.", "", 0],
    ])

    def release(rid: str, text: str, answer: str) -> dict:
        criteria = [{"key": key, "question": "?",
                     "answer": (answer if key in ("evidence_quality", "sensational_language")
                                else "Not Applicable"),
                     "explanation": ""} for key in ("cost", "benefits", "harms", "evidence_quality",
                                                    "disease_mongering", "funding_conflicts",
                                                    "alternatives", "availability", "novelty",
                                                    "sensational_language")]
        return {"id": rid, "hnr_review_url": "", "release_url": "", "hnr_review_title": "",
                "release_title": rid, "release_text": text, "criteria": criteria}

    _write_jsonl(root / "healthrelease-criteria" / "dev.jsonl", [
        release("r1", "Green tea is proven to cure cancer in everyone. This miracle drink always "
                      "works, and it is guaranteed to eliminate disease.\n\n"
                      "Experts agree that everyone should drink it every day.", "Not Satisfactory"),
        release("r2", "Scientists say coffee is a guaranteed cure for fatigue. It is clinically "
                      "proven and works for everyone.", "Not Satisfactory"),
        release("r3", "The hospital opened a new clinic on Monday. The clinic has 20 beds and a "
                      "parking garage.", "Satisfactory"),
        release("r4", "The museum is closed on public holidays. Tickets are sold at the front "
                      "desk.", "Satisfactory"),
        release("r5", "", "Not Satisfactory"),  # empty text: left out, as in the real file
    ])
    return root


# --------------------------------------------------------------------------- metrics by hand


def test_metrics_on_hand_computed_cases():
    assert common.accuracy([1, 2, 3, 3], [1, 2, 3, 0]) == 0.75
    # class 0: P 0 R 0 F 0; class 1: P 1 R 1 F 1; class 3: P 1 R .5 F 2/3
    assert common.macro_f1([1, 3, 3], [1, 3, 0], [0, 1, 3]) == pytest.approx((0 + 1 + 2 / 3) / 3)
    assert common.precision_recall_f1([1, 1, 0, 0], [1, 0, 1, 0]) == (0.5, 0.5, 0.5)
    assert common.macro_f1([1, 1], [1, 1], [0, 1, 2, 3]) == 1.0  # labels seen nowhere are left out
    assert common.pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert common.pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert common.ranks([10, 20, 20, 30]) == [1.0, 2.5, 2.5, 4.0]
    assert common.spearman([1, 2, 3, 4], [1, 4, 9, 16]) == pytest.approx(1.0)
    assert common.auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == pytest.approx(0.75)
    # ties count one half
    assert common.auc([1, 1, 1, 1], [False, True, False, True]) == pytest.approx(0.5)
    assert common.YU_LEVEL == {"none": 0, "correlational": 1, "conditional": 2, "can-causal": 3,
                               "direct": 3}


def test_certainty_score_formula_and_fit():
    sentence = common.SentenceAnalysis("x", "conditional", "reduce", ("may", "suggest"),
                                       ("more research is needed",), ("clearly",), (), (), 1)
    # 4.5 - 2*0.75 + 0.25 - 0.5 - 0.5 = 2.25
    assert certainty.certainty_score(sentence) == pytest.approx(2.25)
    heavy = common.SentenceAnalysis("x", "none", "", ("may",) * 9, (), (), (), (), 1)
    assert certainty.certainty_score(heavy) == 1.0  # clipped
    plain = common.SentenceAnalysis("x", "none", "", (), (), (), (), (), 1)
    hedged = common.SentenceAnalysis("x", "none", "", ("may",), (), (), (), (), 1)
    fitted = certainty.fit_weights([plain, hedged, plain, hedged], [5.0, 3.0, 5.0, 3.0])
    assert (fitted.base == pytest.approx(5.0, abs=1e-2)
            and fitted.hedge == pytest.approx(-2.0, abs=1e-2))


def test_title_normalization():
    assert journal_mentions.normalize_title("The BMJ.") == "bmj"
    assert journal_mentions.title_matches("the Lancet", ["The Lancet"])
    assert not journal_mentions.title_matches("JAMA Pediatrics", ["JAMA"])


# --------------------------------------------------------------------------- scripts end to end


def test_causal_strength_perfect_predictions(data: Path):
    m = _metrics(causal_strength.main(["--data", str(data)]))
    assert m["PubMed macro-F1 (4 classes)"] == 1.0 and m["PubMed accuracy"] == 1.0
    assert m["EurekAlert macro-F1 (4 classes)"] == 1.0 and m["EurekAlert accuracy"] == 1.0


def test_certainty_correlations(data: Path):
    result = certainty.main(["--data", str(data)])
    m = _metrics(result)
    assert m["test Spearman rho (default weights)"] == pytest.approx(1.0)
    assert m["test Pearson r (default weights)"] > 0.95
    assert "test Pearson r (weights fitted on train)" in m
    assert set(result["weights"]) == {"default", "fitted_on_train"}


def test_exaggeration_pairs_perfect_predictions(data: Path):
    m = _metrics(exaggeration_pairs.main(["--data", str(data)]))
    assert m["test macro-F1 (exaggerates/same/downplays)"] == 1.0
    assert m["test press release strength macro-F1 (4 classes)"] == 1.0


def test_journal_mentions_perfect_predictions(data: Path):
    # the dataset folder itself works too
    m = _metrics(journal_mentions.main(["--data", str(data / "journal-mentions")]))
    assert m["dev precision (sentence cites a journal)"] == 1.0
    assert m["dev recall (sentence cites a journal)"] == 1.0
    assert m["dev title exact match (gold positives)"] == 1.0


def test_healthrelease_criteria_separates_sensational_releases(data: Path):
    result = healthrelease_criteria.main(["--data", str(data)])
    m = _metrics(result)
    assert result["scanned"] == 4 and result["empty"] == 1
    assert m["sensational_language AUC (codes)"] == 1.0
    assert m["sensational_language AUC (unsupported_rate)"] == 1.0
    assert m["evidence_quality F1 at unsupported_rate > 0"] == 1.0


def test_run_all_table_and_json_hold_no_dataset_text(data: Path, tmp_path: Path, capsys):
    out = tmp_path / "results.json"
    payload = run_all.main(["--data", str(data), "--json", str(out), "--only", "causal-strength",
                            "journal-mentions"])
    table = capsys.readouterr().out
    assert "| metric | ours | published | date | command |" in table
    assert "| causal-strength: PubMed macro-F1 (4 classes) | 1.000 |" in table
    written = out.read_text(encoding="utf-8")
    assert json.loads(written)["results"][0]["benchmark"] == "causal-strength"
    for sentence, _ in STRENGTH_SENTENCES:
        assert sentence not in written
    assert len(payload["results"]) == 2


# --------------------------------------------------------------------------- absent data


@pytest.mark.parametrize("module", [causal_strength, certainty, exaggeration_pairs,
                                    journal_mentions, healthrelease_criteria])
def test_main_skips_when_data_absent(module, tmp_path: Path, capsys):
    result = module.main(["--data", str(tmp_path / "missing")])
    assert result["status"] == "skipped"
    assert "skipped" in capsys.readouterr().out


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_exits_0_with_skipped_message(script: str, tmp_path: Path):
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), "--data",
                           str(tmp_path / "missing")],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "skipped" in done.stdout


def test_throughput_prints_rate_memory_and_floor_ratio_per_configuration():
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "throughput.py"),
                             "--articles", "40", "--jobs", "1", "2"],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = {line.split()[1] + (" " + line.split()[2] if line.split()[1] == "claimscan" else ""):
            line.split()
            for line in result.stdout.splitlines()[1:]}
    assert set(rows) == {"tokenizer", "claimscan -j1", "claimscan -j2"}
    for name, cells in rows.items():
        numbers = [float(c) for c in cells[-5:]]  # seconds, art/s, words/s, peak MB, x floor
        assert cells[0] == "40" and all(n > 0 for n in numbers), cells
    assert float(rows["tokenizer"][-1]) == 1.0
