"""Reading the complaint mail a reply answers: who wrote, where to answer, what they said.

``read_complaint`` takes the bytes of an RFC 5322 message (an ``.eml`` file, or
what mutt and aerc pipe) and gives a ``Complaint``. Anything that is not a mail,
or a part that cannot be read in its charset, is a one-line ``InputError``.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
import functools
import re
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from claimkit.errors import InputError
from claimkit.files import MiB, read_bytes, source_name
from claimkit.mail.charsets import decode_header, decode_text

if TYPE_CHECKING:
    from email.message import Message
    from email.policy import Compat32

LIMIT = 25 * MiB  # the largest mail most providers accept; a complaint is far smaller


class Complaint(NamedTuple):
    """A complaint mail, read.

    ``text`` is what the customer wrote in this mail (quoted history and signature
    left out); ``body`` is the whole text part, decoded (an HTML part as the text it
    shows), with ``\n`` line ends. Message-IDs keep their angle brackets, as they are
    written in headers.
    """

    address: str  # where the reply goes: Reply-To, else From
    name: str | None  # the display name there (None when the header has none)
    subject: str  # decoded; "" when the mail has none
    received: datetime | None  # the Date header in the time zone asked for; None if absent/invalid
    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]  # oldest first, as in the header
    text: str
    body: str
    content_type: str  # the part the text came from: text/plain or text/html
    charset: str  # as declared by that part ("" when it declares none)


def load_complaint(path: str | Path, *, tz: tzinfo, stdin: BinaryIO | None = None) -> Complaint:
    """Read the mail at ``path`` (``-`` is stdin), at most ``LIMIT`` bytes, as a Complaint."""
    data = read_bytes(path, limit=LIMIT, stdin=stdin, kind="mail file")
    return read_complaint(data, source_name(path), tz=tz)


def read_complaint(data: bytes, where: str, *, tz: tzinfo) -> Complaint:
    """The complaint in ``data``, the bytes of one RFC 5322 message (see the module)."""
    if len(data) > LIMIT:
        raise InputError(
            f"larger than {LIMIT // MiB} MiB, more than a complaint mail can be; "
            "save the mail without its attachments and try again",
            where=where,
        )
    _check_looks_like_mail(data, where)
    msg = _parse(data)
    part = _text_part(msg, where)
    charset = part.get_content_charset() or ""
    if not charset and part.get_content_type() == "text/html":
        charset = _meta_charset(part)
    content_type = part.get_content_type()
    what = f"the {content_type} part" if msg.is_multipart() else "the text of the mail"
    payload = part.get_payload(decode=True)
    raw = payload if isinstance(payload, bytes) else b""
    body = decode_text(raw, charset, what, where).replace("\r\n", "\n").replace("\r", "\n")
    if content_type == "text/html":
        from claimkit.mail.htmltext import html_to_text

        body = html_to_text(body)
    from claimkit.mail.history import own_words

    def header(name: str) -> str | None:
        value = msg.get(name)
        if value is None:
            return None
        return decode_header(str(value), f"the {name} header", where, fallback=charset or None)

    name, address = _answer_to(msg, where, charset)
    return Complaint(
        address=address,
        name=name,
        subject=header("Subject") or "",
        received=_date(msg.get("Date"), tz),
        message_id=_first_id(msg.get("Message-ID")),
        in_reply_to=_first_id(msg.get("In-Reply-To")),
        references=tuple(_IDS.findall(_raw(msg.get("References")))),
        text=own_words(body),
        body=body,
        content_type=content_type,
        charset=charset,
    )


def _parse(data: bytes) -> "Message":
    from email import message_from_bytes

    return message_from_bytes(data, policy=_raw_policy())


@functools.cache
def _raw_policy() -> "Compat32":
    from email.policy import Compat32

    class Raw(Compat32):
        """compat32, with each header given as it came: 8-bit bytes kept (as surrogate
        escapes) for claimkit's own decoding, where compat32 replaces them with U+FFFD."""

        def header_fetch_parse(self, name: str, value: str) -> str:
            return value

    return Raw()


# --- is it a mail? -------------------------------------------------------------------------------

_FIELD = re.compile(rb"[!-9;-~]{1,76}[ \t]*:")


def _check_looks_like_mail(data: bytes, where: str) -> None:
    if not data.strip():
        raise InputError(
            "is empty; expected a mail (an .eml file, or a message piped in)", where=where
        )
    head = data.lstrip(b"\r\n")
    if head.startswith(b"From "):  # an mbox "From " line, as mutt's pipe-message may send
        head = head.split(b"\n", 1)[1] if b"\n" in head else b""
    header_end = re.search(rb"\r?\n\r?\n", head)
    headers = head[: header_end.start()] if header_end else head
    if b"\x00" in headers or not _FIELD.match(headers):
        raise InputError(
            "is not a mail: it does not start with header lines such as 'From:'; "
            "save the message as .eml (or pipe the raw message) and try again",
            where=where,
        )
    if not re.search(rb"(?im)^(from|sender|reply-to)[ \t]*:", headers):
        raise InputError(
            "has no From header, so it is not a mail to reply to; "
            "save the message as .eml with its headers and try again",
            where=where,
        )


