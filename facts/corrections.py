"""Fixes, undos and retractions of facts, each kept with who made it and when (the audit trail).

All three are supersession, read by `FactStore.newest_versions` like any other: a fix is a new version
of the fact (same kind, subject, sentence and article) that replaces the wrong one; an undo withdraws
the fix and the version it replaced is current again; a retraction withdraws every fact of an article
and takes its sentences out of the search index, so the versions its facts had replaced come back. A
withdrawn fact's link points at itself: it stays in the store (`facts --all`), current nowhere.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from facts.fix_values import BadValue, NewValue, read_value
from facts.models import CORRECTION_ATTR, Kind, StoredFact
from facts.schema import corrections, documents, fact_topics, facts
from facts.store import FactStore, unindex_document

logger = logging.getLogger(__name__)

# A reason is a line or two for the audit and the provenance, not an essay.
MAX_REASON = 500
FIX, UNDO, FORGET = "fix", "undo", "forget"


class CorrectionError(ValueError):
    """A fix, undo or retraction that cannot be made; the message is one line, and nothing changed."""


@dataclass(frozen=True)
class Changed:
    """A fix or an undo made: the version now current and the one it replaced."""

    action: str
    current: StoredFact
    replaced: StoredFact
    entry_id: int


@dataclass(frozen=True)
class Retraction:
    """An article retracted: its facts withdrawn, and the earlier versions current again."""

    document_id: int
    title: str
    withdrawn: list[int]
    restored: list[int]
    entry_id: int


@dataclass(frozen=True)
class Article:
    """A stored article as `articles` lists it."""

    id: int
    title: str
    published: date
    url: str
    facts: int
    retracted: bool = False

    def to_json(self) -> dict[str, Any]:
        """The `articles --json` shape: id, title, published, url, facts (current ones), retracted."""
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published.isoformat(),
            "url": self.url or None,
            "facts": self.facts,
            "retracted": self.retracted,
        }


@dataclass(frozen=True)
class AuditEntry:
    """One fix, undo or retraction: who, when, and what."""

    id: int
    action: str
    by: str
    at: datetime
    fact_id: int | None
    new_fact_id: int | None
    document_id: int | None
    was: str
    value: str
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)

    def what(self) -> str:
        """What was done, in one line: 'fact 36 -> 52: 30% -> 35%'."""
        if self.action == FORGET:
            withdrawn, restored = len(self.detail.get("withdrawn", [])), len(self.detail.get("restored", []))
            return (
                f"retracted article {self.document_id} ({self.was}): "
                f"{withdrawn} facts withdrawn, {restored} earlier versions current again"
            )
        verb = "fixed" if self.action == FIX else "undid the fix"
        return f"{verb}: fact {self.fact_id} -> {self.new_fact_id}: {self.was} -> {self.value}"

    def to_json(self) -> dict[str, Any]:
        """The `audit --json` shape: who, when, what, plus the action's ids and values."""
        return {
            "id": self.id,
            "action": self.action,
            "who": self.by,
            "when": self.at.isoformat(),
            "what": self.what(),
            "fact_id": self.fact_id,
            "new_fact_id": self.new_fact_id,
            "document_id": self.document_id,
            "was": self.was,
            "value": self.value,
            "reason": self.reason,
        }


def check_reason(reason: str) -> str:
    """A reason on one line; CorrectionError when it is over MAX_REASON characters (nothing is cut)."""
    line = " ".join(reason.split())
    if len(line) > MAX_REASON:
        raise CorrectionError(
            f"The reason is {len(line):,} characters; keep it to {MAX_REASON} (nothing was changed)."
        )
    return line


