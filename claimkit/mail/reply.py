"""A draft that answers a complaint mail: what it takes from the mail, and how it replies.

``load_reply`` reads the complaint (claimkit.mail.read) in the time zone of the
user's profile and gives a ``Reply``: the complaint, the values a draft takes
from it (claimkit.values.complaint, the ``mail`` layer of
claimkit.values.resolve.Sources, below the data file and ``--set``), and
whether the reply quotes it. ``answered`` turns a
rendered mail into the reply, where its playbook step answers the complaint
(``thread: reply``): ``Re:`` and the complaint's subject, In-Reply-To and
References, and the customer's words quoted below the reply.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
import re
from collections.abc import Mapping
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from claimkit.mail.read import Complaint, load_complaint
from claimkit.output.draft import Draft

if TYPE_CHECKING:
    from claimkit.content.playbook import Step

# What no mail or terminal should get from a customer's text: C0 and C1 controls
# (tab and line feed excepted) and lone surrogates. A complaint is the customer's;
# the agent cannot fix it, so they are dropped rather than refused.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_PARAGRAPH_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})


class Reply(NamedTuple):
    """A complaint a draft answers."""

    complaint: Complaint  # its name and words free of control characters
    where: str  # the file it was read from ("<stdin>"), as errors name it
    values: Mapping[str, Any]  # what the draft takes from it, by variable name
    quote: bool = True  # quote the customer's words below the reply


def load_reply(
    path: str | Path,
    *,
    profile: Mapping[str, Any],
    profile_name: str = "profile",
    quote: bool = True,
    stdin: BinaryIO | None = None,
) -> Reply:
    """The complaint at ``path`` (``-``: stdin), its times in the profile's time zone.

    A file that is not a mail, or cannot be read in its charset, is an InputError
    naming it.
    """
    where = "<stdin>" if str(path) == "-" else str(path)
    complaint = cleaned(load_complaint(path, tz=_zone(profile, profile_name), stdin=stdin))
    from claimkit.values.complaint import complaint_values

    values = complaint_values(complaint)
    return Reply(complaint=complaint, where=where, values=values, quote=quote)


def _zone(profile: Mapping[str, Any], where: str) -> tzinfo:
    from claimkit.values.business import profile_zone

    return profile_zone(profile, where=where)


def cleaned(complaint: Complaint) -> Complaint:
    """The complaint with no control character in its name, subject or words."""
    name = None
    if complaint.name:
        name = " ".join(_CONTROL.sub(" ", complaint.name).split()) or None
    subject = " ".join(_CONTROL.sub(" ", complaint.subject).split())
    text = _CONTROL.sub("", complaint.text.translate(_PARAGRAPH_BREAKS))
    return complaint._replace(name=name, subject=subject, text=text)


def answers(step: "Step") -> bool:
    """Whether the step's mail is a reply to the complaint (see docs/playbooks.md)."""
    return step.thread == "reply" and step.channel == "email"


def answered(draft: Draft, step: "Step", reply: Reply) -> Draft:
    """The draft as a reply to the complaint, where the step answers it; else as it is."""
    if not answers(step):
        return draft
    from claimkit.mail.quote import quoted_below, quoted_reply
    from claimkit.mail.thread import reply_subject, threading

    complaint = reply.complaint
    in_reply_to, references = threading(complaint)
    body = draft.body
    if reply.quote and complaint.text.strip():
        body = quoted_below(body, quoted_reply(complaint, draft.lang))
    return draft._replace(
        subject=reply_subject(complaint.subject, draft.lang),
        body=body,
        in_reply_to=in_reply_to,
        references=references,
    )
