"""Reading article files into validated documents and ingesting them with their facts."""

from __future__ import annotations

import logging
import os
import re
import signal
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from facts.models import ExtractedFact, IngestResult, NewDocument
from facts.store import FactStore

# YAML and the taxonomy are imported when a document is read or tagged: `briefbot ask` imports this module
# (for its year bounds and the bundled corpus) and, on a seeded store, never reads a document.
if TYPE_CHECKING:
    from facts.topics import Taxonomy

logger = logging.getLogger(__name__)

MAX_BYTES = 1_000_000
# Seconds one article's extraction may take (a 1 MB article of 20,000 sentences takes about 7).
EXTRACT_SECONDS = 60.0
ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".text"})
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)

Extractor = Callable[[str, date, str], list[ExtractedFact]]


@cache
def _front_matter_loader(compiled: bool = True) -> Any:
    """A YAML SafeLoader that leaves dates as text, so an impossible date gets our own clear error.

    The compiled one (libyaml's parser, where PyYAML has it) read front matter ten times faster than
    pure Python, which was a tenth of an article's extraction.
    """
    import yaml

    base = yaml.CSafeLoader if compiled and getattr(yaml, "__with_libyaml__", False) else yaml.SafeLoader

    class FrontMatterLoader(base):  # type: ignore[valid-type,misc]
        pass

    FrontMatterLoader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return FrontMatterLoader


def _load_front_matter(text: str) -> Any:
    """Front matter's YAML as plain data; raises yaml.YAMLError with the pure-Python parser's message."""
    import yaml

    try:
        return yaml.load(text, Loader=_front_matter_loader())  # a SafeLoader: plain data only
    except yaml.YAMLError:
        # libyaml words some errors otherwise (and refuses a few things PyYAML reads): the pure-Python
        # parser decides, so the messages and what is accepted stay as they were.
        return yaml.load(text, Loader=_front_matter_loader(compiled=False))


class IngestError(ValueError):
    """A document that cannot be ingested; the message is one line naming the file."""


@dataclass(frozen=True)
class Overrides:
    """Metadata given on the command line, for plain text without front matter."""

    title: str | None = None
    published: date | None = None
    url: str | None = None


