"""Complaint mails built byte by byte, as the clients that write them do."""

from __future__ import annotations

import base64
from datetime import timedelta, timezone

JST = timezone(timedelta(hours=9))


def sjis_to_jis(s1: int, s2: int) -> tuple[int, int]:
    """A Shift_JIS pair to its JIS X 0208 row and cell bytes (the inverse of what
    claimkit reads, written out separately so that each checks the other)."""
    j1 = (s1 - (0x70 if s1 < 0xA0 else 0xB0)) * 2 - (1 if s2 < 0x9F else 0)
    j2 = (s2 - (0x1F if s2 < 0x7F else 0x20)) if s2 < 0x9F else s2 - 0x7E
    return j1, j2


def cp50220(text: str) -> bytes:
    """ISO-2022-JP as Outlook writes it: JIS X 0208 with the NEC rows, ～ as JIS 1-33."""
    out = bytearray()
    two = False
    for ch in text:
        if ord(ch) < 0x80:
            if two:
                out += b"\x1b(B"
                two = False
            out += ch.encode("ascii")
            continue
        if not two:
            out += b"\x1b$B"
            two = True
        s1, s2 = ch.encode("cp932")
        out += bytes(sjis_to_jis(s1, s2))
    if two:
        out += b"\x1b(B"
    return bytes(out)


def eucjp(text: str) -> bytes:
    """EUC-JP as Windows writes it (CP51932): the same JIS pairs, high bits set."""
    out = bytearray()
    for ch in text:
        if ord(ch) < 0x80:
            out += ch.encode("ascii")
        elif "ｱ" <= ch <= "ﾟ" or ch == "｡":
            out += b"\x8e" + bytes((ch.encode("cp932")[0],))
        else:
            s1, s2 = ch.encode("cp932")
            out += bytes(b | 0x80 for b in sjis_to_jis(s1, s2))
    return bytes(out)


def word(data: bytes, charset: str) -> str:
    """One RFC 2047 encoded-word in base64."""
    return f"=?{charset}?B?{base64.b64encode(data).decode('ascii')}?="


def mail(headers: str, body: bytes = b"", *, eol: bytes = b"\r\n") -> bytes:
    """Header lines (ASCII, one per line, continuation lines indented) and a body."""
    head = eol.join(line.encode("ascii") for line in headers.strip("\n").split("\n"))
    return head + eol + eol + body


OUTLOOK_BODY = (
    "サンプル商事 お客様相談室 御中\r\n"
    "\r\n"
    "㈱ミナト物産の山田です。\r\n"
    "①注文した電気ケトル（KT-200）の電源が入りません。\r\n"
    "②受付時間 9:00～18:00 に何度電話してもつながりません。\r\n"
    "至急ご連絡ください。\r\n"
    "\r\n"
    "-----Original Message-----\r\n"
    "From: support@sample-shoji.example.jp\r\n"
    "Sent: Tuesday, December 1, 2026 10:00 AM\r\n"
    "Subject: ご注文ありがとうございます\r\n"
    "\r\n"
    "ご注文を承りました。\r\n"
)


def outlook_iso2022jp() -> bytes:
    return mail(
        f"""
From: {word(cp50220("㈱ミナト物産 山田 太郎"), "iso-2022-jp")} <yamada@minato.example.co.jp>
To: <support@sample-shoji.example.jp>
Subject: {word(cp50220("①ケトルの電源が入らない～至急"), "iso-2022-jp")}
Date: Fri, 4 Dec 2026 09:12:33 +0900
Message-ID: <000001db4612$0c1a2b30$24388190$@minato.example.co.jp>
X-Mailer: Microsoft Outlook 16.0
MIME-Version: 1.0
Content-Type: text/plain;
\tcharset="iso-2022-jp"
Content-Transfer-Encoding: 7bit
""",
        cp50220(OUTLOOK_BODY),
    )
