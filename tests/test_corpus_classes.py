"""Each class of defect of issue 20, pinpointed: see tests/classes.py and the files of
tests/corpus/classes."""

from __future__ import annotations

import pytest

from tests.classes import LANGS, Example, examples, verdict

EXAMPLES = examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example(example: Example) -> None:
    assert verdict(example) is None, (example.text, verdict(example))


def test_every_class_has_many_examples_in_both_languages() -> None:
    for cls in {e.cls for e in EXAMPLES} - {"precision", "keigo"}:
        for lang in LANGS:
            bad = [e for e in EXAMPLES if e.cls == cls and e.lang == lang and e.bad]
            good = [e for e in EXAMPLES if e.cls == cls and e.lang == lang and not e.bad]
            assert len(bad) >= 6 and len(good) >= 4, (cls, lang, len(bad), len(good))
