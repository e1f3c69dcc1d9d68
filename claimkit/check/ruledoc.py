"""The built-in rules as a Markdown table, generated from the packs so the docs cannot drift.

``python -m claimkit.check.ruledoc`` prints it; ``--write README.md`` replaces the
part of the file between the ``<!-- rules -->`` markers.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from claimkit.check.loading import builtin_pack_path, read_pack
from claimkit.check.rules import Rule

START, END = "<!-- rules -->", "<!-- /rules -->"


def _scope(rule: Rule) -> str:
    s = rule.scope
    parts = []
    if s.scenarios:
        parts.append(", ".join(sorted(s.scenarios)))
    if s.steps:
        parts.append(", ".join(sorted(s.steps)))
    if s.audiences:
        parts.append("to " + " or ".join(sorted(s.audiences)))
    if s.quoted:
        parts.append("or a threat quoted from the customer")
    return "; ".join(parts) or "every reply"


def table() -> str:
    rows = [
        "| rule | language | severity | kind | applies to | message |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for lang in ("ja", "en"):
        for rule in read_pack(builtin_pack_path(lang)).rules:
            message = (
                rule.message.replace("|", "\\|").replace("{match}", "…").replace("{count}", "N")
            )
            message = message.replace("{suggestion}", "…").replace("{max}", str(rule.max))
            for name in ("{date}", "{weekday}", "{today}"):
                message = message.replace(name, "…")
            cells = [f"`{rule.id}`", lang, rule.severity, rule.kind, _scope(rule), message]
            rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def replace_in(text: str) -> str:
    block = f"{START}\n{table()}{END}"
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"no {START} ... {END} markers in the file")
    return pattern.sub(lambda _: block, text)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--write"] and len(argv) == 2:
        path = Path(argv[1])
        path.write_text(replace_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        sys.stdout.write(table())


if __name__ == "__main__":
    main(sys.argv[1:])
