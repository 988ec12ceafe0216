"""Citations: journal titles, author-year references, DOIs, PMIDs, URLs, preprints, conferences.

Everything is found with linear regexes over the Doc text plus a case-sensitive PhraseMatcher of
known titles. Each hit becomes a span in `doc.spans["citations"]`; its label says the type and
its `kb_id_` holds the normalised value (a title as written, a bare DOI, a PMID). A title ends
where the capitalised run ends, so "the Journal of Clinical and Aesthetic Dermatology found that"
yields the title alone. Preprint servers and conferences are labelled separately: not journals.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.components._util import doc_text, longest_matches, phrase_matcher
from pipeline.extensions import CITATIONS
from pipeline.lexical import alternation
from pipeline.resources import load_lines
from pipeline.rulefile import load_rules

SCHEMA = {
    "citation_cues": [str], "journal_head_words": [str], "months": [str], "not_titles": [str],
    "preprint_servers": [str], "unpublished_phrases": [str], "statement_speakers": [str],
    "statement_verbs": [str], "statement_sources": [str],
    "conference_words": [str], "not_journals": [str],
    "time_words_after_cue": [str], "periodical_words": [str],
}

_TITLE_WORD = r"(?:[A-Z][\w'’&.-]*|of|and|for|in|the|on|&|de)"
_STRONG_VERB = (
    r"(?:published|publish|appears?|appeared|reported|reports?|described|printed|out|writes?"
    r"|wrote|writing|notes?|noted|concludes?|concluded|says?|said|study|paper|article|analysis"
    r"|report|research|findings|letter)"
)
# "published Wednesday in", "published in 2007 in", "published online last August in": when
# between verb and "in".
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_WHEN = (
    rf"(?:(?:in\s+)?(?:(?:19|20)\d\d|{_MONTH}(?:\s+\d{{1,2}})?(?:,?\s+(?:19|20)\d\d)?)"
    rf"|(?:last|this|earlier\s+this|late\s+last|early\s+this)"
    rf"\s+(?:{_MONTH}|week|month|year|spring|summer|fall|autumn|winter)"
    rf"|(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    rf"|today|online|recently|earlier|this\s+week|this\s+month)"
)
_STRONG_CUE = (
    rf"(?:{_STRONG_VERB}(?:,?\s+{_WHEN})*,?\s+in|(?:the\s+)?journal"
    rf"|(?:issue|issues|edition|editions)\s+of)"
)
_CAPITALISED = r"[A-Z][\w'’-]*"
# A title that lists its fields: "Cancer Epidemiology, Biomarkers & Prevention", "Diabetes,
# Obesity and Metabolism" (the comma would otherwise end the title).
_LIST_TAIL = (rf",\s+{_CAPITALISED}(?:\s+{_CAPITALISED})*,?\s+(?:&|and)\s+{_CAPITALISED}"
              rf"(?:\s+{_CAPITALISED})*")
# The cue and what may stand between it and the title ("in the journal"). Every cue starts with a
# lower-case letter: the lookahead rejects other positions before the engine tries the cue
# alternatives there.
_CUE = rf"(?=[a-z])\b(?P<cue>{_STRONG_CUE}|\bin)\s+(?:the\s+)?(?:journal\s+)?"
_TITLE_AFTER_CUE = re.compile(
    _CUE
    # a subtitle naming the journal goes with it: "Arthroscopy: The Journal of Arthroscopic ..."
    + rf"(?P<title>[A-Z][\w'’&.-]*(?:\s+{_TITLE_WORD})*(?:{_LIST_TAIL})?"
    rf"(?::\s+The\s+Journal(?:\s+{_TITLE_WORD})*)?)"
)
# Every match of _TITLE_AFTER_CUE ends its cue with "in", "journal" or "of" and starts its title
# at the capital after them, and its cue holds nothing but letters, digits, commas, full stops and
# spaces: a match starts in a stretch of those characters that runs up to such a capital.
# `_title_matches` scans only those stretches (a sixth of a story) for the cue, not the whole text.
_TITLE_START = re.compile(r"(?:in|journal|of)\s+(?:the\s+)?(?:journal\s+)?[A-Z]")
_NOT_IN_CUE = re.compile(r"[^A-Za-z\d,.\s]")
_CUE_TO_TITLE = re.compile(_CUE + "[A-Z]")
_LISTED_FIELDS = re.compile(rf"[^,;:]+{_LIST_TAIL}")
# A word before a listed title that makes it part of a longer name ("Abbott Diabetes Care",
# "Oxford Biomedical Research Centre"); these may stand before a title.
_BEFORE_TITLE_OK = frozenset(("the", "in", "a", "an", "and", "of", "by", "from", "to", "for", "on",
                              "at", "journal", "published", "according", "editor", "editors",
                              "appears", "appeared", "reported", "wrote", "writing", "writes"))
_TRAILING_FUNCTION_WORDS = re.compile(r"(?:\s+(?:of|and|for|in|the|on|&|de))+$|[.,;:]+$")
_AUTHOR_YEAR = re.compile(
    r"\(\s*(?P<ref>[A-Z][\w'’-]+(?:\s+(?:et\s+al\.?|(?:and|&)\s+[A-Z][\w'’-]+))?"
    r",?\s+(?:19|20)\d\d[a-z]?)\s*[;)]"
    r"|(?P<narrative>\b[A-Z][\w'’-]+\s+et\s+al\.?\s+\((?:19|20)\d\d[a-z]?\))"
)
# Every author-year reference ends in a year and ')' or ';': the scan for this, which starts with a
# literal, is far cheaper than `_AUTHOR_YEAR`'s, which tries a capitalised word at every position.
_YEAR_THEN_CLOSE = re.compile(r"(?:19|20)\d\d[a-z]?\s*[;)]")
_DOI = re.compile(r"(?:\bdoi:\s*|https?://(?:dx\.)?doi\.org/)?\b(?P<doi>10\.\d{4,9}/[^\s\"<>]+)",
                  re.IGNORECASE)
_PMID = re.compile(r"\bPMID:?\s*(?P<pmid>\d{5,9})\b")
_URL = re.compile(r"\bhttps?://[^\s<>\"]+")
_CONFERENCE_VERBS = ("presented", "reported", "unveiled")
_TRAILING_PUNCT = ".,;:)]}'\"’”"


class CitationFinder:
    def __init__(self, nlp: Language, settings: dict, journals: list[str]) -> None:
        self.head_words = set(settings["journal_head_words"])
        self.not_journals = {normalised_title(t) for t in settings["not_journals"]}
        self.not_titles = set(settings["not_titles"]) | set(settings["months"])
        self.known = {j.lower() for j in journals}
        # listed titles written in capitals ("JAMA", "BMJ"): a capitalised word may be one after
        # a bare "in"; "in the MIND diet" is not the journal Mind
        self.acronyms = {j for j in journals if j.isupper()}
        # Multi-word titles that call themselves a periodical ("Archives of Surgery") are most of
        # the list: they are looked up around their periodical word, in a set, because a
        # PhraseMatcher holding them all costs a hundred megabytes and a second to build.
        periodical_words = frozenset(settings["periodical_words"])
        multi_word = [j for j in journals if " " in j]
        self.periodicals = {j for j in multi_word if not periodical_words.isdisjoint(j.split())}
        # The lookahead on their first letters rejects most positions before the engine tries the
        # alternatives there (half the scan's time).
        first_letters = "".join(sorted({re.escape(word[0]) for word in periodical_words}))
        self.periodical_word = re.compile(
            (rf"(?=[{first_letters}])" if first_letters else "")
            + r"\b(?:" + "|".join(map(re.escape, sorted(periodical_words))) + r")\b")
        self.matcher = phrase_matcher(
            nlp, {"journal": [j for j in multi_word if j not in self.periodicals]}, attr="ORTH")
        self.preprint_servers = tuple(settings["preprint_servers"])
        self.preprint = re.compile(r"\b(?:" + "|".join(map(re.escape, self.preprint_servers))
                                   + r")\b")
        # "published" is in most articles; a phrase's first two words are in few
        self.unpublished_gates = frozenset(" ".join(p.split()[:2])
                                           for p in settings["unpublished_phrases"])
        # alternation() groups the phrases by first letter; spaces stay single spaces
        self.unpublished = re.compile(
            rf"\b(?:{alternation(settings['unpublished_phrases'], space=' ')})\b")
        speakers, verbs, sources = (alternation(settings[key], space=" ") for key in (
            "statement_speakers", "statement_verbs", "statement_sources"))
        self.company_statement = re.compile(
            rf"\b(?:{speakers})\b[^.;,]{{0,40}}?\b(?:{verbs})\s+in\s+a\s+(?:{sources})\b")
        # the regex runs only where one of these is: "said in a "
        self.statement_gates = tuple(f"{verb} in a " for verb in settings["statement_verbs"])
        words = "|".join(map(re.escape, settings["conference_words"]))
        self.conference = re.compile(
            rf"\b(?:{'|'.join(_CONFERENCE_VERBS)})\s+(?:today\s+)?at\s+(?:the\s+)?"
            rf"(?P<name>[^.;]*?\b(?:{words})\b(?:\s+of\s+the\s+[A-Z][\w'’ ]*[A-Za-z])?)",
            re.IGNORECASE,
        )

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        found: list[tuple[int, int, str, str]] = []
        listed = [(0, start, end) for _, start, end in self.matcher(doc)]
        listed += [(0, start, end) for start, end in self._periodicals(doc, text)]
        for _, start, end in longest_matches(listed):
            span = doc[start:end]
            if (_inside_a_longer_name(doc, start, end)
                    or normalised_title(span.text) in self.not_journals):
                continue
            found.append((span.start_char, span.end_char, "journal", span.text))
        for match in _title_matches(text):
            strong = match.group("cue") != "in" or "journal" in match.group().lower()
            title = self._best_title(match.group("title"), strong=strong)
            if title:
                start = match.start("title")
                found.append((start, start + len(title), "journal", title))
        for start, end in _italics(doc):
            title = text[start:end].strip()
            if self._is_journal(title, strong=True):
                found.append((start, start + len(title), "journal", title))
        # Each whole-text regex below runs only if the text has a string every match contains.
        for match in (self.preprint.finditer(text)
                      if any(server in text for server in self.preprint_servers) else ()):
            found.append((match.start(), match.end(), "preprint", match.group()))
        lower = text.lower()
        for match in (self.unpublished.finditer(lower)
                      if any(gate in lower for gate in self.unpublished_gates) else ()):
            found.append((match.start(), match.end(), "unpublished",
                          "unpublished or not peer-reviewed results"))
        for match in (self.company_statement.finditer(lower)
                      if any(gate in lower for gate in self.statement_gates) else ()):
            found.append((match.start(), match.end(), "unpublished", "a company statement"))
        for match in (self.conference.finditer(text)
                      if any(verb in lower for verb in _CONFERENCE_VERBS) else ()):
            found.append((match.start("name"), match.end("name"), "conference",
                          match.group("name")))
        for match in _AUTHOR_YEAR.finditer(text) if _YEAR_THEN_CLOSE.search(text) else ():
            group = "ref" if match.group("ref") else "narrative"
            found.append((match.start(group), match.end(group), "author_year", match.group(group)))
        for match in _DOI.finditer(text) if "10." in text else ():
            doi = match.group("doi").rstrip(_TRAILING_PUNCT)
            found.append((match.start(), match.start("doi") + len(doi), "doi", doi))
        for match in _PMID.finditer(text) if "PMID" in text else ():
            found.append((match.start(), match.end(), "pmid", match.group("pmid")))
        for match in _URL.finditer(text) if "http" in text else ():
            url = match.group().rstrip(_TRAILING_PUNCT)
            if "doi.org/" not in url:
                found.append((match.start(), match.start() + len(url), "url", url))
        doc.spans[CITATIONS] = _to_spans(doc, found)
        return doc

    def _periodicals(self, doc: Doc, text: str) -> list[tuple[int, int]]:
        """(start, end) tokens of each listed periodical title in the Doc: the longest run of
        title words around a periodical word ("Journal", "Archives") that is in the list."""
        spans = []
        for match in self.periodical_word.finditer(text):
            word = doc.char_span(match.start(), match.end())
            if word is None:
                continue
            at = word.start
            first = at
            while first > 0 and at - first < _MAX_TITLE_TOKENS and _title_token(doc[first - 1]):
                first -= 1
            last = at + 1
            while (last < len(doc) and last - at < _MAX_TITLE_TOKENS
                   and _title_token(doc[last])):
                last += 1
            best = max(((start, end) for start in range(first, at + 1)
                        for end in range(at + 1, last + 1)
                        if " ".join(doc[start:end].text.split()) in self.periodicals),
                       key=lambda span: span[1] - span[0], default=None)
            if best is not None:
                spans.append(best)
        return spans

    def _best_title(self, run: str, *, strong: bool) -> str:
        """The longest leading part of a capitalised run that is a journal title ('Nature' of
        'Nature on Wednesday'); a run stops at sentence punctuation. A known title wins over a
        longer unknown run, unless the run goes on in capitalised words after a strong cue
        ('published in Lancet Oncology' is not 'Lancet')."""
        fields = _LISTED_FIELDS.match(run)
        if fields and ("&" in fields.group() or fields.group().lower() in self.known):
            # "and" lists names too ("in Pediatrics, Smith and Jones found"): only a listed
            # title or an ampersand makes the comma part of the title
            if self._is_journal(fields.group(), strong=strong):
                return fields.group()
        words = re.split(r"[,;]|:(?!\s+The\s+Journal)|\.(?:\s|$)", run)[0].split()
        if any(normalised_title(" ".join(words[:end])) in self.not_journals
               for end in range(len(words), 0, -1)):
            # "The Wall Street Journal last week": a newspaper, and no part of it is a journal
            return ""
        while words and (words[-1] in self.not_titles or words[-1].rstrip(".") in self.not_titles):
            # "Sleep Health in March", "The Lancet Thursday": never end on a month or a day
            words = words[:-1]
        for end in range(len(words), 0, -1):
            title = " ".join(words[:end])
            if title.lower() in self.known and self._is_journal(title, strong=strong):
                rest = words[end:]
                if (strong and rest and len(rest) <= 4
                        and all(w[0].isupper() or w in ("of", "and", "&") for w in rest)
                        and rest[-1][0].isupper()):
                    longer = " ".join(words)
                    if self._is_journal(longer, strong=True):
                        return longer
                return title
        for end in range(len(words), 0, -1):
            title = _TRAILING_FUNCTION_WORDS.sub("", " ".join(words[:end]))
            if title == " ".join(words[:end]) and self._is_journal(title, strong=strong):
                return title
        return ""

    def _is_journal(self, title: str, *, strong: bool) -> bool:
        if not title or title in self.not_titles or title.split()[0] in self.not_titles - {"The"}:
            return False
        if normalised_title(title) in self.not_journals:
            return False
        words = title.split()
        if title.lower() in self.known:
            return strong or len(words) > 1 or title in self.acronyms
        if not strong:
            return False
        return bool(self.head_words.intersection(words)) or (
            len(words) > 1 and all(w[0].isupper() or w in {"of", "and", "&"} for w in words))


_MAX_TITLE_TOKENS = 12
_TITLE_FUNCTION_TOKENS = frozenset(("of", "and", "for", "in", "the", "on", "&", "de", "'s", "’s",
                                    "-", "/", ":", ","))


def _title_token(token: Token) -> bool:
    """A token that can be part of a journal title: capitalised, or a function word of titles."""
    return token.text[:1].isupper() or token.text in _TITLE_FUNCTION_TOKENS


def _title_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of `_TITLE_AFTER_CUE.finditer(text)`, looked for only where one can start: in
    the stretches before a title's capital that hold no character a cue cannot (a stretch running
    through several such capitals ends at the last)."""
    titles = [m.end() - 1 for m in _TITLE_START.finditer(text)]
    if not titles:
        return
    breaks = [m.start() for m in _NOT_IN_CUE.finditer(text)]
    stretches: list[list[int]] = []  # [first possible start, last title capital]
    for title in titles:
        i = bisect_left(breaks, title)
        start = breaks[i - 1] + 1 if i else 0
        if stretches and start < stretches[-1][1]:
            stretches[-1][1] = title
        else:
            stretches.append([start, title])
    end = 0  # where the last match ended
    for start, last in stretches:
        while end < last:
            # cut after the last capital: a match starting here has its title at or before it
            found = _CUE_TO_TITLE.search(text, max(end, start), last + 1)
            if found is None:
                break
            match = _TITLE_AFTER_CUE.match(text, found.start())
            yield match
            end = match.end()


