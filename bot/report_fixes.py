"""Which fixes answer which 👎 reports, and which fixes still stand (not undone), from the audit trail."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from facts.corrections import FIX, UNDO, AuditEntry

logger = logging.getLogger(__name__)

# The audit entry's detail key naming the report (rating id) a fix was made from.
REPORT_KEY = "report"


def detail_for(report: int | None) -> dict[str, Any] | None:
    """What a fix made from a report keeps with its audit entry (None for a fix by fact id)."""
    return {REPORT_KEY: report} if report is not None else None


def undone(entries: Iterable[AuditEntry]) -> set[int]:
    """The audit ids of fixes since undone (an undo names the fix's new fact as its fact)."""
    listed = list(entries)
    taken_back = {e.fact_id for e in listed if e.action == UNDO}
    return {e.id for e in listed if e.action == FIX and e.new_fact_id in taken_back}


def standing_fixes(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """The fixes not undone, oldest first."""
    listed = list(entries)
    gone = undone(listed)
    return [e for e in listed if e.action == FIX and e.id not in gone]


def fixes_by_report(entries: Iterable[AuditEntry]) -> dict[int, AuditEntry]:
    """The newest fix made from each report, by the report's rating id."""
    out: dict[int, AuditEntry] = {}
    for entry in entries:
        report = entry.detail.get(REPORT_KEY) if entry.action == FIX else None
        if isinstance(report, int):
            out[report] = entry
    return out


def fixed_by_json(entry: AuditEntry, undone_ids: set[int]) -> dict[str, Any]:
    """How `feedback --json` shows the fix a report led to: the audit entry, facts, values, who, when."""
    return {
        "audit_id": entry.id,
        "fact_id": entry.fact_id,
        "new_fact_id": entry.new_fact_id,
        "was": entry.was,
        "value": entry.value,
        "who": entry.by,
        "when": entry.to_json()["when"],
        "undone": entry.id in undone_ids,
    }
