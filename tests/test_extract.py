"""Extracting plain-text blocks with source positions from text, Markdown and HTML
(pipeline/extract.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import (
    BoilerplateRules,
    extract,
    format_for,
    load_boilerplate_rules,
)
from pipeline.ingest import read_article
from pipeline.source import BLOCK_KINDS, InputError, SourceText

_REPO = Path(__file__).resolve().parent.parent
SEED = next(
    (p for p in (_REPO / "corpus" / "dev" / "microneedling-hair-loss.txt",
                 _REPO.parent / "shared" / "seed" / "microneedling-hair-loss.txt") if p.exists()),
    _REPO / "corpus" / "dev" / "microneedling-hair-loss.txt",
)


def block_texts(st: SourceText) -> list[str]:
    return [st.text[b.start : b.end] for b in st.blocks]


def position_of(st: SourceText, needle: str) -> tuple[int, int]:
    return st.source_position(st.text.index(needle))


def check_layout(st: SourceText) -> None:
    """Blocks tile the text, separated by one blank line, each anchored at its start."""
    assert st.blocks
    expected = "\n\n".join(block_texts(st))
    assert st.text == expected
    for b in st.blocks:
        assert b.kind in BLOCK_KINDS
        piece = st.text[b.start : b.end]
        assert piece and piece == piece.strip() and "\n" not in piece
        assert b.anchors[0][0] == b.start
        offsets = [a[0] for a in b.anchors]
        assert offsets == sorted(offsets) and all(b.start <= o < b.end for o in offsets)
    for s, e in st.italic_spans:
        assert 0 <= s < e <= len(st.text)


# --- formats ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, fmt",
    [("a.txt", "text"), ("a.md", "markdown"), ("a.MARKDOWN", "markdown"), ("a.html", "html"),
     ("dir/a.htm", "html")],
)
def test_format_follows_the_file_suffix(name, fmt):
    """The format is chosen by suffix, case-insensitively."""
    assert format_for(name) == fmt
    assert format_for(Path(name)) == fmt


def test_unknown_suffix_is_an_input_error():
    """A file with another suffix is refused with a readable reason."""
    with pytest.raises(InputError, match="unsupported file type .docx"):
        format_for("a.docx")


def test_unknown_format_name_is_a_programming_error():
    """extract() with a format name it does not know raises ValueError."""
    with pytest.raises(ValueError):
        extract("text", "pdf")


# --- plain text ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> SourceText:
    if not SEED.exists():
        pytest.skip("seed article not found")
    return extract(read_article(SEED), "text")


def test_seed_article_is_a_title_and_eight_paragraphs(seed):
    """Each line of the seed article is a block; the first, a question, is the heading/title."""
    check_layout(seed)
    assert len(seed.blocks) == 9
    assert seed.blocks[0].kind == "heading"
    assert block_texts(seed)[0] == "Can Micro Needling Help with Hair Loss?"
    assert seed.title == "Can Micro Needling Help with Hair Loss?"
    assert [b.kind for b in seed.blocks[1:]] == ["paragraph"] * 8
    assert block_texts(seed)[4].startswith("One study published")


def test_seed_positions_are_exact(seed):
    """Positions in the seed map to the right source line and exact column."""
    assert position_of(seed, "One study published") == (5, 1)
    line3 = SEED.read_text(encoding="utf-8").splitlines()[2]
    assert position_of(seed, "researchers") == (3, line3.index("researchers") + 1)
    assert position_of(seed, "Can Micro") == (1, 1)


def test_wrapped_paragraphs_are_joined_with_one_anchor_per_line():
    """Hard-wrapped lines of one paragraph form one block; positions stay exact per line."""
    raw = (
        "Title Here\n\n"
        "Micro needling, also known as collagen induction therapy, involves using a\n"
        "  dermaroller to create tiny punctures in the skin.\n\n"
        "Second paragraph.\n"
    )
    st = extract(raw, "text")
    check_layout(st)
    assert block_texts(st) == [
        "Title Here",
        "Micro needling, also known as collagen induction therapy, involves using a "
        "dermaroller to create tiny punctures in the skin.",
        "Second paragraph.",
    ]
    assert [b.kind for b in st.blocks] == ["heading", "paragraph", "paragraph"]
    assert position_of(st, "tiny") == (4, 3 + len("dermaroller to create "))
    assert position_of(st, "using a") == (3, 68)


def test_wrapped_first_line_is_not_mistaken_for_a_heading():
    """The first line of a wrapped paragraph (continuing in lower case) stays in the paragraph."""
    raw = (
        "Intro.\n\n"
        "The primary mechanism by which micro needling may help\n"
        "with hair loss is stimulation.\n"
    )
    st = extract(raw, "text")
    assert block_texts(st)[1].startswith("The primary mechanism")
    assert st.blocks[1].kind == "paragraph"


def test_a_quote_closed_after_a_space_still_ends_a_sentence():
    """'... like Star Trek.' "' ends with a full stop inside loosely typed quotes: not a
    heading."""
    raw = "Title\n\n\"Wonderful,\" said Ann. \"It's like 'Star Wars.' \"\n\nThe end.\n"
    st = extract(raw, "text")
    assert [b.kind for b in st.blocks] == ["heading", "paragraph", "paragraph"]


def test_crlf_and_cr_count_as_one_line_break():
    """Windows (CRLF) and old Mac (CR) line ends each count as one line."""
    raw = "Heading\r\n\r\nFirst para.\r\nSecond line.\rThird line here.\r\n"
    st = extract(raw, "text")
    assert position_of(st, "First") == (3, 1)
    assert position_of(st, "Second") == (4, 1)
    assert position_of(st, "Third") == (5, 1)
    assert position_of(st, "line here") == (5, 7)
    assert "\r" not in st.text


def test_bulleted_lines_are_list_items():
    """Lines starting with a bullet become list items, bullet removed, columns still exact."""
    st = extract("Benefits:\n- thicker hair\n- less shedding\n", "text")
    assert block_texts(st)[-2:] == ["thicker hair", "less shedding"]
    assert [b.kind for b in st.blocks[-2:]] == ["list_item", "list_item"]
    assert position_of(st, "less") == (3, 3)


def test_text_whitespace_only_has_no_article_text():
    """Extracting a blank text raises 'no article text found'."""
    with pytest.raises(InputError) as info:
        extract(" \n\n \t\n", "text")
    assert (info.value.stage, info.value.reason) == ("extract", "no article text found")


# --- Markdown --------------------------------------------------------------------------------

MARKDOWN = """\
---
title: Front matter title
date: 2024-01-01
---
# Micro *needling* and hair

