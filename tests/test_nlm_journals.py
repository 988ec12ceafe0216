"""scripts/nlm_journals.py on a tiny invented catalogue file."""

from __future__ import annotations

import gzip
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))
import nlm_journals  # noqa: E402

ROWS = [
    ("1", "1", "Archives of quiet medicine (Avon, Ill. : 1960)", "ARCH QUIET MED|Quiet med",
     "False"),
    ("2", "2", "Lakeology : the journal of the Lake Society", "", "True"),
    ("3", "3", "Preventive lakes", "", "True"),  # no periodical word: left out
    ("4", "4", "Journal", "", "True"),  # a head word alone: left out
    ("5", "5", "Journal of lake research 2020", "", "True"),  # a digit: left out
    # a MEDLINE section journal, written as news cites it; not its supplement, its "Part A", or
    # a section journal outside MEDLINE
    ("6", "6", "Tarn. Quality and outcomes", "", "True"),
    ("7", "7", "Tarn. Supplementum", "", "True"),
    ("8", "8", "Tarn. Part A", "", "True"),
    ("9", "9", "Mere. Quality and outcomes", "", "False"),
]


def test_the_script_adds_cleaned_title_case_periodicals_once(tmp_path):
    meta = tmp_path / "meta.tsv.gz"
    with gzip.open(meta, "wt", encoding="utf-8") as handle:
        handle.write("nlmid\tuid\tmain_title\talt_titles_str\tin_medline\tis_active\n")
        for row in ROWS:
            handle.write("\t".join(row) + "\tTrue\n")
    journals = tmp_path / "journals.txt"
    journals.write_text("# listed\nLakeology\n", encoding="utf-8")
    assert nlm_journals.main([str(meta), "--journals", str(journals)]) == 0
    added = journals.read_text(encoding="utf-8").split("scripts/nlm_journals.py.\n")[1].split("\n")
    assert [t for t in added if t] == ["Archives of Quiet Medicine", "Tarn: Quality and Outcomes"]
    # a second run would add the section twice: it refuses
    assert nlm_journals.main([str(meta), "--journals", str(journals)]) == 1
