"""claimkit's benchmarks: start-up, the check, batches. Prints tables; never pass/fail.

    python bench/run.py                # everything (the memory run drafts a million cases)
    python bench/run.py startup        # only start-up
    python bench/run.py check batch --memory-cases 100000

Start-up runs each command alternately and reports medians; the peer is
jinja2-cli rendering a comparable Japanese reply (install it with
`pip install jinja2-cli`, or give its path with --jinja2-cli). Throughput is
measured in one process, the best of three passes; the whole-process and memory
figures in a child process, as a script would run claimkit.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def claimkit_cmd() -> list[str]:
    script = BIN / "claimkit"
    return [str(script)] if script.exists() else [sys.executable, "-m", "claimkit"]


def example_case(lang: str = "ja") -> dict[str, object]:
    out = subprocess.run(
        [
            *claimkit_cmd(),
            "draft",
            "apology",
            "--lang",
            lang,
            "--example",
            "--no-input",
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    variables: dict[str, object] = json.loads(out)["variables"]
    return variables


def table(title: str, rows: list[tuple[str, ...]]) -> None:
    print(f"\n{title}")
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print(
            "  "
            + "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            print("  " + "  ".join("-" * w for w in widths))


# --- start-up -----------------------------------------------------------------------------------


def startup(args: argparse.Namespace, work: Path) -> None:
    case = work / "case.json"
    case.write_text(json.dumps(example_case(), ensure_ascii=False), encoding="utf-8")
    peer_data = work / "peer.json"
    peer_data.write_text(
        json.dumps(
            {
                "customer_name": "山田 太郎",
                "company_name": "株式会社サンプル商事",
                "agent_name": "佐藤",
                "issue": "ご注文の電気ケトルの電源が入らなかった",
                "callback_time": "本日17時",
                "date": "2026年11月23日",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "claimkit draft (pipe)": [
            *claimkit_cmd(),
            "draft",
            "apology",
            "--lang",
            "ja",
            "--no-input",
            "--data",
            str(case),
        ],
        "claimkit draft --no-check": [
            *claimkit_cmd(),
            "draft",
            "apology",
            "--lang",
            "ja",
            "--no-input",
            "--data",
            str(case),
            "--no-check",
        ],
        "claimkit --help": [*claimkit_cmd(), "--help"],
    }
    peer = args.jinja2_cli or shutil.which("jinja2")
    if peer:
        commands["jinja2-cli (peer)"] = [peer, "--strict", str(HERE / "reply.j2"), str(peer_data)]
    else:
        print(
            "(jinja2-cli not found: pip install jinja2-cli, or --jinja2-cli PATH, for the peer row)"
        )
    env = {**os.environ, "NO_COLOR": "1"}

    def once(cmd: list[str]) -> float:
        t = time.perf_counter()
        subprocess.run(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            env=env,
            check=True,
        )
        return time.perf_counter() - t

    for cmd in commands.values():  # warm the caches: the OS's and claimkit's
        once(cmd)
        once(cmd)
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            times[name].append(once(cmd))
    med = {k: statistics.median(v) for k, v in times.items()}
    base = med["python -c pass"]
    peer_time = med.get("jinja2-cli (peer)")
    rows = [("command", "median ms", "x python", "x jinja2-cli")]
    for name, m in med.items():
        rows.append(
            (
                name,
                f"{m * 1000:.0f}",
                f"{m / base:.1f}",
                f"{m / peer_time:.2f}" if peer_time else "-",
            )
        )
    table(f"Start-up (medians of {args.repeat} alternated runs)", rows)


# --- the check ----------------------------------------------------------------------------------


def replies(n: int) -> Iterator[tuple[str, str, object]]:
    """n replies of about 600 characters: the built-in drafts, each with its own name and point."""
    from datetime import date

    from claimkit.check.engine import Context
    from claimkit.content.catalog import Catalog
    from claimkit.paths import builtin_root
    from claimkit.pipeline import Request, make_draft
    from claimkit.render.renderer import Renderer
    from claimkit.values.resolve import Sources

    catalog = Catalog([builtin_root()])
    renderer = Renderer(catalog.roots)
    kinds = [
        (s, st.id, lang)
        for s in catalog.ids()
        for st in catalog.load(s).steps
        if st.template
        for lang in ("ja", "en")
    ]
    for i in range(n):
        scenario, step, lang = kinds[i % len(kinds)]
        name = f"山田 {i}郎" if lang == "ja" else f"Alex Morgan {i}"
        point = (
            f"届いた商品{i}が動かず、予定していた作業{i % 97}ができなかった"
            if lang == "ja"
            else f"item {i} did not work, so job {i % 97} could not be done"
        )
        request = Request(
            scenario,
            lang,
            Sources(overrides={"customer_name": name, "customer_point": point}, example=True),
            date(2026, 11, 23),
            step,
        )
        try:
            d = make_draft(catalog, renderer, request).draft
        except Exception:
            continue
        yield d.body, lang, Context(d.scenario, d.step, d.audience)


def check_speed(args: argparse.Namespace, work: Path) -> None:
    from claimkit.check.checker import Checker
    from claimkit.check.engine import check

    texts = list(replies(args.replies))
    chars = statistics.mean(len(t) for t, _, _ in texts)
    checker = Checker()
    rules = {lang: checker.rules(lang) for lang in ("ja", "en")}
    rows = [("10,000 replies", "replies/s", "µs each")]
    for label, forget in (
        ("as drafted (shared paragraphs remembered)", False),
        ("every paragraph new (memo cleared each time)", True),
    ):
        best = float("inf")
        for _ in range(3):  # the best of three: the least disturbed by the rest of the machine
            for r in rules.values():
                r.memo.clear()
            t = time.process_time()
            for text, lang, context in texts:
                if forget:
                    rules[lang].memo.clear()
                check(text, rules[lang], context)
            best = min(best, time.process_time() - t)
        rows.append((label, f"{len(texts) / best:,.0f}", f"{best / len(texts) * 1e6:.0f}"))
    table(f"Check, one core ({len(texts):,} replies of {chars:.0f} characters on average)", rows)


# --- batches ------------------------------------------------------------------------------------


def cases(n: int) -> Iterator[bytes]:
    base = example_case()
    for i in range(n):
        base["customer_name"] = f"顧客{i:07d}"
        yield (json.dumps(base, ensure_ascii=False) + "\n").encode()


def child(cmd: list[str], feed: Iterator[bytes] | None = None) -> tuple[float, float]:
    """Wall seconds and peak memory (MiB) of one claimkit process."""
    t = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdin=subprocess.PIPE if feed else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if feed is not None:

        def pump() -> None:
            assert proc.stdin is not None
            for chunk in feed:
                proc.stdin.write(chunk)
            proc.stdin.close()

        threading.Thread(target=pump, daemon=True).start()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    took = time.perf_counter() - t
    if proc.returncode not in (0,):
        raise SystemExit(f"{cmd} exited {proc.returncode}")
    return took, usage.ru_maxrss / 1024  # Linux reports KiB


def batch(args: argparse.Namespace, work: Path) -> None:
    from datetime import date

    from claimkit.batch.job import Job, json_line, outcomes
    from claimkit.batch.source import read_cases
    from claimkit.check.checker import Checker
    from claimkit.content.catalog import Catalog
    from claimkit.paths import builtin_root
    from claimkit.pipeline import Request
    from claimkit.render.renderer import Renderer
    from claimkit.values.resolve import Sources

    path = work / "cases.jsonl"
    with open(path, "wb") as f:
        f.writelines(cases(10_000))
    catalog = Catalog([builtin_root()])
    base = Request(scenario="apology", lang="ja", sources=Sources(), today=date.today())
    rows = [("10,000 cases (JSONL, apology, ja)", "drafts/s", "seconds")]
    checker = Checker()

    for label, with_check in (
        ("drafted in one process, without the check", None),
        ("drafted and checked in one process", checker.check_draft),
    ):
        took = float("inf")
        for _ in range(3):  # the best of three: the least disturbed by the rest of the machine
            with open(path, "rb") as stream:  # in one process: read, draft, (check,) serialise
                job = Job(
                    catalog=catalog,
                    renderer=Renderer(catalog.roots),
                    base=base,
                    check=with_check,
                    default_lang="ja",
                    fmt="jsonl",
                    charset="utf-8",
                    eight_bit=False,
                    name=None,
                    where="cases",
                    memo={},
                )
                t = time.perf_counter()
                n = 0
                for outcome in outcomes(job, read_cases(stream, "cases")):
                    assert outcome.draft is not None
                    json_line(outcome)
                    n += 1
                took = min(took, time.perf_counter() - t)
        rows.append((label, f"{n / took:,.0f}", f"{took:.2f}"))
    cmd = [*claimkit_cmd(), "draft", "apology", "--lang", "ja", "--batch", str(path), "-q"]
    for label, extra in (
        ("whole process, with the check", []),
        ("whole process, --no-check", ["--no-check"]),
    ):
        child(cmd + extra)  # warm the cache
        times = [child(cmd + extra)[0] for _ in range(3)]
        m = statistics.median(times)
        rows.append((label, f"{10_000 / m:,.0f}", f"{m:.2f}"))
    table("Batch", rows)
    n = args.memory_cases
    took, peak = child(
        [*claimkit_cmd(), "draft", "apology", "--lang", "ja", "--batch", "-", "-q"], cases(n)
    )
    table(
        "Memory",
        [
            ("cases streamed through stdin", "peak MiB", "seconds"),
            (f"{n:,}", f"{peak:.0f}", f"{took:.0f}"),
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("parts", nargs="*", help="startup, check, batch [default: all]")
    parser.add_argument("--repeat", type=int, default=15, help="start-up runs per command")
    parser.add_argument("--replies", type=int, default=10_000)
    parser.add_argument("--memory-cases", type=int, default=1_000_000)
    parser.add_argument("--jinja2-cli", help="path of the jinja2 command (jinja2-cli)")
    args = parser.parse_args()
    parts = args.parts or ["startup", "check", "batch"]
    unknown = set(parts) - {"startup", "check", "batch"}
    if unknown:
        parser.error(f"unknown part: {', '.join(sorted(unknown))}")
    print(f"claimkit benchmarks on Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # A cache of its own, so the figures are the same on every machine and run.
        os.environ["CLAIMKIT_CACHE_DIR"] = str(work / "cache")
        os.environ["CLAIMKIT_CONFIG_DIR"] = str(work / "config")
        for part in parts:
            {"startup": startup, "check": check_speed, "batch": batch}[part](args, work)


if __name__ == "__main__":
    main()
