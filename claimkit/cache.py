"""A per-user cache of work that depends only on file contents.

Parsed YAML, rule packs and the verdict that their examples pass, templates as
programs (claimkit.render.program), the built-in content's location: each entry
is stored under one kind of key, ``key(kind, *inputs)``: a hash of the inputs,
claimkit's version and the source of the modules that make that kind of entry
(MAKERS), so an edited file, or a claimkit edited in place, never gets a stale
answer and nothing has to be invalidated.

What it keeps is plain data (marshal of strings, numbers, lists, tuples and
dicts), never code: a template is kept as a program that closures interpret.
It is read only from a folder this user owns and no one else can write to, as
ssh treats its keys; another folder is not used (``refused`` says why, and the
CLI warns once). Each entry holds its own key, checked on reading. A cache that
cannot be read or written is simply not used: it only ever saves time.
``CLAIMKIT_CACHE_DIR`` moves it, ``CLAIMKIT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from claimkit import __version__

T = TypeVar("T")

_FORMAT = "2"  # bump when the shape of what is stored changes

# The modules each kind of entry is made by (jinja2's __init__ carries its version).
MAKERS: dict[str, tuple[str, ...]] = {
    "paths": ("claimkit.paths",),
    "yaml": ("claimkit.content.yamldoc",),
    "template": (
        "claimkit.render.compiler",
        "claimkit.render.program",
        "claimkit.render.sandbox",
        "jinja2",
    ),
    "rules": (
        "claimkit.check.rules",
        "claimkit.check.engine",
        "claimkit.check.text",
        "claimkit.check.loading",
        "claimkit.check.packs",
        "claimkit.check.dates",
        "claimkit.check.backtrack",
    ),
}


def key(kind: str, *parts: str | bytes) -> str:
    """The key of an entry of ``kind`` made from ``parts``: the one way keys are made."""
    h = hashlib.blake2b(digest_size=20)
    for part in (__version__, _FORMAT, kind, made_by(kind), *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def digest(text: str) -> str:
    """A short fingerprint of a text (an included template, say) an entry was made from."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@functools.cache
def made_by(kind: str) -> str:
    """A mark of the code that makes entries of ``kind``; never matches if a file of it
    cannot be read."""
    h = hashlib.blake2b(digest_size=20)
    for name in MAKERS[kind]:
        try:
            h.update(Path(_file_of(name)).read_bytes())
        except (ImportError, ValueError, OSError):
            return os.urandom(20).hex()
    return h.hexdigest()


def _file_of(module: str) -> str:
    """A module's file, found without importing it if it is not imported yet (a cache hit
    is what spares importing Jinja and the compiler)."""
    found = sys.modules.get(module)
    if found is not None:
        return found.__file__ or ""
    import importlib.util

    spec = importlib.util.find_spec(module)
    return (spec.origin if spec is not None else None) or ""


def cache_root(environ: Mapping[str, str] = os.environ) -> Path | None:
    if environ.get("CLAIMKIT_NO_CACHE"):
        return None
    override = environ.get("CLAIMKIT_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    from claimkit.paths import user_folder

    return user_folder("cache", environ)


def _untrusted(st: os.stat_result) -> str | None:
    """Why a file or folder with this status could hold what another user wrote."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # no owners to compare (Windows): the user's profile folder is private
        return None
    if st.st_uid != getuid():
        return "belongs to another user"
    if st.st_mode & 0o022:
        return "can be written by other users"
    return None


class Cache:
    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.refused: str | None = None  # why the folder is not used, for the CLI to say
        if root is not None:
            self._trust(root)

    def _trust(self, root: Path) -> None:
        try:
            root.mkdir(parents=True, exist_ok=True, mode=0o700)
            reason = _untrusted(root.stat())
        except OSError:
            self.root = None  # unusable: it only ever saves time
            return
        if reason is not None:
            self.refused = (
                f"the cache folder {root} {reason}, so it is not used; "
                f"give CLAIMKIT_CACHE_DIR a folder of your own (chmod 700)"
            )
            self.root = None

    def _path(self, kind: str, key: str) -> Path | None:
        return self.root / kind / key[:2] / key if self.root is not None else None

    def get(self, kind: str, key: str) -> Any:
        path = self._path(kind, key)
        if path is None:
            return None
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as f:
                if _untrusted(os.fstat(f.fileno())) is not None:
                    return None
                # loads() on the whole file: load() reads a file object value by value.
                stored = marshal.loads(f.read())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if not isinstance(stored, tuple) or len(stored) != 2 or stored[0] != key:
            return None  # not what was stored under this key
        return stored[1]

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        if path is None:
            return
        try:
            data = marshal.dumps((key, value))
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            import tempfile  # a cache hit, the usual run, writes nothing

            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except (OSError, ValueError):
            pass  # a read-only or full disk costs speed, never a draft


_default: Cache | None = None


def default() -> Cache:
    """The cache of this process (one per run: the environment does not change under it)."""
    global _default
    if _default is None:
        _default = Cache(cache_root())
    return _default


def reset() -> None:
    """Forget the process's cache choice (tests change the environment between runs)."""
    global _default
    _default = None


def plain(value: Any) -> Any:
    """YAML data without its line numbers, as marshal stores it."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def from_yaml(text: str, where: str, build: Callable[[Any], T]) -> T:
    """``build`` applied to the YAML of ``text``, parsed once per distinct text.

    A hit needs no YAML parser at all (nor importing one). Only data that ``build``
    accepted is kept; if kept data no longer passes (claimkit's checks changed),
    it is parsed again with line numbers, so every error points at its line.
    """
    store = default()
    entry = key("yaml", text)
    found = store.get("yaml", entry)
    if found is not None:
        try:
            return build(found)
        except Exception:
            pass
    from claimkit.content.yamldoc import parse_yaml

    data = parse_yaml(text, where)
    result = build(data)
    store.put("yaml", entry, plain(data))
    return result
