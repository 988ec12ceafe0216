"""The HTML report: counts match the CSV tables, article text is escaped, nothing is fetched,
flags are labelled in text (not only colour) and everything is reachable by keyboard."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

html5lib = pytest.importorskip("html5lib")

from pipeline.analysis import ArticleAnalysis, Cue, Flag, Unit  # noqa: E402
from pipeline.api import scan  # noqa: E402
from pipeline.report.build import build_report, collect, render_html, segments, write_html  # noqa: E402
from pipeline.studies import Study  # noqa: E402
from pipeline.tally import ArticleCounts, RunTally, code_totals, count_analysis  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
PAYLOAD = "<script>alert(1)</script>"


def parse(html: str):
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def text_of(element) -> str:
    return "".join(element.itertext())


def classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def by_id(root, ident: str):
    for element in root.iter():
        if element.get("id") == ident:
            return element
    raise AssertionError(f"no element with id {ident!r}")


def index_rows(root) -> dict[str, dict[str, str]]:
    table = by_id(root, "article-table")
    rows = {}
    for tr in table.iter("tr"):
        if tr.get("data-article") is None:
            continue
        cells = {td.get("data-col"): text_of(td).strip().split()[0] for td in tr.iter("td")
                 if td.get("data-col")}
        rows[tr.get("data-article")] = cells
    return rows


@pytest.fixture(scope="module")
def corpus_report():
    results = collect([CORPUS])
    report = build_report(results, inputs=[str(CORPUS)])
    html = render_html(report)
    return report, html, parse(html)


@pytest.fixture(scope="module")
def corpus_tables():
    return scan([CORPUS])


def test_index_counts_equal_csv_counts(corpus_report, corpus_tables):
    report, _, root = corpus_report
    claims, studies = corpus_tables
    rows = index_rows(root)
    articles = sorted(set(claims["article"]) | {e.article for e in corpus_tables.errors})
    assert sorted(rows) == articles
    failed = {e.article for e in corpus_tables.errors}
    for article in articles:
        mine = claims[claims["article"] == article]
        is_claim = mine[mine["is_claim"]]
        expected = {
            "claims": len(is_claim),
            "hedged": int((is_claim["hedges"] != "").sum()),
            "unsupported": int(mine["unsupported"].sum()),
            "studies": int((studies["article"] == article).sum()),
            "errors": 1 if article in failed else 0,
        }
        got = {k: int(rows[article][k]) for k in expected}
        assert got == expected, article
    assert by_id(root, "total-claims").text == str(int(claims["is_claim"].sum()))
    assert by_id(root, "total-unsupported").text == str(int(claims["unsupported"].sum()))
    assert report.totals.claims == int(claims["is_claim"].sum())


def test_code_totals_equal_csv_flags(corpus_report, corpus_tables):
    _, _, root = corpus_report
    claims, _ = corpus_tables
    expected = Counter(code for cell in claims["flags"] for code in cell.split("; ") if code)
    assert expected, "the corpus should raise some flags"
    table = by_id(root, "code-table")
    got = {}
    for tr in table.iter("tr"):
        if tr.get("data-code"):
            (cell,) = [td for td in tr.iter("td") if td.get("data-col") == "total"]
            got[tr.get("data-code")] = int(text_of(cell))
    assert {k: v for k, v in got.items() if v} == dict(expected)


def test_scorecard_in_the_index_and_on_each_article_page(corpus_report):
    """The index has sortable Score and Criteria-met columns from articles.csv's numbers; each
    article page lists every criterion with its verdict and reason, linking to the sentences
    that decide it."""
    report, _, root = corpus_report
    articles = scan([CORPUS]).articles.set_index("article")
    rows = index_rows(root)
    for view in report.articles:
        row = articles.loc[view.article]
        assert rows[view.article]["score"] == f"{row['score']:.1f}★"
        assert rows[view.article]["criteria"] == str(row["criteria_met"])
        section = by_id(root, view.anchor)
        items = [li for li in section.iter("li") if li.get("data-criterion")]
        assert [li.get("data-criterion") for li in items] == [c.criterion for c in view.criteria]
        for li, criterion in zip(items, view.criteria):
            assert criterion.reason in text_of(li)
            links = [a.get("href") for a in li.iter("a")]
            assert links == [f"#{view.anchor}-u{u.index}" for u in criterion.units]
            for href in links:
                assert by_id(root, href[1:]).tag == "span"  # the sentence, in the text
    headings = [text_of(th).strip() for th in by_id(root, "article-table").iter("th")
                if th.get("data-type")]
    assert "Score" in headings and "Criteria met" in headings


def test_one_section_per_article_with_its_units_and_studies(corpus_report, corpus_tables):
    report, _, root = corpus_report
    claims, studies = corpus_tables
    for view in report.articles:
        section = by_id(root, view.anchor)
        assert section.tag == "section"
        units = [e for e in section.iter("span") if "unit" in classes(e)]
        assert len(units) == int((claims["article"] == view.article).sum())
        for sid in studies[studies["article"] == view.article]["study_id"]:
            assert by_id(root, f"{view.anchor}-{sid}").tag == "tr"


def test_article_text_is_escaped(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "xss.txt").write_text(
        f"Coffee cures cancer, experts say {PAYLOAD} and it is proven.\n\n"
        "A study of 30 people & their <b>hair</b> found it may help.\n",
        encoding="utf-8",
    )
    (folder / "x<img src=x onerror=alert(2)>.txt").write_text("Green tea cures everyone.\n",
                                                              encoding="utf-8")
    html = render_html(build_report(collect([folder])))
    assert PAYLOAD not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    root = parse(html)
    for script in root.iter("script"):
        assert "alert(" not in text_of(script)
    assert not [img for img in root.iter("img")]
    assert not [b for b in root.iter("b") if text_of(b) == "hair"]
    sections = [e for e in root.iter("section") if e.get("data-article") == "xss.txt"]
    assert len(sections) == 1
    assert PAYLOAD in text_of(sections[0])
    assert "<b>hair</b>" in text_of(sections[0])
    assert "x<img src=x onerror=alert(2)>.txt" in index_rows(root)


def test_no_external_resources(corpus_report):
    _, html, root = corpus_report
    for element in root.iter():
        for attr in ("src", "href", "data", "poster", "srcset", "action"):
            value = (element.get(attr) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "ftp:")), (element.tag, attr,
                                                                             value)
        if element.tag in ("link", "iframe", "object", "embed", "img", "audio", "video"):
            raise AssertionError(f"unexpected <{element.tag}> in a self-contained report")
        if element.tag == "script":
            assert element.get("src") is None
    for style in root.iter("style"):
        css = text_of(style)
        assert "@import" not in css and not re.search(r"url\(\s*['\"]?(?!#)", css)
    assert "@font-face" not in html


def test_flagged_units_are_labelled_in_text(corpus_report, corpus_tables):
    report, _, root = corpus_report
    claims, _ = corpus_tables
    units = [e for e in root.iter("span") if "unit" in classes(e) and e.get("id")]
    unsupported = [u for u in units if "unsupported" in classes(u)]
    evidence = [u for u in units if "evidence" in classes(u)]
    assert len(unsupported) == int(claims["unsupported"].sum())
    assert len(unsupported) + len(evidence) == int((claims["flags"] != "").sum())
    for unit in unsupported + evidence:
        labels = [a for a in unit.iter("a") if "flag-label" in classes(a)]
        assert labels, unit.get("id")
        word = "unsupported" if unit in unsupported else "evidence"
        assert word in text_of(labels[0]).lower()
        note = by_id(root, labels[0].get("href")[1:])  # the reasons, next to the paragraph
        assert note.tag == "li" and re.search(r"[A-Z_]{6,}", text_of(note))
    for unit in units:  # the kind is a visible word, not only a background colour
        badge = next(e for e in unit.iter("span") if "badge" in classes(e))
        kind = unit.get("data-kind")
        assert text_of(badge).strip(), kind
        assert f"k-{kind}" in classes(badge)


def test_keyboard_navigation_and_links_resolve(corpus_report):
    report, _, root = corpus_report
    all_ids = [e.get("id") for e in root.iter() if e.get("id")]
    ids = set(all_ids)
    assert len(ids) == len(all_ids), "duplicate ids break the links"
    rows = [tr for tr in by_id(root, "article-table").iter("tr") if tr.get("data-article")]
    assert len(rows) == len(report.articles)
    for tr in rows:
        links = [a for a in tr.iter("a") if a.get("href", "").startswith("#")]
        assert links, tr.get("data-article")  # a focusable element per row
    for a in root.iter("a"):
        href = a.get("href") or ""
        assert href.startswith("#"), href
        assert href[1:] in ids or href == "#all", href
    study_links = [a for a in root.iter("a") if "study-link" in classes(a)]
    assert study_links
    skip = next(a for a in root.iter("a") if "skip" in classes(a))
    assert skip.get("href") == "#article-table"


def test_chart_is_inline_svg_from_the_counts(corpus_report):
    report, _, root = corpus_report
    svgs = list(root.iter("{http://www.w3.org/2000/svg}svg")) or list(root.iter("svg"))
    assert len(svgs) == 1
    svg = svgs[0]
    assert svg.get("role") == "img"
    values = [text_of(t) for t in svg.iter() if t.tag.endswith("text") and t.get("class") == "val"]
    expected = [f"{a.counts.unsupported} / {a.counts.claims}" for a in report.articles
                if not a.counts.errors]
    assert [v for v in values if v != "failed"] == expected


def test_failed_article_counts_as_an_error(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(
        "Walking may lower blood pressure, a study of 40 adults found.\n", encoding="utf-8")
    (folder / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    report = build_report(collect([folder]))
    root = parse(render_html(report))
    rows = index_rows(root)
    assert rows["bad.txt"]["errors"] == "1" and rows["good.txt"]["errors"] == "0"
    assert by_id(root, "total-errors").text == "1"
    assert report.article("bad.txt").error is not None

    from typer.testing import CliRunner

    from pipeline.cli import app

    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(folder), "--out", str(out)])
    assert result.exit_code == 3  # like `run`: written, but some inputs were skipped
    assert index_rows(parse(out.read_text(encoding="utf-8")))["bad.txt"]["errors"] == "1"


def test_cli_report_command(tmp_path, corpus_report):
    from typer.testing import CliRunner

    from pipeline.cli import app

    out = tmp_path / "sub" / "report.html"
    result = CliRunner().invoke(app, ["report", str(CORPUS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and not list(out.parent.glob(".*.tmp"))
    assert out.stat().st_mode & 0o044 == 0o044  # readable like any output, not a 0600 temp file
    root = parse(out.read_text(encoding="utf-8"))
    assert index_rows(root) == index_rows(corpus_report[2])


def test_cli_report_without_input_is_a_usage_error(tmp_path):
    from typer.testing import CliRunner

    from pipeline.cli import app

    result = CliRunner().invoke(app, ["report", str(tmp_path), "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert not (tmp_path / "r.html").exists()


def test_write_html_is_atomic(tmp_path, monkeypatch):
    out = tmp_path / "r.html"
    out.write_text("old", encoding="utf-8")

    def boom(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        write_html("<p>new</p>", out)
    assert out.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


@pytest.mark.parametrize(
    ("text", "cues", "expected"),
    [
        ("It may help.", [("may", 3, 6, "hedge")],
         [("It ", None), ("may", "hedge"), (" help.", None)]),
        ("It clearly may  work", [("clearly", 3, 10, "booster"), ("may  work", 11, 20, "hedge")],
         [("It ", None), ("clearly", "booster"), (" ", None), ("may  work", "hedge")]),
        ("more research is needed", [("more research is needed", 0, 23, "caveat")],
         [("more research is needed", "hedge")]),
        ("No cues here.", [], [("No cues here.", None)]),
        ("", [], [("", None)]),
    ],
)
def test_segments_cut_at_the_cue_offsets(text, cues, expected):
    offset = 100  # a unit's offsets are in the article text
    got = segments(text, offset, [Cue(t, start + offset, end + offset, category)
                                  for t, start, end, category in cues])
    assert got == expected
    assert "".join(piece for piece, _ in got) == text


def test_report_marks_the_cues_the_pipeline_found_not_every_look_alike(tmp_path):
    """'In May' is a month, not a hedge: the report marks the one hedge the pipeline found."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "may.txt").write_text(
        "In May, researchers said the new drug may help people sleep.\n", encoding="utf-8")
    report = build_report(collect([folder]))
    (unit,) = report.article("may.txt").units
    assert [piece for piece, mark in unit.segments if mark] == ["may"]
    assert unit.segments[0] == ("In May, researchers said the new drug ", None)


