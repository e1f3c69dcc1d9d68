"""What the eml writer needs so that a reply threads, and names and bodies arrive intact.

Four things Python's ``email`` gets wrong for this, each with the function that
does it instead:

- ``thread_headers``: In-Reply-To and References written raw. Python 3.11's
  ``policy.default`` RFC 2047-encodes a header whose line runs long, and an
  encoded References means nothing to Outlook's threading.
- ``address_header``: a display name in one encoded-word. Decoders disagree about
  the space between two encoded-words in a name (RFC 2047 drops it, Python's
  ``policy.default`` keeps it), so ``policy.default``'s own folding of a long name
  (``株式会社北斗電機システムズ 中村 健``) reads back as ``… 中 村 健`` in one of them.
  A single encoded-word reads back the same in every decoder; it may run past
  RFC 2047's 75 characters, which the decoders in use (Python's, Thunderbird's,
  Outlook's, Gmail's) all accept, and which Python's own ISO-2022-JP ``Header``
  already writes.
- ``for_iso2022jp``: text checked for ISO-2022-JP. The characters Windows maps
  differently from JIS (～, －, ∥, ￠, ￡, ￢, —) are carried: each is written as the
  one JIS code it has, the very bytes Outlook writes for it; everything else the
  charset cannot carry (①, ㈱, 髙, half-width kana, emoji) stops with its name.
- ``body_transfer_encoding``: never a line over 998 bytes in 7bit.
- ``subject_header``: an ISO-2022-JP subject on an ``EmailMessage`` (whose policy
  would write it in UTF-8), so that one way of building a mail serves both charsets.

A ``RawHeader`` is set like any value (``msg[h.name] = h``), on an ``EmailMessage``
with a ``policy.default``-based policy and on a compat32 ``Message`` alike; both
write it exactly as it was made.
"""

# No `from __future__ import annotations`: NamedTuple would compile each field's
# annotation text into a ForwardRef.
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from claimkit.errors import OutputError

if TYPE_CHECKING:
    from email.policy import Policy

# RFC 5322: lines should be at most 78 characters and must be at most 998.
_SHOULD = 78
_MUST = 998
_MSG_ID = re.compile(r"<[!-;=?-~]+>")
_ADDR = re.compile(r"[!-;=?-~]+@[!-;=?-~]+")
# Windows (CP932) and JIS map these to different code points although they are one
# JIS character; the JIS one is what Python's ISO-2022-JP codec writes, to the same bytes.
_JIS_SAME = str.maketrans(
    {"～": "〜", "－": "−", "∥": "‖", "￠": "¢", "￡": "£", "￢": "¬", "—": "―"}
)


class RawHeader(NamedTuple):
    """A header as made here: encoded and folded, written by ``email`` as it is."""

    name: str
    lines: tuple[str, ...]  # the value's first line, then each continuation line (" ...")

    def fold(self, *, policy: "Policy") -> str:
        """The header as ``email.policy.EmailPolicy`` writes a header object."""
        return f"{self.name}: " + policy.linesep.join(self.lines) + policy.linesep

    def encode(
        self, linesep: str = "\n", maxlinelen: int | None = None, splitchars: str = ""
    ) -> str:
        """The value as ``email.policy.compat32`` writes a ``Header``."""
        return linesep.join(self.lines)


def thread_headers(in_reply_to: str | None, references: Sequence[str]) -> list[RawHeader]:
    """In-Reply-To and References (see ``claimkit.mail.thread.threading``), raw.

    References is folded only between ids, at 78 characters where the ids allow it;
    an id that is not ``<printable ASCII>`` is left out: no client could match it.
    """
    out: list[RawHeader] = []
    if in_reply_to and _usable(in_reply_to):
        out.append(RawHeader(name="In-Reply-To", lines=(in_reply_to,)))
    ids = [mid for mid in references if _usable(mid)]
    if ids:
        out.append(RawHeader(name="References", lines=_fold_words("References", ids)))
    return out


def _usable(mid: str) -> bool:
    return bool(_MSG_ID.fullmatch(mid)) and len(mid) < _MUST - len("In-Reply-To: ")


def _fold_words(name: str, words: list[str]) -> tuple[str, ...]:
    lines = [words[0]]
    used = len(name) + 2 + len(words[0])
    for word in words[1:]:
        if used + 1 + len(word) <= _SHOULD:
            lines[-1] += " " + word
            used += 1 + len(word)
        else:
            lines.append(" " + word)
            used = 1 + len(word)
    return tuple(lines)