def article_paths(paths: Iterable[str | Path]) -> list[Path]:
    """The article files named, with folders expanded to the Markdown and text files inside them."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)
            )
        else:
            out.append(path)
    return out


def parse_date(value: object, name: str) -> date:
    """A date from front matter or the command line; raises IngestError for impossible dates."""
    if isinstance(value, datetime):
        return in_range(value.date(), name)
    if isinstance(value, date):
        return in_range(value, name)
    text = str(value).strip()
    try:
        # The whole value: "2025-01-01garbage" is not a date, however it begins.
        day = date.fromisoformat(text)
    except ValueError:
        raise IngestError(f"{name}: published date {text!r} is not a real date (use YYYY-MM-DD)") from None
    return in_range(day, name)


FIRST_YEAR, LAST_YEAR = 1900, 2199


def in_range(day: date, name: str) -> date:
    """The date itself when its year is 1900-2199; else IngestError (ages and countdowns need sane years)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise IngestError(f"{name}: published date {day.isoformat()} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return day


def read_document(path: Path, overrides: Overrides, today: date) -> NewDocument:
    """Read and validate one article file; raises IngestError with a one-line reason."""
    name = str(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            # A device or a pipe reports no size and may never end (/dev/zero, a FIFO named p.md).
            raise IngestError(f"{name}: not a regular file")
        # Opened without blocking, so a FIFO swapped in after the check cannot hang the read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise IngestError(f"{name}: not a regular file")
            raw = handle.read(MAX_BYTES + 1)  # the limit holds whatever the file claims its size is
    except OSError as error:
        raise IngestError(f"{name}: cannot read ({error.strerror or error})") from None
    if len(raw) > MAX_BYTES:
        raise IngestError(f"{name}: too large (over {MAX_BYTES / 1e6:.0f} MB, the limit)")
    return parse_document(raw, name, overrides, today)


def parse_document(raw: bytes, name: str, overrides: Overrides, today: date) -> NewDocument:
    """Validate an article's bytes and metadata into a NewDocument; raises IngestError."""
    if b"\x00" in raw:
        raise IngestError(f"{name}: not a text file (binary content)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError(f"{name}: not a text file (not valid UTF-8)") from None
    meta: dict[str, object] = {}
    body = text
    match = _FRONT_MATTER.match(text)
    if match:
        import yaml

        try:
            loaded = _load_front_matter(match.group(1))
        except yaml.YAMLError as error:
            reason = str(error).splitlines()[0]
            raise IngestError(f"{name}: broken front matter ({reason})") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise IngestError(f"{name}: broken front matter (expected 'key: value' lines)")
        meta = loaded or {}
        body = text[match.end() :]
    elif text.startswith("---"):
        raise IngestError(f"{name}: broken front matter (no closing '---' line)")
    if not body.strip():
        raise IngestError(f"{name}: no article text")
    title = overrides.title or _text_field(meta, "title", name) or _first_heading(body) or Path(name).stem
    url = overrides.url or _text_field(meta, "url", name) or ""
    inferred = False
    if overrides.published is not None:
        published = overrides.published
    elif meta.get("published") is not None:
        published = parse_date(meta["published"], name)
    elif meta.get("date") is not None:
        published = parse_date(meta["date"], name)
    else:
        published, inferred = today, True
    return NewDocument(
        title=title, published=published, body=body, url=url, path=name, published_inferred=inferred
    )


def _text_field(meta: dict[str, object], key: str, name: str) -> str:
    value = meta.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise IngestError(f"{name}: broken front matter ({key!r} must be text)")
    return " ".join(str(value).split())


def _first_heading(body: str) -> str:
    for line in body.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
        if line.strip():
            return ""
    return ""


def with_topics(extracted: Sequence[ExtractedFact], taxonomy: Taxonomy) -> list[ExtractedFact]:
    """Each fact with the taxonomy topics found in its sentence and its own text."""
    found = taxonomy.topics_for_facts((f.sentence, f.text) for f in extracted)
    return [replace(f, topics=topics) for f, topics in zip(extracted, found, strict=True)]


def default_extractor() -> Extractor:
    """The general English article extractor, its place tables read now (no time limit counts that)."""
    from facts.extract import extract
    from facts.geo import load_places

    load_places()
    return extract


class _TooSlow(Exception):
    """Extraction ran past its time limit."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TooSlow in this thread after `seconds` (a real-time timer; main threads only, else no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_facts(
    document: NewDocument, extractor: Extractor | None = None, taxonomy: Taxonomy | None = None
) -> list[ExtractedFact]:
    """A document's facts with their topics; raises IngestError (one line) when the extractor fails.

    Extraction is linear in an article's length, but arbitrary text gets a time limit all the same:
    past EXTRACT_SECONDS the article is rejected and the other files go on.
    """
    extract = extractor or default_extractor()
    name = document.path or document.title
    try:
        with _time_limit(EXTRACT_SECONDS):
            found = extract(document.body, document.published, document.title)
    except _TooSlow:
        raise IngestError(f"{name}: reading its facts took over {EXTRACT_SECONDS:g} s; rejected") from None
    except Exception as error:
        # The extractor is general-purpose code meeting arbitrary text: reject the one document, keep going.
        logger.exception("extraction failed for %s", document.path)
        raise IngestError(f"{name}: could not read facts ({error})") from error
    from facts.topics import load_taxonomy

    return with_topics(found, taxonomy or load_taxonomy())


def ingest_document(
    store: FactStore,
    document: NewDocument,
    extractor: Extractor | None = None,
    taxonomy: Taxonomy | None = None,
) -> IngestResult:
    """Extract a document's facts and store both in one transaction; a failure stores nothing."""
    return store.ingest(document, read_facts(document, extractor, taxonomy))
