"""Reading complaint mails built from bytes as real clients write them."""

from __future__ import annotations

import base64
import io
import quopri
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimkit.errors import InputError
from claimkit.mail.read import LIMIT, Complaint, load_complaint, read_complaint
from tests.mailbytes import JST, cp50220, eucjp, mail, outlook_iso2022jp, word


def read(data: bytes) -> Complaint:
    return read_complaint(data, "complaint.eml", tz=JST)


def refused(data: bytes) -> str:
    with pytest.raises(InputError) as caught:
        read(data)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("complaint.eml: ")
    return message


def test_the_encoder_in_these_tests_writes_what_python_writes_for_plain_jis() -> None:
    text = "山田です。ご注文の件でご連絡しました。ABC-123"
    assert cp50220(text) == text.encode("iso2022_jp")
    assert eucjp(text) == text.encode("euc_jp")


def test_outlook_iso_2022_jp_with_nec_characters_and_the_wave_dash() -> None:
    c = read(outlook_iso2022jp())
    assert c.name == "㈱ミナト物産 山田 太郎"
    assert c.address == "yamada@minato.example.co.jp"
    assert c.subject == "①ケトルの電源が入らない～至急"
    assert c.received == datetime(2026, 12, 4, 9, 12, 33, tzinfo=JST)
    assert c.message_id == "<000001db4612$0c1a2b30$24388190$@minato.example.co.jp>"
    assert c.charset == "iso-2022-jp" and c.content_type == "text/plain"
    assert "①注文した電気ケトル（KT-200）の電源が入りません。" in c.text
    assert "受付時間 9:00～18:00 に" in c.text
    # Outlook's own history block is not the customer's words
    assert "Original Message" not in c.text and "ご注文を承りました" not in c.text
    assert "ご注文を承りました" in c.body


def test_shift_jis_in_base64_with_a_shift_jis_subject() -> None:
    body = "お世話になっております。\r\n髙橋です。ﾊﾝｶｸも①も読めますか。\r\n"
    c = read(
        mail(
            f"""
From: {word("髙橋 一郎".encode("cp932"), "Shift_JIS")} <takahashi@example.jp>
Subject: {word("返品について".encode("cp932"), "Shift_JIS")}
Content-Type: text/plain; charset=Shift_JIS
Content-Transfer-Encoding: base64
""",
            base64.encodebytes(body.encode("cp932")),
        )
    )
    assert c.name == "髙橋 一郎"
    assert c.subject == "返品について"
    assert c.text == "お世話になっております。\n髙橋です。ﾊﾝｶｸも①も読めますか。"


def test_euc_jp_in_8bit_with_the_nec_row_and_half_width_kana() -> None:
    body = "ご担当者様\n①の件、ｶﾀｶﾅで失礼します。\n"
    c = read(
        mail(
            f"""
From: {word(eucjp("佐々木"), "EUC-JP")} <sasaki@example.jp>
Subject: {word(eucjp("①について"), "euc-jp")}
Content-Type: text/plain; charset="EUC-JP"
Content-Transfer-Encoding: 8bit
""",
            eucjp(body),
            eol=b"\n",
        )
    )
    assert (c.name, c.subject) == ("佐々木", "①について")
    assert c.text == body.strip()


@pytest.mark.parametrize("cte", ["base64", "quoted-printable"])
def test_utf8_bodies_in_base64_and_quoted_printable(cte: str) -> None:
    body = "電源が入りません。\r\nThe kettle does not switch on = broken.\r\n"
    raw = body.encode("utf-8")
    encoded = base64.encodebytes(raw) if cte == "base64" else quopri.encodestring(raw)
    c = read(
        mail(
            f"""
From: Taro Yamada <taro@example.com>
Subject: =?UTF-8?Q?=E9=9B=BB=E6=BA=90_broken?=
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: {cte}
""",
            encoded,
        )
    )
    assert c.name == "Taro Yamada"
    assert c.subject == "電源 broken"
    assert c.text == "電源が入りません。\nThe kettle does not switch on = broken."


