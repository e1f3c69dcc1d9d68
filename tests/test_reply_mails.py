"""Replies to complaint mails as real clients write them, read back by two parsers.

Each complaint is built from bytes (tests/mailbytes.py), answered with
``claimkit draft --reply-to``, and the reply is read twice: by Python's ``email``
with ``policy.default``, and by a reader written here that unfolds the header
block by hand and decodes RFC 2047 words with ``email.header`` (compat32), so
that a header one of them gets wrong shows up as a difference.
"""

from __future__ import annotations

import base64
import email
import re
from email import policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import cli, sh
from tests.mailbytes import cp50220, mail, outlook_iso2022jp, word


class Read(NamedTuple):
    to: str
    to_name: str
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]
    body: str


def by_email(data: bytes) -> Read:
    msg = email.message_from_bytes(data, policy=policy.default)
    (to,) = msg["To"].addresses
    part = msg.get_body(("plain",))
    assert part is not None
    return Read(
        to=to.addr_spec,
        to_name=to.display_name,
        subject=str(msg["Subject"]),
        in_reply_to=str(msg["In-Reply-To"]).strip() if msg["In-Reply-To"] else None,
        references=tuple(str(msg["References"] or "").split()),
        body=part.get_content(),
    )


def unfolded(data: bytes) -> dict[str, str]:
    """The header block read by hand: RFC 5322 2.2.3 unfolding takes out the line
    breaks before white space, nothing else."""
    head = re.split(rb"\r?\n\r?\n", data, maxsplit=1)[0].decode("ascii")
    fields: dict[str, str] = {}
    name = ""
    for line in re.split(r"\r?\n", head):
        if line[:1] in (" ", "\t"):
            fields[name] += line
        else:
            name, _, value = line.partition(":")
            name = name.lower()
            fields[name] = value.strip()
    return fields


def words(value: str) -> str:
    return str(make_header(decode_header(value)))


def by_hand(data: bytes) -> Read:
    fields = unfolded(data)
    found = re.fullmatch(r"(.*?)\s*<([^<>]+)>", fields["to"])
    assert found, fields["to"]
    msg = BytesParser(policy=policy.compat32).parsebytes(data)
    payload = msg.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Read(
        to=found.group(2),
        to_name=words(found.group(1)).strip('"'),
        subject=words(fields["subject"]),
        in_reply_to=fields.get("in-reply-to"),
        references=tuple(re.findall(r"<[^<>\s]+>", fields.get("references", ""))),
        body=payload.decode(msg.get_content_charset() or "ascii"),
    )


def answer(path: Path, *extra: str, lang: str = "ja") -> tuple[Read, bytes]:
    args = ["draft", "apology", "--reply-to", str(path), "--lang", lang, "--no-input"]
    run = cli([*args, "--example", "--format", "eml", "--no-check", *extra])
    assert run.code == 0, run.stderr
    first, second = by_email(run.stdout_bytes), by_hand(run.stdout_bytes)
    assert first == second
    return first, run.stdout_bytes


def quoted(body: str) -> list[str]:
    return [line for line in body.splitlines() if line.startswith(">")]


@pytest.fixture(autouse=True)
def tokyo(config_dir: Path) -> None:
    """Dates of the complaints are read in the profile's time zone."""
    (config_dir / "profile.yaml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")


