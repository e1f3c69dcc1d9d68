"""Output formats: the body for `mail -s`, JSON for scripts, RFC 5322 for mail programs."""

from __future__ import annotations

import email
import json
import re
from email import policy
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.conftest import cli, sh

BASE = [
    "draft",
    "apology",
    "--example",
    "--no-input",
    "--lang",
    "ja",
    "--set",
    "customer_name=山田 太郎",
    "--set",
    "customer_email=yamada@example.com",
]


def parse_eml(raw: bytes) -> email.message.EmailMessage:
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


def test_text_is_the_body_only() -> None:
    run = cli(BASE)
    assert run.code == 0
    assert run.stdout.startswith("株式会社ミナト物産\n総務部\n部長　山田 太郎 様\n")
    assert "【お詫び】" not in run.stdout  # the subject is not part of the body
    assert run.stdout.endswith("\n") and not run.stdout.endswith("\n\n")


def test_json_carries_everything_a_script_needs() -> None:
    run = cli([*BASE, "--format", "json"])
    data = json.loads(run.stdout)
    assert {"subject", "body", "to", "scenario", "step", "lang", "variables"} <= set(data)
    assert data["scenario"] == "apology" and data["step"] == "first-reply" and data["lang"] == "ja"
    assert data["to"] == "yamada@example.com"
    assert data["subject"] == "【お詫び】ご注文番号A-1024（電気ケトル KT-200）について"
    # the example is relative ("next working day 15:00"): as it reads back, a date and a time
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} 15:00", data["variables"]["callback_at"])
    assert data["variables"]["customer_name"] == "山田 太郎"
    # only what this message uses: the report's manager is not in the first reply
    assert "manager_name" not in data["variables"]


def test_json_variables_read_back_as_data(tmp_path: Path) -> None:
    first = cli([*BASE, "--format", "json"])
    case = tmp_path / "case.json"
    case.write_text(json.dumps(json.loads(first.stdout)["variables"], ensure_ascii=False))
    again = cli(
        ["draft", "apology", "--no-input", "--lang", "ja", "--data", str(case), "--format", "json"]
    )
    assert again.code == 0, again.stderr
    assert json.loads(again.stdout)["body"] == json.loads(first.stdout)["body"]


def test_eml_utf8_parses_with_the_email_package() -> None:
    run = cli([*BASE, "--format", "eml"])
    assert run.code == 0
    raw = run.stdout_bytes
    head = raw.split(b"\n\n", 1)[0]
    assert all(b < 128 for b in head), "headers must be ASCII on the wire (RFC 2047)"
    msg = parse_eml(raw)
    assert msg["To"].addresses[0].addr_spec == "yamada@example.com"
    assert msg["To"].addresses[0].display_name == "山田 太郎"
    assert msg["From"].addresses[0].addr_spec == "support@sample-shoji.example.jp"
    assert str(msg["Subject"]) == "【お詫び】ご注文番号A-1024（電気ケトル KT-200）について"
    for header in ("Date", "Message-ID", "MIME-Version"):
        assert msg[header]
    assert msg["Message-ID"].endswith("@sample-shoji.example.jp>")
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_charset() == "utf-8"
    body = msg.get_body(("plain",))
    assert body is not None
    assert "ご不便をおかけしており" in body.get_content()


def test_eml_iso_2022_jp_parses_and_decodes() -> None:
    run = cli(
        [
            *BASE,
            "--format",
            "eml",
            "--charset",
            "iso-2022-jp",
            "--set",
            "order_ref=ご注文A-1（電気ケトル　～白～）",
        ]
    )
    assert run.code == 0, run.stderr
    raw = run.stdout_bytes
    assert all(b < 128 for b in raw), "ISO-2022-JP mail is 7-bit throughout"
    assert b'charset="iso-2022-jp"' in raw
    assert b"=?iso-2022-jp?" in raw.split(b"\n\n", 1)[0]
    msg = parse_eml(raw)
    assert (
        str(msg["Subject"]) == "【お詫び】ご注文A-1（電気ケトル　〜白〜）について"
    )  # ～ → 〜, same JIS glyph
    assert msg["To"].addresses[0].display_name == "山田 太郎"
    body = msg.get_body(("plain",))
    assert body is not None
    assert "ご不便をおかけしており" in body.get_content()


@pytest.mark.parametrize(
    ("name", "char"),
    [("髙橋 一郎", "髙"), ("山﨑 花", "﨑"), ("Ⅲ世", "Ⅲ"), ("ﾔﾏﾀﾞ", "ﾔ"), ("山田😀", "😀")],
)
def test_iso_2022_jp_refuses_what_it_cannot_carry(name: str, char: str) -> None:
    run = cli(
        [*BASE, "--format", "eml", "--charset", "iso-2022-jp", "--set", f"customer_name={name}"]
    )
    assert run.code == 2
    assert run.stdout == ""
    assert (
        "customer_name" in run.stderr
        and f"'{char}'" in run.stderr
        and "--charset utf-8" in run.stderr
    )


