"""The geography tables moved to facts.geo; this name re-exports them for older imports."""

from __future__ import annotations

from facts.geo import _countries, countries, country_of, normalise_entity, place_of

__all__ = ["_countries", "countries", "country_of", "normalise_entity", "place_of"]
