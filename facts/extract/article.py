"""One article's fact extraction: body text -> sentences -> typed facts with dates resolved."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from facts.extract.dates import changed_dates, find_dates
from facts.extract.events import clause_upto, is_deadline, what_of
from facts.extract.figures import changed_amounts, find_figures
from facts.extract.keys import NOT_ACTORS, KeyContext, event_key, figure_key, percent_key
from facts.extract.people import Person, find_named_speakers, find_people
from facts.extract.places import find_dateline, find_places
from facts.extract.quotes import find_quotes
from facts.extract.rates import find_rates, rate_subject, rate_text
from facts.extract.sentences import Sentence, split_sentences
from facts.geo import country_of
from facts.models import ExtractedFact, FuzzyDate, Kind

__all__ = ["extract", "split_sentences"]

_PRONOUN = re.compile(r"\b(?:he|she)\b", re.I)
_LEAD_PRONOUN = re.compile(r"\s*(?:He|She)\b")
_SAY = r"(?:said|says|told|added|stated|announced|warned|wrote)"
_ROLE_SPEAKER = re.compile(
    r"\b(?:the|a|an)\s+(?P<s>(?:[A-Z][\w’'&-]*\s+)?(?:[a-z]+\s+)?(?:spokes(?:person|man|woman)|official|"
    r"analyst|diplomat|negotiator|source|aide|adviser|advisor|lawyer|economist|statement))\s+" + _SAY + r"\b"
)
_ORG_SPEAKER = re.compile(
    r"(?P<s>(?:[A-Z][\w’'&+.-]*)(?:\s+[A-Z][\w’'&+.-]*){0,3})\s+" + _SAY + r"(?:\s+in\s+a\s+statement)?\b"
)


def _phrase_speaker(text: str, keys: KeyContext, last: bool) -> str:
    """A speaker that is no known person: 'a Skylark spokesman', 'Harbourline', 'Tokyo'."""
    found = list(_ROLE_SPEAKER.finditer(text))
    if found:
        phrase = found[-1 if last else 0].group("s")
        return "" if phrase.endswith("statement") else phrase
    for m in reversed(list(_ORG_SPEAKER.finditer(text))) if last else _ORG_SPEAKER.finditer(text):
        words = m.group("s").split()
        low = words[0].lower().removesuffix("’s").removesuffix("'s")
        proper = low in keys.proper and low not in keys.people and low not in NOT_ACTORS
        if country_of(m.group("s")) or (proper and len(words) <= 3):
            return m.group("s")
    return ""


def _fact(
    sent: Sentence,
    kind: Kind,
    subject: str,
    text: str,
    *,
    value: str = "",
    date: FuzzyDate | None = None,
    attrs: dict[str, Any] | None = None,
) -> ExtractedFact:
    """An ExtractedFact whose evidence is the whole sentence."""
    return ExtractedFact(
        kind=kind,
        subject=subject,
        text=text,
        sentence_index=sent.index,
        start=sent.start,
        end=sent.end,
        sentence=sent.text,
        value=value,
        date=date,
        attrs=attrs if attrs is not None else {},
    )


def _cap(text: str) -> str:
    """Upper-case the first letter only."""
    return text[:1].upper() + text[1:] if text else text


class _People:
    """The article's people registry: full names, surnames and who was mentioned where."""

    def __init__(self) -> None:
        self.by_key: dict[str, Person] = {}
        self.surnames: dict[str, str] = {}
        self.single: dict[str, Person] = {}
        # Other words of full names ('Lee' of 'Lee Seo-yeon', 'Fuentes' of 'Ricardo Fuentes Ortega').
        self.aliases: dict[str, str] = {}
        self._pattern: re.Pattern[str] | None = None
        self._lookup: dict[str, str] = {}
        self._ascii_names = True

    def add(self, person: Person) -> Person:
        """Register a person (first description wins; later roles fill gaps; lone surnames merge)."""
        if " " not in person.name:
            full = self.surnames.get(person.name.lower()) or self.aliases.get(person.name.lower())
            if full:
                return self._fill(self.by_key[" ".join(full.lower().split())], person)
            self.single[person.name.lower()] = person
            return person
        known = self.by_key.get(person.key)
        if known is None:
            self.by_key[person.key] = person
            self.surnames.setdefault(person.surname.lower(), person.name)
            for word in person.name.split()[:-1]:
                if len(word) > 2 and word[:1].isupper() and not country_of(word):
                    low = word.lower()
                    self.aliases[low] = (
                        person.name if self.aliases.get(low, person.name) == person.name else ""
                    )
            lone = self.single.pop(person.surname.lower(), None)
            if lone is not None:
                self._fill(person, lone)
            return person
        return self._fill(known, person)

    @staticmethod
    def _fill(known: Person, other: Person) -> Person:
        """Copy a role onto a known person who has none."""
        if not known.role and other.role:
            known.role, known.org, known.country, known.prep = (
                other.role,
                other.org,
                other.country,
                other.prep,
            )
        return known

    def canonical(self, person: Person) -> Person:
        """The registered person a found mention stands for (a lone surname maps to its full name)."""
        if person.key in self.by_key:
            return self.by_key[person.key]
        full = self.surnames.get(person.name.lower()) or self.aliases.get(person.name.lower())
        return self.by_key[" ".join(full.lower().split())] if full else person

    def resolve(self, name: str) -> str:
        """A full name for a full name or a known surname."""
        key = " ".join(name.lower().split())
        if key in self.by_key:
            return self.by_key[key].name
        if not key:
            return name
        last = key.split()[-1]
        return self.surnames.get(last) or self.aliases.get(last) or name

    def compile(self) -> None:
        """Build one pattern matching every known full name and surname."""
        names = {p.name: p.name for p in self.by_key.values()}
        for surname, full in self.surnames.items():
            names.setdefault(surname, full)
        for alias, full in self.aliases.items():
            if full and alias not in self.surnames:
                names.setdefault(alias, full)
        for lone in self.single.values():
            names.setdefault(lone.name, lone.name)
        self._lookup = {k.lower(): v for k, v in names.items()}
        self._ascii_names = all(k.isascii() for k in self._lookup)
        if not names:
            self._pattern = None
            return
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        self._pattern = re.compile(r"(?<![\w])(?:" + alternation + r")(?![\w])", re.I)

    def mentions(self, raw: str) -> list[tuple[int, str]]:
        """(position, full name) for every known full name or capitalised surname in a sentence."""
        if self._pattern is None:
            return []
        if self._ascii_names and raw.isascii():
            # Between ASCII texts `re.I` is plain lower-casing: a sentence holding no name in lower
            # case has no match, and most sentences name nobody known.
            low = raw.lower()
            if not any(name in low for name in self._lookup):
                return []
        return [
            (m.start(), self._lookup[m.group(0).lower()])
            for m in self._pattern.finditer(raw)
            if raw[m.start()].isupper()
        ]


