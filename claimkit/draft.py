"""The rendered message: what every output format is made from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Draft:
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
    variables: Mapping[str, Any] = field(default_factory=dict)  # the values used, typed

    @property
    def is_mail(self) -> bool:
        return self.channel == "email"
