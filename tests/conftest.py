"""Shared test setup: an empty config folder, no colour, and two ways to run the CLI."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from claimkit.cli import main
from claimkit.content.catalog import Catalog
from claimkit.pipeline import Request
from claimkit.render.renderer import Renderer
from claimkit.values.resolve import Sources

# Property tests run a small number of examples by default, so the suite stays about a
# minute; CI selects the larger profile (HYPOTHESIS_PROFILE=ci in .ci/run).
settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=400, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def compiled_package() -> None:
    """claimkit byte-compiled once, as an installed wheel is. The suite starts a few
    hundred claimkit processes; where PYTHONDONTWRITEBYTECODE is set, each would
    compile every module it imports from source again (a sixth of the suite's time)."""
    import compileall

    compileall.compile_dir(REPO / "claimkit", quiet=1)


SCENARIOS = (
    "apology",
    "phone-handoff",
    "thank-you-after-fix",
    "product-defect",
    "threat",
    "escalation",
    "progress-update",
    "review-reply",
    "our-fault",
    "manager-call",
    "decision",
    "phone-first",
    "closing",
)
LANGS = ("ja", "en")


@pytest.fixture(autouse=True)
def clean_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own empty config folder and no colour, whatever the developer has."""
    config = tmp_path_factory.mktemp("config")
    monkeypatch.setenv("CLAIMKIT_CONFIG_DIR", str(config))
    # the case log's default file lives in the user data folder: never the developer's
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in (
        *("CLAIMKIT_LANG", "CLAIMKIT_PLAYBOOKS", "CLAIMKIT_DEBUG", "CLAIMKIT_DATABASE_URL"),
        *("LC_ALL", "LC_MESSAGES"),
    ):
        monkeypatch.delenv(name, raising=False)
    return config


@pytest.fixture
def config_dir(clean_env: Path) -> Path:
    return clean_env


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    stdout_bytes: bytes = b""


def cli(
    args: Sequence[str], input: str | bytes | None = None, env: dict[str, str] | None = None
) -> Run:
    """Run claimkit in-process through ``main()``, the console script's entry point, with
    stdin, stdout and stderr swapped for buffers (none is a terminal), and ``env`` added
    to the environment for the run."""
    if env:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            return cli(args, input)
    data = input.encode() if isinstance(input, str) else (input or b"")
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
    try:
        code = main(list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        stdout.flush()
        stderr.flush()
    raw = out.getvalue()
    return Run(code, raw.decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"), raw)


def default_sigint() -> None:
    """For a child that is to get Ctrl-C: SIGINT back to its default, which Python turns
    into KeyboardInterrupt. A background job (pytest run with &) starts with SIGINT
    ignored, and its children would inherit that."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def sh(
    args: Sequence[str],
    input: bytes | str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
) -> Run:
    """Run claimkit as a real process (python -m claimkit), its stdin/stdout pipes."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    data = input.encode() if isinstance(input, str) else input
    proc = subprocess.run(
        [sys.executable, "-m", "claimkit", *args],
        input=data if data is not None else b"",
        capture_output=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
    )
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        proc.stdout,
    )


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Path]:
    """An empty team folder laid out like the built-in content."""
    (tmp_path / "team" / "playbooks").mkdir(parents=True)
    (tmp_path / "team" / "templates" / "ja").mkdir(parents=True)
    (tmp_path / "team" / "templates" / "en").mkdir(parents=True)
    yield tmp_path / "team"


MINIMAL_PLAYBOOK = """\
id: {id}
title: {{ja: テスト, en: Test}}
summary: {{ja: テストの場面, en: A test scenario}}
steps:
  - id: mail
    title: {{ja: メール, en: Mail}}
    do: {{ja: 送る, en: Send it}}
    channel: email
    template: {id}/mail.j2
variables:
  - name: order_ref
    prompt: {{ja: 注文番号, en: Order}}
    example: A-1
"""


def write_playbook(
    team: Path, pid: str, body: str | None = None, templates: dict[str, str] | None = None
) -> Path:
    path = team / "playbooks" / f"{pid}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body if body is not None else MINIMAL_PLAYBOOK.format(id=pid), encoding="utf-8")
    for lang in LANGS:
        tdir = team / "templates" / lang / pid
        tdir.mkdir(parents=True, exist_ok=True)
        text = (templates or {}).get(
            lang,
            "{% set subject %}S {{ order_ref }}{% endset %}{{ customer_name }} {{ order_ref }}\n",
        )
        (tdir / "mail.j2").write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def session_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache for the whole session, the built-in rule packs already in it.

    Every entry's key is made from the content it was made from and the code that made
    it, so what one test leaves is right for any other: the tests share one cache as
    the runs of one user do, and a playbook, template or rule pack is parsed once for
    the session instead of once a test (about a sixth of the suite's time).
    """
    import claimkit.cache
    from claimkit.check.loading import load_rules

    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLAIMKIT_CACHE_DIR", str(folder))
        claimkit.cache.reset()
        for lang in LANGS:
            load_rules(lang)
    claimkit.cache.reset()
    return folder


@pytest.fixture(autouse=True)
def fresh_cache(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """The cache this test's runs use (in-process ones see this environment): the
    session's, or for a test marked ``own_cache`` (it plants or damages entries, or
    watches what a run with nothing cached does) an empty one of its own."""
    import claimkit.cache

    if request.node.get_closest_marker("own_cache") is None:
        folder = request.getfixturevalue("session_cache")
    else:
        folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CLAIMKIT_CACHE_DIR", str(folder))
    claimkit.cache.reset()
    return folder


def jinja_only(renderer: Renderer) -> Renderer:
    """The renderer with no template compiled to a function: Jinja renders every draft."""
    renderer.fast = lambda name, lang: None  # type: ignore[method-assign]
    return renderer


def builtin_requests(
    catalog: Catalog, today: date, variants: Sequence[dict[str, str]] = ({},)
) -> Iterator[Request]:
    """A request with the example values for every built-in step that has a message, in
    both languages, once for each set of ``--set`` values in ``variants``."""
    for scenario in catalog.ids():
        for step in catalog.load(scenario).steps:
            if step.template:
                for lang in LANGS:
                    for overrides in variants:
                        sources = Sources(example=True, overrides=overrides)
                        yield Request(scenario, lang, sources, today, step.id)