def saved(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "complaint.eml"
    path.write_bytes(data)
    return path


def test_outlook_iso_2022_jp_with_nec_characters(tmp_path: Path) -> None:
    reply, raw = answer(saved(tmp_path, outlook_iso2022jp()))
    mid = "<000001db4612$0c1a2b30$24388190$@minato.example.co.jp>"
    assert (reply.to, reply.to_name) == ("yamada@minato.example.co.jp", "㈱ミナト物産 山田 太郎")
    assert reply.subject == "Re: ①ケトルの電源が入らない～至急"
    assert reply.in_reply_to == mid and reply.references == (mid,)
    body = reply.body
    assert "㈱ミナト物産 山田 太郎 様\n" in body  # the name read is the salutation's
    assert "\n2026年12月4日(金) 9:12 ㈱ミナト物産 山田 太郎 様:\n" in body
    assert quoted(body) == [
        "> サンプル商事 お客様相談室 御中",
        ">",
        "> ㈱ミナト物産の山田です。",
        "> ①注文した電気ケトル（KT-200）の電源が入りません。",
        "> ②受付時間 9:00～18:00 に何度電話してもつながりません。",
        "> 至急ご連絡ください。",
    ]  # the Original Message below their words is history, not quoted again
    assert b"=?" not in b"".join(
        line for line in raw.split(b"\n") if line.startswith((b"In-Reply-To:", b"References:"))
    )


def test_what_iso_2022_jp_cannot_carry_stops_the_reply_with_its_name(tmp_path: Path) -> None:
    path = saved(tmp_path, outlook_iso2022jp())
    args = ["draft", "apology", "--reply-to", str(path), "--lang", "ja", "--no-input", "--example"]
    run = cli([*args, "--format", "eml", "--charset", "iso-2022-jp"])
    assert run.code == 2 and run.stdout == ""
    assert "customer_name: the character '㈱'" in run.stderr and "--charset utf-8" in run.stderr


def test_shift_jis_and_the_wave_dash_under_iso_2022_jp(tmp_path: Path) -> None:
    body = "お世話になっております。\r\n受付は 9時～18時 と伺いましたが、つながりません。\r\n"
    complaint = mail(
        f"""
From: {word("佐藤 一郎".encode("cp932"), "Shift_JIS")} <ichiro@example.jp>
Subject: {word("電話がつながらない～".encode("cp932"), "Shift_JIS")}
Date: Thu, 3 Dec 2026 23:55:00 +0000
Message-ID: <sjis-1@example.jp>
MIME-Version: 1.0
Content-Type: text/plain; charset=Shift_JIS
Content-Transfer-Encoding: base64
""",
        base64.encodebytes(body.encode("cp932")),
    )
    reply, raw = answer(saved(tmp_path, complaint), "--charset", "iso-2022-jp")
    # ～ goes out as the JIS wave dash (row 1, cell 33), the bytes Outlook writes for it
    assert b"9\x1b$B;~!A" in raw  # 9時～, ～ in the same run of JIS
    assert reply.subject == "Re: 電話がつながらない〜"  # a JIS decoder shows 〜
    assert reply.to_name == "佐藤 一郎" and reply.in_reply_to == "<sjis-1@example.jp>"
    assert "2026年12月4日(金) 8:55 佐藤 一郎 様:" in reply.body  # 23:55 UTC, in Tokyo
    assert "> 受付は 9時〜18時 と伺いましたが、つながりません。" in quoted(reply.body)


def test_an_html_only_mail_is_quoted_as_the_text_it_shows(tmp_path: Path) -> None:
    html = (
        "<html><body><p>注文番号&nbsp;A-1024 のケトルが<b>届きません</b>。</p>"
        "<p>至急&lt;確認&gt;してください。</p><script>x()</script></body></html>"
    )
    complaint = mail(
        """
From: "Kei Ito" <kei@example.com>
Subject: Where is my kettle?
Message-ID: <html-1@example.com>
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable
""",
        __import__("quopri").encodestring(html.encode("utf-8")),
    )
    reply, _ = answer(saved(tmp_path, complaint), lang="en")
    lines = quoted(reply.body)
    assert "> 注文番号 A-1024 のケトルが届きません。" in lines
    assert "> 至急<確認>してください。" in lines
    assert not any("<" in line and "p>" in line for line in lines) and "x()" not in reply.body
    assert reply.subject == "Re: Where is my kettle?"
    assert "\nKei Ito wrote:\n" in reply.body  # no Date header: no date in the attribution


def test_reply_to_is_answered_and_the_writer_is_named(tmp_path: Path) -> None:
    complaint = mail(
        """
From: Taro Yamada <taro@example.com>
Reply-To: support-desk@example.com
Subject: Refund
Date: Fri, 4 Dec 2026 09:12:00 +0900
Message-ID: <rt-1@example.com>
Content-Type: text/plain; charset=us-ascii
""",
        b"The kettle does not switch on.\r\n",
    )
    reply, _ = answer(saved(tmp_path, complaint), lang="en")
    assert (reply.to, reply.to_name) == ("support-desk@example.com", "Taro Yamada")
    assert "\nDear Ms. Yamada,\n" in reply.body  # the example's honorific, the name read
    assert "\nOn Fri, Dec 4, 2026 at 9:12 AM, Taro Yamada wrote:\n" in reply.body
    assert quoted(reply.body) == ["> The kettle does not switch on."]


def test_a_chain_of_reply_markers_collapses_to_one(tmp_path: Path) -> None:
    subject = word("Re: RE: Re[3]: Fw: ケトルの件".encode(), "UTF-8")
    complaint = mail(
        f"""
From: yamada@example.jp
Subject: {subject}
Message-ID: <chain-3@example.jp>
In-Reply-To: <chain-2@example.jp>
Content-Type: text/plain; charset=utf-8
""",
        "まだ届きません。\n".encode(),
    )
    reply, _ = answer(saved(tmp_path, complaint), "--set", "customer_name=山田 太郎")
    assert reply.subject == "Re: ケトルの件"
    # no References: the In-Reply-To stands for the chain before the complaint
    assert reply.references == ("<chain-2@example.jp>", "<chain-3@example.jp>")
    assert reply.to_name == "山田 太郎"  # no display name in From: --set gives it


def test_a_long_references_chain_keeps_its_root_and_latest_raw(tmp_path: Path) -> None:
    chain = [f"<m{n:03d}.{'x' * 30}@mail.example.jp>" for n in range(40)]
    refs = "\n ".join(chain)
    complaint = mail(
        f"""
From: Yamada <yamada@example.jp>
Subject: =?UTF-8?B?{base64.b64encode("返金".encode()).decode()}?=
Message-ID: <m040.{"x" * 30}@mail.example.jp>
References: {refs}
Content-Type: text/plain; charset=utf-8
""",
        "返金してください。\n".encode(),
    )
    reply, raw = answer(saved(tmp_path, complaint))
    own = f"<m040.{'x' * 30}@mail.example.jp>"
    assert reply.in_reply_to == own
    assert reply.references == (chain[0], *chain[-18:], own)  # 20: the root and the latest
    head = raw.split(b"\n\n")[0]
    assert b"=?" not in head.split(b"References:")[1].split(b"Content-Type")[0]
    assert max(len(line) for line in head.split(b"\n")) <= 78


def test_an_encoded_word_split_inside_a_character(tmp_path: Path) -> None:
    name = "髙橋 一郎".encode()
    split = f"{word(name[:4], 'UTF-8')} {word(name[4:], 'UTF-8')}"  # 髙 cut after a byte
    complaint = mail(
        f"""
From: {split} <takahashi@example.jp>
Subject: {word("電源が入".encode()[:7], "UTF-8")}{word("電源が入".encode()[7:], "UTF-8")}
Message-ID: <broken-1@example.jp>
Content-Type: text/plain; charset=utf-8
""",
        "電源が入りません。\n".encode(),
    )
    reply, _ = answer(saved(tmp_path, complaint))
    assert reply.to_name == "髙橋 一郎"
    assert reply.subject == "Re: 電源が入"


def test_the_customer_s_own_quoted_history_is_not_quoted_again(tmp_path: Path) -> None:
    body = (
        "昨日のお返事では解決していません。\n"
        "今日中にお電話をください。\n"
        "\n"
        "2026年12月3日(木) 17:00 サンプル商事 <support@sample-shoji.example.jp>:\n"
        "> お問い合わせありがとうございます。\n"
        "> 確認のうえご連絡いたします。\n"
        "\n"
        "-- \n"
        "山田 太郎\n"
        "090-1234-5678\n"
    )
    complaint = mail(
        f"""
From: {word("山田 太郎".encode(), "UTF-8")} <yamada@example.jp>
Subject: Re: {word("ケトルの件".encode(), "UTF-8")}
Date: Fri, 4 Dec 2026 09:12:00 +0900
Message-ID: <again-2@example.jp>
References: <first-1@example.jp> <answer-1@sample-shoji.example.jp>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit
""",
        body.encode(),
    )
    reply, _ = answer(saved(tmp_path, complaint))
    assert quoted(reply.body) == [
        "> 昨日のお返事では解決していません。",
        "> 今日中にお電話をください。",
    ]
    assert reply.references == (
        "<first-1@example.jp>",
        "<answer-1@sample-shoji.example.jp>",
        "<again-2@example.jp>",
    )


def test_a_complaint_piped_in_as_mutt_does(tmp_path: Path) -> None:
    # mutt's pipe-message may start with the mbox "From " line
    data = b"From yamada@minato.example.co.jp Fri Dec  4 09:12:33 2026\n" + outlook_iso2022jp()
    args = ["draft", "apology", "--reply-to", "-", "--lang", "ja", "--no-input", "--example"]
    run = sh([*args, "--format", "eml"], input=data)
    assert run.code == 0, run.stderr
    reply = by_hand(run.stdout_bytes)
    assert reply == by_email(run.stdout_bytes)
    assert reply.in_reply_to == "<000001db4612$0c1a2b30$24388190$@minato.example.co.jp>"
    assert "> ①注文した電気ケトル（KT-200）の電源が入りません。" in reply.body


def test_what_is_not_a_mail_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("電源が入りません\n", encoding="utf-8")
    for source, data in (("-", b"\x00\x01binary"), (str(tmp_path / "notes.txt"), b"")):
        args = ["draft", "apology", "--reply-to", source, "--no-input", "--example"]
        run = cli(args, input=data)
        assert run.code == 2 and run.stdout == ""
        assert len(run.stderr.strip().splitlines()) == 1 and "is not a mail" in run.stderr


def test_cp50220_bytes_of_the_builder_round_trip() -> None:
    # the builder writes what Outlook writes: ① is JIS row 13, as the acceptance mail has it
    assert cp50220("①") == b"\x1b$B-!\x1b(B"


def test_8bit_for_a_draft_a_mail_client_opens(tmp_path: Path) -> None:
    # aerc 0.14's :recall shows a base64 draft with an empty body; 8bit it reads
    reply, raw = answer(saved(tmp_path, outlook_iso2022jp()), "--8bit")
    assert b"Content-Transfer-Encoding: 8bit" in raw
    assert "> ①注文した電気ケトル（KT-200）の電源が入りません。" in quoted(reply.body)
    args = ["draft", "apology", "--example", "--no-input", "--format", "eml", "--8bit"]
    long = cli([*args, "--no-wrap", "--set", "customer_point=" + "長" * 600])
    assert b"Content-Transfer-Encoding: base64" in long.stdout_bytes  # a line over 998 bytes
