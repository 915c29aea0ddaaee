"""Deterministic synthetic news articles (Markdown with front matter) for stores of any size."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from benchmarks import vocab

DEFAULT_SEED = 20251001
FIRST_DAY = date(2024, 1, 1)
SPAN_DAYS = 700
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_MONTHS = ("January February March April May June July August September October November December").split()
_MONTHS_SHORT = (
    "Jan.",
    "Feb.",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug.",
    "Sept.",
    "Oct.",
    "Nov.",
    "Dec.",
)


@dataclass(frozen=True)
class Person:
    """A negotiator or commentator with a role, as the articles describe them."""

    name: str
    role: str
    org: str = ""

    @property
    def surname(self) -> str:
        """The last word of the name."""
        return self.name.split()[-1]


@dataclass(frozen=True)
class Storyline:
    """A running dispute between two countries over one sector, followed by several articles."""

    key: int
    imposer: tuple[str, str, tuple[str, ...]]
    target: tuple[str, str, tuple[str, ...]]
    sector: dict[str, tuple[str, ...]]
    goods: str
    lead_a: Person
    lead_b: Person
    analyst: Person
    venue: str


@dataclass(frozen=True)
class Probe:
    """A question a generated article can answer, with a string the right answer contains."""

    kind: str
    question: str
    expect: str


@dataclass
class Article:
    """One generated article: metadata, Markdown body, and questions it answers."""

    index: int
    slug: str
    title: str
    published: date
    url: str
    body: str
    probes: list[Probe] = field(default_factory=list)

    def markdown(self) -> str:
        """The article as a Markdown file with YAML front matter."""
        title = self.title.replace('"', "'")
        front = f'title: "{title}"\npublished: {self.published.isoformat()}\nurl: {self.url}'
        return f"---\n{front}\n---\n{self.body}"

    def words(self) -> int:
        """How many words the body has."""
        return len(self.body.split())


def _person(rng: random.Random, role: str, org: str = "") -> Person:
    first = rng.choice(vocab.FIRST_NAMES)
    last = rng.choice(vocab.SURNAMES)
    if rng.random() < 0.25:
        last = f"{last} {rng.choice(vocab.SURNAMES)}"
    return Person(f"{first} {last}", role, org)


def _org(rng: random.Random) -> str:
    return f"{rng.choice(vocab.ORG_FIRST)} {rng.choice(vocab.ORG_SECOND)}"


def storyline(seed: int, key: int) -> Storyline:
    """The storyline with this key; the same seed and key always give the same storyline."""
    rng = random.Random(f"{seed}:story:{key}")
    imposer, target = rng.sample(vocab.COUNTRIES, 2)
    sector = rng.choice(vocab.SECTORS)
    return Storyline(
        key=key,
        imposer=imposer,
        target=target,
        sector=sector,
        goods=rng.choice(sector["goods"]),
        lead_a=_person(rng, rng.choice(vocab.GOV_ROLES)),
        lead_b=_person(rng, rng.choice(vocab.GOV_ROLES)),
        analyst=_person(rng, rng.choice(vocab.OUTSIDE_ROLES), _org(rng)),
        venue=rng.choice(vocab.VENUES + imposer[2] + target[2]),
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _country(c: tuple[str, str, tuple[str, ...]], start: bool = False) -> str:
    return _cap(c[0]) if start else c[0]


def _day(rng: random.Random, when: date, published: date) -> str:
    style = rng.random()
    if style < 0.5:
        text = f"{_MONTHS[when.month - 1]} {when.day}"
    elif style < 0.8:
        text = f"{_MONTHS_SHORT[when.month - 1]} {when.day}"
    else:
        text = f"{when.day} {_MONTHS[when.month - 1]}"
    if when.year != published.year:
        text += f", {when.year}" if style < 0.8 else f" {when.year}"
    return text


def _month(when: date, published: date) -> str:
    name = _MONTHS[when.month - 1]
    return name if when.year == published.year else f"{name} {when.year}"


class _Writer:
    """Writes one article of a storyline, recording the questions its facts answer."""

    def __init__(self, rng: random.Random, story: Storyline, published: date) -> None:
        self.rng = rng
        self.s = story
        self.published = published
        self.probes: list[Probe] = []
        self.a_adj = story.imposer[1]
        self.b_adj = story.target[1]
        self.industry = rng.choice(story.sector["industry"])
        self.thing = rng.choice(story.sector["thing"])
        self.goods2 = rng.choice(story.sector["goods"])
        self.rate = rng.choice((5, 7.5, 10, 12, 15, 17.5, 20, 25, 30, 35, 40, 45, 50, 60))
        self.deadline = published + timedelta(days=rng.randint(6, 150))

    def _fmt_rate(self, value: float) -> str:
        text = f"{value:g}"
        return f"{text}%" if self.rng.random() < 0.8 else f"{text} per cent"

    def fill(self, template: str) -> str:
        """A background or quote template with the storyline's words filled in."""
        rng = self.rng
        return template.format(
            goods=self.s.goods,
            industry=self.industry,
            industry_cap=_cap(self.industry),
            thing=self.thing,
            city=rng.choice(self.s.imposer[2] + self.s.target[2]),
            capital=rng.choice((self.s.imposer[2][0], self.s.target[2][0])),
            month=_MONTHS[rng.randrange(12)],
            pct=rng.randint(3, 45),
            small=rng.choice((0.2, 0.3, 0.5, 0.8, 1.1)),
            n=rng.randrange(2, 90) * 100,
        )

    def lede(self) -> str:
        city = self.rng.choice(self.s.target[2] + (self.s.venue,))
        wd = self.rng.choice(_WEEKDAYS)
        wire = self.rng.choice(vocab.NEWS_WIRES)
        verb = self.rng.choice(("met", "sat down", "resumed talks", "held a fresh round of talks"))
        return (
            f"{city.upper()} ({wire}) - {self.a_adj} and {self.b_adj} trade officials {verb} in {city} "
            f"on {wd} "
            f"in a bid to defuse a widening dispute over {self.s.goods}, as "
            f"{_country(self.s.target)} weighed retaliatory measures against {self.a_adj} {self.goods2}."
        )

    def rate_sentence(self) -> str:
        rng, r, goods = self.rng, self.rate, self.s.goods
        a, b_adj = _country(self.s.imposer, start=True), self.b_adj
        old = max(2.5, r - rng.choice((5, 10, 15)))
        noun = rng.choice(vocab.RATE_NOUNS)
        one = rng.choice(vocab.RATE_NOUN_SINGULAR)
        templates = (
            f"{a} imposed {noun} of {self._fmt_rate(r)} on {b_adj} {goods} in {_MONTHS[rng.randrange(12)]}.",
            f"{a} raised {noun} on {b_adj} {goods} from {self._fmt_rate(old)} to {self._fmt_rate(r)}, "
            f"arguing that a surge in shipments was undermining domestic {self.industry}.",
            f"{a} has kept a {self._fmt_rate(r)} {one} on {b_adj} {goods} since last year.",
            f"For now, {self.a_adj} {noun} stand at {self._fmt_rate(r)} on {b_adj} {goods}.",
            f"{a} charges {noun} of {self._fmt_rate(r)} on {b_adj} {goods}, officials said.",
            f"The {self._fmt_rate(r)} {one} that {self.s.imposer[0]} applies to {b_adj} {goods} "
            f"remains the main sticking point.",
        )
        self.probes.append(
            Probe("rate", f"What {one} does {self.s.imposer[0]} charge on {b_adj} {goods}?", f"{r:g}")
        )
        return rng.choice(templates)

    def retaliation_sentence(self) -> str:
        rng = self.rng
        r = rng.choice((10, 15, 20, 25, 30, 40, 50))
        goods = rng.choice(self.s.sector["goods"])
        when = _day(rng, self.deadline + timedelta(days=rng.randint(5, 30)), self.published)
        b = _country(self.s.target, start=True)
        templates = (
            f"{b} has responded by drafting a retaliation list with duties of up to {self._fmt_rate(r)} "
            f"on {self.a_adj} {goods}, which would take effect on {when} if no agreement is reached.",
            f"{b} has threatened levies of {self._fmt_rate(r)} on {self.a_adj} {goods} from {when}.",
            f"In response, {self.s.target[0]} plans to impose a {self._fmt_rate(r)} tariff on {self.a_adj} "
            f"{goods} starting {when}.",
        )
        return rng.choice(templates)

    def deadline_sentence(self) -> str:
        rng, s = self.rng, self.s
        when = _day(rng, self.deadline, self.published)
        b = _country(s.target, start=True)
        templates = (
            f"The two delegations have given themselves until {when} to agree on {self.thing}.",
            f"{b} must submit a revised offer on {self.thing} by {when}, officials said.",
            f"The deadline for {self.thing} is {when}.",
            f"Negotiators have until {when} to settle {self.thing} before the {self.a_adj} measures "
            f"take full effect.",
            f"{_country(s.imposer, start=True)} set a {when} deadline for {self.thing}.",
        )
        self.probes.append(
            Probe("deadline", f"When is the deadline for {self.thing}?", str(self.deadline.day))
        )
        return rng.choice(templates)

    def month_sentence(self) -> str:
        rng = self.rng
        when = self.published + timedelta(days=rng.randint(40, 300))
        templates = (
            f"A broader agreement covering {self.goods2} is not expected before "
            f"{_month(when, self.published)}.",
            f"The current exemptions for {self.goods2} expire in {_month(when, self.published)}.",
            f"Officials hope to conclude a framework deal in {_month(when, self.published)}.",
        )
        return rng.choice(templates)

    def people_sentences(self) -> list[str]:
        rng, s = self.rng, self.s
        a, b = s.lead_a, s.lead_b
        out = [
            rng.choice(
                (
                    f"The {self.b_adj} side is led by {b.name}, {_possessive(s.target)} {b.role.lower()}.",
                    f"{self.b_adj} {b.role} {b.name} heads the {self.b_adj} delegation.",
                )
            ),
            rng.choice(
                (
                    f"{self.a_adj} {a.role} {a.name} leads the {self.a_adj} team.",
                    f"The {self.a_adj} team is headed by {a.name}, "
                    f"{_possessive(s.imposer)} {a.role.lower()}.",
                )
            ),
        ]
        self.probes.append(Probe("person", f"Who is {b.name}?", b.role.split()[-1].lower()))
        self.probes.append(
            Probe("person", f"Who leads the {self.a_adj} team in the {s.goods} talks?", a.surname)
        )
        return out

    def quote_sentences(self) -> list[str]:
        rng, s = self.rng, self.s
        q1, q2 = (self.fill(q) for q in rng.sample(vocab.QUOTES, 2))
        who = rng.choice((s.lead_a, s.lead_b))
        an = s.analyst
        out = [
            rng.choice(
                (
                    f"\u201c{q1},\u201d {who.surname} told reporters after the first session.",
                    f"{who.name} said in a statement: \u201c{q1}.\u201d",
                    f"\u201c{q1},\u201d {who.surname} said.",
                )
            ),
            rng.choice(
                (
                    f"\u201c{q2},\u201d said {an.name}, {an.role} at {an.org}.",
                    f"{an.name}, {an.role} at {an.org}, told reporters: \u201c{q2}.\u201d",
                )
            ),
        ]
        self.probes.append(Probe("quote", f"What did {who.surname} say?", q1.split(",")[0][:24]))
        self.probes.append(Probe("person", f"Who is {an.name}?", an.role.split()[-1]))
        return out

    def figure_sentence(self) -> str:
        rng, s = self.rng, self.s
        billions = rng.choice((0.8, 1.2, 2.5, 3.1, 4.5, 6.7, 9.2, 12.4, 18.0, 27.5))
        volume = rng.choice((1.1, 2.4, 3.2, 4.8, 7.5, 12.0))
        jobs = rng.randrange(4, 120) * 1000
        unit = rng.choice(s.sector["unit"])
        templates = (
            f"{_country(s.target, start=True)} shipped about ${billions:g} billion worth of {s.goods} "
            f"to {s.imposer[0]} last year.",
            f"{_country(s.target, start=True)} has offered to cap its exports at {volume:g} million {unit} "
            f"a year in exchange for relief.",
            f"The {s.goods} trade supports about {jobs:,} jobs, according to industry estimates.",
        )
        pick = rng.randrange(len(templates))
        if pick == 0:
            self.probes.append(
                Probe(
                    "figure", f"How much {s.goods} did {s.target[0]} ship last year?", f"{billions:g} billion"
                )
            )
        return templates[pick]

    def place_sentence(self) -> str:
        rng = self.rng
        city = rng.choice(vocab.VENUES + self.s.imposer[2])
        nth = rng.choice(("second", "third", "fourth", "fifth"))
        templates = (
            f"A {nth} round of talks is planned in {city} next week, officials said.",
            f"The next round of talks will be held in {city} later this month.",
        )
        self.probes.append(
            Probe("place", f"Where will the next round of {self.s.goods} talks be held?", city)
        )
        return rng.choice(templates)

    def background(self, count: int) -> list[str]:
        """Background sentences, none repeated within the article."""
        if not hasattr(self, "_pool"):
            self._pool = self.rng.sample(vocab.BACKGROUND, len(vocab.BACKGROUND))
        taken, self._pool = self._pool[:count], self._pool[count:]
        return [self.fill(t) for t in taken]


