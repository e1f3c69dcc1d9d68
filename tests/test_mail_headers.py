"""The eml writer's pieces: each builds a real message that is parsed back."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.mime.text import MIMEText

import pytest

from claimkit.errors import OutputError
from claimkit.mail.charsets import decode_header as claimkit_decode_header
from claimkit.mail.headers import (
    address_header,
    body_transfer_encoding,
    for_iso2022jp,
    subject_header,
    thread_headers,
)
from claimkit.mail.read import read_complaint
from tests.mailbytes import JST, cp50220

CHARSETS = ("utf-8", "iso-2022-jp")
OUTLOOK_ID = (
    "<TYCPR01MB12345678ABCDEF0123456789ABCDEF01234@TYCPR01MB1234.jpnprd01.prod.outlook.com>"
)


def modern(charset: str, body: str = "本文です。") -> Message:
    """How the writer builds a UTF-8 mail today: EmailMessage with policy.default."""
    msg = EmailMessage(policy=policy.default)
    msg.set_content(body, charset=charset, cte=body_transfer_encoding(body, charset))
    return msg


def compat(charset: str, body: str = "本文です。") -> Message:
    """How the writer builds an ISO-2022-JP mail today: compat32's MIMEText."""
    return MIMEText(body, "plain", charset)


BUILDERS: dict[str, Callable[[str], Message]] = {"policy.default": modern, "compat32": compat}


def header_lines(raw: bytes) -> dict[str, str]:
    """A second reader, sharing nothing with Python's email: unfold and split."""
    head = raw.split(b"\r\n\r\n", 1)[0] if b"\r\n\r\n" in raw else raw.split(b"\n\n", 1)[0]
    text = re.sub(r"\r?\n[ \t]", " ", head.decode("ascii"))
    return {
        name.lower(): value.strip()
        for name, value in (line.split(":", 1) for line in text.splitlines())
    }


# --- (a) threading headers are written raw -------------------------------------------------------


@pytest.mark.parametrize("build", BUILDERS)
def test_a_long_references_chain_stays_raw_and_folds_only_between_ids(build: str) -> None:
    ids = [OUTLOOK_ID.replace("TYCPR01MB1234567", f"TYCPR01MB{i:07d}") for i in range(20)]
    msg = BUILDERS[build]("utf-8")
    for h in thread_headers(ids[-1], ids):
        msg[h.name] = h
    raw = msg.as_bytes()
    assert b"=?" not in raw.split(b"\n\n")[0]  # nothing RFC 2047-encoded
    lines = raw.split(b"\n")
    assert max(len(line.rstrip(b"\r")) for line in lines) <= 998
    # folded only at whitespace: every id is whole on one line
    for mid in ids:
        assert any(mid.encode() in line for line in lines)
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["References"].split() == ids
    assert str(parsed["In-Reply-To"]) == ids[-1]
    second = header_lines(raw)
    assert second["references"].split() == ids
    assert second["in-reply-to"] == ids[-1]


def test_threading_headers_leave_out_what_is_no_message_id() -> None:
    headers = thread_headers("<ok@x>", ["<ok@x>", "no-brackets@x", "<日本@x>", "<a b@x>"])
    assert [(h.name, h.lines) for h in headers] == [
        ("In-Reply-To", ("<ok@x>",)),
        ("References", ("<ok@x>",)),
    ]
    assert thread_headers(None, []) == []


# --- (b) display names come back exactly --------------------------------------------------------