HTML = """<html><head><style>p {{ margin: 0 }}</style><title>x</title></head><body>
<div>サポートご担当者様</div><div><br></div>
<div>注文番号&nbsp;A-1024&nbsp;のケトルが&lt;至急&gt;必要です。電源が
入りません。<script>track()</script></div>
<p>詳しくは<a href="https://example.jp/photo/1">こちらの写真</a>をご覧ください。</p>
<div class="gmail_quote"><div dir="ltr">2026年12月1日(火) 10:00 サポート
&lt;support@example.jp&gt;:<br></div>
<blockquote class="gmail_quote">ご注文ありがとうございます。<br>{quoted}</blockquote></div>
</body></html>"""


def test_an_html_only_mail_becomes_readable_text_without_its_quoted_history() -> None:
    html = HTML.format(quoted="発送は明日です。")
    c = read(
        mail(
            """
From: =?UTF-8?B?5bGx55Sw?= <yamada@example.jp>
Subject: test
MIME-Version: 1.0
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable
""",
            quopri.encodestring(html.encode("utf-8")),
        )
    )
    assert c.content_type == "text/html"
    assert c.text == (
        "サポートご担当者様\n\n"
        "注文番号 A-1024 のケトルが<至急>必要です。電源が入りません。\n\n"
        "詳しくはこちらの写真 <https://example.jp/photo/1>をご覧ください。"
    )
    assert "> 発送は明日です。" in c.body
    assert "track()" not in c.body and "margin" not in c.body


def alternative(plain: str, html: str, boundary: str = "ALT") -> str:
    return (
        f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: 8bit\r\n\r\n{plain}\r\n"
        f"--{boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
        f"--{boundary}--\r\n"
    )


def test_multipart_alternative_takes_the_plain_text() -> None:
    c = read(
        mail(
            """
From: yamada@example.jp
Subject: alt
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="ALT"
""",
            alternative("プレーンの本文です。", "<p>HTMLの本文です。</p>").encode("utf-8"),
        )
    )
    assert c.text == "プレーンの本文です。"
    assert c.content_type == "text/plain"
    assert c.name is None  # a bare address has no display name


def test_the_text_is_found_beside_attachments_and_inside_a_mixed_message() -> None:
    pdf = base64.encodebytes(b"%PDF-1.4 " + bytes(range(256))).decode("ascii")
    body = (
        "--MIX\r\nContent-Type: multipart/alternative; boundary=ALT\r\n\r\n"
        + alternative("写真と明細を添付します。", "<p>HTML</p>")
        + "--MIX\r\nContent-Type: application/pdf; name=receipt.pdf\r\n"
        "Content-Disposition: attachment; filename=receipt.pdf\r\n"
        f"Content-Transfer-Encoding: base64\r\n\r\n{pdf}\r\n--MIX--\r\n"
    )
    c = read(
        mail(
            """
From: yamada@example.jp
Content-Type: multipart/mixed; boundary=MIX
""",
            body.encode("utf-8"),
        )
    )
    assert c.text == "写真と明細を添付します。"


def test_reply_to_is_the_address_to_answer_and_from_names_the_customer() -> None:
    c = read(
        mail(
            f"""
From: {word("山田 太郎".encode(), "utf-8")} <yamada@minato.example.co.jp>
Reply-To: <soumu@minato.example.co.jp>
Subject: x
""",
            b"body\r\n",
        )
    )
    assert c.address == "soumu@minato.example.co.jp"
    assert c.name == "山田 太郎"
    c = read(mail('From: <noreply@shop.example>\nReply-To: "Sato Hanako" <sato@example.com>'))
    assert (c.name, c.address) == ("Sato Hanako", "sato@example.com")


def test_threading_ids_are_kept_in_order() -> None:
    ids = [f"<thread.{i:03d}.0123456789abcdef@mail.example.jp>" for i in range(30)]
    refs = "\n ".join(ids)
    c = read(
        mail(
            f"""
From: a@example.jp
Message-ID: <latest@example.jp>
In-Reply-To: {ids[-1]}
References: {refs}
""",
            b"x",
        )
    )
    assert c.references == tuple(ids)
    assert (c.message_id, c.in_reply_to) == ("<latest@example.jp>", ids[-1])