def _possessive(country: tuple[str, str, tuple[str, ...]]) -> str:
    name = country[0].removeprefix("the ")
    return f"{name}'s" if not name.endswith("s") else f"{name}'"


def _title(rng: random.Random, w: _Writer, s: Storyline) -> str:
    return rng.choice(
        (
            f"{s.imposer[1]}, {s.target[1]} race to head off {s.goods} tariff spiral before deadline",
            f"{s.target[1]} weighs retaliation as {s.imposer[1]} {s.goods} duties bite",
            f"Talks on {s.goods} resume as {s.imposer[0]} keeps pressure on {s.target[0]}",
            f"{s.imposer[1]} and {s.target[1]} negotiators edge toward deal on {w.thing}",
            f"Deadline looms in {s.imposer[1]}-{s.target[1]} dispute over {s.goods}",
        )
    )


def article(index: int, seed: int = DEFAULT_SEED) -> Article:
    """The article with this index; independent of how many are generated, so stores nest by prefix."""
    rng = random.Random(f"{seed}:article:{index}")
    story = storyline(seed, rng.randrange(1 + index // 4))
    published = FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS))
    w = _Writer(rng, story, published)
    lead_quote, analyst_quote = w.quote_sentences()
    paragraphs = [
        [w.lede()],
        [w.rate_sentence(), w.retaliation_sentence()],
        [w.deadline_sentence(), w.figure_sentence()],
        w.people_sentences(),
        [lead_quote, *w.background(1)],
        [w.month_sentence(), *w.background(2)],
        [w.place_sentence(), *w.background(rng.randint(1, 2))],
    ]
    paragraphs.insert(rng.randint(4, len(paragraphs)), [analyst_quote, *w.background(1)])
    target_words = rng.randint(320, 580)
    while sum(len(s.split()) for p in paragraphs for s in p) < target_words:
        more = w.background(rng.randint(2, 3))
        if not more:
            break
        paragraphs.insert(rng.randint(2, len(paragraphs)), more)
    body = "\n\n".join(" ".join(p) for p in paragraphs) + "\n"
    slug = f"{published.isoformat()}-{index:05d}-{story.goods.replace(' ', '-')}"
    probes = list({p.question: p for p in w.probes}.values())
    return Article(
        index=index,
        slug=slug,
        title=_title(rng, w, story),
        published=published,
        url=f"https://news.example.com/{published:%Y/%m/%d}/{index:05d}",
        body=body,
        probes=probes,
    )


def articles(count: int, seed: int = DEFAULT_SEED, start: int = 0) -> Iterator[Article]:
    """Articles start..start+count-1 of the seed's endless sequence."""
    for index in range(start, start + count):
        yield article(index, seed)


def write(folder: Path, count: int, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write `count` articles as Markdown files into a folder; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for item in articles(count, seed):
        path = folder / f"{item.slug}.md"
        path.write_text(item.markdown(), encoding="utf-8")
        paths.append(path)
    return paths