@pytest.mark.parametrize("name", ["髙橋 一郎", "山﨑 花", "山田😀", "ﾔﾏﾀﾞ"])
def test_utf8_carries_rare_kanji_and_emoji(name: str) -> None:
    run = cli([*BASE, "--format", "eml", "--set", f"customer_name={name}"])
    msg = parse_eml(run.stdout_bytes)
    assert msg["To"].addresses[0].display_name == name
    body = msg.get_body(("plain",))
    assert body is not None and f"{name} 様" in body.get_content()


def test_long_japanese_subject_folds_and_decodes() -> None:
    ref = "ご注文番号A-1024（業務用大型電気ケトル KT-200 プロフェッショナルモデル、三台セット）"
    run = cli([*BASE, "--format", "eml", "--set", f"order_ref={ref}"])
    raw = run.stdout_bytes
    head = raw.split(b"\n\n", 1)[0].decode("ascii")
    assert all(len(line) <= 78 for line in head.splitlines()), head
    assert str(parse_eml(raw)["Subject"]) == f"【お詫び】{ref}について"


# Names and subjects with what mail headers quote, encode or fold: commas, quotes, <>@;:(),
# wide and rare characters, and lengths past a header line.
_AWKWARD = st.sampled_from('髙﨑 ,"<>@;:()')
_ANY = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
names = st.text(_ANY | _AWKWARD, max_size=40)


@settings(deadline=None)
@example(to_name="山田", sender_name="", subject="山田 <a@example.com>", local="a")  # To's text
@given(
    to_name=names,
    sender_name=names,
    subject=names.filter(str.strip),
    local=st.from_regex(r"[a-z0-9_+-]{1,10}(\.[a-z0-9_+-]{1,10}){0,2}", fullmatch=True),
)
def test_remembered_headers_write_the_mail_the_standard_policy_writes(
    to_name: str, sender_name: str, subject: str, local: str
) -> None:
    from datetime import datetime

    from claimkit.output import eml
    from claimkit.output.draft import Draft

    draft = Draft(
        scenario="apology",
        step="first-reply",
        lang="ja",
        channel="email",
        audience="customer",
        body="本文です。\n",
        subject=subject,
        to=f"{local}@example.com",
        to_name=to_name,
        sender="support@example.jp",
        sender_name=sender_name,
    )
    when = datetime.fromisoformat("2026-11-23T10:00:00+09:00")

    def mail() -> bytes:  # the Message-ID differs each time: not what is compared
        return b"\n".join(
            line for line in eml.to_eml(draft, now=when).split(b"\n") if b"Message-ID" not in line
        )

    written = [mail() for _ in range(2)]  # the second remembered
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(eml, "_remembering_policy", lambda: policy.default)
        assert written == [mail()] * 2


def test_eml_without_customer_email_has_no_to() -> None:
    run = cli(
        [
            "draft",
            "apology",
            "--example",
            "--no-input",
            "--lang",
            "en",
            "--format",
            "eml",
            "--set",
            "customer_email=",
        ]
    )
    msg = parse_eml(run.stdout_bytes)
    assert msg["To"] is None
    assert msg["Subject"] and msg["Date"]


def test_eml_of_a_step_that_is_not_a_mail_is_refused(team: Path) -> None:
    from tests.conftest import write_playbook

    write_playbook(team, "late")
    pb = team / "playbooks" / "late.yaml"
    pb.write_text(pb.read_text().replace("channel: email", "channel: phone"))
    run = cli(
        ["draft", "late", "--example", "--no-input", "--format", "eml", "--playbooks", str(team)]
    )
    assert run.code == 2
    assert "phone step, not a mail" in run.stderr


def test_out_writes_the_file_and_force_replaces(tmp_path: Path) -> None:
    out = tmp_path / "reply.eml"
    first = sh([*BASE, "--format", "eml", "--out", str(out)])
    assert first.code == 0 and first.stdout == ""
    assert parse_eml(out.read_bytes())["To"].addresses[0].addr_spec == "yamada@example.com"
    again = sh([*BASE, "--format", "text", "--out", str(out), "--force"])
    assert again.code == 0
    assert out.read_text(encoding="utf-8").startswith("株式会社ミナト物産")


def test_out_never_writes_through_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("precious")
    link = tmp_path / "reply.txt"
    link.symlink_to(target)
    refused = sh([*BASE, "--out", str(link)])
    assert refused.code == 2 and "already exists" in refused.stderr
    forced = sh([*BASE, "--out", str(link), "--force"])
    assert forced.code == 0
    assert target.read_text() == "precious"  # the link itself was replaced, not its target
    assert not link.is_symlink()
    assert link.read_text(encoding="utf-8").startswith("株式会社ミナト物産")
