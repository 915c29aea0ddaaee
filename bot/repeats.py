"""Logging a failure that recurs every minute once, until it changes or stops."""

from __future__ import annotations

import logging

from facts.refusals import refusal_reason

logger = logging.getLogger(__name__)


class RepeatedFailure:
    """Logs the first of a run of identical failures, and the recovery; the repeats only at DEBUG.

    A store that refuses writes is an operator's matter: one line with the reason, no traceback. Any
    other failure may be a bug: its first occurrence is logged with the traceback.
    """

    def __init__(self, what: str, log: logging.Logger) -> None:
        self.what = what
        self.log = log
        self._current: tuple[str, str] | None = None

    def failed(self, error: Exception) -> None:
        """Report a failure: logged when it differs from the one before, else only at DEBUG."""
        refused = refusal_reason(error)
        reason = refused if refused is not None else _first_line(error)
        key = (type(error).__name__, reason)
        if key == self._current:
            self.log.debug("%s failed again: %s", self.what, reason)
            return
        self._current = key
        if refused is not None:
            self.log.error(
                "%s failed: the store refuses writes (%s); retried as usual, logged again when that changes",
                self.what,
                refused,
            )
        else:
            self.log.exception("%s failed; logged again only when the error changes", self.what)

    def succeeded(self) -> None:
        """Report a success: logged when it ends a run of failures."""
        if self._current is not None:
            self.log.info("%s works again", self.what)
            self._current = None


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