NAMES = [
    "株式会社北斗電機システムズ 中村 健",
    "株式会社北斗電機システムズ 東日本カスタマーサポートセンター 第二グループ 中村 健",
    "ACME Japan 株式会社 お客様相談室 佐藤 花子",
    "山田",
    "Yamada, Taro (Support)",
    "The Very Long Company Name Incorporated, Customer Support Department, Taro Yamada",
]


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("name", NAMES)
def test_a_long_display_name_comes_back_exactly_through_every_decoder(
    name: str, build: str, charset: str
) -> None:
    msg = BUILDERS[build](charset)
    for field, address in (("From", "nakamura@hokuto.example.co.jp"), ("To", "y@example.jp")):
        h = address_header(field, name, address, charset)
        msg[h.name] = h
    raw = msg.as_bytes()
    assert max(len(line.rstrip(b"\r")) for line in raw.split(b"\n")) <= 998
    modern_read = message_from_bytes(raw, policy=policy.default)
    old_read = message_from_bytes(raw, policy=policy.compat32)
    for field, address in (("From", "nakamura@hokuto.example.co.jp"), ("To", "y@example.jp")):
        (addr,) = modern_read[field].addresses
        assert (addr.display_name, addr.addr_spec) == (name, address)
        # RFC 5322 unfolding, which compat32 leaves to its caller
        unfolded = re.sub(r"\r?\n(?=[ \t])", "", str(old_read[field]))
        decoded = str(make_header(decode_header(unfolded)))
        assert decoded in (f"{name} <{address}>", f'"{name}" <{address}>')
        assert claimkit_decode_header(str(old_read[field]), field, "m") in (
            f"{name} <{address}>",
            f'"{name}" <{address}>',
        )


def test_a_wave_dash_in_a_name_reads_back_as_each_side_maps_it() -> None:
    msg = compat("iso-2022-jp")
    h = address_header("From", "サポート～東京", "s@example.jp", "iso-2022-jp")
    msg[h.name] = h
    raw = msg.as_bytes()
    assert message_from_bytes(raw, policy=policy.default)["From"].addresses[0].display_name == (
        "サポート〜東京"  # a decoder that follows JIS
    )
    complaint = read_complaint(raw, "m", tz=JST)
    assert complaint.name == "サポート～東京"  # Windows' mapping, which claimkit reads by


def test_names_and_addresses_a_header_cannot_carry_are_refused() -> None:
    with pytest.raises(OutputError, match="line break"):
        address_header("To", "山田\r\nBcc: x@y", "y@example.jp", "utf-8")
    with pytest.raises(OutputError, match="plain address"):
        address_header("To", "山田", "y@example.jp>, x@y", "utf-8")
    with pytest.raises(OutputError, match="too long"):
        address_header("To", "山" * 400, "y@example.jp", "utf-8")
    assert address_header("To", None, "y@example.jp", "utf-8").lines == ("y@example.jp",)


SUBJECTS = [
    "Re: ①ケトルの電源が入らない件につきまして至急ご対応をお願いいたします（注文番号A-1024）",
    "Re: 電源が入らない",
    "Re: The kettle KT-200 from order A-1024 does not switch on, and nobody answers the phone",
    "Re:  two  spaces kept",
]


@pytest.mark.parametrize("charset", CHARSETS)
@pytest.mark.parametrize("build", BUILDERS)
@pytest.mark.parametrize("subject", SUBJECTS)
def test_a_subject_comes_back_exactly_through_every_decoder(
    subject: str, build: str, charset: str
) -> None:
    if charset == "iso-2022-jp":
        subject = subject.replace("①", "1")
    msg = BUILDERS[build](charset)
    msg["From"] = "a@example.jp"
    h = subject_header(subject, charset)
    msg[h.name] = h
    raw = msg.as_bytes()
    head = raw.split(b"\n\n")[0].decode("ascii")
    assert all(len(line.rstrip("\r")) <= 78 for line in head.split("\n"))
    assert all(len(w) <= 75 for w in re.findall(r"=\?[^?]+\?b\?[^?]*\?=", head))
    assert message_from_bytes(raw, policy=policy.default)["Subject"] == subject
    old_read = message_from_bytes(raw, policy=policy.compat32)["Subject"]
    unfolded = re.sub(r"\r?\n(?=[ \t])", "", str(old_read))
    assert str(make_header(decode_header(unfolded))) == subject
    assert (
        read_complaint(
            raw.replace(b"MIME-Version", b"From: a@example.jp\nMIME-Version"), "m", tz=JST
        ).subject
        == subject.strip()
    )


