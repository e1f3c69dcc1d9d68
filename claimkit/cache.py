"""A per-user cache of work that depends only on file contents.

Parsed YAML, rule packs whose examples passed, the variables a template reads:
each is stored under a hash of everything it was computed from (the content and
claimkit's version), so an edited file is never served stale and nothing has to
be invalidated. Values are plain data written with ``marshal``. A cache that
cannot be read or written is simply not used: it only ever saves time.
``CLAIMKIT_CACHE_DIR`` moves it, ``CLAIMKIT_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from claimkit import __version__
from claimkit.errors import ClaimkitError

T = TypeVar("T")

_FORMAT = "1"  # bump when what is stored changes shape


def digest(*parts: str | bytes) -> str:
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{__version__}/{_FORMAT}".encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def cache_root(environ: Mapping[str, str] = os.environ) -> Path | None:
    if environ.get("CLAIMKIT_NO_CACHE"):
        return None
    override = environ.get("CLAIMKIT_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("claimkit", appauthor=False)


class Cache:
    def __init__(self, root: Path | None) -> None:
        self.root = root

    def _path(self, kind: str, key: str) -> Path | None:
        return self.root / kind / key[:2] / key if self.root is not None else None

    def get(self, kind: str, key: str) -> Any:
        path = self._path(kind, key)
        if path is None:
            return None
        try:
            # loads() on the whole file: load() reads a file object value by value, each a
            # method call, ten times slower for a parsed YAML file or a rule pack.
            with open(path, "rb") as f:
                return marshal.loads(f.read())
        except (OSError, EOFError, ValueError, TypeError):
            return None

    def put(self, kind: str, key: str, value: Any) -> None:
        path = self._path(kind, key)
        if path is None:
            return
        try:
            data = marshal.dumps(value)
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
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


@functools.cache
def made_by(*modules: str) -> str:
    """A mark of the code in ``modules`` (by dotted name), for values it makes:
    a claimkit edited in place keeps its version number. Never matches if a file
    cannot be read."""
    h = hashlib.blake2b(digest_size=20)
    for name in modules:
        try:
            h.update(Path(_file_of(name)).read_bytes())
        except (ImportError, ValueError, OSError):
            return os.urandom(20).hex()
    return h.hexdigest()


def _file_of(module: str) -> str:
    """A module's file, found without importing the module if it is not imported yet
    (a cache hit is what spares importing it)."""
    found = sys.modules.get(module)
    if found is not None:
        return found.__file__ or ""
    import importlib.util

    spec = importlib.util.find_spec(module)
    return (spec.origin if spec is not None else None) or ""


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
    cache = default()
    key = digest("yaml", text)
    found = cache.get("yaml", key)
    if found is not None:
        try:
            return build(found[0])
        except ClaimkitError:
            pass
    from claimkit.content.yamldoc import parse_yaml

    data = parse_yaml(text, where)
    result = build(data)
    cache.put("yaml", key, (plain(data),))
    return result
