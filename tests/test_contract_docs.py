"""docs/output-contract.md and docs/gold-format.md stay in step with the code.

- Every table `claimscan run` writes (`pipeline.runner.TABLES`, and the files a real run leaves
  in OUT/) is documented, its columns in the code's order, with the writers' types, and nothing
  else. A table the doc marks `pending` (agreed, not written yet) must not be written yet.
- Every flag code in the registry (`pipeline.rules.registry()`) is in the doc's flag vocabulary
  with its id and kind, in id order, and nothing else; the generated tables are up to date.
- The gold format documents every key the gold files use and every label the scorer reads.
- No doc points at the product spec outside the repository (a dead link in a clone).
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.evaluate import LABELS
from pipeline.rules import registry
from pipeline.runner import TABLES, run_batch
from pipeline.tables import column_kind

REPO = Path(__file__).resolve().parent.parent
CONTRACT = REPO / "docs" / "output-contract.md"
GOLD_FORMAT = REPO / "docs" / "gold-format.md"
GOLD_FILES = (REPO / "corpus" / "gold.json", REPO / "corpus" / "real" / "gold.json")

_SECTION = re.compile(r"<!-- table:(\w+)( pending)? -->\n(.*?)<!-- end:\1 -->", re.DOTALL)
_ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+?) \|", re.MULTILINE)


def documented_tables() -> dict[str, tuple[bool, list[tuple[str, str]]]]:
    """Table name -> (pending, [(column, type), ...]) as docs/output-contract.md lists them."""
    text = CONTRACT.read_text(encoding="utf-8")
    sections = _SECTION.findall(text)
    return {name: (bool(pending), _ROW.findall(body)) for name, pending, body in sections}


def written_tables() -> dict[str, tuple[str, ...]]:
    return dict(TABLES)


CONTRACT_TYPES = {"int": "integer", "bool": "boolean", "float": "number", "str": "string"}


def contract_type(column: str, table: str) -> str:
    """The type the writers give a column of a table (CSV text, JSON Lines and Parquet alike)."""
    return CONTRACT_TYPES[column_kind(column, written_tables()[table])]


def test_the_doc_has_every_table_section():
    assert set(documented_tables()) == {"claims", "studies", "errors", "articles", "criteria"}


@pytest.mark.parametrize("table", sorted(written_tables()))
def test_written_table_is_documented_in_order(table):
    documented = documented_tables()
    assert table in documented, f"{table}.csv is written but not in docs/output-contract.md"
    pending, rows = documented[table]
    assert [column for column, _ in rows] == list(written_tables()[table])
    assert not pending, f"{table}.csv is written now: drop `pending` from its section in the doc"


@pytest.mark.parametrize("table", sorted(written_tables()))
def test_documented_types_are_the_writers_types(table):
    _, rows = documented_tables()[table]
    assert {column: kind for column, kind in rows} == {c: contract_type(c, table) for c, _ in rows}


def test_every_documented_table_is_written_or_pending():
    for table, (pending, rows) in documented_tables().items():
        assert table in written_tables() or pending, f"{table}.csv: documented, not written"
        assert rows, f"{table}.csv: no columns parsed from the doc"


def test_a_real_run_writes_the_documented_columns(tmp_path):
    """The files `claimscan run` leaves in OUT/, read back: one documented table each, the header
    being the documented columns (what a user sees, whichever code path wrote it)."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "coffee.txt").write_text(
        "Coffee and the heart\n\n"
        "A study published in The Lancet followed 2,000 adults for 5 years. "
        "Studies show coffee cures heart disease.\n", encoding="utf-8")
    (articles / "empty.txt").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch([articles], out)
    assert summary.articles == 1 and summary.skipped == 1
    documented = documented_tables()
    files = sorted(path.name for path in out.iterdir())
    assert files == sorted(f"{name}.csv" for name in summary.outputs)
    for name in summary.outputs:
        with open(out / f"{name}.csv", encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [column for column, _ in documented[name][1]], name


def test_flag_vocabulary_is_the_registry():
    text = CONTRACT.read_text(encoding="utf-8")
    block = text.partition("<!-- flags:start -->")[2].partition("<!-- flags:end -->")[0]
    rows = re.findall(r"^\| `([A-Z_]+)` \| (CS\d{3}) \| (\w+) \|", block, re.MULTILINE)
    documented = [(code, cs_id, kind) for code, cs_id, kind in rows]
    expected = [(info.code, info.id, info.kind) for info in registry().values()]
    assert documented == expected


def test_generated_code_tables_are_up_to_date():
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "gen_codes_doc.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_check_doc_lists_every_flag_code():
    text = (REPO / "docs" / "check.md").read_text(encoding="utf-8")
    for info in registry().values():
        assert f"| {info.id} | `{info.name}` | `{info.code}` | {info.severity} |" in text


def _gold_keys() -> tuple[set[str], set[str], set[str]]:
    """Keys used by the gold files: per article, per sentence, per study."""
    entry_keys, sentence_keys, study_keys = set(), set(), set()
    for path in GOLD_FILES:
        gold = json.loads(path.read_text(encoding="utf-8"))
        for article, entry in gold.items():
            if article.startswith("_"):
                continue
            entry_keys |= set(entry)
            for sentence in entry.get("sentences", []):
                sentence_keys |= set(sentence)
            for study in entry.get("studies", []):
                study_keys |= set(study)
    return entry_keys, sentence_keys, study_keys


def test_gold_format_documents_every_key_the_gold_files_use():
    doc = GOLD_FORMAT.read_text(encoding="utf-8")
    entry_keys, sentence_keys, study_keys = _gold_keys()
    for key in entry_keys | sentence_keys | study_keys:
        assert f"`{key}`" in doc, f"gold key {key!r} is not in docs/gold-format.md"


def test_gold_format_documents_the_scored_labels():
    doc = GOLD_FORMAT.read_text(encoding="utf-8")
    for label, _ in LABELS:
        assert f"| `{label}` |" in doc


def test_no_doc_links_to_the_spec_outside_the_repo():
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        assert "shared/SPEC.md" not in path.read_text(encoding="utf-8"), path.name


@pytest.mark.parametrize("doc", ["README.md", "docs/output-contract.md", "docs/gold-format.md"])
def test_relative_links_resolve(doc):
    """(Not docs/check.md: its README section is written with the README's links.)"""
    path = REPO / doc
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text(encoding="utf-8")):
        if "://" in target:
            continue
        assert (path.parent / target).exists(), f"{doc}: broken link {target}"