def extract(body: str, published: date | datetime, title: str = "") -> list[ExtractedFact]:
    """Typed facts from one article body, with dates resolved against its published date."""
    if isinstance(published, datetime):
        published = published.date()
    sentences = split_sentences(body)
    people = _People()
    per_sentence_people: list[list[Person]] = []
    for sent in sentences:
        found = [people.add(p) for p in find_people(sent.raw)]
        for name, _pos in find_named_speakers(sent.raw):
            if people.resolve(name) == name and " ".join(name.lower().split()) not in people.by_key:
                people.add(Person(name, sentence_index=sent.index))
        per_sentence_people.append(found)
    people.compile()
    names = [p.name for p in people.by_key.values()] + [p.name for p in people.single.values()]
    keys = KeyContext([s.text for s in sentences], names, title)
    facts: list[ExtractedFact] = []
    seen_subjects: set[str] = set()
    next_suffix: dict[str, int] = {}  # per subject, the lowest "#n" not yet tried (keeps emit linear)
    emitted_people: set[str] = set()
    emitted_places: set[str] = set()
    last_subject_person = ""
    last_speaker = ""
    last_quote_sentence = -9
    last_imposer = ("", "")

    def emit(fact: ExtractedFact) -> None:
        base = f"{fact.kind}:{fact.subject}"
        if base in seen_subjects:
            n = next_suffix.get(base, 2)
            while f"{base}#{n}" in seen_subjects:
                n += 1
            next_suffix[base] = n + 1
            fact.subject = f"{fact.subject}#{n}"
        seen_subjects.add(f"{fact.kind}:{fact.subject}")
        facts.append(fact)

    for sent, found in zip(sentences, per_sentence_people, strict=True):
        raw = sent.raw
        # People with roles.
        for person in found:
            p = people.canonical(person)
            if p.key in emitted_people or not p.role:
                continue
            emitted_people.add(p.key)
            emit(
                _fact(
                    sent,
                    Kind.PERSON,
                    p.key,
                    p.describe(),
                    value=p.role,
                    attrs={"name": p.name, "role": p.role, "org": p.org, "country": p.country},
                )
            )
        mentions = people.mentions(raw)
        # Quotes.
        for q in find_quotes(raw):
            speaker = ""
            if q.clue in {"after", "before"}:
                window = raw[q.clue_pos : q.clue_pos + 60] if q.clue == "after" else raw[: q.clue_pos]
                if q.clue == "after":
                    cands = [n for pos, n in mentions if q.clue_pos <= pos < q.clue_pos + 60]
                    speaker = cands[0] if cands else ""
                    if not speaker:
                        named = find_named_speakers(raw[q.end :]) or find_named_speakers(window)
                        speaker = people.resolve(named[0][0]) if named else ""
                else:
                    before = [n for pos, n in mentions if pos < q.clue_pos and pos < q.start]
                    outside = [n for pos, n in mentions if pos < q.start]
                    speaker = before[-1] if len(before) == 1 else (outside[0] if outside else "")
                    if not speaker and (_PRONOUN.search(window[-40:]) or _LEAD_PRONOUN.match(raw)):
                        speaker = last_subject_person
            elif q.clue == "pronoun":
                in_sentence = [n for pos, n in mentions if pos < q.start]
                speaker = in_sentence[0] if in_sentence else last_subject_person
            else:
                in_sentence = [n for pos, n in mentions if pos < q.start or pos > q.end]
                if in_sentence:
                    speaker = in_sentence[0]
                elif q.start <= 2 and last_speaker and sent.index - last_quote_sentence <= 1:
                    speaker = last_speaker
            if not speaker and q.clue == "after":
                speaker = _phrase_speaker(raw[q.end : q.end + 60], keys, last=False)
            elif not speaker and q.clue == "before":
                speaker = _phrase_speaker(raw[max(0, q.start - 120) : q.start], keys, last=True)
            if not speaker:
                continue
            last_speaker = speaker
            last_quote_sentence = sent.index
            words = re.findall(r"\w+", q.quote.lower())[:6]
            emit(
                _fact(
                    sent,
                    Kind.QUOTE,
                    f"{speaker.lower()}:{' '.join(words)}",
                    f"{speaker}: “{q.quote}”",
                    value=q.quote,
                    attrs={"speaker": speaker, "quote": q.quote},
                )
            )
        if mentions:
            last_subject_person = mentions[0][1]
        # Dates: deadlines and events.
        dates = find_dates(raw, published)
        taken = [(d.start, d.end) for d in dates if d.kind != "span"]  # "12 days left" is a count too
        changed = changed_dates(raw, dates)
        replaced = set(changed.values())
        for at, dm in enumerate(dates):
            if at in replaced:
                continue  # "from March 31": kept as the previous date of the one that replaced it
            was_date = dates[changed[at]] if at in changed else None
            text = raw
            if was_date is not None:
                text = raw[: was_date.start] + " " * (was_date.end - was_date.start) + raw[was_date.end :]
            what = what_of(text, dm)
            deadline = is_deadline(raw, dm)
            kind = Kind.DEADLINE if deadline else Kind.EVENT
            label = (
                f"Deadline for {what}" if deadline and raw.lower().find("deadline for") >= 0 else _cap(what)
            )
            attrs: dict[str, object] = {"what": what, "phrase": dm.surface.strip()}
            if dm.qualifier:
                attrs["qualifier"] = dm.qualifier
            if was_date is not None:
                attrs["previous"] = was_date.date.iso()
            emit(
                _fact(
                    sent,
                    kind,
                    event_key(what, text, keys, deadline, text[: dm.start]) or dm.date.iso(),
                    f"{label}: {dm.date.human()}",
                    value=dm.date.iso(),
                    date=dm.date,
                    attrs=attrs,
                )
            )
        # Rates and other percentages.
        for rm in find_rates(raw):
            taken.append((rm.start, rm.end))
            if rm.absorbed:
                continue
            if rm.is_rate and rm.received and not rm.imposer and last_imposer[0]:
                # "Acme received a rate of 4.6%": imposed by whoever the article last said imposes.
                rm.imposer, rm.imposer_key = last_imposer
            elif rm.is_rate and rm.imposer and not rm.received:
                last_imposer = (rm.imposer, rm.imposer_key)
            if rm.is_rate:
                rate_attrs: dict[str, object] = {"previous": rm.previous} if rm.previous else {}
                emit(
                    _fact(
                        sent,
                        Kind.RATE,
                        rate_subject(rm),
                        rate_text(rm),
                        value=rm.value,
                        attrs={
                            "percent": rm.percent,
                            "imposer": rm.imposer,
                            "imposer_key": rm.imposer_key,
                            "target": rm.target,
                            "target_key": rm.target_key,
                            "status": rm.status,
                            "planned": rm.planned,
                            "noun": rm.noun,
                            **rate_attrs,
                        },
                    )
                )
            else:
                cut = max(0, rm.start - 40)
                while 0 < cut < rm.start and raw[cut - 1].isalnum():
                    cut += 1
                phrase = raw[cut : rm.end].split(", ")[-1].strip()
                emit(
                    _fact(
                        sent,
                        Kind.FIGURE,
                        percent_key(phrase),
                        _cap(" ".join(phrase.split())),
                        value=rm.value,
                        attrs={
                            "number": rm.percent,
                            "unit": "percentage points" if rm.points else "%",
                            "phrase": phrase,
                            "change": rm.change,
                        },
                    )
                )
        # Counts and amounts.
        figures = find_figures(raw, taken)
        moved = changed_amounts(raw, figures)
        earlier = set(moved.values())
        for at, fm in enumerate(figures):
            if at in earlier:
                continue  # "from US$4.5 billion": kept as the previous amount of the one that replaced it
            phrase = " ".join(fm.phrase.split())
            was = figures[moved[at]] if at in moved else None
            tail = max(fm.end, was.end) if was is not None and was.start > fm.start else fm.end
            figure_attrs: dict[str, object] = {"number": fm.number, "unit": fm.unit, "phrase": phrase}
            if was is not None:
                figure_attrs["previous"] = " ".join(was.phrase.split())
            emit(
                _fact(
                    sent,
                    Kind.FIGURE,
                    figure_key(fm.unit, raw[max(0, fm.start - 80) : fm.start], raw[tail : tail + 40]),
                    _cap(phrase) if not fm.phrase[:1].isdigit() else phrase,
                    value=phrase,
                    attrs=figure_attrs,
                )
            )
        # Places.
        places = find_places(raw)
        dateline = find_dateline(raw) if sent.index < 2 else None
        if dateline:
            places.insert(0, dateline)
        for pm in places:
            key = pm.name.lower()
            if key in emitted_places:
                continue
            emitted_places.add(key)
            context = clause_upto(raw, pm.start, pm.end) if pm.preposition != "dateline" else pm.name
            emit(
                _fact(
                    sent,
                    Kind.PLACE,
                    key,
                    context,
                    value=pm.name,
                    attrs={"name": pm.name, "type": pm.kind, "context": context},
                )
            )
        # One statement per sentence.
        if len(sent.text.split()) >= 4:
            emit(_fact(sent, Kind.STATEMENT, f"sentence:{sent.index}", sent.text))
    return facts
