"""Understanding a question: what kind of answer it wants, its content terms, countries and names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from facts.geo import countries_in
from facts.limits import MAX_TYPED, cut_typed
from facts.qa.entities import country_stems_in
from facts.qa.policy import Policy
from facts.qa.words import ROLE_STEMS, cue_stems, is_soft, name_stems
from facts.text import STOP_WORDS, digits_for_words, fold, phrasal, stem

MAX_QUESTION = MAX_TYPED

# Tags, links and mentions in any markup ("<b>", "<https://…>", "<!here>") and broadcast handles are not
# words of the question; "@Name" keeps its name.
_NOT_WORDS = re.compile(r"<[^<>]{0,200}>|@(?:everyone|here|channel)\b", re.I)
_MARKUP = re.compile(r"[<>*_`~|\[\]{}\\]")
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[.'’][A-Za-z0-9]+)*\.?")

_COUNTDOWN = re.compile(
    r"\bhow\s+(?:many|much)\s+(?:more\s+)?(?:days|weeks|months)\b|\bhow\s+long\s+(?:until|till|before|to\s+go|left)"
    r"|\b(?:days?|weeks?)\s+(?:left|remaining|until|till|to\s+go|away)\b|\bstill\s+(?:ahead|to\s+come|coming|pending"
    r"|upcoming|open|in\s+the\s+future|running|in\s+force|in\s+effect|valid|on)\b|\bhas\b.*\b(?:passed|expired)\b|\bis\b.*\b(?:over|past)\s*\??$"
    r"|\bcountdown\b|\bhow\s+soon\b|\bhow\s+far\s+(?:off|away)\b",
    re.I,
)
_QUOTE = re.compile(
    r"\bwhat\s+(?:did|does|do|has|had|have)\s+(?P<who>.+?)\s+(?:say|said|tell|told|state|stated|think|claim|argue"
    r"|add|write|wrote|comment)\b|\bquote\b|\bwhat\s+was\s+said\b",
    re.I,
)
_REASON = re.compile(
    r"\bwhy\b|\bwhat(?:'s|’s|\s+is|\s+was)?\s+(?:the\s+)?reasons?\b|\bhow\s+come\b|\bwhat\s+"
    r"(?:caused|prompted|drove|led\s+to)\b",
    re.I,
)
_PERSON = re.compile(r"^\s*(?:who|whom|whose)\b|\bwho(?:'s|’s|\s+is|\s+was|\s+are)\b", re.I)
_WHO_IS = re.compile(r"^\s*who(?:'s|’s|\s+is|\s+was)\s+(?P<x>.+?)\s*[?.!]*\s*$", re.I)
_MARKET_WHERE = re.compile(
    r"^\s*where\s+(?:did|does|do|is|was|has)\s+(?:[\w’'.-]+\s+){1,4}(?:settle|settled|close|closed|trade|traded"
    r"|stand|stood|end|ended|finish|finished)\b"
    # The verb ends its clause ("where did Brent settle on Friday?"); "where is the trade office" is a place.
    r"(?=\s*(?:[?.!,]|$|(?:at|on|in|after|by|for|today|yesterday|this|last)\b))",
    re.I,
)
_PLACE = re.compile(
    r"^\s*where\b|\b(?:in|at)\s+(?:which|what)\s+(?:city|country|town|place|venue)\b"
    r"|\b(?:which|what)\s+(?:city|country|town|venue|location)\b",
    re.I,
)
_DATE = re.compile(
    r"^\s*(?:by|until|till|from|since)?\s*when\b|\bwhat\s+(?:date|day|month|year)\b|\b(?:by|until|till)\s+when\b"
    r"|\bwhich\s+(?:date|day|month|year)\b|\bwhat(?:'s|’s|\s+is|\s+was)\s+(?:the\s+)?(?:new\s+)?(?:deadline|due\s+date"
    r"|cut-?off|date)\b",
    re.I,
)
_RATE = re.compile(
    r"\b(?:tariffs?|dut(?:y|ies)|levy|levies|customs|surcharges?|tax(?:es)?)\b|\brates?\b|\bcharg\w*\s.*\bon\b"
    r"|\bimpos\w*\b.*\bon\b",
    re.I,
)
# "A duty-free quota" asks for the quota, not for a duty.
_FACING = re.compile(
    r"\b(?:face[sd]?|facing|pay|pays|paid|paying|get|gets|got|receive[sd]?|receiving)\b", re.I
)
_DUTY_FREE = re.compile(r"\b(?:duty|tariff|tax|levy|customs)[- ]free\b", re.I)
_NUMBER = re.compile(
    r"\bhow\s+(?:many|much|big|large|high|low|far|deep|steep|small|long)\b|\bwhich\s+(?:round|time|number|place)\b"
    r"|\bwhat(?:'s|’s|\s+is|\s+was|\s+are|\s+were)?\s+(?:the\s+)?(?:\w+\s+)?(?:share|number|percentage|proportion|amount|figure|price|level|size|vote|cap|rate"
    r"|reduction|cut|increase|rise|total|value|margin|quota|volume|tally|count)\b|\bwhat\s+was\s+the\s+vote\b",
    re.I,
)
_HOW_LONG = re.compile(r"\bhow\s+long\b", re.I)
_HOW_MANY = re.compile(r"\bhow\s+many\b", re.I)
SPAN_STEMS = tuple(stem(w) for w in ("days", "weeks", "months", "years", "hours"))
_FUTURE = re.compile(
    r"\b(?:could|might|may|would|will|plan\w*|threaten\w*|rise\s+to|go\s+up|up\s+to|max\w*"
    r"|after)\b",
    re.I,
)
_START = re.compile(
    r"\b(?:start\w*|begin\w*|kick\w*\s+in|take\s+effect|come\s+into\s+force|from\s+when)\b", re.I
)
_END = re.compile(r"\b(?:end|ends|expire\w*|lapse\w*|run\s+out|until\s+when|by\s+when)\b", re.I)
# "How many slot pairs is ...": the words between "how many/much" and the verb name what is counted.
_COUNTED = re.compile(
    r"\bhow\s+(?:many|much)\s+(?P<x>(?:(?!(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could"
    r"|should|might|may|must|of)\b)[\w’'+-]+\s+){1,4}?)(?:is|are|was|were|do|does|did|has|have|had|will|would|can"
    r"|could|should|might|may|must)\b",
    re.I,
)
# "How many jobs depend on …": without an auxiliary, the one word after "how many" is what is counted.
_COUNTED_BEFORE_VERB = re.compile(r"\bhow\s+many\s+(?P<x>[\w’'+-]+)", re.I)
# "How much is X paying / does it cost / is it worth": the answer is an amount of money.
_MONEY = re.compile(
    r"\bhow\s+much\b.*\b(?:pay\w*|paid|cost\w*|spen[dt]\w*|worth|price\w*|bid\w*|charg\w*|fine[ds]?"
    r"|fund\w*|invest\w*|raise[ds]?|earn\w*|sell\w*|sold|buy\w*|bought|value[ds]?|owe[ds]?|owing|borrow\w*"
    r"|lend\w*|lent|money|cash)\b",
    re.I,
)
_BOUGHT = re.compile(r"\bfor\s+(?P<x>[^?.!,]+?)(?:\s+(?:in|at|on|from|to|by|with)\b|[?.!,]|$)", re.I)
_MONEY_WORDS = frozenset({"money", "cash", "dollar", "euro"})
_MONEY_VERB = re.compile(r"pay\w*|paid|cost\w*|spen[dt]\w*|price\w*|charg\w*", re.I)
_ABOUT = re.compile(r"\babout\s+(?P<x>.+?)\s*[?.!]*\s*$", re.I)
ORDINAL_WORDS = frozenset(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth last".split()
)
# Prepositions that end a question's head phrase: "a ballot | on open-ended strikes", "consultation | on …".
_LINKS = frozenset(
    "on about against over for of in into with from at by after before during between under near".split()
)
# Nouns that name a deadline as such: "the CMA's deadline on …" asks for a deadline, not any date.
DEADLINE_NOUNS = frozenset({"deadline", "cutoff", "cut-off"})
# Letters a question needs before all capitals mean shouting rather than an acronym ("WTO?").
_SHOUTED_LETTERS = 8
_NAME = re.compile(r"^(?:[A-Z][\w’'-]+|[a-z][\w’'-]+)(?:\s+(?:[A-Z][\w’'-]+|[a-z][\w’'-]+)){0,3}$")


class QuestionKind(StrEnum):
    """What sort of answer a question wants."""

    RATE = "rate"
    DATE = "date"
    COUNTDOWN = "countdown"
    PERSON = "person"
    PLACE = "place"
    QUOTE = "quote"
    NUMBER = "number"
    REASON = "reason"
    STATEMENT = "statement"


@dataclass(frozen=True)
class Term:
    """A content word of the question: its stem, how it was written, and whether it names something."""

    stem: str
    surface: str
    proper: bool = False
    role: bool = False
    exact: bool = False


@dataclass
class Intent:
    """What a question asks: the kind of answer, what about, and the entities it names."""

    kind: QuestionKind
    text: str
    terms: list[Term] = field(default_factory=list)
    countries: set[str] = field(default_factory=set)
    name: str = ""
    name_stems: tuple[str, ...] = ()
    speaker: str = ""
    about: tuple[str, ...] = ()
    imposer: str = ""
    target: str = ""
    future: bool = False
    wants_start: bool = False
    wants_end: bool = False
    counted: tuple[str, ...] = ()
    defining: tuple[str, ...] = ()
    head: tuple[str, ...] = ()
    owner: tuple[str, ...] = ()
    money: bool = False
    notes: list[str] = field(default_factory=list)
    policy: Policy = field(default_factory=Policy)  # which fallbacks of the rules answer this question

    @property
    def content(self) -> list[Term]:
        """Terms that must be found for an answer (not soft words)."""
        return [t for t in self.terms if not is_soft(t.stem)]


def clean_question(raw: str) -> tuple[str, list[str]]:
    """The question without tags and markup characters, cut to MAX_QUESTION characters, with notes.

    Each platform's adapter turns its own syntax into plain text first; what is left here is generic.
    """
    notes: list[str] = []
    text = raw if isinstance(raw, str) else str(raw)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text, was_cut = cut_typed(text)
    if was_cut:
        notes.append(f"question cut to {MAX_QUESTION} characters")
    text = _NOT_WORDS.sub(" ", text)
    text = _MARKUP.sub(" ", text)
    text = text.replace("@", " ")
    return " ".join(text.split()), notes


def _kind(text: str) -> QuestionKind:
    if _COUNTDOWN.search(text):
        return QuestionKind.COUNTDOWN
    if _QUOTE.search(text):
        return QuestionKind.QUOTE
    if _REASON.search(text):
        return QuestionKind.REASON
    if _PERSON.search(text):
        return QuestionKind.PERSON
    if _MARKET_WHERE.search(text):
        return QuestionKind.NUMBER
    if _PLACE.search(text):
        return QuestionKind.PLACE
    if _DATE.search(text):
        return QuestionKind.DATE
    if _HOW_MANY.search(text):
        return QuestionKind.NUMBER  # "how many jobs do the tariffs protect?" counts, whatever it names
    if _RATE.search(_DUTY_FREE.sub(" ", text)):
        return QuestionKind.RATE
    if _NUMBER.search(text):
        return QuestionKind.NUMBER
    return QuestionKind.STATEMENT


def _rate_roles(text: str, countries: set[str]) -> tuple[str, str]:
    """(imposer, target) of a rate question: 'X's duty on Y', 'does X charge on Y', 'on Y from X'."""
    target = ""
    imposer = ""
    on = re.search(r"\b(?:on|against|for)\b(?P<rest>.*)$", text, re.I)
    if on:
        rest = on.group("rest")
        frm = re.search(r"\bfrom\b(?P<origin>.*)$", rest, re.I)
        if frm:
            origin = countries_in(frm.group("origin"), lowercase=True)
            if origin:
                target = sorted(origin)[0]
            rest = rest[: frm.start()]
        found = countries_in(rest, lowercase=True)
        if found and not target:
            target = sorted(found)[0]
        head = text[: on.start()]
    else:
        head = text
        frm = re.search(r"\bfrom\b(?P<origin>.*)$", text, re.I)
        if frm:
            origin = countries_in(frm.group("origin"), lowercase=True)
            target = sorted(origin)[0] if origin else ""
            head = text[: frm.start()]
    before = countries_in(head, lowercase=True) - {target}
    if before and not target and not on and _FACING.search(text):
        # "What rates do Vietnamese exporters face?": the country before 'face' is the one charged.
        return "", sorted(before)[0]
    if before:
        imposer = sorted(before)[0]
    if not imposer and not target and len(countries) == 1:
        return "", ""
    return imposer, target


