"""Keeping a reply in the complaint's thread: its subject, In-Reply-To and References."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only its type: a reply to a stored case (claimkit case next) has no mail to read.
    from claimkit.mail.read import Complaint

# Reply and forward markers, repeated: Re:, RE:, Re[2]:, Re^2:, Re：, Fw:, FW:, Fwd:, AW:
# (German Outlook), 転送:, 返信:, full-width letters too. One subject cleans the whole
# chain, as mutt's reply_regexp does before it writes a single "Re: ".
_MARKERS = re.compile(
    r"(?:\s*(?:re|fwd?|aw|転送|返信|ｒｅ|ｆｗｄ?)\s*"
    r"(?:[\[［(（]\s*\d+\s*[\]］)）]|\^\d+)?\s*[:：])+\s*",
    re.IGNORECASE,
)
# Mail clients bound a long References field; Gnus and Thunderbird keep the thread's
# first message (its root) and the latest ones, which is all threading needs.
MAX_REFERENCES = 20
# A message id too long for a header line is not one a client will match.
_MAX_ID = 900

_EMPTY_SUBJECT = {"ja": "お問い合わせの件", "en": "Your message"}


def reply_subject(subject: str, lang: str) -> str:
    """``Re: `` and the complaint's subject without its own chain of Re:/Fw: markers."""
    rest = " ".join(subject.split())
    markers = _MARKERS.match(rest)
    if markers:
        rest = rest[markers.end() :]
    if not rest:
        rest = _EMPTY_SUBJECT["ja" if lang == "ja" else "en"]
    return "Re: " + rest


def threading(complaint: Complaint) -> tuple[str | None, tuple[str, ...]]:
    """The reply's In-Reply-To and References (RFC 5322, 3.6.4).

    In-Reply-To is the complaint's Message-ID; References is the complaint's
    References (or, when it has none, its In-Reply-To) followed by its Message-ID,
    each id once, at most ``MAX_REFERENCES`` of them: the first and the latest.
    """
    chain = list(complaint.references)
    if not chain and complaint.in_reply_to:
        chain.append(complaint.in_reply_to)
    own = (
        complaint.message_id
        if complaint.message_id and len(complaint.message_id) <= _MAX_ID
        else None
    )
    seen: set[str] = {own} if own else set()
    ids: list[str] = []
    for mid in chain:
        if mid not in seen and len(mid) <= _MAX_ID:
            seen.add(mid)
            ids.append(mid)
    if own:
        ids.append(own)
    if len(ids) > MAX_REFERENCES:
        ids = ids[:1] + ids[-(MAX_REFERENCES - 1) :]
    return own, tuple(ids)
