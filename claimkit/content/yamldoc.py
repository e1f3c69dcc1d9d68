"""Safe YAML with positions: every mapping and list remembers the line it came from.

Only the safe loader is used (the C one when PyYAML has it, as the PyPI wheels do:
it parses several times faster). Documents whose aliases would expand past a fixed
number of nodes ("billion laughs") and recursive aliases are refused before they
are built, and so are duplicate keys, which YAML would otherwise drop silently.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any

import yaml

from claimkit.content.fields import YDict, YList
from claimkit.errors import ClaimkitError, ContentError

MAX_NODES = 200_000


_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    pass


def _construct_map(loader: Any, node: yaml.MappingNode) -> Iterator[YDict]:
    data = YDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    explicit = [k for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"]
    loader.flatten_mapping(node)
    merged_count = len(node.value) - len(explicit)
    seen: set[Any] = set()
    for i, (key_node, value_node) in enumerate(node.value):
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if i >= merged_count:
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = key_node.start_mark.line + 1


def _construct_seq(loader: Any, node: yaml.SequenceNode) -> Iterator[YList]:
    data = YList()
    data.line = node.start_mark.line + 1
    yield data
    data.extend(loader.construct_object(child, deep=True) for child in node.value)
    data.item_lines = [child.start_mark.line + 1 for child in node.value]


# Dates stay text: claimkit parses them by the variable's type, in more forms than
# YAML knows, and plain text is what the cache (claimkit.cache) can store.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Base.yaml_implicit_resolvers.items()
}
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _refuse_bombs(root: yaml.Node, where: str, error: type[ClaimkitError]) -> None:
    """Count the nodes the document expands to, aliases included, without building it."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done:
            on_path.discard(key)
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > MAX_NODES:
                raise error(
                    f"the document expands to more than {MAX_NODES:,} values "
                    "(aliases repeated inside aliases); refused",
                    where=f"{where}:{node.start_mark.line + 1}",
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise error(
                "an alias refers to itself; refused", where=f"{where}:{node.start_mark.line + 1}"
            )
        on_path.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)


def parse_yaml(text: str, where: str, *, error: type[ClaimkitError] = ContentError) -> Any:
    """Parse one YAML document; errors carry ``where:line:column``."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _refuse_bombs(node, where, error)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        pos = f"{where}:{mark.line + 1}:{mark.column + 1}" if mark else where
        problem = e.problem or e.context or "unreadable"
        raise error(f"malformed YAML: {problem}", where=pos) from None
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, max(e.position, 0)) + 1
        char = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        raise error(f"malformed YAML: {e.reason} ({char})", where=f"{where}:{line}") from None
    except yaml.YAMLError as e:
        raise error(f"malformed YAML: {str(e).splitlines()[0]}", where=where) from None
    except RecursionError:
        raise error("malformed YAML: nested too deeply", where=where) from None
    finally:
        loader.dispose()
