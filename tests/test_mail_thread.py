"""The reply's subject, threading ids and quoted text, from the complaint read."""

from __future__ import annotations

from datetime import datetime

import pytest

from claimkit.mail.quote import attribution, quote, quoted_reply
from claimkit.mail.read import Complaint, read_complaint
from claimkit.mail.thread import MAX_REFERENCES, reply_subject, threading
from tests.mailbytes import JST, mail, outlook_iso2022jp


def complaint(**fields: object) -> Complaint:
    base = Complaint(
        address="yamada@example.jp",
        name="山田 太郎",
        subject="電源が入らない",
        received=datetime(2026, 12, 4, 9, 12, tzinfo=JST),
        message_id="<c@example.jp>",
        in_reply_to=None,
        references=(),
        text="電源が入りません。\n\n至急ご連絡ください。",
        body="",
        content_type="text/plain",
        charset="utf-8",
    )
    return base._replace(**fields)


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("電源が入らない", "Re: 電源が入らない"),
        ("Re: RE: Re[3]: 電源が入らない", "Re: 電源が入らない"),
        ("RE：Ｒｅ： 電源が入らない", "Re: 電源が入らない"),
        ("Fw: FW: Fwd: 転送: 返信: 電源が入らない", "Re: 電源が入らない"),
        ("re^2: AW: Re (2): Kettle", "Re: Kettle"),
        ("Request: refund", "Re: Request: refund"),
        ("Kettle broken, re: order A-1024", "Re: Kettle broken, re: order A-1024"),
        ("  電源が\t入らない  ", "Re: 電源が 入らない"),
    ],
)
def test_the_reply_subject_collapses_the_chain_of_markers(subject: str, expected: str) -> None:
    assert reply_subject(subject, "ja") == expected


def test_an_empty_subject_gets_a_sensible_one() -> None:
    assert reply_subject("", "ja") == "Re: お問い合わせの件"
    assert reply_subject("Re: ", "en") == "Re: Your message"


def test_threading_follows_rfc_5322() -> None:
    # References, then the message's own id
    c = complaint(references=("<a@x>", "<b@x>"), in_reply_to="<b@x>")
    assert threading(c) == ("<c@example.jp>", ("<a@x>", "<b@x>", "<c@example.jp>"))
    # no References: In-Reply-To stands in for them
    assert threading(complaint(in_reply_to="<b@x>")) == (
        "<c@example.jp>",
        ("<b@x>", "<c@example.jp>"),
    )
    # the first mail of a thread
    assert threading(complaint()) == ("<c@example.jp>", ("<c@example.jp>",))
    # no Message-ID: nothing to answer, the thread so far kept
    assert threading(complaint(message_id=None, references=("<a@x>",))) == (None, ("<a@x>",))
    # an id repeated by a broken client is written once
    c = complaint(references=("<a@x>", "<b@x>", "<a@x>", "<c@example.jp>"))
    assert threading(c)[1] == ("<a@x>", "<b@x>", "<c@example.jp>")


def test_a_long_chain_keeps_its_first_and_latest_ids() -> None:
    ids = tuple(f"<{i}@x>" for i in range(50))
    in_reply_to, refs = threading(complaint(references=ids))
    assert len(refs) == MAX_REFERENCES
    assert refs[0] == "<0@x>"
    assert refs[1:] == (*ids[-(MAX_REFERENCES - 2) :], "<c@example.jp>")
    assert in_reply_to == "<c@example.jp>"


def test_the_attribution_line_in_each_language() -> None:
    c = complaint()
    assert attribution(c, "ja") == "2026年12月4日(金) 9:12 山田 太郎 様:"
    en = c._replace(name="Taro Yamada")
    assert attribution(en, "en") == "On Fri, Dec 4, 2026 at 9:12 AM, Taro Yamada wrote:"
    pm = en._replace(received=datetime(2026, 12, 4, 0, 5, tzinfo=JST))
    assert attribution(pm, "en") == "On Fri, Dec 4, 2026 at 12:05 AM, Taro Yamada wrote:"
    late = en._replace(received=datetime(2026, 12, 6, 21, 30, tzinfo=JST))
    assert attribution(late, "en") == "On Sun, Dec 6, 2026 at 9:30 PM, Taro Yamada wrote:"
    # no name: the address; a name already honoured gets no second 様; no date: no date
    assert attribution(c._replace(name=None), "ja").endswith(" yamada@example.jp 様:")
    assert (
        attribution(c._replace(name="ミナト物産 御中", received=None), "ja") == "ミナト物産 御中:"
    )
    assert attribution(en._replace(received=None), "en") == "Taro Yamada wrote:"


def test_the_customers_words_are_quoted_line_by_line() -> None:
    assert quote("一行目\n\n> 引用\n三行目") == "> 一行目\n>\n>> 引用\n> 三行目"
    assert quoted_reply(complaint(), "ja") == (
        "2026年12月4日(金) 9:12 山田 太郎 様:\n> 電源が入りません。\n>\n> 至急ご連絡ください。"
    )


def test_a_reply_to_outlooks_mail_threads_and_quotes_it() -> None:
    c = read_complaint(outlook_iso2022jp(), "m.eml", tz=JST)
    assert reply_subject(c.subject, "ja") == "Re: ①ケトルの電源が入らない～至急"
    assert threading(c) == (c.message_id, (c.message_id,))
    quoted = quoted_reply(c, "ja")
    assert quoted.startswith("2026年12月4日(金) 9:12 ㈱ミナト物産 山田 太郎 様:\n")
    assert "> ②受付時間 9:00～18:00 に何度電話してもつながりません。" in quoted
    assert "Original Message" not in quoted


def test_a_chain_of_replies_read_from_bytes_threads_onwards() -> None:
    ids = [f"<thread.{i:03d}@mail.example.jp>" for i in range(3)]
    data = mail(
        f"""
From: Taro Yamada <taro@example.com>
Subject: Re: RE: Re[3]: Kettle
Message-ID: <latest@example.com>
In-Reply-To: {ids[-1]}
References: {" ".join(ids)}
""",
        b"Still broken.",
    )
    c = read_complaint(data, "m.eml", tz=JST)
    assert reply_subject(c.subject, "en") == "Re: Kettle"
    assert threading(c) == ("<latest@example.com>", (*ids, "<latest@example.com>"))
