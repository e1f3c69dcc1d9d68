"""The values a complaint mail gives the messages that answer it.

One mapping, shared by every command that starts from a complaint (``claimkit
case open --reply-to``, and ``claimkit draft --reply-to``): it sits between the
profile and ``--data`` in the order values come from, so a data file or
``--set`` can still correct a name the mail spelt oddly.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimkit.mail.read import Complaint


def complaint_values(complaint: Complaint) -> dict[str, str | datetime]:
    """Who wrote and where the answer goes: ``customer_name`` (when the From or
    Reply-To header has a display name) and ``customer_email``; what they wrote,
    ``customer_words`` (their quoted history and signature left out); ``received_at``,
    when the mail is dated, as the wall-clock time of the zone it was read in (a
    scenario's report says when the complaint arrived). A scenario uses those it
    declares; the others are no mistake of the user's."""
    values: dict[str, str | datetime] = {"customer_email": complaint.address}
    name = " ".join((complaint.name or "").split())
    if name and name != complaint.address:
        values["customer_name"] = name
    if complaint.text.strip():
        values["customer_words"] = complaint.text
    if complaint.received is not None:
        values["received_at"] = complaint.received.replace(tzinfo=None, second=0)
    return values
