"""A Draft as an RFC 5322 message, in UTF-8 or ISO-2022-JP, threaded with what it answers.

One way of building a mail for both charsets: Python's ``EmailMessage`` with the
headers Python gets wrong for this made by claimkit.mail.headers (In-Reply-To
and References written raw, a display name every decoder reads back, an
ISO-2022-JP subject, no line over 998 bytes). A character ISO-2022-JP cannot
carry stops the mail with its name and the variable it came from, never altered.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from claimkit.errors import OutputError
from claimkit.mail.headers import (
    RawHeader,
    address_header,
    body_transfer_encoding,
    for_iso2022jp,
    subject_header,
    thread_headers,
)
from claimkit.output.draft import Draft

CHARSETS = ("utf-8", "iso-2022-jp")


def to_eml(
    draft: Draft, *, charset: str = "utf-8", now: datetime | None = None, eight_bit: bool = False
) -> bytes:
    if not draft.is_mail:
        raise OutputError(
            f"step '{draft.step}' of '{draft.scenario}' is a {draft.channel} step, not a mail; "
            "use --format text or json"
        )
    if charset not in CHARSETS:
        raise OutputError(f"--charset must be one of: {', '.join(CHARSETS)}")
    from email import utils
    from email.message import EmailMessage

    when = now or datetime.now().astimezone()
    domain = draft.sender.rpartition("@")[2] if draft.sender else "claimkit.invalid"
    msg = EmailMessage(policy=_remembering_policy())
    jis = charset == "iso-2022-jp"
    if draft.sender:
        name = _checked(draft, draft.sender_name, "the sender name") if jis else draft.sender_name
        msg["From"] = address_header("From", name, draft.sender, charset)
    if draft.to:
        name = _checked(draft, draft.to_name, "the recipient name") if jis else draft.to_name
        msg["To"] = address_header("To", name, draft.to, charset)
    if draft.subject:
        if jis:
            msg["Subject"] = subject_header(_checked(draft, draft.subject, "the subject"), charset)
        else:
            msg["Subject"] = draft.subject
    msg["Date"] = utils.format_datetime(when)
    msg["Message-ID"] = draft.message_id or utils.make_msgid(domain=domain)
    for header in thread_headers(draft.in_reply_to, draft.references):
        msg[header.name] = header
    body = _checked(draft, draft.body, "the body") if jis else draft.body
    cte = body_transfer_encoding(body, charset, eight_bit=eight_bit)
    msg.set_content(body, charset=charset, cte=cte)
    return msg.as_bytes()


def _checked(draft: Draft, text: str | None, where: str) -> str:
    """``text`` as ISO-2022-JP carries it; an error names the variable a character it
    cannot carry came from (or else the part of the message)."""
    if not text:
        return ""
    try:
        return for_iso2022jp(text, where)
    except OutputError:
        for ch in text:
            try:
                for_iso2022jp(ch, where)
            except OutputError:
                return for_iso2022jp(text, _origin(draft, ch, where))
        raise


def _origin(draft: Draft, ch: str, where: str) -> str:
    for name, value in draft.variables.items():
        if isinstance(value, str) and ch in value:
            return name
    return where


@functools.cache
def _remembering_policy() -> Any:
    """``email.policy.default``, remembering each header it makes and folds.

    Parsing a header into its object and folding it into its line are most of
    writing a mail (a few hundred microseconds each, in the standard library's
    parser), and a batch's mails share most of their headers: From, the subject,
    the date within a second, the MIME lines. A header object is immutable and
    depends only on its name and value; its folded line on those and the policy's
    line settings: those are the keys.
    """
    from email.headerregistry import Address
    from email.policy import EmailPolicy

    class RememberingPolicy(EmailPolicy):
        def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
            key: tuple[object, ...]
            if value.__class__ is str:
                key = ("store", name, value)
            elif value.__class__ is Address:
                key = ("store", name, Address, value.display_name, value.addr_spec)
            elif value.__class__ is RawHeader:
                key = ("store", name, RawHeader, value.lines)
            else:
                return super().header_store_parse(name, value)
            found = _REMEMBERED.get(key)
            if found is None:
                found = _keep(key, super().header_store_parse(name, value))
            return found  # type: ignore[no-any-return]

        def fold_binary(self, name: str, value: str) -> bytes:
            line = (self.linesep, self.max_line_length, self.utf8, self.cte_type)
            key = ("fold", name, value.__class__, str(value), *line)
            found = _REMEMBERED.get(key)
            if found is None:
                found = _keep(key, super().fold_binary(name, value))
            return found  # type: ignore[no-any-return]

    return RememberingPolicy()


def _keep(key: tuple[object, ...], made: Any) -> Any:
    if len(_REMEMBERED) >= 1024:
        _REMEMBERED.clear()  # the recipients and message ids differ, mail by mail
    _REMEMBERED[key] = made
    return made


_REMEMBERED: dict[tuple[object, ...], Any] = {}
