"""Article fact extraction: `extract` (in `facts.extract.article`) and the finders it is built from.

The package loads no finder by itself: answering a question imports only the finders its kind of
question uses (compiling every finder's patterns is most of the cost of a cold `briefbot ask`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from facts.extract.article import extract, split_sentences

logger = logging.getLogger(__name__)

__all__ = ["extract", "split_sentences"]


def __getattr__(name: str) -> Any:
    """`from facts.extract import extract` loads the article extractor (and every finder) on first use."""
    if name in __all__:
        from facts.extract import article

        return getattr(article, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