def test_encoded_words_split_in_the_middle_of_a_character_are_joined() -> None:
    text = "電源が入りません".encode()
    # a UTF-8 character cut between two words, and base64 cut mid-quantum
    cut = f"{word(text[:4], 'UTF-8')} {word(text[4:], 'utf-8')}"
    b64 = base64.b64encode(text).decode("ascii")
    mid = f"=?UTF-8?B?{b64[:6]}?=\n =?UTF-8?B?{b64[6:]}?="
    jis = cp50220("至急のお願い")
    half = f"{word(jis[:5], 'ISO-2022-JP')} {word(jis[5:], 'ISO-2022-JP')}"
    for subject, expected in [(cut, "電源が入りません"), (mid, "電源が入りません")]:
        assert read(mail(f"From: a@example.jp\nSubject: {subject}")).subject == expected
    assert read(mail(f"From: a@example.jp\nSubject: {half}")).subject == "至急のお願い"
    # text between words keeps its spaces; words side by side lose theirs (RFC 2047)
    mixed = f"Re: {word('電源'.encode(), 'utf-8')} {word('故障'.encode(), 'utf-8')} KT-200"
    assert read(mail(f"From: a@example.jp\nSubject: {mixed}")).subject == "Re: 電源故障 KT-200"


def test_raw_8bit_and_raw_jis_headers_are_read() -> None:
    raw = "From: 山田 <y@example.jp>\r\nSubject: 電源の件\r\n\r\nx".encode()
    c = read(raw)
    assert (c.name, c.subject) == ("山田", "電源の件")
    old = b"From: y@example.jp\r\nSubject: " + cp50220("故障") + b"\r\n\r\nx"
    assert read(old).subject == "故障"


def test_dates_are_in_the_zone_asked_for_and_a_bad_one_is_none() -> None:
    data = mail("From: a@example.jp\nDate: Fri, 4 Dec 2026 00:12:00 +0000", b"x")
    assert read_complaint(data, "m", tz=JST).received == datetime(2026, 12, 4, 9, 12, tzinfo=JST)
    assert read_complaint(data, "m", tz=UTC).received == datetime(2026, 12, 4, 0, 12, tzinfo=UTC)
    assert read(mail("From: a@example.jp\nDate: yesterday", b"x")).received is None
    assert read(mail("From: a@example.jp", b"x")).received is None


def test_an_mbox_from_line_before_the_headers_is_tolerated() -> None:
    data = b"From yamada@example.jp Fri Dec  4 09:12:33 2026\n" + mail(
        "From: yamada@example.jp\nSubject: mbox", b"hello", eol=b"\n"
    )
    assert read(data).text == "hello"


# --- what is refused -----------------------------------------------------------------------------


def test_an_empty_file_is_refused() -> None:
    assert "is empty" in refused(b"")
    assert "is empty" in refused(b"\r\n \n")


def test_a_binary_file_is_refused() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    assert "is not a mail" in refused(png)
    assert "is not a mail" in refused("ただのテキストです。\n".encode())


def test_a_mail_without_from_is_refused() -> None:
    assert "no From header" in refused(mail("Subject: hello", b"x"))


def test_an_attachment_only_mail_is_refused_with_what_it_holds() -> None:
    body = (
        b"--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
        b"filename=report.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--B--\r\n"
    )
    message = refused(mail("From: a@example.jp\nContent-Type: multipart/mixed; boundary=B", body))
    assert "only attachments (report.pdf)" in message


def test_a_mail_over_the_size_limit_is_refused_before_it_is_parsed() -> None:
    head = b"From: a@example.jp\r\nContent-Type: application/octet-stream\r\n\r\n"
    message = refused(head + b"A" * (LIMIT - len(head) + 1))
    assert "larger than 25 MiB" in message


