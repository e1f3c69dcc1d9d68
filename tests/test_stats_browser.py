"""The HTML report in a real browser: headless Chromium draws the charts, and the page
asks for nothing.

How: one Chromium, driven over the DevTools protocol (--remote-debugging-pipe),
opens four pages in turn and records every request each page makes
(Network.requestWillBeSent, which sees a page's own loads and none of the
browser's background traffic):
- the report as claimkit writes it: no request at all;
- the same page without its Content-Security-Policy: still none, so the page
  itself asks for nothing rather than the policy stopping it;
- a canary page that loads an image and calls fetch(): both seen, so the
  recording works;
- an empty page, whose screenshot the report's is compared with: the report's
  differs in most of its area, and the bars' colours are there.
Any request that did leave would fail on this machine: a proxy at a closed
local port, and every host name resolving to nothing.

Skipped, with the reason, where there is no Chromium; CI installs it and sets
CLAIMKIT_TEST_REQUIRE_BROWSER=1, which turns the skip into a failure.
CLAIMKIT_WRITE_SCREENSHOT=1 writes the report's screenshot to docs/stats-report.png.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from case_logs import CALENDAR
from stats_example import AS_OF, build_example

from claimkit.cases.store import open_log
from claimkit.stats.text import PALETTE, STATUS
from tests.conftest import REPO, cli

WIDTH, HEIGHT = 800, 2400
CANARY = (
    '<!DOCTYPE html><html><body><img src="http://canary.invalid/pixel.png" alt="">'
    '<script>fetch("https://canary.invalid/data")</script></body></html>'
)
EMPTY = '<!DOCTYPE html><html><body style="background:#fff"></body></html>'


def chromium() -> str:
    found = os.environ.get("CLAIMKIT_TEST_CHROMIUM") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None,
    )
    if not found:
        reason = "no Chromium here (apt-get install chromium; or CLAIMKIT_TEST_CHROMIUM=PATH)"
        if os.environ.get("CLAIMKIT_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and CLAIMKIT_TEST_REQUIRE_BROWSER=1")
        pytest.skip(reason)
    return found


class Browser:
    """Headless Chromium over the DevTools pipe: JSON messages ending in NUL on fds 3 and 4."""

    def __init__(self, executable: str, profile: Path) -> None:
        closed = socket.socket()
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        closed.close()  # nothing listens there: a request that got out would fail at once
        to_browser, self._write = os.pipe()
        self._read, from_browser = os.pipe()

        def fds() -> None:
            # Chromium reads commands from fd 3 and writes to fd 4; park both ends
            # above them first, in case a pipe end already is fd 3 or 4.
            high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser, from_browser)]
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.proc = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-extensions",
                f"--user-data-dir={profile}",
                "--remote-debugging-pipe",
                f"--proxy-server=http://127.0.0.1:{port}",
                "--proxy-bypass-list=<-loopback>",
                "--host-resolver-rules=MAP * ~NOTFOUND",
                "--hide-scrollbars",
                "about:blank",
            ],
            pass_fds=(3, 4),  # kept open in the child after fds() made them
            preexec_fn=fds,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser)
        os.close(from_browser)
        self._buffer = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        for reply in self._messages(time.monotonic() + 30):
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
        raise AssertionError(f"no answer to {method}")

    def wait_for(self, method: str, session: str) -> None:
        if any(e["method"] == method and e.get("sessionId") == session for e in self.events):
            return
        for message in self._messages(time.monotonic() + 30):
            if message.get("method") == method and message.get("sessionId") == session:
                return
        raise AssertionError(f"{method} never came")

    def _messages(self, deadline: float) -> Iterator[dict[str, Any]]:
        while time.monotonic() < deadline:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "method" in message:
                    self.events.append(message)
                yield message
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise AssertionError("Chromium closed the pipe")
            self._buffer += chunk

    def visit(self, url: str) -> tuple[list[str], bytes]:
        """The URLs the page asked for (itself aside), and its screenshot (PNG)."""
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Network.enable", session)
        self.send("Page.enable", session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=WIDTH,
            height=HEIGHT,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.events.clear()
        self.send("Page.navigate", session, url=url)
        self.wait_for("Page.loadEventFired", session)
        shot = base64.b64decode(self.send("Page.captureScreenshot", session, format="png")["data"])
        asked = [
            e["params"]["request"]["url"]
            for e in self.events
            if e["method"] == "Network.requestWillBeSent" and e.get("sessionId") == session
        ]
        self.send("Target.closeTarget", targetId=target)
        return [u for u in asked if u != url], shot

    def close(self) -> None:
        with contextlib.suppress(AssertionError):
            self.send("Browser.close")
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._write)
        os.close(self._read)


def pixels(png: bytes) -> tuple[int, int, int, list[bytes]]:
    """Width, height, bytes a pixel and the RGB(A) rows of an 8-bit, non-interlaced PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, []
    width = height = bpp = 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        body = png[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and not interlace, (depth, color, interlace)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            chunks.append(body)
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    prev = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2 and not any(line):
            line = bytearray(prev)  # a row like the one above: most of a page
        elif kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + (left + prev[i]) // 2) & 255
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


class Sources(HTMLParser):
    """Every place in a page that could make the browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "srcset", "poster", "action", "data"):
                self.found.append(value or "")
            if name == "style" and value:
                self.found += re.findall(r"url\(\s*['\"]?([^'\")]*)", value)

    def handle_data(self, data: str) -> None:
        self.found += re.findall(r"url\(\s*['\"]?([^'\")]*)", data)
        self.found += re.findall(r"@import\s+['\"]?([^'\";]*)", data)


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[Path]:
    """A folder in memory where there is one: the example log's ~400 transactions then take
    0.2 s instead of 1.3 s waiting for the disk, and this test is about the page."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    with tempfile.TemporaryDirectory(dir=shm) as folder:
        yield Path(folder)


def test_the_report_draws_its_charts_and_asks_for_nothing(
    tmp_path: Path, memory: Path, config_dir: Path
) -> None:
    browser = Browser(chromium(), tmp_path / "profile")  # it starts while the log is made
    try:
        (config_dir / "profile.yaml").write_text("timezone: Asia/Tokyo\n", encoding="utf-8")
        log = memory / "cases.db"
        with open_log(log, calendar=CALENDAR) as opened:
            assert build_example(opened) > 50
        page = tmp_path / "report.html"
        at = ["--as-of", AS_OF.isoformat(), "--lang", "ja"]
        run = cli(["stats", "--database", str(log), *at, "--html", str(page)])
        assert run.code == 0, run.stderr
        html = page.read_text(encoding="utf-8")

        sources = Sources()
        sources.feed(html)
        assert [s for s in sources.found if not s.startswith(("#", "data:"))] == []
        assert not {"script", "link", "iframe", "object", "embed", "img", "base"} & sources.tags
        assert html.count("<svg") == 4
        policy = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n', html)
        assert policy and "default-src 'none'" in policy.group()
        bare = tmp_path / "bare.html"
        bare.write_text(html.replace(policy.group(), ""), encoding="utf-8")
        canary, empty = tmp_path / "canary.html", tmp_path / "empty.html"
        canary.write_text(CANARY, encoding="utf-8")
        empty.write_text(EMPTY, encoding="utf-8")

        asked, shot = browser.visit(page.as_uri())
        asked_bare, _ = browser.visit(bare.as_uri())
        asked_canary, _ = browser.visit(canary.as_uri())
        asked_empty, blank = browser.visit(empty.as_uri())
    finally:
        browser.close()
    assert sorted(asked_canary) == [
        "http://canary.invalid/pixel.png",
        "https://canary.invalid/data",
    ]
    assert (asked, asked_bare, asked_empty) == ([], [], [])
    if os.environ.get("CLAIMKIT_WRITE_SCREENSHOT") == "1":
        (REPO / "docs" / "stats-report.png").write_bytes(shot)

    width, height, bpp, rows = pixels(shot)
    _, _, blank_bpp, blank_rows = pixels(blank)
    assert (width, height, bpp) == (WIDTH, HEIGHT, blank_bpp)
    # Rows of the screenshot unlike the empty page's: text, cards, charts, tables.
    changed = sum(a != b for a, b in zip(rows, blank_rows, strict=True))
    assert changed > 0.3 * height, changed
    # The bars' colours: apology's weekly columns; on-target replies and kept promises;
    # late replies and promises, and the overdue bars. (A pattern could also match across
    # two pixels; the threshold is far above such chance.)
    opaque = b"\xff" if bpp == 4 else b""
    counts = {
        c: sum(row.count(bytes.fromhex(c[1:]) + opaque) for row in rows)
        for c in (PALETTE[0], STATUS[0], STATUS[1])
    }
    assert all(n > 2000 for n in counts.values()), counts
