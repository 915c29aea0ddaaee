"""Invented articles the Q&A rule tests ask about, each a read-only store per test module."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from facts.ingest import Overrides, ingest_document, parse_document
from facts.store import FactStore

ARTICLE = """\
LISBON — Maré Rail agreed on Monday to buy Douro Freight for €640 million, a 25% premium to its share price.

The combined company would run 140 freight trains a week and employ about 5,200 people.

Maré Rail has offered to sell 8 rail terminals in Porto to rival operators to win approval.

The company's earlier bid was rejected by Douro shareholders by a vote of 61 to 39 in March.

Douro's shares, which are listed in Madrid, rose 6% to €14.20.
"""


def _article(store: FactStore, title: str, published: str, body: str) -> None:
    raw = f'---\ntitle: "{title}"\npublished: {published}\n---\n{body}\n'.encode()
    ingest_document(store, parse_document(raw, f"{title}.md", Overrides(), date(2025, 1, 1)))


@pytest.fixture(scope="module")
def rail(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """One invented merger article, read-only for the tests of this module."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'rail.db'}")
    _article(opened, "Maré Rail to buy Douro Freight in €640 million deal", "2025-06-03", ARTICLE)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def review(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """An invented competition review and its follow-up, whose deadline moves in new words."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'review.db'}")
    _article(
        opened,
        "Regulator opens review of Maré Rail's Douro deal",
        "2025-06-10",
        "Portuguese officials met Maré Rail executives in Lisbon on Monday to discuss the Douro deal.\n\n"
        "The competition authority now has until July 15 to decide whether to clear the deal.\n\n"
        "New safety rules for freight wagons take effect from Sept. 1, the ministry said.",
    )
    _article(
        opened,
        "Maré Rail offers more terminals, delaying Douro ruling",
        "2025-07-01",
        "Maré Rail added two terminals to its offer, pushing back the competition authority's decision "
        "deadline on the Douro deal to July 29.\n\n"
        "Under the law, new remedies extend the review, whose deadline had been set for July 15.",
    )
    yield opened
    opened.close()


REASONS = """\
Portuguese and Spanish officials met in Lisbon on Monday in a bid to settle a dispute over rail freight.

Lisbon raised track fees for Spanish freight trains to 40% above domestic rates in March.

Portugal says the increase is needed because Spanish operators have underpaid maintenance costs for years.

Spain rejects the charge and says the fees break EU law.
"""


@pytest.fixture(scope="module")
def fees(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """An invented dispute whose lead sentence says what happened and a later one why."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'fees.db'}")
    _article(opened, "Portugal and Spain clash over rail track fees", "2025-06-03", REASONS)
    yield opened
    opened.close()


TALKS = """\
LIMA — Chilean and Peruvian officials met in Lima on Monday for talks on copper export rules.

The Chilean delegation was led by Ana María Soto-Vial, undersecretary for mining at the Ministry of Mining.

Peru's team was headed by Jorge Quispe-Huamán, director-general of the mines directorate.

"We will not accept a quota imposed from outside," Soto-Vial said after the meeting.

"Prices will stay volatile," said Diego Ferreyra, an economist at the Lima Institute for Mining Studies.

Chile imports about $1.1 billion worth of Peruvian copper concentrate a year.

A third round of talks is scheduled for mid-July in Santiago.
"""


@pytest.fixture(scope="module")
def talks(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """Invented talks with hyphenated and three-word names, some given only by surname."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'talks.db'}")
    _article(opened, "Chile and Peru hold copper talks in Lima", "2025-06-03", TALKS)
    yield opened
    opened.close()


SALMON = """\
OSLO — Norway's trade ministry set a preliminary anti-dumping duty of 40% on frozen salmon from Chile, a decision Chilean officials criticised on Tuesday.

The ministry is due to issue its final determination by Dec. 15.

Negotiators returned to the table on Tuesday, 12 days before a cooling-off period on the fish trade expires.

Norwegian and Chilean negotiators opened the fifth round of talks on a trade deal in Oslo on Tuesday.

The next round is due to open in Santiago on 5 October.

Norway has offered to cut duties on Chilean wine to zero from 5%.
"""


@pytest.fixture(scope="module")
def salmon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """An invented trade case with a preliminary and a final ruling, and two rounds of talks."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'salmon.db'}")
    _article(opened, "Norway hits Chilean salmon with 40% duty", "2025-09-02", SALMON)
    yield opened
    opened.close()