@pytest.mark.parametrize(
    ("headers", "body", "expected"),
    [
        ("Content-Type: text/plain; charset=Shift_JIS", b"\x82\xa0\x82\xff", "not valid shift_jis"),
        ("Content-Type: text/plain; charset=iso-2022-jp", b"\x1b$B$\xa2\x1b(B", "8-bit byte"),
        ("Content-Type: text/plain; charset=iso-2022-jp", b"\x1b$B\x7f\x7f\x1b(B", "JIS"),
        ("Content-Type: text/plain; charset=utf-8", "電源".encode("cp932"), "not valid utf-8"),
        ("Content-Type: text/plain", "電源".encode("cp932"), "no charset declared"),
        ("Content-Type: text/plain; charset=x-klingon", b"x", "does not know"),
    ],
)
def test_a_part_that_cannot_be_decoded_is_named_never_turned_into_mojibake(
    headers: str, body: bytes, expected: str
) -> None:
    message = refused(mail(f"From: a@example.jp\n{headers}", body))
    assert expected in message
    assert "the text of the mail" in message


def test_an_undecodable_part_of_a_multipart_mail_is_named_by_its_type() -> None:
    body = (
        b"--B\r\nContent-Type: text/plain; charset=euc-jp\r\n\r\n\xa4\r\n--B\r\n"
        b"Content-Type: text/html\r\n\r\n<p>x</p>\r\n--B--\r\n"
    )
    message = refused(
        mail("From: a@example.jp\nContent-Type: multipart/alternative; boundary=B", body)
    )
    assert "the text/plain part is not valid euc-jp" in message


def test_an_undecodable_header_is_named() -> None:
    message = refused(mail("From: a@example.jp\nSubject: =?Shift_JIS?B?gv8=?=", b"x"))
    assert "the Subject header is not valid Shift_JIS" in message


# --- files ---------------------------------------------------------------------------------------


def test_a_complaint_is_loaded_from_a_file_or_stdin(tmp_path: Path) -> None:
    path = tmp_path / "complaint.eml"
    path.write_bytes(outlook_iso2022jp())
    from_file = load_complaint(str(path), tz=JST)
    from_stdin = load_complaint("-", tz=JST, stdin=io.BytesIO(outlook_iso2022jp()))
    assert from_file == from_stdin
    assert from_file.name == "㈱ミナト物産 山田 太郎"
    with pytest.raises(InputError, match="no such file"):
        load_complaint(str(tmp_path / "missing.eml"), tz=JST)
    with pytest.raises(InputError, match="<stdin>: is empty"):
        load_complaint("-", tz=JST, stdin=io.BytesIO(b""))
    with pytest.raises(InputError, match="is a folder"):
        load_complaint(str(tmp_path), tz=JST)


def test_a_line_break_encoded_into_a_header_cannot_forge_another_header() -> None:
    forged = word("山田\r\nBcc: all@example.jp".encode(), "utf-8")
    c = read(mail(f"From: {forged} <y@example.jp>\nSubject: {forged}"))
    assert c.name == c.subject == "山田 Bcc: all@example.jp"


# --- anything at all: a Complaint or one line saying why not ------------------------------------

PIECES = [b"\x1b$B", b"\x1b(B", b"\x1b(I", b"=?", b"?=", b"?B?", b"?Q?", b"\r\n", b"\n\n"]
PIECES += [b": ", b"\x00", b"\xff", b"\x82", b"<", b">", b"@", b"--B", b"<blockquote>", b"&#0;"]
PIECES += [b"Content-Type: text/html; charset=", b"shift_jis", b"From: ", b"Reply-To: "]


@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(st.integers(0, 1500), st.sampled_from(PIECES) | st.binary(max_size=4)),
        max_size=6,
    )
)
def test_a_damaged_mail_is_read_or_refused_in_one_line(edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(outlook_iso2022jp())
    for pos, piece in edits:
        data[pos:pos] = piece
    try:
        c = read(bytes(data))
    except InputError as e:
        assert "\n" not in str(e)
        str(e).encode("utf-8")  # printable, whatever the mail held
    else:
        for text in (c.text, c.body, c.subject, c.name or "", c.address):
            text.encode("utf-8")  # nothing half-decoded slips through
