"""The corpus: replies written for the tests; good ones must pass, bad ones must be caught.

Every bad reply reports each rule its case lists (and at least one warning or error),
on the line given after @ when there is one (``denial@7``: the line that carries the
defect); no good reply gets a warning or an error. The cases and their contexts are in
tests/corpus/<lang>/cases.yaml; they are read as of TODAY unless a case gives its own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from claimkit.check.checker import Checker
from claimkit.check.engine import Context
from claimkit.check.text import detect_lang

CORPUS = Path(__file__).parent / "corpus"
CASES = [
    (lang, case)
    for lang in ("ja", "en")
    for case in yaml.safe_load((CORPUS / lang / "cases.yaml").read_text(encoding="utf-8"))
]
CHECKER = Checker()
TODAY = date(2025, 11, 18)  # the replies were written in the week before this day


def findings(lang: str, case: dict[str, object]) -> list[object]:
    text = (CORPUS / lang / str(case["file"])).read_text(encoding="utf-8")
    assert detect_lang(text) == lang
    today = case.get("today", TODAY)
    assert isinstance(today, date)
    context = Context(case.get("scenario"), case.get("step"), today=today)  # type: ignore[arg-type]
    if context.scenario:
        from claimkit.content.catalog import Catalog
        from claimkit.paths import builtin_root

        step = Catalog([builtin_root()]).load(str(context.scenario)).step(context.step)
        context = Context(context.scenario, step.id, step.audience, today)
    return CHECKER.check(text, lang, context)


def test_the_corpus_is_big_enough() -> None:
    for lang in ("ja", "en"):
        good = [c for la, c in CASES if la == lang and str(c["file"]).startswith("good/")]
        bad = [c for la, c in CASES if la == lang and str(c["file"]).startswith("bad/")]
        assert len(good) >= 15 and len(bad) >= 15, lang
        listed = {str(c["file"]) for la, c in CASES if la == lang}
        on_disk = {p.relative_to(CORPUS / lang).as_posix() for p in (CORPUS / lang).rglob("*.txt")}
        assert listed == on_disk, "every file is a case and every case a file"


@pytest.mark.parametrize(("lang", "case"), CASES, ids=[f"{la}/{c['file']}" for la, c in CASES])
def test_corpus_case(lang: str, case: dict[str, object]) -> None:
    found = findings(lang, case)
    serious = [f for f in found if f.severity in ("error", "warning")]  # type: ignore[attr-defined]
    if str(case["file"]).startswith("good/"):
        assert not serious, [(f.rule, f.excerpt) for f in serious]  # type: ignore[attr-defined]
    else:
        assert serious, "a bad reply must be caught"
        where = {f"{f.rule}@{f.line}" for f in found} | {f.rule for f in found}  # type: ignore[attr-defined]
        assert set(case["expect"]) <= where, sorted(where)  # type: ignore[arg-type]