def normalised_title(title: str) -> str:
    """Lower case, no leading 'the', single spaces: 'The Wall Street Journal' == 'wall street
    journal'."""
    text = " ".join(title.lower().replace("’", "'").split())
    return text[4:] if text.startswith("the ") else text


def _inside_a_longer_name(doc: Doc, start: int, end: int) -> bool:
    """A listed title inside a longer capitalised name: 'Abbott Diabetes Care', 'Oxford
    Biomedical Research Centre'. Not at a sentence start, and not after a citation word."""
    if start > 0:
        before = doc[start - 1]
        if (before.is_alpha and (before.is_title or before.is_upper) and not before.is_sent_start
                and before.lower_ not in _BEFORE_TITLE_OK):
            return True
        if (before.lower_ in ("for", "of") and start > 1
                and doc[start - 2].text in _NAME_GOES_ON):
            return True  # "American Association for Cancer Research": a body, not the journal
    if end < len(doc):
        after = doc[end]
        if (after.is_alpha and (after.is_title or after.is_upper)
                and (after.text in _NAME_GOES_ON or after.text in ("UK", "US", "USA"))):
            return True  # "Cancer Research UK", "Biomedical Research Centre"
        if (after.text in ("of", "and", "&") and end + 1 < len(doc)
                and doc[end + 1].text[:1].isupper()):
            return True  # "Quarterly Review of Juice Studies": a longer title, not a listed one
    return False