DAIRY = """\
The Korean Trade Commission set an anti-dumping duty of 95% on butter from one of Denmark's biggest dairy exporters on Monday.

The rate applies to Nordmejeri Foods, which the commission picked as one of two respondents.

The second respondent, Fyn Dairy, received a rate of 3.1%, while other Danish exporters were assigned duties of up to 20%.

Dockers voted the tentative contract down by 1,204 votes to 388 in May.

Denmark owes the Nordic Investment Bank about $2 billion, much of it from a 2019 loan.

Trade Minister Tomás Bergman said the duty was "a wall around a market."
"""


@pytest.fixture(scope="module")
def dairy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """An invented duty case whose rates are given in one sentence and named for companies in the next."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'dairy.db'}")
    _article(opened, "Korea hits Danish butter exporter with 95% duty", "2025-06-03", DAIRY)
    yield opened
    opened.close()


PANEL = """\
Britain's watchdog has provisionally found that Kestrel Data's £4bn takeover of Larkspur Cloud could harm competition.

The inquiry is run by an independent panel chaired by Mara Quint, a former shipping executive, and it must reach a final decision by 14 April.

Kestrel's chief executive, Tomas Vell, said the company was "disappointed but not deterred" by the findings.

Larkspur, headquartered in Norwich, employs about 2,000 people and runs data centres in Leeds.

The union said it has given the company until May 20 to improve its offer.

If it does not, the union's board could call a ballot on strikes, which officials said would be held in mid-June.

The regulator has opened a public consultation on possible remedies, which closes on March 6.

The two sides agreed to hold a fourth round of talks on the remedies in Paris in March.

"We have been patient," Vell told reporters after the meeting.

"But patience is not a business plan," Vell added in an interview later.
"""


PANEL_LATER = """\
The Competition Authority has extended its inquiry into Kestrel Data's purchase of Larkspur Cloud, pushing its final deadline back to 9 June from 14 April.

"The remedies on the table are substantial," said Mara Quint, who chairs the independent inquiry panel.
"""


@pytest.fixture(scope="module")
def panel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """An invented merger inquiry with dates of several events, people and places, and its extension."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'panel.db'}")
    _article(opened, "Watchdog finds Kestrel's Larkspur takeover could harm competition", "2026-01-20", PANEL)
    _article(opened, "Watchdog extends Kestrel-Larkspur inquiry", "2026-03-26", PANEL_LATER)
    yield opened
    opened.close()


PACT = """\
OSLO — Norway and Iceland ended a fourth round of fisheries talks in Bergen on Tuesday without closing a deal.

Norway wants Iceland to cut its 30% duty on Norwegian salmon to 8% within four years.

The quota dispute began in 2024, officials said.

The last fisheries stoppage, in 2019, lasted 61 days and idled most of the northern fleet.

The talks were chaired by Norway's envoy Per Lund and Iceland's Fisheries and Agriculture Minister, Sigrun Olafsdottir, after a week of delays.
"""


@pytest.fixture(scope="module")
def pact(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FactStore]:
    """Invented fisheries talks: a round that ended, a target rate, a year without a day, a span, a title."""
    opened = FactStore.open(f"sqlite:///{tmp_path_factory.mktemp('rules') / 'pact.db'}")
    _article(opened, "Norway and Iceland end fourth round of fisheries talks in Bergen", "2025-06-03", PACT)
    yield opened
    opened.close()
