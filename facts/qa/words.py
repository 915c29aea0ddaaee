"""Word knowledge for questions: cue words per answer kind, soft words, synonyms and spelling variants."""

from __future__ import annotations

import re
from functools import lru_cache

from facts.text import fold, index_terms, stem

# General English synonym groups for the vocabulary of negotiations, trade, markets and labour news.
# Each group is a set of words a reader uses interchangeably; matching is on stems.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("tariff", "tariffs", "duty", "duties", "levy", "levies", "customs", "tax", "taxes", "surcharge"),
    ("deadline", "cutoff", "cut-off", "due", "target", "limit"),
    ("cut", "cuts", "reduction", "reductions", "reduce", "reduced", "lower", "decrease", "curb"),
    ("rise", "raise", "increase", "hike", "raised", "increased"),
    ("extra", "additional", "further", "more"),
    ("lead", "leads", "led", "head", "heads", "headed", "heading", "chair", "chairs", "run", "runs"),
    ("ceo", "chief executive", "boss"),
    ("talks", "negotiations", "discussions", "negotiate", "negotiating"),
    ("deal", "agreement", "accord", "pact", "compromise", "contract"),
    ("chief", "lead", "head", "top", "principal"),
    ("team", "mission", "delegation"),
    ("owe", "owing", "owed", "debt", "debts", "debtor"),
    ("meet", "met", "meeting", "summit", "gathering", "conference"),
    ("start", "begin", "begins", "kick", "effect", "commence"),
    ("end", "expire", "expiry", "lapse", "finish"),
    ("production", "output", "supply", "pumping"),
    ("boat", "boats", "vessel", "vessels", "ship", "ships", "trawler", "trawlers"),
    (
        "docker",
        "dockers",
        "dockworker",
        "dockworkers",
        "longshoreman",
        "longshoremen",
        "stevedore",
        "wharfie",
    ),
    ("worker", "workers", "staff", "employees", "members"),
    ("wage", "wages", "pay", "salary", "salaries", "earnings"),
    ("strike", "walkout", "stoppage", "stoppages", "industrial action"),
    ("better", "improved", "improve", "higher"),
    ("want", "wants", "seek", "seeking", "demand", "demands", "ask", "after"),
    ("offer", "offers", "offered", "offering", "propose", "proposal", "tabled"),
    ("company", "firm", "operator", "business"),
    ("buy", "buys", "bought", "purchase", "purchases", "purchased", "import", "imports", "imported"),
    ("takeover", "takeovers", "acquisition", "acquire", "acquired", "buyout", "purchase", "buy"),
    ("goods", "products", "imports", "exports", "shipments", "merchandise"),
    ("export", "exports", "shipments", "ship", "shipped"),
    ("price", "prices", "cost", "costs"),
    ("sell", "sale", "divest", "divestment", "divestiture"),
    ("minister", "secretary"),
    ("share", "portion", "proportion", "part"),
    ("oil", "crude", "petroleum"),
    ("worth", "value", "valued"),
    ("scientist", "scientists", "researchers", "experts"),
    ("cap", "ceiling", "quota", "limit"),
    ("old", "previous", "former", "earlier", "prior"),
    ("fall", "shoulder", "bear", "borne"),
    ("decide", "decided", "decision", "agree", "agreed", "resolve"),
    ("rule", "ruling", "decide", "decision", "verdict", "judgment", "judgement", "determination"),
    ("promise", "promised", "pledge", "pledged", "commit", "committed", "committing", "vow", "undertake"),
)

# Words whose presence in a sentence contradicts the question's word: a preliminary duty is not the final one.
OPPOSITES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("final", ("preliminary", "interim", "provisional", "initial")),
    ("preliminary", ("final",)),
    ("permanent", ("temporary", "provisional", "interim")),
    ("temporary", ("permanent",)),
)

# British and American spellings of the same word.
SPELLINGS: tuple[tuple[str, str], ...] = (
    ("aluminium", "aluminum"),
    ("defence", "defense"),
    ("labour", "labor"),
    ("organisation", "organization"),
    ("programme", "program"),
    ("licence", "license"),
    ("favour", "favor"),
    ("harbour", "harbor"),
    ("centre", "center"),
    ("tonne", "ton"),
)

# Words that carry no content of their own in a question ("still", "exactly", "end up").
SOFT_WORDS = frozenset(
    """still now current currently latest exactly actually really please tell know happen happening
    happened get got go going gone make made thing things new newest recent recently up come came back
    put take place expected end ended ending will going anymore yet kind sort much many big large high
    high low far soon right today week this time times there something anything everything
    day days left remain remaining ahead passed past over away long able want wanted need needed prepared
    willing ready next altogether overall goes""".split()
)