_NAME_GOES_ON = frozenset(("Centre", "Center", "Institute", "Foundation", "Society", "Association",
                           "Unit", "Group", "Network", "Council", "Program", "Programme",
                           "Department", "Laboratory", "Lab", "Inc", "Ltd", "Company", "Corp",
                           "Trust", "Fund", "Service", "College", "Academy", "School", "Board",
                           "Agency", "Office", "Federation", "Alliance", "Coalition",
                           "Consortium"))


def _italics(doc: Doc) -> list[tuple[int, int]]:
    source = doc._.source
    return list(getattr(source, "italic_spans", None) or [])


def _to_spans(doc: Doc, found: list[tuple[int, int, str, str]]) -> list[Span]:
    """One span per distinct char range; among overlapping journal hits the longest title wins."""
    spans: list[Span] = []
    # per label, the end of the spans kept so far (hits come in start order)
    taken_until: dict[str, int] = {}
    for start, end, label, value in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if start < taken_until.get(label, -1):
            continue
        span = doc.char_span(start, end, label=label, kb_id=value, alignment_mode="expand")
        if span is not None:
            taken_until[label] = max(taken_until.get(label, -1), end)
            spans.append(span)
    return spans


@Language.factory(
    "claimscan_citations",
    assigns=["doc.spans"],
    default_config={"settings": "citations.json", "journals": "journals.txt", "extra_journals": []},
)
def make_citation_finder(
    nlp: Language, name: str, settings: str, journals: str, extra_journals: list[str]
) -> CitationFinder:
    titles = load_lines(journals)
    for extra in extra_journals:
        titles += load_lines(extra)
    return CitationFinder(nlp, load_rules(settings, SCHEMA), titles)
