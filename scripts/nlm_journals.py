"""Add titles from the NLM Catalog (the U.S. National Library of Medicine's list of the journals
PubMed knows) to configs/journals.txt, as the last section of that file.

    python scripts/nlm_journals.py META.tsv.gz [--journals configs/journals.txt] [--dry-run]

META.tsv.gz is `journal_targeter/refs/pubmed/meta.tsv.gz` from the PyPI package
journal-targeter 1.0.0 (columns nlmid, uid, main_title, alt_titles_str, in_medline, is_active);
fetch it with `pip download --no-deps journal-targeter==1.0.0` and unzip the wheel. The titles
are NLM's catalogue data; nothing is fetched at run time, the titles live in configs/.

What is added, and why:
- NLM writes titles in sentence case ("Archives of surgery"); news writes them in title case
  ("Archives of Surgery"), and the citation finder matches multi-word titles case-sensitively,
  so each title is written in title case (function words lower case).
- A subtitle after ' : ' and a trailing qualifier in parentheses are dropped ("Climacteric : the
  journal of the International Menopause Society" -> "Climacteric"; "Archives of surgery
  (Chicago, Ill. : 1960)" -> "Archives of Surgery").
- Multi-word titles are matched anywhere in the text, so only those that call themselves a
  periodical are added: they hold one of the periodical_words of configs/citations.json
  ('Journal', 'Annals', 'Archives', ...), and the citation finder looks them up around it.
  "Breast Cancer", "Public Health" or "Preventive Medicine" are journal titles too, but also
  ordinary words of a Title Case headline or a department's name ("professor of preventive
  medicine"), and are left out. Single-word titles are added, except the head words of
  configs/citations.json themselves ("Journal", "Medicine"): they count only after a citation
  cue ("in the journal Climacteric"), and a listed "Journal" would cut "the journal Journal of
  X" short.
- A section journal of MEDLINE, which NLM writes "Circulation. Cardiovascular quality and
  outcomes" (its main title), is added as news cites it, "Circulation: Cardiovascular Quality
  and Outcomes" (the colon makes it distinctive, so no periodical word is needed); otherwise
  the citation finder would cut it to the parent title "Circulation". Supplements and "Part A"
  sections are left out.
- Abbreviations (MEDLINE's "Arch Surg"), titles with digits or more than 10 words, and titles
  already in the file (any case) are left out.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADER = """
# Titles from the NLM Catalog (U.S. National Library of Medicine), as compiled in the PyPI
# package journal-targeter 1.0.0, file journal_targeter/refs/pubmed/meta.tsv.gz: main and
# alternative titles in title case, subtitle and parenthesised qualifier dropped; multi-word
# titles only with a periodical word ('Journal', 'Annals', 'Archives', ...), and MEDLINE's
# section journals as news cites them ('Circulation: Cardiovascular Quality and Outcomes');
# titles listed above left out. Made by scripts/nlm_journals.py.
"""
_SMALL = frozenset(("of", "and", "the", "in", "for", "on", "at", "to", "a", "an", "&", "de", "du",
                    "la", "le", "et", "y", "with", "from", "by"))
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*$")
# what follows the dot in "Acta Orthopaedica. Supplementum" or "Cytometry. Part A" is no title
_NO_SECTION = re.compile(r"^(?:$|[A-Za-z]$|Supplement(?:um)?$|Part [A-Za-z]$)")
_WORD = re.compile(r"^[A-Za-z][A-Za-z'’-]*$|^&$")


def clean(title: str) -> str:
    """'Archives of surgery (Chicago, Ill. : 1960).' -> 'Archives of surgery'."""
    title = title.strip().rstrip(".").strip()
    while _QUALIFIER.search(title):
        title = _QUALIFIER.sub("", title).rstrip(".").strip()
    return title.split(" : ")[0].split(" = ")[0].strip().rstrip(".").strip()


def title_case(title: str) -> str:
    words = title.split()
    out = []
    for i, word in enumerate(words):
        if i and word.lower() in _SMALL:
            out.append(word.lower())
        elif word.isupper() and len(word) > 1:
            out.append(word)  # an acronym: "AIDS", "JAMA"
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(out)


def usable(title: str, head_words: set[str], periodical_words: set[str]) -> bool:
    words = title.split()
    if not words or len(words) > 10 or not all(_WORD.match(w) for w in words):
        return False
    if len(words) == 1:
        return len(title) >= 4 and not title.isupper() and title not in head_words
    return bool(periodical_words.intersection(words))


def nlm_titles(meta: Path, head_words: set[str], periodical_words: set[str]) -> list[str]:
    titles: set[str] = set()
    with gzip.open(meta, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            names = [row["main_title"], *(row["alt_titles_str"] or "").split("|")]
            for name in names:
                title = title_case(clean(name))
                if usable(title, head_words, periodical_words):
                    titles.add(title)
                elif (name == row["main_title"] and row["in_medline"] == "True"
                      and (section := news_section_title(title))):
                    titles.add(section)
    return sorted(titles, key=str.lower)


def news_section_title(title: str) -> str | None:
    """A section journal as news writes it: NLM's 'Circulation. Cardiovascular quality and
    outcomes' is cited as 'Circulation: Cardiovascular Quality and Outcomes'. The colon makes
    the title distinctive, so it needs no periodical word; without the section the title would
    be cut to the parent journal's."""
    parent, dot, section = title.partition(". ")
    if not dot or ". " in section or _NO_SECTION.match(section):
        return None
    words = f"{parent} {section}".split()
    if len(words) > 10 or not all(_WORD.match(w) for w in words):
        return None
    return f"{parent}: {section[:1].upper()}{section[1:]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("meta", type=Path, help="journal_targeter/refs/pubmed/meta.tsv.gz")
    parser.add_argument("--journals", type=Path, default=REPO / "configs" / "journals.txt")
    parser.add_argument("--dry-run", action="store_true", help="count, do not write")
    args = parser.parse_args(argv)
    settings = json.loads((REPO / "configs" / "citations.json").read_text(encoding="utf-8"))
    head_words = set(settings["journal_head_words"])
    periodical_words = set(settings["periodical_words"])
    text = args.journals.read_text(encoding="utf-8")
    if HEADER.strip().splitlines()[0] in text:
        print("the NLM section is already in the file", file=sys.stderr)
        return 1
    listed = {line.strip().lower() for line in text.splitlines() if line and line[0] != "#"}
    titles = nlm_titles(args.meta, head_words, periodical_words)
    new = [t for t in titles if t.lower() not in listed]
    print(f"{len(new)} titles to add")
    if not args.dry_run:
        args.journals.write_text(text.rstrip("\n") + "\n" + HEADER + "\n".join(new) + "\n",
                                 encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