Micro needling **may** help, says a study in
*Journal of Clinical and Aesthetic Dermatology* ([link](https://example.org/x)).
It uses `dermarollers` &amp; ![a dermaroller](roller.png) <span>pens</span>.

<!-- claimscan: ignore CS101 -->
## How it works

- Stimulates follicles
  over 12 weeks
- Releases growth factors
  1. nested item

> More research is needed.

| Study | Participants |
|-------|--------------|
| JCAD  | 30           |
"""


@pytest.fixture(scope="module")
def md() -> SourceText:
    return extract(MARKDOWN, "markdown")


def test_markdown_blocks_and_kinds(md):
    """Headings, paragraphs, list items, quotes and table cells become blocks of those kinds."""
    check_layout(md)
    assert list(zip((b.kind for b in md.blocks), block_texts(md))) == [
        ("heading", "Micro needling and hair"),
        ("paragraph", "Micro needling may help, says a study in Journal of Clinical and "
                      "Aesthetic Dermatology (link). It uses dermarollers & a dermaroller pens."),
        ("heading", "How it works"),
        ("list_item", "Stimulates follicles over 12 weeks"),
        ("list_item", "Releases growth factors"),
        ("list_item", "nested item"),
        ("quote", "More research is needed."),
        ("table_cell", "Study"),
        ("table_cell", "Participants"),
        ("table_cell", "JCAD"),
        ("table_cell", "30"),
    ]
    assert md.title == "Micro needling and hair"


def test_markdown_markup_is_stripped(md):
    """No emphasis marks, URLs, code ticks, HTML tags, comments or front matter reach the text."""
    for junk in ("*", "`", "https://", "roller.png", "<span>", "claimscan", "date:", "---"):
        assert junk not in md.text


def test_markdown_line_numbers(md):
    """Blocks report the source line they start on (front matter lines included in the count)."""
    assert position_of(md, "Micro needling and") == (5, 3)
    assert position_of(md, "How it works") == (12, 4)
    assert position_of(md, "Stimulates") == (14, 3)
    assert position_of(md, "over 12")[0] == 15
    assert position_of(md, "nested item") == (17, 6)
    assert position_of(md, "More research") == (19, 3)
    assert position_of(md, "JCAD") == (23, 3)
    assert position_of(md, "It uses")[0] == 9


def test_markdown_emphasis_is_recorded_as_italic(md):
    """*Emphasis* is recorded in italic_spans (journal names are set in italics)."""
    spans = [md.text[s:e] for s, e in md.italic_spans]
    assert "Journal of Clinical and Aesthetic Dermatology" in spans
    assert "needling" in spans


def test_markdown_comment_directives_are_recorded(md):
    """`<!-- claimscan: ... -->` is kept as a directive for the block that follows it."""
    (directive,) = md.directives
    assert (directive.block, directive.text) == (2, "claimscan: ignore CS101")
    assert md.blocks[2].kind == "heading"
    assert (directive.line, directive.column) == (
        MARKDOWN.count("\n", 0, MARKDOWN.index("<!-- claimscan")) + 1, 1)


def test_markdown_front_matter_title_is_used_without_h1():
    """Without a # heading, the front-matter title becomes the first block and the title."""
    st = extract("---\ntitle: 'Hair facts'\n---\n\nSome text.\n", "markdown")
    assert block_texts(st) == ["Hair facts", "Some text."]
    assert st.title == "Hair facts"
    assert position_of(st, "Some") == (5, 1)


def test_markdown_raw_html_block_goes_through_the_html_rules():
    """A raw HTML block in Markdown keeps its text and loses its boilerplate."""
    st = extract("Intro.\n\n<div><p>Kept <em>text</em></p><nav>Menu</nav></div>\n", "markdown")
    assert block_texts(st) == ["Intro.", "Kept text"]
    assert position_of(st, "Kept")[0] == 3


def test_markdown_without_text_is_an_error():
    """A Markdown file of only comments has no article text."""
    with pytest.raises(InputError, match="no article text found"):
        extract("<!-- claimscan: ignore -->\n\n", "markdown")


# --- HTML ------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head><title>Micro needling | Health Site</title>
<style>.hero { color: red }</style><script>var tracking = "TRACKING-CODE";</script></head>
<body class="single has-sidebar">
<header class="site-header"><a class="logo">HealthSite</a>
<nav><a href="/">Home</a> <a href="/news">News menu</a></nav></header>
<div id="cookie-consent">We use cookies to improve your experience</div>
<!-- claimscan: ignore CS101 -->
<article class="post">
  <header><p>Hair</p><h1>Can Micro&nbsp;Needling Help?</h1><p>By Jane Doe</p></header>
  <p>A study in the <em>Journal of Clinical and Aesthetic Dermatology</em>
     found that it &amp; more <i>works</i> &mdash; in 30&#160;people.</p>
  <div class="share-buttons">Share on Facebook</div>
  <h2>How it works</h2>
  <ul><li>Stimulates follicles<li>Releases <b>growth</b> factors</ul>
  <blockquote><p>More research is needed.</p></blockquote>
  <table><tr><th>Study</th><td>30</td></tr></table>
  <div class="header-ad">Buy the roller now</div>
  <div class="shadow read-more-box">Shadowed but kept</div>
  <aside>Related: ten hair myths</aside>
  <div role="navigation">Prev / Next</div>
  <span aria-hidden="true">ICON</span><p hidden>Hidden para</p>
  <noscript>Enable JavaScript</noscript>
  <form><label>Email</label><button>Subscribe</button></form>
</article>
<footer>Copyright 2024 HealthSite</footer>
</body></html>
"""


@pytest.fixture(scope="module")
def page() -> SourceText:
    return extract(PAGE, "html")


def test_html_boilerplate_is_removed(page):
    """Navigation, footer, scripts, styles, asides, cookie banners, ads and forms are dropped."""
    check_layout(page)
    for junk in ("HealthSite", "Home", "News menu", "cookies", "TRACKING", "color", "Share on",
                 "Buy the roller", "Related", "Prev / Next", "ICON", "Hidden para",
                 "JavaScript", "Email", "Subscribe", "Copyright", "claimscan"):
        assert junk not in page.text, junk


def test_html_h1_comes_first_and_is_the_title(page):
    """The <h1> is the first block (a heading) even when text precedes it in the page."""
    assert page.blocks[0].kind == "heading"
    assert block_texts(page)[0] == "Can Micro Needling Help?"
    assert page.title == "Can Micro Needling Help?"


def test_html_blocks_and_kinds(page):
    """Paragraphs, headings, list items, quotes and cells become blocks; inline tags are text."""
    pairs = list(zip((b.kind for b in page.blocks), block_texts(page)))
    assert ("paragraph", "A study in the Journal of Clinical and Aesthetic Dermatology found "
                         "that it & more works — in 30 people.") in pairs
    assert ("heading", "How it works") in pairs
    assert ("list_item", "Stimulates follicles") in pairs
    assert ("list_item", "Releases growth factors") in pairs
    assert ("quote", "More research is needed.") in pairs
    assert ("table_cell", "Study") in pairs and ("table_cell", "30") in pairs
    assert ("paragraph", "By Jane Doe") in pairs  # the article's own header is kept


def test_html_class_tokens_match_whole_words_only(page):
    """'header-ad' is an ad, but 'shadow' and 'read-more-box' are not."""
    assert "Shadowed but kept" in page.text
    assert "Buy the roller" not in page.text


def test_html_entities_are_decoded(page):
    """&amp;, &nbsp;, &mdash; and numeric references become characters (spaces collapsed)."""
    assert "&" in page.text and "&amp;" not in page.text and "&#" not in page.text
    assert "—" in page.text and "\xa0" not in page.text


def test_html_italics_are_recorded(page):
    """<em>, <i> and <cite> runs are recorded as italic spans of the extracted text."""
    spans = [page.text[s:e] for s, e in page.italic_spans]
    assert spans == ["Journal of Clinical and Aesthetic Dermatology", "works"]


def test_html_positions_are_source_lines(page):
    """A block reports its element's source line, and the column where its text starts."""
    assert position_of(page, "Can Micro") == (10, PAGE.splitlines()[9].index("Can Micro") + 1)
    assert position_of(page, "A study in")[0] == 11
    assert position_of(page, "found that")[0] == 11  # columns are not exact inside a block
    assert position_of(page, "How it works")[0] == 14


def test_html_comment_directives_are_recorded(page):
    """`<!-- claimscan: ... -->` comments are directives pointing at the block that follows."""
    assert len(page.directives) == 1
    directive = page.directives[0]
    assert directive.text == "claimscan: ignore CS101"
    assert block_texts(page)[directive.block] == "Hair"
    assert directive.line > 1 and directive.column >= 1


def test_html_without_article_uses_body_and_title():
    """Without <article>/<main> the body is used; without <h1> the <title> is the first block."""
    html = "<html><head><title>Hair facts | Site</title></head><body><p>Body text.</p></body>"
    st = extract(html, "html")
    assert block_texts(st) == ["Hair facts", "Body text."]
    assert st.blocks[0].kind == "heading" and st.title == "Hair facts"


def test_html_h1_outside_the_article_is_brought_in():
    """A page <h1> above the <article> is still the first block; a logo <h1> is not."""
    html = """<body><h1 class="site-logo">Brand</h1><div class="top"><h1>Real title</h1></div>
    <article><p>Story text.</p></article><p>Outside text.</p></body>"""
    st = extract(html, "html")
    assert block_texts(st) == ["Real title", "Story text."]


def test_html_wrapper_with_boilerplate_class_holding_the_article_is_kept():
    """A wrapper whose class merely mentions a sidebar is not dropped when it holds the text."""
    html = """<body><div class="content with-sidebar"><p>Main story text that is long enough
    to be most of the page.</p></div><div class="sidebar">Popular</div></body>"""
    st = extract(html, "html")
    assert "Main story text" in st.text and "Popular" not in st.text


def test_html_five_thousand_nested_divs():
    """5,000 nested <div>s (deeper than libxml2 allows) keep their text and what follows."""
    n = 5000
    html = "<body>" + "<div>" * n + "Deep text." + "</div>" * n + "<p>After.</p></body>"
    st = extract(html, "html")
    assert block_texts(st) == ["Deep text.", "After."]


def test_html_unclosed_tags_are_tolerated():
    """Unclosed <p>, <li> and inline tags still give one block per paragraph or item."""
    html = "<body><p>First <b>bold<p>Second<ul><li>One<li>Two</ul><div>Loose"
    st = extract(html, "html")
    assert block_texts(st) == ["First bold", "Second", "One", "Two", "Loose"]


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title>Only a title</title><script>var a = 1;</script></head></html>",
        "<script>document.write('hi')</script><style>p{}</style>",
        "",
        "   \n",
        "<html><body><nav>Menu</nav><footer>Foot</footer></body></html>",
    ],
)
def test_html_without_body_text_is_an_error(html):
    """A page with no body text (only head, scripts or furniture) has 'no article text found'."""
    with pytest.raises(InputError) as info:
        extract(html, "html")
    assert (info.value.stage, info.value.reason) == ("extract", "no article text found")


