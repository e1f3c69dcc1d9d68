"""A mail piped in, as mutt's pipe-message and aerc's :pipe do: the questions on the terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

from tests.conftest import default_sigint
from tests.mailbytes import outlook_iso2022jp


def _own_terminal() -> None:
    """In the child: a session of its own whose controlling terminal is its stderr, the
    pseudo-terminal, as a mail client's piped command has the user's terminal."""
    default_sigint()
    os.setsid()
    fcntl.ioctl(2, termios.TIOCSCTTY, 0)


def test_a_piped_mail_s_questions_are_asked_on_the_terminal(config_dir: Path) -> None:
    (config_dir / "profile.yaml").write_text(
        "company_name: 株式会社テスト\nagent_name: 佐藤 花子\ntimezone: Asia/Tokyo\n",
        encoding="utf-8",
    )
    master, slave = pty.openpty()
    args = ["draft", "apology", "--reply-to", "-", "--lang", "ja", "--format", "eml"]
    args += ["--set", "order_ref=A-1024", "--set", "callback_at=2026-12-04 15:00"]
    args += ["--set", "customer_company="]  # no company: the one question left is the point
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimkit", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
        preexec_fn=_own_terminal,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(outlook_iso2022jp())
    proc.stdin.close()  # stdin is the mail, and it has ended: answers come from the terminal
    screen = b""
    end = time.monotonic() + 20
    while "お客様のご指摘".encode() not in screen:
        ready, _, _ = select.select([master], [], [], max(end - time.monotonic(), 0))
        assert ready, screen.decode("utf-8", "replace")
        screen += os.read(master, 4096)
    os.write(master, "電源が入らなかった\n".encode())
    out = proc.stdout.read()
    assert proc.wait(timeout=20) == 0
    os.close(slave)
    os.close(master)
    assert b"In-Reply-To: <000001db4612$0c1a2b30$24388190$@minato.example.co.jp>" in out
    assert "お客様のお名前".encode() not in screen  # the name came from the mail
