"""The rendered message: what every output format is made from."""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple


class Draft(NamedTuple):
    """One rendered message and what it was made from.

    A NamedTuple, typed and immutable: a frozen dataclass compiles its methods when
    the class is created, about 2 ms of every scripted draft's start-up.
    """

    scenario: str
    step: str
    lang: str
    channel: str  # email, phone, review, ...: from the playbook step
    audience: str  # customer, internal or public
    body: str
    subject: str | None = None
    to: str | None = None
    to_name: str | None = None
    sender: str | None = None
    sender_name: str | None = None
    variables: Mapping[str, Any] = MappingProxyType({})  # the values used, typed
    # Threading (RFC 5322 3.6.4): the message this one answers, and the chain before it.
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    # The body as the template and values made it, where wrapping changed it (see
    # claimkit.pipeline.finish); ``body`` is then the wrapped one every format writes.
    body_unwrapped: str | None = None
    # Set when the Message-ID must be known before the mail is made (a case keeps it).
    message_id: str | None = None

    @property
    def is_mail(self) -> bool:
        return self.channel == "email"