def parse(raw: str, policy: Policy | None = None) -> Intent:
    """Read a question into an Intent (answered under `policy`, every fallback on by default)."""
    text, notes = clean_question(raw)
    kind = _kind(text)
    intent = Intent(kind=kind, text=text, notes=notes, policy=policy or Policy())
    intent.countries = countries_in(text, lowercase=True)
    country_stems = country_stems_in(text)
    intent.future = bool(_FUTURE.search(text))
    intent.wants_start = bool(_START.search(text))
    intent.wants_end = bool(_END.search(text))

    who = _WHO_IS.match(text)
    if kind == "person" and who:
        target = who.group("x").strip()
        # "Who's Acme's CEO?" names a role, not a person: it is answered like "who is the CEO of Acme?".
        described = bool(re.search(r"\w['’]s\b", target)) and bool(set(name_stems(target)) & ROLE_STEMS)
        # "Who is buying Douro Freight?" asks who does something: a verb, not a name, follows "who is".
        described = described or bool(re.match(r"[a-z]+ing\b", target))
        if (
            not described
            and not re.match(r"(?:the|a|an|our|their|its|this|that)\b", target, re.I)
            and _NAME.match(target)
        ):
            intent.name = target
    quote = _QUOTE.search(text)
    if kind == "quote" and quote and quote.group("who"):
        intent.speaker = quote.group("who").strip()
        about = _ABOUT.search(text[quote.end() :])
        if about:
            intent.about = tuple(
                stem(w) for w in re.findall(r"[a-z0-9]+", about.group("x").lower()) if w not in STOP_WORDS
            )
        speaker_stems = set(name_stems(intent.speaker))
        described = bool(speaker_stems & ROLE_STEMS) or bool(countries_in(intent.speaker, lowercase=True))
        if not described and not re.match(r"(?:the|a|an|our|their|its|this|that)\b", intent.speaker, re.I):
            intent.name = intent.speaker
    if intent.name:
        intent.name_stems = name_stems(intent.name)
    if kind == "rate":
        intent.imposer, intent.target = _rate_roles(text, intent.countries)
    if kind == "person" and not intent.name:
        # "Who leads Seoul's delegation in the talks?": "leads … delegation" says who is meant; the words
        # after the first preposition are context.
        head = re.split(r"\b(?:in|at|on|for|during|over|about|with|from|of)\b", text, maxsplit=1)[0]
        intent.defining = tuple(
            stem(w)
            for w in re.findall(r"[a-z0-9]+", head.lower())
            if w not in STOP_WORDS and not is_soft(stem(w))
        )
    if kind == "number" and _HOW_LONG.search(text):
        intent.counted = SPAN_STEMS  # "how long did the strike go on": a span of time
    elif kind == "number":
        counted = _COUNTED.search(text) or _COUNTED_BEFORE_VERB.search(text)
        if counted:
            intent.counted = tuple(
                stem(w) for w in re.findall(r"[a-z0-9]+", counted.group("x").lower()) if w not in STOP_WORDS
            )
        # "How much money is tied to …" counts money: the amount is the answer, not a word to find.
        money_counted = bool(counted) and all(w in _MONEY_WORDS for w in intent.counted)
        if money_counted:
            intent.counted = ()
        intent.money = bool(_MONEY.search(text)) and (not counted or money_counted)
        bought = _BOUGHT.search(text) if intent.money else None
        if bought:
            # "paying for the terminals": what the money buys must be in the amount's own sentence.
            intent.counted = tuple(
                stem(w) for w in re.findall(r"[a-z0-9]+", bought.group("x").lower()) if w not in STOP_WORDS
            )

    cues = cue_stems(kind)
    # Accents off ("Tomás" is typed "Tomas") and phrasal verbs as one word ("voted down" -> "reject").
    # A question typed in capitals says nothing by its capitals: its words are read as lower case (its
    # countries were found above, where "US" and "EU" still count).
    shouted = not any(ch.islower() for ch in text) and sum(ch.isalpha() for ch in text) >= _SHOUTED_LETTERS
    tokens = _TOKEN.findall(phrasal(fold(digits_for_words(text.lower() if shouted else text))))
    seen: set[str] = set()
    for i, token in enumerate(tokens):
        for piece in re.split(r"[.'’]", token):
            low = piece.lower()
            if low == "us" and piece == "us":
                continue  # the pronoun; "US" in capitals is a country and handled above
            # "the other exporters" are not the one exporter a sentence names: 'other' must be said.
            contrast = low == "other" and i > 0 and tokens[i - 1].lower() in {"the", "all"}
            if not low or (low in STOP_WORDS and not (piece.isupper() and len(piece) > 1) and not contrast):
                continue
            if len(low) < 2 and not low.isdigit():
                continue
            s = stem(low)
            if s in cues or s in country_stems or s in seen:
                continue
            # Possessive and plural forms in names keep their stem; capitals mark names mid-sentence.
            proper = (piece[:1].isupper() and i > 0) or piece.isupper() and len(piece) > 1
            if s in intent.name_stems:
                proper = True
            seen.add(s)
            # "the fifth round" must not be answered with the fourth; "Brussels first put" is an adverb.
            after_article = i > 0 and tokens[i - 1].lower() in {"the", "a", "an", "its", "their", "this"}
            exact = low.isdigit() or (low in ORDINAL_WORDS and after_article) or contrast
            if intent.money and (_MONEY_VERB.fullmatch(piece) or low in _MONEY_WORDS):
                continue  # "how much is X paying": the amount of money is the paying
            intent.terms.append(Term(s, piece, proper=proper, role=s in ROLE_STEMS, exact=exact))
    intent.head, intent.owner = _head(tokens, intent)
    return intent


def _head(tokens: list[str], intent: Intent) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The question's head phrase (its first content words up to a preposition) and the head's owner.

    "When could IG Metall hold a ballot on open-ended strikes?" has the head (hold, ballot); "Has the
    CMA's deadline on the takeover passed?" the head (deadline) owned by the CMA.
    """
    events = {t.stem for t in intent.content if not t.proper}
    head: list[str] = []
    owner: tuple[str, ...] = ()
    for i, token in enumerate(tokens):
        low = token.lower().rstrip(".")
        base = re.sub(r"[’']s$", "", low)
        s = stem(base)
        if head and low in _LINKS:
            break
        if s in events or base in DEADLINE_NOUNS:
            if not head and i > 0 and re.search(r"[’']s$", tokens[i - 1]) and tokens[i - 1][:1].isupper():
                owner = name_stems(re.sub(r"[’']s$", "", tokens[i - 1]))
            head.append("deadline" if base in DEADLINE_NOUNS else s)
    return tuple(dict.fromkeys(head)), owner