def _analysis() -> ArticleAnalysis:
    texts = ["It may help.", "It cures all.", "Might it?"]
    units, start = [], 0
    for i, text in enumerate(texts):
        units.append(Unit(i, 0, 0, start, start + len(text), text))
        start += len(text) + 1
    units[0].is_claim, units[0].cues = True, [Cue("may", 3, 6, "hedge")]
    units[1].is_claim, units[1].unsupported = True, True
    units[1].flags = [Flag("UNCITED_CLAIM", "No study.", "warning"),
                      Flag("SMALL_SAMPLE", "Small.", "info")]
    units[2].cues = [Cue("might", 26, 31, "hedge")]
    return ArticleAnalysis("a.txt", " ".join(texts), None, units, [Study("S1")], [])


def test_counts_follow_the_definitions():
    counts = count_analysis(_analysis())
    assert (counts.units, counts.claims, counts.hedged, counts.unsupported, counts.flagged,
            counts.studies, counts.errors) == (3, 2, 1, 1, 1, 1, 0)
    assert counts.unsupported_share == 0.5
    assert code_totals(_analysis()) == Counter({"UNCITED_CLAIM": 1, "SMALL_SAMPLE": 1})


def test_run_summary_tables(corpus_report):
    from rich.console import Console

    from pipeline.api import iter_results

    report = corpus_report[0]
    tally = RunTally()
    for result in iter_results([CORPUS]):
        tally.add_result(result)
    console = Console(file=io.StringIO(), width=80, record=True, color_system=None)
    tally.print(console)
    text = console.export_text()
    worst = max(report.articles, key=lambda a: a.counts.unsupported).article
    assert ("Articles with the most unsupported claims" in text and worst[:12] in text
            and worst[-12:] in text)
    assert "Flags by code" in text
    for code, n in report.code_totals.items():
        assert re.search(rf"{code}\s.*\b{n}\b", text), code
    assert max(len(line) for line in text.splitlines()) <= 80


