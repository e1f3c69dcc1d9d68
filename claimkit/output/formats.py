"""A Draft as the bytes a user asked for: plain text, JSON or an RFC 5322 message."""

from __future__ import annotations

import functools
import json
from datetime import date, datetime
from typing import Any

from claimkit.errors import OutputError
from claimkit.output.draft import Draft
from claimkit.values.dates import to_plain

FORMATS = ("text", "json", "eml")
CHARSETS = ("utf-8", "iso-2022-jp")

# Characters Windows (CP932) and Python's ISO-2022-JP codec map differently although
# they are the same JIS character; anything else unencodable is refused, not altered.
_JIS_SAME = str.maketrans(
    {"～": "〜", "－": "−", "∥": "‖", "￠": "¢", "￡": "£", "￢": "¬", "—": "―"}
)


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
    return {
        "scenario": draft.scenario,
        "step": draft.step,
        "lang": draft.lang,
        "channel": draft.channel,
        "audience": draft.audience,
        "to": draft.to,
        "from": draft.sender,
        "subject": draft.subject,
        "body": draft.body,
        "variables": draft.variables,  # dates become text when encoded (see json_default)
    }


def to_text(draft: Draft) -> bytes:
    return draft.body.encode("utf-8")


def to_json(draft: Draft, extra: dict[str, Any] | None = None) -> bytes:
    data = as_dict(draft) | (extra or {})
    return (_PRETTY.encode(data) + "\n").encode("utf-8")


def to_eml(draft: Draft, *, charset: str = "utf-8", now: datetime | None = None) -> bytes:
    if not draft.is_mail:
        raise OutputError(
            f"step '{draft.step}' of '{draft.scenario}' is a {draft.channel} step, not a mail; "
            "use --format text or json"
        )
    if charset not in CHARSETS:
        raise OutputError(f"--charset must be one of: {', '.join(CHARSETS)}")
    from email import utils

    when = now or datetime.now().astimezone()
    domain = draft.sender.rpartition("@")[2] if draft.sender else "claimkit.invalid"
    headers = {
        "Date": utils.format_datetime(when),
        "Message-ID": utils.make_msgid(domain=domain),
    }
    if charset == "utf-8":
        return _eml_utf8(draft, headers)
    return _eml_jis(draft, headers)


def _eml_utf8(draft: Draft, headers: dict[str, str]) -> bytes:
    from email.headerregistry import Address
    from email.message import EmailMessage

    msg = EmailMessage(policy=_remembering_policy())
    if draft.sender:
        msg["From"] = Address(draft.sender_name or "", addr_spec=draft.sender)
    if draft.to:
        msg["To"] = Address(draft.to_name or "", addr_spec=draft.to)
    if draft.subject:
        msg["Subject"] = draft.subject
    for name, value in headers.items():
        msg[name] = value
    # base64 survives every relay; 8bit would need 8BITMIME all the way. Plain ASCII goes
    # as it is, unless a line is past the 998 bytes RFC 5322 allows.
    if not draft.body.isascii():
        cte = "base64"
    else:
        cte = "7bit" if _longest_line(draft.body) <= MAX_LINE else "quoted-printable"
    msg.set_content(draft.body, charset="utf-8", cte=cte)
    return msg.as_bytes()


MAX_LINE = 998  # bytes in a line of a mail, RFC 5322 2.1.1


def _longest_line(text: str | bytes) -> int:
    lines = text.split("\n") if isinstance(text, str) else text.split(b"\n")
    return max(map(len, lines))


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
            else:
                return super().header_store_parse(name, value)
            found = _REMEMBERED.get(key)
            if found is None:
                found = _keep(key, super().header_store_parse(name, value))
            return found  # type: ignore[no-any-return]

        def fold_binary(self, name: str, value: str) -> bytes:
            line = (self.linesep, self.max_line_length, self.utf8, self.cte_type)
            key = ("fold", name, str(value), *line)
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


def _eml_jis(draft: Draft, headers: dict[str, str]) -> bytes:
    from email.header import Header
    from email.mime.text import MIMEText
    from email.utils import formataddr

    charset = "iso-2022-jp"

    def jis(text: str, where: str) -> str:
        text = text.translate(_JIS_SAME)
        for ch in text:
            try:
                ch.encode("iso2022_jp")
            except UnicodeEncodeError:
                raise OutputError(
                    f"{_origin(draft, ch, where)}: the character '{ch}' (U+{ord(ch):04X}) "
                    "cannot be written in ISO-2022-JP; use --charset utf-8 (the default)"
                ) from None
        return text

    from email.charset import BASE64, Charset

    body = jis(draft.body, "the body")
    # ISO-2022-JP travels as 7bit, unless a line would be past 998 bytes: then base64.
    encoding = Charset(charset)
    if _longest_line(body.encode("iso2022_jp")) > MAX_LINE:
        encoding.body_encoding = BASE64
    msg = MIMEText(body, "plain", encoding)  # type: ignore[arg-type]
    if draft.sender:
        name = jis(draft.sender_name or "", "the sender name")
        msg["From"] = formataddr((name, draft.sender), charset=charset)
    if draft.to:
        name = jis(draft.to_name or "", "the recipient name")
        msg["To"] = formataddr((name, draft.to), charset=charset)
    if draft.subject:
        # A Header object is how the compat32 API encodes a non-UTF-8 subject.
        msg["Subject"] = Header(jis(draft.subject, "the subject"), charset)  # type: ignore[assignment]
    for header, value in headers.items():
        msg[header] = value
    return msg.as_bytes()


def _origin(draft: Draft, ch: str, where: str) -> str:
    """Name the variable the character came from, or else the part of the message."""
    for name, value in draft.variables.items():
        if isinstance(value, str) and ch in value:
            return name
    return where


def render_bytes(draft: Draft, fmt: str, *, charset: str = "utf-8") -> bytes:
    if fmt == "text":
        return to_text(draft)
    if fmt == "json":
        return to_json(draft)
    if fmt == "eml":
        return to_eml(draft, charset=charset)
    raise OutputError(f"--format must be one of: {', '.join(FORMATS)}")