# Words that name the answer being asked for rather than what it is about, per kind.
CUE_WORDS: dict[str, frozenset[str]] = {
    "rate": frozenset(
        """rate rates percent percentage charge charges charged charging impose imposes imposed imposing
        apply applies applied plan plans planned planning threaten threatens threatening propose proposes
        proposed keep keeps maintain maintains level levels rise go could might set put slap face faces facing
        get gets got receive receives received""".split()
    ),
    "date": frozenset("""when date dates day time month year deadline due kick start happen""".split()),
    "countdown": frozenset(
        """how many days weeks months until till before left remaining ahead still passed deadline
        countdown soon away expired over gone due running run runs force effect valid""".split()
    ),
    "person": frozenset("""who whom whose person is""".split()),
    "place": frozenset(
        """where place city country town venue location held hold holds holding host take""".split()
    ),
    "quote": frozenset(
        """say said says tell told state stated think thinks claim claimed argue argued add added write wrote
        comment commented quote""".split()
    ),
    "number": frozenset(
        """how many much number amount figure size big large high low total which what vote tally
        margin""".split()
    ),
    "reason": frozenset("""why reason reasons cause caused behind""".split()),
    "statement": frozenset(),
}

# Nouns that name a role; a question about a role needs the person's own sentence to name it.
ROLE_WORDS = frozenset(
    """president minister secretary premier chancellor governor senator ambassador envoy adviser advisor
    analyst ceo cfo coo cto chief executive chairman chairwoman chair spokesperson spokesman spokeswoman
    director economist commissioner negotiator head leader founder official representative deputy
    treasurer lawyer trade mayor boss manager officer""".split()
)

# Words that introduce a reason or explanation in a sentence, strongest first: causal links, then the words
# of an argument or a worry, then prepositions that often (not always) give a cause.
CAUSE_MARKERS = (
    "because",
    "due to",
    "owing to",
    "driven by",
    "prompted by",
    "as a result",
    "in response",
    "the reason",
    "citing",
)
# Purposes ("in a bid to") explain the clause they follow, which is not always what the question asks about.
REASON_MARKERS = (
    "in order to",
    "so that",
    "in a bid to",
    "aimed at",
    "to avoid",
    "to protect",
    "to prevent",
    "to curb",
    "to counter",
    "to address",
    "arguing",
    "argue",
    "claim",
    "concern",
    "fear",
    "worr",
    "pointing to",
    "complicat",
    "undermin",
    "accus",
    "blame",
    "needed",
)
WEAK_REASON_MARKERS = (" over ", " amid ", " after ", " about ", " since ", " as ")


@lru_cache(maxsize=1)
def _groups() -> dict[str, frozenset[str]]:
    """Stem -> the stems of every word in its synonym groups and spelling pairs."""
    table: dict[str, set[str]] = {}
    for group in (*SYNONYM_GROUPS, *SPELLINGS):
        stems: set[str] = set()
        for phrase in group:
            stems |= index_terms(phrase)
        for s in stems:
            table.setdefault(s, set()).update(stems)
    return {k: frozenset(v) for k, v in table.items()}


def alternatives(term: str) -> frozenset[str]:
    """The stem itself and the stems of its synonyms."""
    return _groups().get(term, frozenset()) | {term}


def is_soft(term: str) -> bool:
    """True for stems of words that carry no content in a question."""
    return term in _SOFT_STEMS


def cue_stems(kind: str) -> frozenset[str]:
    """Stems of the cue words of an answer kind."""
    return frozenset(stem(w) for w in CUE_WORDS.get(kind, ()))


_SOFT_STEMS = frozenset(stem(w) for w in SOFT_WORDS)
ROLE_STEMS = frozenset(stem(w) for w in ROLE_WORDS)


def name_stems(name: str) -> tuple[str, ...]:
    """Stems of the words of a name, as the index spells them (letters and digits, two or more)."""
    return tuple(stem(w.lower()) for w in re.findall(r"[A-Za-z0-9]+", fold(name)) if len(w) > 1)


@lru_cache(maxsize=1)
def _opposites() -> dict[str, frozenset[str]]:
    return {stem(word): frozenset(stem(o) for o in others) for word, others in OPPOSITES}


def contradicted(term: str, pool: set[str] | frozenset[str]) -> bool:
    """True when a pool lacks a stem but holds its opposite ('final' asked, 'preliminary' said)."""
    return term not in pool and bool(_opposites().get(term, frozenset()) & pool)


def covered(term: str, pool: set[str] | frozenset[str], derive: bool = True) -> bool:
    """True when a stem, a synonym of it, or (with `derive`) a longer or shorter form of it is in the pool."""
    if term in pool:
        return True
    if any(alt in pool for alt in alternatives(term)):
        return True
    if derive and len(term) >= 5:
        # Derivations the stemmer keeps apart: retaliatory/retaliation, overproducing/overproduction,
        # injury/injured (a five-letter stem only one letter short of the other).
        for other in pool:
            short, long_ = (other, term) if len(other) < len(term) else (term, other)
            if not long_.startswith(short):
                continue
            if len(short) >= 6 or (len(short) == 5 and len(long_) - len(short) <= 1):
                return True
        return derive and len(term) >= 7 and _compound(term, pool)
    return False


def _compound(term: str, pool: set[str] | frozenset[str]) -> bool:
    """True when a compound's two halves are both in the pool ('bondholders' in 'holders of its bonds')."""

    def has(part: str) -> bool:
        return any(p == part or (p.startswith(part) and len(p) - len(part) <= 2) for p in pool)

    return any(has(term[:i]) and has(term[i:]) for i in range(3, len(term) - 2))
