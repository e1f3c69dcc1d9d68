"""Issue 20's classes of defect, measured: per class and language, how many bad examples
get a finding on the line that carries the defect, and how many good ones are left clean.

    python bench/classes.py

The examples are tests/corpus/classes (see tests/classes.py); the tests require them all.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.classes import LANGS, examples, verdict


def main() -> None:
    caught: Counter[tuple[str, str]] = Counter()
    bad: Counter[tuple[str, str]] = Counter()
    clean: Counter[tuple[str, str]] = Counter()
    good: Counter[tuple[str, str]] = Counter()
    for e in examples():
        key = (e.cls, e.lang)
        right = verdict(e) is None
        if e.bad:
            bad[key] += 1
            caught[key] += right
        else:
            good[key] += 1
            clean[key] += right
    classes = sorted({cls for cls, _ in bad | good})
    print(
        f"{'class':<12}" + "".join(f"{lang + ' caught':>12}{lang + ' clean':>11}" for lang in LANGS)
    )
    for cls in classes:
        cells = ""
        for lang in LANGS:
            cells += f"{f'{caught[cls, lang]}/{bad[cls, lang]}':>12}"
            cells += f"{f'{clean[cls, lang]}/{good[cls, lang]}':>11}"
        print(f"{cls:<12}{cells}")


if __name__ == "__main__":
    main()