def test_html_meta_charset_does_not_redecode_text():
    """Text already decoded is not re-decoded by a stale <meta charset>."""
    html = '<meta charset="iso-8859-1"><body><p>café – “quoted” 日本</p>'
    assert extract(html, "html").text == "café – “quoted” 日本"


def test_boilerplate_rules_are_data():
    """The boilerplate rules load from configs/boilerplate.json and can be replaced."""
    rules = load_boilerplate_rules()
    assert {"script", "nav", "footer"} <= rules.drop_tags
    assert {"ad", "cookie", "sidebar"} <= rules.drop_tokens
    custom = BoilerplateRules.from_dict({"drop_tags": ["script"], "drop_tokens": ["keep"]})
    st = extract("<body><nav>Nav text</nav><p class='keep-out'>x</p><p>y</p></body>", "html",
                 rules=custom)
    assert block_texts(st) == ["Nav text", "y"]


# --- size ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_200000_character_single_line_is_extracted_whole(fmt):
    """A single 200,000-character line is one block holding all its text (and finishes)."""
    sentence = "Micro needling may improve hair density, one study found. "
    line = (sentence * (200_000 // len(sentence) + 1))[:200_000].strip()
    st = extract(line, fmt)
    assert len(st.blocks) == 1
    assert st.text == line
    assert st.source_position(len(line) - 1)[0] == 1