class Corrections:
    """Fix, undo and retract facts in a store, and read the audit trail."""

    def __init__(self, store: FactStore) -> None:
        self.store = store

    # -- fix and undo -------------------------------------------------------------------------------

    def fix(
        self,
        fact_id: int,
        raw_value: str,
        by: str,
        reason: str,
        now: datetime,
        detail: dict[str, Any] | None = None,
    ) -> Changed:
        """Replace a current fact with a corrected version; CorrectionError (nothing changed) if it can't.

        `detail` is kept with the audit entry, in the same transaction: e.g. the report the fix answers.
        """
        why = check_reason(reason)
        old = self._current(fact_id)
        try:
            new = read_value(old, raw_value)
        except BadValue as error:
            raise CorrectionError(f"{error} Nothing was changed.") from None
        was = _described(old)
        if new.described() == was and new.text == old.text:
            raise CorrectionError(f"Fact {fact_id} already says {was}; nothing was changed.")
        stamp = {"by": by, "at": now.astimezone(UTC).isoformat(), "was": was, "reason": why}
        with self.store.engine.begin() as conn:
            new_id = _insert_version(conn, old, new, stamp)
            _supersede_if_current(conn, old.id, new_id)
            entry = _record(
                conn, FIX, by, now, old.id, new_id, old.document_id, was, new.described(), why, detail
            )
        [current] = self.store.get([new_id])
        logger.info("fact %d fixed by %s: %s -> %s (fact %d)", old.id, by, was, new.described(), new_id)
        return Changed(FIX, current, old, entry)

    def undo(self, fact_id: int, by: str, now: datetime) -> Changed:
        """Withdraw the fix of a fact (the fix's id, or the fixed fact's) so the version before is current."""
        fix = self._fix_to_undo(fact_id)
        earlier = self.store.history(fix.id)
        if not earlier:
            raise CorrectionError(f"Fact {fix.id} replaced no earlier version; nothing was undone.")
        restored = earlier[0]
        with self.store.engine.begin() as conn:
            taken = conn.execute(
                update(facts)
                .where(facts.c.id == fix.id, facts.c.superseded_by.is_(None))
                .values(superseded_by=fix.id)
            ).rowcount
            if taken != 1:
                raise CorrectionError(f"Fact {fix.id} changed meanwhile; nothing was undone. Try again.")
            conn.execute(
                update(facts)
                .where(facts.c.superseded_by == fix.id, facts.c.id != fix.id)
                .values(superseded_by=None)
            )
            was, now_says = _described(fix), _described(restored)
            entry = _record(conn, UNDO, by, now, fix.id, restored.id, fix.document_id, was, now_says, "")
        [restored] = self.store.get([restored.id])
        logger.info("fix %d undone by %s: fact %d is current again", fix.id, by, restored.id)
        return Changed(UNDO, restored, fix, entry)

    def _current(self, fact_id: int) -> StoredFact:
        found = self.store.get([fact_id])
        if not found:
            raise CorrectionError(f"There is no fact {fact_id}; nothing was changed.")
        fact = found[0]
        if fact.withdrawn:
            raise CorrectionError(
                f"Fact {fact_id} was withdrawn (its article retracted or its fix undone); "
                "nothing was changed."
            )
        if not fact.current:
            raise CorrectionError(
                f"Fact {fact_id} is no longer current: fact {fact.superseded_by} replaced it. "
                "Fix that one; nothing was changed."
            )
        return fact

    def _fix_to_undo(self, fact_id: int) -> StoredFact:
        found = self.store.get([fact_id])
        if not found:
            raise CorrectionError(f"There is no fact {fact_id}; nothing was undone.")
        fact = found[0]
        if fact.correction is None:
            # The id of the fact that was fixed: undo the fix that is its current version.
            newest = self.store.newest_versions([fact], date.max).get(fact.id)
            if newest is None or newest.id == fact.id or newest.correction is None:
                raise CorrectionError(f"Fact {fact_id} has no fix to undo.")
            fact = newest
        if fact.withdrawn:
            raise CorrectionError(f"The fix of fact {fact.id} was already undone.")
        if not fact.current:
            raise CorrectionError(
                f"Fact {fact.id} was since replaced by fact {fact.superseded_by}; there is no fix to undo."
            )
        return fact

    # -- retraction ---------------------------------------------------------------------------------

    def forget(self, article: str, by: str, now: datetime) -> Retraction:
        """Retract an article (id or URL): its facts withdrawn, the versions they replaced current again."""
        document_id, title = self._article(article)
        with self.store.engine.begin() as conn:
            if conn.execute(
                select(corrections.c.id).where(
                    corrections.c.action == FORGET, corrections.c.document_id == document_id
                )
            ).first():
                raise CorrectionError(f"Article {document_id} was already retracted.")
            links = dict(
                conn.execute(
                    select(facts.c.id, facts.c.superseded_by).where(facts.c.document_id == document_id)
                ).all()
            )
            withdrawn = sorted(fid for fid, link in links.items() if link is None)
            before = conn.execute(
                select(facts.c.id, facts.c.superseded_by).where(
                    facts.c.superseded_by.in_(list(links)), facts.c.document_id != document_id
                )
            ).all()
            restored = []
            for fid, link in before:
                # Each earlier version now points where the retracted one pointed: past every fact of this
                # article, to the next version from elsewhere, or to nothing (current again).
                after = _past(links, link)
                conn.execute(update(facts).where(facts.c.id == fid).values(superseded_by=after))
                if after is None:
                    restored.append(fid)
            conn.execute(
                update(facts).where(facts.c.document_id == document_id).values(superseded_by=facts.c.id)
            )
            unindex_document(conn, document_id)
            detail = {"withdrawn": withdrawn, "restored": sorted(restored)}
            entry = _record(conn, FORGET, by, now, None, None, document_id, title, "", "", detail)
        logger.info(
            "article %d retracted by %s: %d facts withdrawn, %d restored",
            document_id,
            by,
            len(withdrawn),
            len(restored),
        )
        return Retraction(document_id, title, withdrawn, sorted(restored), entry)

    def _article(self, article: str) -> tuple[int, str]:
        wanted = article.strip()
        if wanted.startswith("<") and wanted.endswith(">"):  # Slack's <url> or <url|label>
            wanted = wanted[1:-1].split("|", 1)[0]
        query = select(documents.c.id, documents.c.title)
        if re.fullmatch(r"#?\d{1,18}", wanted):
            query = query.where(documents.c.id == int(wanted.lstrip("#")))
        elif re.match(r"^https?://", wanted, re.I):
            query = query.where(documents.c.url == wanted).order_by(documents.c.id.desc())
        else:
            raise CorrectionError("Give an article's id or its web address (`articles` lists them).")
        with self.store.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            shown = wanted if len(wanted) <= 60 else wanted[:59] + "…"
            raise CorrectionError(f"There is no article {shown}; `articles` lists them with their ids.")
        return int(row.id), str(row.title)

    # -- reading ------------------------------------------------------------------------------------

    def articles(self, topic: str | None = None, limit: int | None = None) -> list[Article]:
        """Stored articles, newest published first, with how many current facts each has."""
        current = and_(
            facts.c.document_id == documents.c.id,
            facts.c.superseded_by.is_(None),
            facts.c.kind != Kind.STATEMENT.value,
        )
        counted = select(func.count()).select_from(facts).where(current).scalar_subquery()
        query = select(
            documents.c.id, documents.c.title, documents.c.published, documents.c.url, counted.label("n")
        ).order_by(documents.c.published.desc(), documents.c.id.desc())
        if topic:
            on_topic = (
                select(facts.c.document_id)
                .join(fact_topics, fact_topics.c.fact_id == facts.c.id)
                .where(fact_topics.c.topic == topic)
            )
            query = query.where(documents.c.id.in_(on_topic))
        if limit is not None:
            query = query.limit(limit)
        with self.store.engine.connect() as conn:
            rows = conn.execute(query).all()
            retracted = set(
                conn.execute(
                    select(corrections.c.document_id).where(corrections.c.action == FORGET)
                ).scalars()
            )
        return [
            Article(row.id, row.title, _day(row.published), row.url, row.n, row.id in retracted)
            for row in rows
        ]

    def audit(self) -> list[AuditEntry]:
        """Every fix, undo and retraction, oldest first."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(corrections).order_by(corrections.c.id)).all()
        return [
            AuditEntry(
                id=row.id,
                action=row.action,
                by=row.by,
                at=_as_utc(row.at),
                fact_id=row.fact_id,
                new_fact_id=row.new_fact_id,
                document_id=row.document_id,
                was=row.was,
                value=row.value,
                reason=row.reason,
                detail=dict(row.detail or {}),
            )
            for row in rows
        ]


def _described(fact: StoredFact) -> str:
    return fact.date.human() if fact.date is not None else fact.value


def _past(links: dict[int, int | None], link: int | None) -> int | None:
    """Follow supersession links through the retracted article's facts to the first fact outside it."""
    seen: set[int] = set()
    while link is not None and link in links and link not in seen:
        seen.add(link)
        nxt = links[link]
        link = None if nxt == link else nxt
    return link


