"""Text out of the bytes of a mail, in the charsets Japanese mail is really written in.

The Japanese charsets are read with the repertoire and mapping of Windows (CP932),
because Windows clients write most of that mail: Outlook's ISO-2022-JP carries ①, ㈱
and the NEC and IBM rows (CP50220), and mail labelled Shift_JIS is CP932. No Python
codec reads CP50220; here every JIS X 0208 pair is read through CP932, which holds
those rows at the same places, so ① and 髙 come back, and JIS 1-33 reads as ～
(U+FF5E), as the sender on Windows typed it. EUC-JP is read the same way.

Nothing is guessed into mojibake: bytes that are not what their charset says stop
with a one-line error naming the part, except that 8-bit text declared ASCII (or
not declared) is read as UTF-8 when it is valid UTF-8, which random bytes never are.
"""

from __future__ import annotations

import binascii
import codecs
import re

from claimkit.errors import InputError

_JIS = frozenset(
    {
        "iso-2022-jp",
        "iso2022-jp",
        "iso2022jp",
        "csiso2022jp",
        "iso-2022-jp-1",
        "iso-2022-jp-2",
        "iso-2022-jp-3",
        "iso-2022-jp-2004",
        "iso-2022-jp-ms",
        "x-iso-2022-jp",
        "cp50220",
        "cp50221",
        "cp50222",
    }
)
_SJIS = frozenset(
    {
        "shift_jis",
        "shift-jis",
        "sjis",
        "x-sjis",
        "s-jis",
        "ms_kanji",
        "csshiftjis",
        "windows-31j",
        "cswindows31j",
        "cp932",
        "ms932",
        "x-ms-cp932",
    }
)
_EUC = frozenset({"euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese", "eucjp-ms", "cp51932"})
_ASCII = frozenset({"us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "646"})


class _Bad(ValueError):
    """Bytes that are not what their charset says, at ``offset`` within the part."""

    def __init__(self, offset: int, detail: str = "") -> None:
        super().__init__(offset)
        self.offset = offset
        self.detail = detail


def decode_text(data: bytes, charset: str | None, what: str, where: str) -> str:
    """``data`` as text in ``charset`` (a MIME label), or a one-line InputError naming ``what``."""
    label = (charset or "").strip().strip("\"'").lower()
    shown = (charset or "").encode("ascii", "backslashreplace").decode("ascii")
    try:
        return _decode(data, label)
    except LookupError:
        raise InputError(
            f"{what} is in the charset {shown!r}, which claimkit does not know; "
            "save the mail as UTF-8 (or forward it from your mail client) and try again",
            where=where,
        ) from None
    except _Bad as bad:
        name = shown or "plain ASCII (no charset declared)"
        detail = f" ({bad.detail})" if bad.detail else ""
        raise InputError(
            f"{what} is not valid {name}: it cannot be read from byte {bad.offset} on{detail}; "
            "the mail is damaged or mislabelled: save it again from the mail client",
            where=where,
        ) from None


def _decode(data: bytes, label: str) -> str:
    if label in _JIS:
        return _decode_jis(data)
    if label in _SJIS:
        return _strict(data, "cp932")
    if label in _EUC:
        return _decode_euc(data)
    if label in _ASCII or label == "":
        if data.isascii():
            # Old Japanese mailers sent ISO-2022-JP undeclared or declared as ASCII.
            return _decode_jis(data) if b"\x1b$" in data else data.decode("ascii")
        return _strict(data, "utf-8").removeprefix("\ufeff")
    if label in ("utf-8", "utf8", "x-utf-8"):
        return _strict(data, "utf-8").removeprefix("\ufeff")
    if not label.isascii():
        raise LookupError(label)
    codec = codecs.lookup(label).name
    if codec in ("utf-16", "utf-32", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        return _strict(data, codec).removeprefix("\ufeff")
    return _strict(data, codec)


def _strict(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise _Bad(e.start) from None


# --- ISO-2022-JP as Outlook writes it (CP50220/CP50221/CP50222) -------------------------------

_ESCAPE = re.compile(rb"\x1b(\$[@B]|\$\(D|\([BJI]|&@)|\x0e|\x0f")
_NEWLINE = re.compile(rb"(\r\n|\r|\n)")


def _decode_jis(data: bytes) -> str:
    out: list[str] = []
    mode = b"(B"
    pos = 0
    for esc in [*_ESCAPE.finditer(data), None]:
        end = esc.start() if esc else len(data)
        if end > pos:
            out.append(_jis_segment(data[pos:end], mode, pos))
        if esc is None:
            break
        pos = esc.end()
        shift = esc.group(1)
        if shift == b"&@":
            continue  # announces JIS X 0208-1990, which the ESC $ B after it selects
        mode = shift if shift is not None else (b"(I" if esc.group() == b"\x0e" else b"(B")
    return "".join(out)


def _jis_segment(seg: bytes, mode: bytes, offset: int) -> str:
    bad = re.search(rb"[\x1b\x80-\xff]", seg)
    if bad:
        what = "an unknown escape sequence" if seg[bad.start()] == 0x1B else "an 8-bit byte"
        raise _Bad(offset + bad.start(), f"{what} in ISO-2022-JP")
    if mode == b"(B":
        return seg.decode("ascii")
    if mode == b"(J":
        return seg.decode("ascii").translate({0x5C: "¥", 0x7E: "‾"})
    if mode == b"(I":
        return "".join(_kana(b, offset + i) for i, b in enumerate(seg))
    # Two-byte text: a client that does not return to ASCII before a line break is
    # still read, the line break kept and the pairs counted again after it.
    out: list[str] = []
    start = 0
    for piece in _NEWLINE.split(seg):
        if piece and piece[0] in b"\r\n":
            out.append(piece.decode("ascii"))
        elif piece:
            out.append(_pairs(piece, mode, offset + start))
        start += len(piece)
    return "".join(out)


def _kana(b: int, offset: int) -> str:
    if 0x21 <= b <= 0x5F:
        return chr(0xFF61 + b - 0x21)
    if b in b"\r\n":
        return chr(b)
    raise _Bad(offset, "not a half-width kana")


def _pairs(seg: bytes, mode: bytes, offset: int) -> str:
    if len(seg) % 2:
        raise _Bad(offset + len(seg) - 1, "half a two-byte character")
    if mode == b"$(D":
        # JIS X 0212 (ISO-2022-JP-1): as EUC-JP writes it, which Python reads.
        euc = b"".join(b"\x8f" + seg[i : i + 2] for i in range(0, len(seg), 2))
        try:
            return euc.translate(_HIGH).decode("euc_jp")
        except UnicodeDecodeError as e:
            raise _Bad(offset + (e.start // 3) * 2) from None
    return _jis0208(seg, offset)


def _jis0208(seg: bytes, offset: int) -> str:
    """JIS X 0208 pairs (0x21-0x7E each) through CP932, which holds the NEC and IBM rows."""
    sjis = bytearray()
    for i in range(0, len(seg), 2):
        j1, j2 = seg[i], seg[i + 1]
        if not (0x21 <= j1 <= 0x7E and 0x21 <= j2 <= 0x7E):
            raise _Bad(offset + i, "not a JIS character")
        # JIS X 0208 to Shift_JIS: two rows to a lead byte, odd rows in the low half.
        s1 = (j1 + 1) // 2 + (0x70 if j1 <= 0x5E else 0xB0)
        s2 = (j2 + (0x1F if j2 <= 0x5F else 0x20)) if j1 & 1 else j2 + 0x7E
        sjis += bytes((s1, s2))
    try:
        return sjis.decode("cp932")
    except UnicodeDecodeError as e:
        raise _Bad(offset + e.start, "a JIS code no Japanese charset defines") from None


_HIGH = bytes(b | 0x80 if b >= 0x21 else b for b in range(256))
_LOW = bytes(b & 0x7F for b in range(256))
_EUC_RUN = re.compile(
    rb"(?P<jis>(?:[\xa1-\xfe][\xa1-\xfe])+)|\x8e(?P<kana>[\xa1-\xdf])"
    rb"|(?P<x0212>\x8f[\xa1-\xfe][\xa1-\xfe])|(?P<ascii>[\x00-\x7f]+)"
)


def _decode_euc(data: bytes) -> str:
    """EUC-JP as Windows reads it (CP51932): JIS X 0208 through CP932, like ISO-2022-JP."""
    out: list[str] = []
    pos = 0
    while pos < len(data):
        m = _EUC_RUN.match(data, pos)
        if m is None:
            raise _Bad(pos)
        if m.group("jis"):
            out.append(_jis0208(m.group("jis").translate(_LOW), pos))
        elif m.group("kana"):
            out.append(chr(0xFF61 + m.group("kana")[0] - 0xA1))
        elif m.group("x0212"):
            out.append(_strict(m.group("x0212"), "euc_jp"))
        else:
            out.append(m.group("ascii").decode("ascii"))
        pos = m.end()
    return "".join(out)


# --- headers (RFC 2047) --------------------------------------------------------------------------

_UNFOLD = re.compile(r"\r?\n(?=[ \t])")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]+")
# charset, optional RFC 2231 language, B or Q, and the encoded text: printable ASCII only
_ENCODED_WORD = re.compile(r"=\?([\w.:+-]+)(?:\*[\w-]*)?\?([bBqQ])\?([!->@-~]*)\?=", re.ASCII)


def decode_header(raw: str, what: str, where: str, *, fallback: str | None = None) -> str:
    """A header's value as text: RFC 2047 encoded-words decoded, the rest as it stands.

    ``raw`` is the value as Python's compat32 parser keeps it (8-bit bytes as surrogate
    escapes). Adjacent encoded-words in one charset are joined before decoding: broken
    clients split a character (or its base64) between two of them. Raw 8-bit text is
    read as UTF-8, else in ``fallback`` (the charset of the mail's text); raw
    ISO-2022-JP, which old Japanese mailers wrote into headers, is read as such.
    Control characters, encoded line breaks included, come out as spaces.
    """
    value = _UNFOLD.sub("", raw)
    # (charset, encoding, encoded text) for a word; (None, "", text) between words
    parts: list[tuple[str | None, str, str]] = []
    pos = 0
    for m in _ENCODED_WORD.finditer(value):
        between = value[pos : m.start()]
        # whitespace between two encoded-words is not part of the text (RFC 2047 6.2)
        if between and not (parts and parts[-1][0] and not between.strip(" \t")):
            parts.append((None, "", between))
        parts.append((m.group(1), m.group(2).lower(), m.group(3)))
        pos = m.end()
    if pos < len(value):
        parts.append((None, "", value[pos:]))
    out: list[str] = []
    i = 0
    while i < len(parts):
        charset, _, text = parts[i]
        if charset is None:
            out.append(_raw_text(text, what, where, fallback))
            i += 1
            continue
        j = i + 1
        while j < len(parts) and (parts[j][0] or "").lower() == charset.lower():
            j += 1
        data = _word_bytes(parts[i:j], what, where)
        out.append(decode_text(data, charset, what, where))
        i = j
    # A header is one line of text: a line break or other control character encoded
    # into it (to forge a header where it is used) becomes a space.
    return _CONTROLS.sub(" ", "".join(out)).strip()


def _word_bytes(words: list[tuple[str | None, str, str]], what: str, where: str) -> bytes:
    data = bytearray()
    pending = ""  # base64 cut in the middle of a quantum by a broken client
    for _, encoding, text in words:
        if encoding == "q":
            if pending:
                data += _b64(pending, what, where)
                pending = ""
            data += binascii.a2b_qp(text.encode("ascii"), header=True)
            continue
        pending += text
        if len(pending) % 4 == 0 or pending.endswith("="):
            data += _b64(pending, what, where)
            pending = ""
    if pending:
        data += _b64(pending, what, where)
    return bytes(data)


def _b64(text: str, what: str, where: str) -> bytes:
    core = text.rstrip("=")
    try:
        if len(core) % 4 == 1:
            raise binascii.Error("a lone base64 character")
        # a missing "=" is a common slip that costs nothing to forgive
        return binascii.a2b_base64(core + "=" * (-len(core) % 4))
    except binascii.Error:
        raise InputError(
            f"{what} holds a damaged encoded-word (bad base64); save the mail again "
            "from the mail client",
            where=where,
        ) from None


def _raw_text(text: str, what: str, where: str, fallback: str | None) -> str:
    data = text.encode("utf-8", "surrogateescape")  # real text, if any, as UTF-8
    if data.isascii():
        return decode_text(data, "iso-2022-jp", what, where) if b"\x1b$" in data else text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if fallback:
        try:
            return _decode(data, fallback.strip().lower())
        except (LookupError, _Bad):
            pass
    raise InputError(
        f"{what} holds raw 8-bit text that is neither UTF-8 nor the charset of the mail's "
        "text; the sending client broke it: ask the customer for the text, or give it with --set",
        where=where,
    )