# --- the text part -------------------------------------------------------------------------------


def _text_part(msg: "Message", where: str) -> "Message":
    """The part a mail client shows as the message: text/plain first, else text/html."""
    plain: Message | None = None
    html: Message | None = None
    attached: list[str] = []
    for part in _body_candidates(msg):
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()
        if disposition == "attachment" or (
            disposition is None and part.get_filename() and ctype not in ("text/plain", "text/html")
        ):
            attached.append(part.get_filename() or ctype)
            continue
        if ctype == "text/plain" and plain is None:
            plain = part
        elif ctype == "text/html" and html is None:
            html = part
        elif not ctype.startswith(("multipart/", "text/")):
            attached.append(part.get_filename() or ctype)
    found = plain or html
    if found is None:
        # names as the mail gives them, 8-bit bytes shown, not passed on as surrogates
        shown = [
            n.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            for n in attached
        ]
        listed = ", ".join(shown[:3]) + (", ..." if len(shown) > 3 else "")
        raise InputError(
            "has no text to reply to"
            + (f", only attachments ({listed})" if attached else "")
            + "; open it in a mail client and reply to what the customer wrote",
            where=where,
        )
    return found


def _body_candidates(msg: "Message") -> list["Message"]:
    """The leaves of the message, a forwarded message (message/rfc822) left whole."""
    out: list[Message] = []

    def walk(part: "Message") -> None:
        if part.get_content_maintype() == "message":
            out.append(part)  # a forwarded mail is context, not the customer's text
        elif part.is_multipart():
            payload = part.get_payload()
            for sub in payload if isinstance(payload, list) else []:
                if not isinstance(sub, str):
                    walk(sub)
        else:
            out.append(part)

    walk(msg)
    return out


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def _meta_charset(part: "Message") -> str:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        m = _META_CHARSET.search(payload[:4096])
        if m:
            return m.group(1).decode("ascii")
    return ""


# --- headers -------------------------------------------------------------------------------------

# A message id is printable ASCII in angle brackets; anything else no client would match.
_IDS = re.compile(r"<[!-;=?-~]+>")


def _raw(value: object) -> str:
    return "" if value is None else str(value)


def _first_id(value: object) -> str | None:
    text = _raw(value)
    m = _IDS.search(text)
    if m:
        return m.group()
    bare = text.strip()
    # a client that left out the brackets still named the message
    return f"<{bare}>" if _IDS.fullmatch(f"<{bare}>") and "@" in bare else None


def _answer_to(msg: "Message", where: str, charset: str) -> tuple[str | None, str]:
    """The customer's name and the address to answer.

    The address is Reply-To's, else From's (else Sender's). The name is the one beside
    it, else From's: a Reply-To naming a shared mailbox still answers the person who
    wrote.
    """
    found: dict[str, tuple[str | None, str]] = {}
    for field in ("Reply-To", "From", "Sender"):
        for raw_name, address in _addresses(msg, field):
            name = None
            if raw_name:
                what = f"the {field} header"
                name = decode_header(raw_name, what, where, fallback=charset or None)
                name = name.strip("\"' ") or None
            found[field] = (name if name != address else None, address)
            break
    for field in ("Reply-To", "From", "Sender"):
        if field in found:
            name, address = found[field]
            return name or found.get("From", (None, ""))[0], address
    raise InputError(
        "names no address to answer (no Reply-To or From with an address); "
        "give the customer's address with --set customer_email=...",
        where=where,
    )


def _addresses(msg: "Message", field: str) -> list[tuple[str, str]]:
    from email.utils import getaddresses

    values = msg.get_all(field) or []
    # An address to write a reply to: plain ASCII (an internationalized one would need
    # SMTPUTF8 all the way, which claimkit's mail does not ask for).
    return [
        (n, a)
        for n, a in getaddresses([_raw(v) for v in values])
        if "@" in a and a.isascii() and a.isprintable() and " " not in a
    ]


def _date(value: object, tz: tzinfo) -> datetime | None:
    from email.utils import parsedate_to_datetime

    if value is None:
        return None
    try:
        when = parsedate_to_datetime(str(value).strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:  # "-0000": the time is UTC, the sender's zone unknown
        when = when.replace(tzinfo=UTC)
    return when.astimezone(tz)
