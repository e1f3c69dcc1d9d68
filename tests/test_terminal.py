"""On a terminal: prompts and the preview on stderr, the bare product on stdout, Ctrl-C = 130.

stdin and stderr are a real pseudo-terminal here; stdout is a pipe, as when an
agent runs `claimkit draft apology > reply.txt` and answers the prompts.
"""

from __future__ import annotations

import codecs
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import default_sigint

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal:
    def __init__(
        self, args: list[str], env: dict[str, str] | None = None, stdout_tty: bool = False
    ):
        self.master, slave = pty.openpty()
        full_env = {**os.environ, "COLUMNS": "100", "TERM": "xterm", **(env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "claimkit", *args],
            stdin=slave,
            stdout=slave if stdout_tty else subprocess.PIPE,
            stderr=slave,
            env=full_env,
            preexec_fn=default_sigint,
        )
        # The parent keeps the slave open: otherwise what the child writes just before
        # it exits can be lost (reads of the master fail with EIO once no one holds it).
        self.slave = slave
        self.screen = ""
        # A read may end inside a character: decode across reads, not read by read.
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def expect(self, text: str, timeout: float = 20) -> str:
        end = time.monotonic() + timeout
        while text not in ANSI.sub("", self.screen):
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} never appeared; screen:\n{self.screen}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.master, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{text!r} never appeared; screen:\n{self.screen}")
                self.screen += self.decoder.decode(chunk)
        return ANSI.sub("", self.screen)

    def send(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode())

    def finish(self, timeout: float = 20) -> tuple[int, str]:
        out = self.proc.stdout.read().decode() if self.proc.stdout else ""
        code = self.proc.wait(timeout=timeout)
        try:
            while True:
                ready, _, _ = select.select([self.master], [], [], 0.2)
                if not ready:
                    break
                chunk = os.read(self.master, 4096)
                if not chunk:
                    break
                self.screen += self.decoder.decode(chunk)
        except OSError:
            pass
        os.close(self.slave)
        os.close(self.master)
        return code, out


@pytest.fixture
def profile(config_dir: Path) -> Path:
    path = config_dir / "profile.yaml"
    path.write_text(
        "company_name: 株式会社テスト\nagent_name: 佐藤 花子\nlang: ja\n", encoding="utf-8"
    )
    return path


def test_prompts_on_stderr_product_on_stdout(profile: Path) -> None:
    term = Terminal(["draft", "apology"])
    term.expect("お客様のお名前")
    term.send("山田 太郎")
    term.expect("お客様の会社名")
    term.send("")  # optional: skipped, and with it the department and title (when: company)
    screen = term.expect("メールアドレス")
    assert "お客様の部署名" not in screen and "お客様の役職" not in screen
    term.send("")
    term.expect("注文番号")
    term.send("ご注文A-1")
    term.expect("お客様のご指摘")
    term.send("箱が潰れて届いた")
    term.send("")  # a multi-line answer ends with an empty line
    term.expect("お電話する期限")
    term.send("someday")
    term.expect("not a date and time")  # a bad answer is asked again
    term.send("2030-11-25 15:00")
    code, out = term.finish()
    assert code == 0, term.screen
    assert out.startswith("山田 太郎 様\n")
    assert "箱が潰れて届いたとのこと" in out
    assert "2030年11月25日（月）15時までに" in out
    assert "\x1b" not in out and "お客様のお名前" not in out  # stdout is the bare product
    screen = ANSI.sub("", term.screen)
    assert "件名: 【お詫び】ご注文A-1について" in screen  # the preview, on stderr
    assert "株式会社テスト" in screen


def test_no_scenario_on_a_terminal_offers_a_choice(profile: Path) -> None:
    term = Terminal(["draft", "--example"])
    term.expect("どの場面の文面を作りますか")
    screen = term.expect("番号")
    assert "apology" in screen and "メールで届いた苦情への一次返信" in screen
    term.send("1")
    code, out = term.finish()
    assert code == 0, term.screen
    assert "ご不便をおかけしており" in out


