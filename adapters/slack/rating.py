"""Pure Slack converters for rating answers: the 👍/👎 buttons, the 👎 form, their payloads -> Vote."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any

from bot.messages import VOTES, Vote
from facts.limits import MAX_TYPED

logger = logging.getLogger(__name__)

PLATFORM = "slack"  # as adapters.slack.convert.PLATFORM; convert imports this module
# The buttons' action ids; the answer id travels in each button's value and in the block id, so a click
# needs nothing the process remembers and works after a restart.
RATE_ACTION = re.compile(r"^briefbot_rate_(up|down)$")
RATE_BLOCK = "briefbot_rate:"
# The 👎 form (a modal): its callback id, and where its text field sits in view.state.values.
CORRECTION_CALLBACK = "briefbot_correction"
CORRECTION_BLOCK = "correction"
CORRECTION_INPUT = "text"
# Slack caps a modal's title at 24 characters.
FORM_TITLE = "Thanks, noted."
QUESTION = "What would be right?"
BUTTONS = {"up": ("👍", "Good answer"), "down": ("👎", "Wrong answer")}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def rating_block(answer_id: int) -> dict[str, Any]:
    """The actions block under an answer: 👍 and 👎, each carrying the answer's id."""
    elements = []
    for vote in VOTES:
        face, label = BUTTONS[vote]
        elements.append(
            {
                "type": "button",
                "action_id": f"briefbot_rate_{vote}",
                "text": _plain(face),
                "value": str(answer_id),
                "accessibility_label": label,
            }
        )
    return {"type": "actions", "block_id": f"{RATE_BLOCK}{answer_id}", "elements": elements}


def _answer_id(text: object) -> int | None:
    value = str(text or "").removeprefix(RATE_BLOCK)
    return int(value) if value.isdigit() and len(value) <= 18 else None


def vote_from_action(body: Mapping[str, Any]) -> Vote | None:
    """A block_actions payload's 👍/👎 click as a Vote, or None when it is not one of ours."""
    actions = body.get("actions") or []
    if not actions:
        return None
    action = actions[0]
    matched = RATE_ACTION.match(str(action.get("action_id", "")))
    answer_id = _answer_id(action.get("value")) or _answer_id(action.get("block_id"))
    user = str((body.get("user") or {}).get("id", ""))
    if matched is None or answer_id is None or not user:
        return None
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return Vote(PLATFORM, str(channel or ""), user, answer_id, matched.group(1))


def correction_view(answer_id: int, channel: str) -> dict[str, Any]:
    """The modal a 👎 opens: one optional "what would be right?" text (the vote is already kept)."""
    return {
        "type": "modal",
        "callback_id": CORRECTION_CALLBACK,
        "private_metadata": json.dumps({"answer": answer_id, "channel": channel}),
        "title": _plain(FORM_TITLE),
        "submit": _plain("Send"),
        "close": _plain("Skip"),
        "blocks": [
            {
                "type": "input",
                "block_id": CORRECTION_BLOCK,
                "optional": True,
                "label": _plain(QUESTION),
                "element": {
                    "type": "plain_text_input",
                    "action_id": CORRECTION_INPUT,
                    "multiline": True,
                    "max_length": MAX_TYPED,
                    "placeholder": _plain("e.g. 25%, since October 1"),
                },
            }
        ],
    }


def vote_from_submission(body: Mapping[str, Any]) -> Vote | None:
    """A view_submission of the 👎 form as a 👎 Vote with its text, or None when it is not ours."""
    view = body.get("view") or {}
    if view.get("callback_id") != CORRECTION_CALLBACK:
        return None
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None
    answer_id = _answer_id(meta.get("answer")) if isinstance(meta, dict) else None
    user = str((body.get("user") or {}).get("id", ""))
    if answer_id is None or not user:
        return None
    values = ((view.get("state") or {}).get("values") or {}).get(CORRECTION_BLOCK) or {}
    text = str((values.get(CORRECTION_INPUT) or {}).get("value") or "").strip()
    return Vote(PLATFORM, str(meta.get("channel") or ""), user, answer_id, "down", text or None)


def closing_view(text: str) -> dict[str, Any]:
    """What the form turns into once sent: the bot's private reply, and a Close button."""
    return {
        "type": "modal",
        "title": _plain(FORM_TITLE),
        "close": _plain("Close"),
        "blocks": [{"type": "section", "text": {"type": "plain_text", "text": text}}],
    }