def address_header(name: str, display_name: str | None, address: str, charset: str) -> RawHeader:
    """``name: display name <address>``, the name written so that every decoder reads it back.

    ``charset`` is ``"utf-8"`` or ``"iso-2022-jp"``. A name in plain ASCII is written
    as it is (quoted when it must be); any other is one base64 encoded-word.
    """
    if not _ADDR.fullmatch(address):
        raise OutputError(
            f"the address {address!r} cannot be written in a mail header; "
            "give a plain address such as name@example.com"
        )
    if not display_name:
        return RawHeader(name=name, lines=(address,))
    if any(unicodedata.category(ch) == "Cc" for ch in display_name):
        raise OutputError(
            f"the name for {address} holds a control character or line break; remove it"
        )
    if display_name.isascii():
        from email.utils import formataddr

        phrase = formataddr((display_name, "x@x")).removesuffix(" <x@x>")
        words = [*phrase.split(" "), f"<{address}>"]
        return RawHeader(name=name, lines=_fold_words(name, words))
    if charset == "iso-2022-jp":
        data = for_iso2022jp(display_name, f"the name for {address}").encode("iso2022_jp")
    else:
        data = display_name.encode("utf-8")
    import base64

    word = f"=?{charset}?b?{base64.b64encode(data).decode('ascii')}?="
    if 1 + len(word) > _MUST:
        raise OutputError(
            f"the name for {address} is {len(display_name)} characters, too long for a "
            "mail header; shorten it"
        )
    first = len(name) + 2 + len(word)
    if first <= _SHOULD:
        lines = [word]
    else:
        lines = ["", " " + word]  # the word alone on its line, as Python's Header puts it
        first = 1 + len(word)
    if first + 2 + len(address) + 1 <= _SHOULD:
        lines[-1] += f" <{address}>"
    else:
        lines.append(f" <{address}>")
    return RawHeader(name=name, lines=tuple(lines))


def subject_header(subject: str, charset: str) -> RawHeader:
    """The Subject, folded within 78 characters, read back alike by every decoder.

    Plain ASCII is folded at its spaces. Anything else is written as encoded-words
    of whole characters, each of at most 75 characters (RFC 2047) and each complete
    in itself (an ISO-2022-JP word returns to ASCII), one to a line: in a subject,
    unlike a name, every decoder drops the space between two of them. Needed for an
    ISO-2022-JP subject on an ``EmailMessage``, whose policy would write it in UTF-8.
    """
    if any(unicodedata.category(ch) == "Cc" for ch in subject):
        raise OutputError("the subject holds a control character or line break; remove it")
    if subject.isascii():
        words = re.findall(r" *[^ ]+| +$", subject) or [""]
        lines = [words[0]]
        used = len("Subject: ") + len(words[0])
        for word in words[1:]:
            if used + len(word) <= _SHOULD or not word.startswith(" "):
                lines[-1] += word
                used += len(word)
            else:
                lines.append(word)
                used = len(word)
        return RawHeader(name="Subject", lines=tuple(lines))
    if charset == "iso-2022-jp":
        subject = for_iso2022jp(subject, "the subject")
    import base64

    def encoded(text: str) -> str:
        data = text.encode("iso2022_jp" if charset == "iso-2022-jp" else "utf-8")
        return f"=?{charset}?b?{base64.b64encode(data).decode('ascii')}?="

    lines = []
    room = _SHOULD - len("Subject: ")
    start = 0
    while start < len(subject):
        end = start + 1
        while end < len(subject) and len(encoded(subject[start : end + 1])) <= min(room, 75):
            end += 1
        lines.append(("" if not lines else " ") + encoded(subject[start:end]))
        start = end
        room = _SHOULD - 1
    return RawHeader(name="Subject", lines=tuple(lines))


def for_iso2022jp(text: str, what: str) -> str:
    """``text`` as Python's ISO-2022-JP codec can write it, or an OutputError naming the
    first character it cannot (and ``what`` it is in: the body, the sender name...).

    ～ (U+FF5E) and the other characters Windows maps apart from JIS are given their
    JIS form (～ becomes 〜 U+301C): the same JIS code, written as the same bytes, that
    Outlook writes for ～, read back as ～ by Windows and claimkit and as 〜 by decoders
    that follow JIS. Nothing else is changed.
    """
    text = text.translate(_JIS_SAME)
    try:
        text.encode("iso2022_jp")
    except UnicodeEncodeError as e:
        ch = text[e.start]
        label = unicodedata.name(ch, "").lower() or "a control character"
        raise OutputError(
            f"{what}: the character {ch!r} ({label}, U+{ord(ch):04X}) cannot be written in "
            "ISO-2022-JP; use --charset utf-8 (the default), or write it another way"
        ) from None
    return text


def body_transfer_encoding(body: str, charset: str, *, eight_bit: bool = False) -> str:
    """The Content-Transfer-Encoding for ``body`` in ``charset`` (``utf-8`` or ``iso-2022-jp``).

    7bit where every line fits in 998 bytes (ISO-2022-JP mail is expected in 7bit);
    otherwise base64, or quoted-printable for plain ASCII, which stays readable. A
    UTF-8 body that is not ASCII is base64, which survives every relay; with
    ``eight_bit``, 8bit where its lines fit: a draft a mail client opens (aerc 0.14
    recalls a base64 draft with an empty body).
    """
    if charset == "iso-2022-jp":
        # measured as written; a character for_iso2022jp would refuse changes no length
        data = body.translate(_JIS_SAME).encode("iso2022_jp", "replace")
        return "7bit" if _fits(data) else "base64"
    if body.isascii():
        return "7bit" if _fits(body.encode("ascii")) else "quoted-printable"
    return "8bit" if eight_bit and _fits(body.encode("utf-8")) else "base64"


def _fits(data: bytes) -> bool:
    return all(len(line) <= _MUST for line in data.splitlines())
