"""claimkit.mail's costs: BudouX's import, wrapping a Japanese reply, reading a complaint.

    python bench/mail.py

Prints figures; never pass/fail. Wrapping is timed on a ~470-character Japanese
reply (the built-in apology with its example values) as the template breaks it,
and with each paragraph on one line (what wrapping has most work on): cold (nothing
remembered, BudouX loaded) and warm (every line remembered), and with a different
customer name in every draft, which is what a batch pays.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimkit.mail import wrap as wrapping  # noqa: E402
from claimkit.mail.read import read_complaint  # noqa: E402

REPLY = """株式会社ミナト物産
山田 太郎 様

株式会社サンプル商事 お客様相談室の佐藤 花子でございます。
このたびは、ご注文番号A-1024（電気ケトル KT-200）の件でご連絡をいただき、
ありがとうございます。

お届けした電気ケトルの電源が入らず、朝の支度に使えなかったとのこと、
ご不便をおかけしており、誠に申し訳ございません。

いただいたメールを拝読いたしました。
詳しい状況を、直接お伺いしたく存じます。
2026年11月25日（水）15時までに、担当の佐藤 花子より
お電話を差し上げます。
ご都合の悪い時間帯がございましたら、本メールにご返信ください。

本メールとお電話が前後する場合がございますが、ご容赦ください。
まずはメールにて、お詫びとご連絡を申し上げます。

――――――――――――――――――
株式会社サンプル商事
お客様相談室　佐藤 花子
電話：0120-123-456（受付時間：平日 9時〜18時）
メール：support@sample-shoji.example.jp
――――――――――――――――――
"""
UNBROKEN = "\n\n".join(
    part if part.startswith("―") else part.replace("\n", "") for part in REPLY.split("\n\n")
)


def per_call(fn: Callable[[], object], n: int) -> float:
    """Microseconds a call, the best of five runs of ``n`` calls."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) / n)
    return best * 1e6


# What a draft has imported before it wraps: a module's own cost is measured on top.
BASELINE = "import re, typing, datetime, json, unicodedata, claimkit.errors"


def import_ms(code: str) -> str:
    # with bytecode written, as an installed claimkit runs
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    runs = []
    for n in range(10):
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                f"{BASELINE}\nimport time\nt = time.perf_counter()\n{code}\n"
                "print((time.perf_counter() - t) * 1000)",
            ],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=ROOT,
        )
        if n:  # the first run writes the bytecode
            runs.append(float(out.stdout))
    return f"{statistics.median(runs):.2f} ms (min {min(runs):.2f}, max {max(runs):.2f})"


def main() -> None:
    print(f"{len(REPLY)} characters as the template breaks them, {len(UNBROKEN)} unbroken")
    budoux = import_ms("import budoux\nbudoux.load_default_japanese_parser()")
    print("import budoux + its Japanese model:", budoux)
    print("import claimkit.mail.wrap:", import_ms("import claimkit.mail.wrap"))
    print("import claimkit.mail.read:", import_ms("import claimkit.mail.read"))
    wrapping.wrap(UNBROKEN, "ja")  # BudouX loaded: its import is counted above
    for name, text in (("as the template breaks it", REPLY), ("paragraphs unbroken", UNBROKEN)):

        def cold(text: str = text) -> None:
            wrapping.forget()
            wrapping.wrap(text, "ja")

        warm = per_call(lambda text=text: wrapping.wrap(text, "ja"), 20000)
        print(f"wrap, {name}: cold {per_call(cold, 300):.0f} µs, warm {warm:.1f} µs a draft")
    # a different customer, agent and order number in every draft, as in a batch
    n = iter(range(10**7))
    for name, text in (("as the template breaks it", REPLY), ("paragraphs unbroken", UNBROKEN)):

        def varied(text: str = text) -> None:
            i = next(n)
            for old, new in (
                ("山田 太郎", f"顧客{i}"),
                ("佐藤 花子", f"担当{i}"),
                ("A-1024", f"A-{i}"),
            ):
                text = text.replace(old, new)
            wrapping.wrap(text, "ja")

        print(f"wrap, {name}, new values in every draft: {per_call(varied, 3000):.0f} µs")
    from tests.mailbytes import JST, outlook_iso2022jp  # the test suite's Outlook mail

    data = outlook_iso2022jp()
    read = per_call(lambda: read_complaint(data, "m", tz=JST), 2000)
    print(f"read_complaint, the Outlook ISO-2022-JP mail: {read:.0f} µs")


if __name__ == "__main__":
    main()