def _insert_version(conn: Connection, old: StoredFact, new: NewValue, stamp: dict[str, str]) -> int:
    """Store the corrected version of a fact in the old one's place (article, sentence, topics)."""
    inserted = conn.execute(
        insert(facts).values(
            document_id=old.document_id,
            kind=old.kind.value,
            subject=old.subject,
            text=new.text,
            value=new.value,
            date_iso=new.date.iso() if new.date else None,
            date_first=new.date.first_day() if new.date else None,
            date_last=new.date.last_day() if new.date else None,
            attrs={**new.attrs, CORRECTION_ATTR: stamp},
            sentence_index=old.sentence_index,
            span_start=old.start,
            span_end=old.end,
            sentence=old.sentence,
            as_of=old.as_of,
            superseded_by=None,
        )
    ).inserted_primary_key
    assert inserted is not None  # a single-row INSERT always reports its key
    new_id = int(inserted[0])
    if old.topics:
        conn.execute(insert(fact_topics), [{"fact_id": new_id, "topic": t} for t in old.topics])
    return new_id


def _supersede_if_current(conn: Connection, old_id: int, new_id: int) -> None:
    """Link the old version to the new one, unless another writer replaced it first (then roll back)."""
    moved = conn.execute(
        update(facts)
        .where(facts.c.id == old_id, facts.c.superseded_by.is_(None))
        .values(superseded_by=new_id)
    ).rowcount
    if moved != 1:
        raise CorrectionError(f"Fact {old_id} changed meanwhile; nothing was changed. Try again.")


def _record(
    conn: Connection,
    action: str,
    by: str,
    now: datetime,
    fact_id: int | None,
    new_fact_id: int | None,
    document_id: int | None,
    was: str,
    value: str,
    reason: str,
    detail: dict[str, Any] | None = None,
) -> int:
    """Keep one audit row; its id."""
    inserted = conn.execute(
        insert(corrections).values(
            action=action,
            fact_id=fact_id,
            new_fact_id=new_fact_id,
            document_id=document_id,
            was=was,
            value=value,
            reason=reason,
            by=by,
            at=now,
            detail=detail or {},
        )
    ).inserted_primary_key
    assert inserted is not None
    return int(inserted[0])


def _day(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
