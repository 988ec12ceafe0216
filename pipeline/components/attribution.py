"""Attribution: who says each unit, and in what role.

News reports most claims as someone's words: `"...," said Dr. Gao, who led the study.`,
`According to the company, ...`, `Experts say ...`. For each unit this component finds the
reporting frame (the speaker and the reporting verb, as character offsets, so the claim
classifier does not read "she added" as an effect verb), the speaker, the speaker's role
(study_team, independent, company, official, unnamed, other) and whether the words are quoted.
A name introduced with a role keeps it for the rest of the article ("Gao said" later), and
"he said" refers to the last named speaker. Rule data: configs/attribution.json.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.analysis import Unit
from pipeline.components._util import doc_text
from pipeline.extensions import unit_records
from pipeline.lexical import Terms, alternation, key_word, words_of
from pipeline.rulefile import load_rules

ROLES = ("study_team", "independent", "company", "official", "unnamed")
SCHEMA = {"reporting_verbs": [str], "frame_openers": [str],
          "roles": {role: [str] for role in ROLES}, "pronouns": [str], "speaker_words": [str],
          "intro_words": [str], "team_words": [str]}
_SPEAKER_MAX_WORDS = 30
_NAME = re.compile(
    r"\b(?:Dr\.?\s+|Prof\.?\s+)?([A-Z][a-zA-Z'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-zA-Z'’-]+)*)"
)
# Dots of titles and initials ("Dr. Gao", "J. Smith") are masked so a speaker runs past them.
# Each starts with a capital: the lookahead rejects other positions before the alternatives run.
_ABBREVIATION_DOT = re.compile(
    r"(?=[A-Z])\b(?:Dr|Drs|Prof|Mr|Mrs|Ms|Jr|Sr|St|Gen|Sen|Rep|Gov|Inc|Corp|Co|Ltd|Ph\.D|M\.D|[A-Z])\."
)
_DETERMINERS = ("some ", "many ", "most ", "other ", "the ", "several ", "a few ")
# A clause of its own before the verb (", so high levels suggest"); ", but who was not allowed
# to speak" still describes the speaker
_NEW_CLAUSE = re.compile(r",\s+(?:so|but|because|while|whereas|yet)\s+(?!who\b|whose\b|not\b)")
# A finite verb outside a relative clause ("who is lead author of the study" describes a speaker)
_CLAUSE_VERB = re.compile(r"(?<!\bwho )(?<!\bwhich )(?<!\bthat )\b(?:can|could|may|might|will"
                          r"|would|should|must|is|are|was|were|has|have|had)\b")
# "the others were told to stop", "patients are told": the words before a passive reporting verb
# are whom it was said to, not who said it
_PASSIVE_AUXILIARIES = frozenset(("is", "are", "was", "were", "be", "been", "being"))
# "her doctors", "the patient's surgeons": particular people, not an appeal to unnamed experts
_POSSESSIVE = re.compile(r"^(?:her|his|their|our|my)\b|^\S+'s\b")


class AttributionFinder:
    def __init__(self, lexicon: dict) -> None:
        verbs = alternation(lexicon["reporting_verbs"])
        openers = alternation(lexicon["frame_openers"])
        # `..." Gao said.` / `..., said Gao, who ...` / `Gao, who ..., said that ...` /
        # `according to X`
        self.after_quote = re.compile(
            rf"[”\"]\s*,?\s*(?P<speaker>[^”\"]{{1,160}}?)\s+(?:{verbs})\b[^”\"]*$"
        )
        self.inverted = re.compile(
            rf"(?:^|[,”\"]\s*)(?:{verbs})\s+(?P<speaker>[A-Z][^.;”\"]{{1,160}}?)\s*(?:[.;]|$)"
        )
        # A finite reporting verb: "they were likely to say" reports nothing. A match holds one
        # comma, or three around an aside ("..., Gao, who led it, said."): the lookahead skips,
        # in linear time, every comma followed by one or more than two others.
        self.trailing = re.compile(
            rf",(?=[^,]*+(?:,[^,]*+,)?+[^,]*+$)"
            rf"\s*(?P<speaker>[^,;”\"]{{1,100}}?(?:,[^,;”\"]{{1,140}},)?)\s+(?<!\bto )"
            rf"(?:{verbs})\b[^,;”\"]{{0,80}}[.!]?$"
        )
        self.leading = re.compile(
            rf"^(?P<speaker>[A-Z][^;”\"]{{0,200}}?)\s+(?<!\bto )(?:{verbs})(?:\s+that)?\b"
        )
        # Headlines are set in title case: "Panel Says Aspirin Lowers Risk", "..., Experts Say".
        # Only there: in running text a capitalised "States" or "Reports" is part of a name.
        self.in_headings = {
            p: re.compile(p.pattern.replace(f"(?:{verbs})", f"(?i:{verbs})"))
            for p in (self.trailing, self.leading)}
        # the frames that need no quotation: the speaker's words are reported, not quoted
        self.unquoted = frozenset((self.trailing, self.leading, *self.in_headings.values()))
        self.according = re.compile(rf"\b(?:{openers})\s+(?P<speaker>[^,;.”\"]{{2,120}})",
                                    re.IGNORECASE)
        self.roles = {role: Terms(phrases) for role, phrases in lexicon["roles"].items()}
        # In the order they are tried; every pattern but `according` needs a reporting verb, and
        # `according` an opener, so the longest (rarest) word of one. The patterns a unit can
        # match, by (has a reporting verb, has an opener's word): set tests, far cheaper than the
        # frame regexes, leave most units none.
        self.verb_words = frozenset(v.split()[0] for v in lexicon["reporting_verbs"])
        self.opener_words = frozenset(map(key_word, lexicon["frame_openers"]))
        patterns = (self.after_quote, self.inverted, self.according, self.trailing, self.leading)
        self.patterns = {
            (verb, opener): tuple(p for p in patterns if (opener if p is self.according else verb))
            for verb in (False, True) for opener in (False, True)
        }
        self.pronouns = frozenset(lexicon["pronouns"])
        self.speaker_words = frozenset(lexicon["speaker_words"])
        self.intro_words = frozenset(lexicon["intro_words"])
        self.team_words = frozenset(lexicon["team_words"])
        self.has_studies = False  # set per article: unnamed "researchers" are its study's team

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        self.has_studies = bool(doc._.studies)
        known: dict[str, str] = {}  # surname -> role
        last_speaker, last_role = "", ""
        open_quote = False  # a quotation runs on from the unit before (multi-sentence quotes)
        previous: Unit | None = None
        for unit in unit_records(doc):
            quotes = _quote_marks(unit.text)
            unit.quoted = open_quote or quotes > 0
            frame = self._frame(unit)
            if frame is not None:
                start, end, speaker = frame
                unit.frame = (unit.start_char + start, unit.start_char + end)
                role, name = self._role(unit, speaker, known)
                if speaker.lower() in self.pronouns:
                    speaker, role = last_speaker, role or last_role
                unit.speaker, unit.speaker_role = speaker, role or "other"
                if name and role and role != "unnamed":
                    known[name] = role
                last_speaker, last_role = unit.speaker, unit.speaker_role
            elif unit.quoted and previous is not None and previous.quoted and previous.speaker \
                    and previous.block == unit.block:
                # the quote goes on
                unit.speaker, unit.speaker_role = previous.speaker, previous.speaker_role
            if "\n" in text[unit.end_char : unit.end_char + 2]:
                open_quote = False
            elif quotes % 2:
                open_quote = not open_quote
            previous = unit
        return doc

    def _frame(self, unit: Unit) -> tuple[int, int, str] | None:
        """(start, end, speaker) of the reporting frame in the unit's text, or None."""
        patterns = self.patterns[not unit.words.isdisjoint(self.verb_words),
                                 not unit.words.isdisjoint(self.opener_words)]
        if unit.block_kind == "heading":
            patterns = tuple(self.in_headings.get(p, p) for p in patterns)
        if not patterns:
            return None
        masked = _ABBREVIATION_DOT.sub(lambda m: m.group().replace(".", "\x00"), unit.text)
        for pattern in patterns:
            match = pattern.search(masked)
            if match is not None:
                speaker = self._without_intro(
                    unit.text[match.start("speaker") : match.end("speaker")].strip(" ,"))
                quoted = pattern not in self.unquoted
                # after a comma a capitalised word is no sentence start: "..., Wang said."
                mid_sentence = pattern is self.trailing
                if pattern is self.leading and _CLAUSE_VERB.search(speaker):
                    # "Stool DNA testing can detect precancers and could play a larger role,
                    # say two new studies": a statement, not a speaker's name before the verb
                    continue
                if self._is_speaker(speaker, quoted=quoted, mid_sentence=mid_sentence):
                    return match.start(), match.end(), speaker
        return None

    def _without_intro(self, speaker: str) -> str:
        """'In April, researchers' -> 'researchers': an opening adverbial is not the speaker."""
        head, comma, rest = speaker.partition(", ")
        if comma and head.split()[0].lower() in self.intro_words:
            return rest
        return speaker

    def _is_speaker(self, speaker: str, quoted: bool, mid_sentence: bool = False) -> bool:
        """A speaker is short and names someone: after a quote or "according to" anything short
        goes; before the verb it must have a name or a speaking role ("the researchers")."""
        words = speaker.split()
        if not words or len(words) > _SPEAKER_MAX_WORDS:
            return False
        if words[-1].lower() in _PASSIVE_AUXILIARIES:
            return False
        if quoted:
            return True
        if _NEW_CLAUSE.search(speaker):
            # "B vitamins lower homocysteine, so high levels suggest ...": the words before the
            # verb hold a clause of their own, not a speaker
            return False
        head = [w.strip(",.;:()") for w in words[:8]]
        # A capitalised word past the first ("Jane Roe", "Dr. Gao"): a speaker that opens the
        # sentence is capitalised anyway; one after a comma is not ("..., Wang said").
        first = 0 if mid_sentence else 1
        named = (any(w[:1].isupper() for w in head[first:])
                 or head[0].lower() in ("dr", "prof"))
        return named or any(w.lower() in self.speaker_words for w in head)

    def _role(self, unit: Unit, speaker: str, known: dict[str, str]) -> tuple[str, str]:
        """The speaker's role and surname (for later references)."""
        lower = speaker.lower()
        words = words_of(lower)  # for the four role searches over `lower`
        bare = next((lower[len(d):] for d in _DETERMINERS if lower.startswith(d)), lower)
        unnamed = self.roles["unnamed"].search(bare)
        if unnamed is not None and unnamed.group() == bare:
            # "researchers said" in a story about a study: its team; "experts say": nobody in
            # particular
            return ("study_team" if self.has_studies and bare in self.team_words else "unnamed"), ""
        names = [m.group(1) for m in _NAME.finditer(speaker)]
        surname = names[0].split()[-1] if names else ""
        if self.roles["independent"].found_in(unit.lower, unit.words):
            return "independent", surname
        for role in ("study_team", "company", "official"):
            if self.roles[role].found_in(lower, words):
                return role, surname
        if surname in known:
            return known[surname], surname
        if not names and self.roles["unnamed"].found_in(lower, words):
            return ("other" if _POSSESSIVE.match(lower) else "unnamed"), ""
        return "", surname


def _quote_marks(text: str) -> int:
    """Straight and curly double quotes in `text` (three counts: a generator over the marks costs
    twice as much, in a loop over every unit)."""
    return text.count('"') + text.count("“") + text.count("”")


@Language.factory(
    "claimscan_attribution",
    assigns=["span._.speaker", "span._.speaker_role"],
    requires=["doc.spans", "doc._.studies"],
    default_config={"lexicon": "attribution.json"},
)
def make_attribution_finder(nlp: Language, name: str, lexicon: str) -> AttributionFinder:
    return AttributionFinder(load_rules(lexicon, SCHEMA))