def test_ctrl_c_at_a_prompt_exits_130_and_writes_nothing(profile: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "reply.txt"
    term = Terminal(["draft", "apology", "--out", str(out_file)])
    term.expect("お客様のお名前")
    term.proc.send_signal(signal.SIGINT)
    # A signal that lands just before the read blocks is seen when the read returns: a
    # line typed after it returns it (one that got the signal in time never reads it).
    term.send("")
    code, _ = term.finish()
    assert code == 130
    screen = ANSI.sub("", term.screen)
    assert "claimkit: error: interrupted" in screen
    assert "Traceback" not in screen
    assert not out_file.exists() and list(tmp_path.iterdir()) == []


def test_end_of_input_at_a_prompt_is_a_clean_error(profile: Path) -> None:
    term = Terminal(["draft", "apology"])
    term.expect("お客様のお名前")
    os.write(term.master, b"\x04")  # Ctrl-D
    code, out = term.finish()
    assert code == 2
    assert out == ""
    assert "input ended" in ANSI.sub("", term.screen)


def test_both_on_a_terminal_show_the_body_once(profile: Path) -> None:
    term = Terminal(["draft", "apology", "--example"], stdout_tty=True)
    code, _ = term.finish()
    assert code == 0
    screen = ANSI.sub("", term.screen)
    assert screen.count("ご不便をおかけしており") == 1
    assert "件名: 【お詫び】" in screen


def test_no_color_means_no_escape_codes(profile: Path) -> None:
    term = Terminal(["draft", "apology", "--example"], env={"NO_COLOR": "1"})
    code, _ = term.finish()
    assert code == 0
    assert "\x1b" not in term.screen


def test_colour_on_a_terminal_without_no_color(profile: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "claimkit", "draft", "nope"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "TERM": "xterm"},
    )
    proc.wait(timeout=20)
    data = b""
    while select.select([master], [], [], 0.2)[0]:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    os.close(slave)
    os.close(master)
    assert b"\x1b[31;1merror:" in data


def test_init_asks_the_language_first_then_in_it(config_dir: Path) -> None:
    term = Terminal(["init"], env={"LANG": "ja_JP.UTF-8"})
    term.expect("下書きの既定の言語")  # the system's language until the user chooses
    term.send("2")
    term.expect("Your company")  # then every question in the language chosen
    term.send("")
    term.expect("an answer is needed")  # a draft needs the company: asked until given
    term.send("Sample Co")
    term.expect("Your department")
    term.send("")
    term.expect("Your name")
    term.send("Jordan Lee")
    term.expect("Your email address")
    term.send("jordan")
    term.expect("is not an email address (like name@example.com)")
    term.send("jordan@example.com")
    term.expect("Your phone number")
    term.send("")
    term.expect("Your business hours")
    term.send("")
    screen = term.expect("Signature")
    assert "(finish with an empty line)" in screen.splitlines()[-1] + screen  # on the question
    term.send("")
    code, _ = term.finish()
    assert code == 0, term.screen
    saved = (config_dir / "profile.yaml").read_text(encoding="utf-8")
    assert "company_name: Sample Co" in saved and "lang: en" in saved
    assert "agent_email: jordan@example.com" in saved


def test_an_optional_choice_with_its_own_none_offers_nothing_twice(profile: Path) -> None:
    term = Terminal(["draft", "apology", "--lang", "en"])
    term.expect("Customer's name")
    term.send("Jordan Lee")
    screen = term.expect("Number [")
    listed = screen[screen.index("How to address them") :]
    assert re.findall(r"^\s+\d\) (\S+)", listed, re.MULTILINE) == ["Mr.", "Ms.", "Dr.", "none"]
    assert "Number [4]" in listed  # Enter: the full name
    term.send("")
    term.expect("Customer's company")
    term.proc.kill()
    term.finish()