def test_summary_cuts_long_names_in_the_middle_at_80_columns():
    from rich.console import Console

    tally = RunTally()
    name = "news/" + "very-long-folder-name/" * 4 + "the-article-with-a-long-name.txt"
    tally.add(ArticleCounts(name, claims=4, hedged=1, unsupported=2))
    console = Console(file=io.StringIO(), width=80, record=True, color_system=None)
    tally.print(console)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    row = next(line for line in text.splitlines() if "…" in line)
    assert "news/very" in row and "long-name.txt" in row  # both ends kept, one line


def test_run_tally_keeps_totals_and_the_worst_articles_in_bounded_memory():
    counts = [ArticleCounts(f"a{i:04d}.txt", claims=10, hedged=i % 3, unsupported=(i * 7) % 11,
                            errors=int(i % 50 == 0))
              for i in range(2000)]
    tally = RunTally(top=10)
    for item in counts:
        tally.add(item)
    assert (tally.articles, tally.totals.claims, tally.totals.unsupported, tally.totals.errors) == (
        2000, 20000, sum(c.unsupported for c in counts), sum(c.errors for c in counts))
    assert len(tally._worst) <= 40  # a million-article run keeps no more than this
    expected = sorted((c for c in counts if c.unsupported or c.errors),
                      key=lambda c: (-c.unsupported, -c.unsupported / c.claims, c.article))[:10]
    assert tally.worst() == expected
