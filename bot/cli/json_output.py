"""JSON on the terminal: the stored strings exactly, written so the raw output can neither ping nor steer."""

from __future__ import annotations

import json
import logging
import re

logger = logging.getLogger(__name__)

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
# Written as \u escapes inside strings: a parser reads back the exact stored text, while the raw lines
# (shown in a terminal, pasted into a chat) hold no "<!channel>", "@everyone", "[text](url)", terminal
# escape sequence or bidirectional control. (json.dumps already escapes the C0 controls.)
_RISKY = re.compile(r"[<>@\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\](?=\()")


def _escape_risky(match: re.Match[str]) -> str:
    return _RISKY.sub(lambda m: f"\\u{ord(m.group(0)):04x}", match.group(0))


def dumps(value: object, indent: int | None = None) -> str:
    """JSON text for a value: strings kept exactly (once parsed), risky characters written as \\u escapes."""
    return _STRING.sub(_escape_risky, json.dumps(value, ensure_ascii=False, indent=indent))
