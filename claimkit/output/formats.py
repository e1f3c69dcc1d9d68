"""A Draft as the bytes a user asked for: plain text, JSON, or a mail (claimkit.output.eml)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from claimkit.errors import OutputError
from claimkit.output.draft import Draft
from claimkit.values.dates import to_plain

FORMATS = ("text", "json", "eml")


def json_default(value: object) -> str:
    """Dates as they read back in (the only values JSON has no form for)."""
    # A batch writes the same few dates thousands of times, and isoformat's arguments
    # cost more than the lookup. Only plain ones are kept: an aware time equals the
    # same moment in another zone, which is written differently.
    if value.__class__ is date or (value.__class__ is datetime and value.tzinfo is None):
        text = _PLAIN.get(value)
        if text is None:
            if len(_PLAIN) >= 1024:
                _PLAIN.clear()
            text = _PLAIN[value] = to_plain(value)
        return text
    if isinstance(value, (date, datetime)):
        return to_plain(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_PLAIN: dict[object, str] = {}


# Made once: json.dumps builds an encoder per call when given options.
_PRETTY = json.JSONEncoder(ensure_ascii=False, indent=2, default=json_default)


def as_dict(draft: Draft) -> dict[str, Any]:
    """The draft as ``--format json`` and a batch's lines write it.

    ``body_unwrapped`` is there only where wrapping changed the body, and
    ``in_reply_to`` and ``references`` only for a reply to a mail: a batch writes
    millions of these, and repeating a body that is the same, or two empty keys,
    cost its readers and writers a tenth of the time.
    """
    data: dict[str, Any] = {
        "scenario": draft.scenario,
        "step": draft.step,
        "lang": draft.lang,
        "channel": draft.channel,
        "audience": draft.audience,
        "to": draft.to,
        "from": draft.sender,
        "subject": draft.subject,
        "body": draft.body,
    }
    if draft.body_unwrapped is not None:
        data["body_unwrapped"] = draft.body_unwrapped
    if draft.in_reply_to is not None or draft.references:
        data["in_reply_to"] = draft.in_reply_to
        data["references"] = draft.references
    data["variables"] = draft.variables  # dates become text when encoded (see json_default)
    return data


def to_text(draft: Draft) -> bytes:
    return draft.body.encode("utf-8")


def to_json(draft: Draft, extra: dict[str, Any] | None = None) -> bytes:
    data = as_dict(draft) | (extra or {})
    return (_PRETTY.encode(data) + "\n").encode("utf-8")


def render_bytes(
    draft: Draft, fmt: str, *, charset: str = "utf-8", eight_bit: bool = False
) -> bytes:
    if fmt == "text":
        return to_text(draft)
    if fmt == "json":
        return to_json(draft)
    if fmt == "eml":
        from claimkit.output.eml import to_eml

        return to_eml(draft, charset=charset, eight_bit=eight_bit)
    raise OutputError(f"--format must be one of: {', '.join(FORMATS)}")