def test_an_iso_2022_jp_subject_carries_the_tilde_and_refuses_what_it_cannot() -> None:
    (line,) = subject_header("受付 9:00～18:00", "iso-2022-jp").lines
    encoded = re.fullmatch(r"=\?iso-2022-jp\?b\?(.*)\?=", line)
    assert encoded is not None
    assert base64.b64decode(encoded.group(1)) == cp50220("受付 9:00～18:00")
    with pytest.raises(OutputError, match="circled digit one"):
        subject_header("①の件", "iso-2022-jp")
    with pytest.raises(OutputError, match="line break"):
        subject_header("件名\r\nBcc: x@y", "utf-8")


# --- (c) ISO-2022-JP: ～ carried, what the charset lacks refused by name ------------------------


def test_the_full_width_tilde_is_written_as_outlook_writes_it() -> None:
    text = for_iso2022jp("受付時間 9:00～18:00", "the body")
    assert text.encode("iso2022_jp") == cp50220("受付時間 9:00～18:00")
    assert b"\x1b$B!A\x1b(B" in text.encode("iso2022_jp")  # JIS 1-33, the one code it has
    for windows, jis in zip("～－∥￠￡￢—", "〜−‖¢£¬―", strict=True):
        assert for_iso2022jp(windows, "x") == jis


def test_a_body_with_the_tilde_reads_back_exactly_in_claimkit() -> None:
    body = for_iso2022jp("受付時間は 9:00～18:00 です。\n", "the body")
    msg = compat("iso-2022-jp", body)
    msg["From"] = "s@example.jp"
    assert read_complaint(msg.as_bytes(), "m", tz=JST).text == "受付時間は 9:00～18:00 です。"


@pytest.mark.parametrize(
    ("ch", "label"),
    [
        ("①", "circled digit one, U+2460"),
        ("㈱", "parenthesized ideograph stock, U+3231"),
        ("髙", "cjk unified ideograph-9ad9, U+9AD9"),
        ("ｱ", "halfwidth katakana letter a, U+FF71"),
        ("😀", "grinning face, U+1F600"),
    ],
)
def test_a_character_iso_2022_jp_cannot_carry_is_refused_by_name(ch: str, label: str) -> None:
    with pytest.raises(OutputError) as caught:
        for_iso2022jp(f"山田様への返信{ch}", "customer_name")
    message = str(caught.value)
    assert message.startswith(f"customer_name: the character '{ch}' ({label})")
    assert "--charset utf-8" in message and "\n" not in message


# --- (d) no body line over 998 bytes -------------------------------------------------------------

LONG_JA = "お届けした電気ケトルの電源が入らず、ご不便をおかけしております。" * 40  # one line
LONG_EN = "The kettle does not switch on. " * 60


@pytest.mark.parametrize(
    ("charset", "body", "expected"),
    [
        ("utf-8", "短い本文です。\n", "base64"),
        ("utf-8", "Short body.\n", "7bit"),
        ("utf-8", LONG_EN + "\n", "quoted-printable"),
        ("utf-8", LONG_JA + "\n", "base64"),
        ("iso-2022-jp", "短い本文です。\n", "7bit"),
        ("iso-2022-jp", LONG_JA + "\n", "base64"),
    ],
)
def test_a_body_line_over_998_bytes_never_leaves_the_writer(
    charset: str, body: str, expected: str
) -> None:
    assert body_transfer_encoding(body, charset) == expected
    msg = modern(charset, body)
    msg["From"] = "s@example.jp"
    raw = msg.as_bytes()
    assert max(len(line.rstrip(b"\r")) for line in raw.split(b"\n")) <= 998
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Content-Transfer-Encoding"] == expected
    assert parsed.get_content() == body
    assert read_complaint(raw, "m", tz=JST).text == body.strip()
