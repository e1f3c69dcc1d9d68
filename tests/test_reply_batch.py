"""A batch whose cases answer complaint mails: a reply_to file per row."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pytest

from tests.conftest import cli
from tests.mailbytes import mail, word


def write_mail(path: Path, name: str, address: str, mid: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        mail(
            f"""
From: {word(name.encode(), "UTF-8")} <{address}>
Subject: {word("ケトルの件".encode(), "UTF-8")}
Message-ID: <{mid}>
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit
""",
            f"{name}です。電源が入りません。\n".encode(),
        )
    )


@pytest.fixture
def cases(tmp_path: Path) -> Path:
    """A batch file in its own folder, with the mails its rows name beside it."""
    folder = tmp_path / "export"
    write_mail(folder / "mails" / "1.eml", "山田 太郎", "yamada@example.jp", "one@example.jp")
    write_mail(folder / "mails" / "2.eml", "高橋 美和", "miwa@example.net", "two@example.net")
    rows = [
        {"reply_to": "mails/1.eml"},
        {"reply_to": "mails/missing.eml"},
        {"customer_name": "佐藤 一郎", "reply_to": "mails/2.eml", "step": "first-reply"},
        {"reply_to": "-"},
        {"customer_name": "鈴木 次郎", "customer_email": "suzuki@example.jp"},
    ]
    source = folder / "cases.jsonl"
    source.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return source


ARGS = ["draft", "apology", "--lang", "ja", "--example", "--no-check", "-j", "1"]


def test_each_row_answers_its_own_mail_found_beside_the_batch(
    cases: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)  # elsewhere: the paths are the batch file's
    run = cli([*ARGS, "--batch", str(cases)])
    assert run.code == 1
    drafted = {r["row"]: r for r in map(json.loads, run.stdout.splitlines())}
    assert sorted(drafted) == [1, 3, 5]
    one, three, five = drafted[1], drafted[3], drafted[5]
    assert (one["to"], one["in_reply_to"]) == ("yamada@example.jp", "<one@example.jp>")
    assert (
        one["subject"] == "Re: ケトルの件"
        and "\n> 山田 太郎です。電源が入りません。\n" in one["body"]
    )
    assert three["to"] == "miwa@example.net" and "佐藤 一郎 様\n" in three["body"]  # the row wins
    assert "in_reply_to" not in five and ">" not in five["body"]  # no mail, no threading
    missing = cases.parent / "mails" / "missing.eml"
    assert f"row 2: {missing}: no such file" in run.stderr
    assert "row 4: 'reply_to' names a file; '-' (stdin) holds the batch itself" in run.stderr


def test_mails_into_a_folder_wrapped_and_without_quotes(cases: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = cli([*ARGS, "--batch", str(cases), "--out-dir", str(out), "-f", "eml", "--no-quote"])
    assert run.code == 1
    msg = email.message_from_bytes(
        (out / "000001-apology-first-reply.eml").read_bytes(), policy=policy.default
    )
    assert msg["In-Reply-To"] == "<one@example.jp>" and msg["References"] == "<one@example.jp>"
    body = msg.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert ">" not in text and "山田 太郎 様" in text


def test_a_csv_column_names_the_mail(cases: Path) -> None:
    source = cases.parent / "cases.csv"
    source.write_text("reply_to,order_ref\nmails/2.eml,A-2048\n", encoding="utf-8")
    run = cli([*ARGS, "--batch", str(source)])
    assert run.code == 0, run.stderr
    (record,) = map(json.loads, run.stdout.splitlines())
    assert record["to"] == "miwa@example.net" and record["variables"]["order_ref"] == "A-2048"
