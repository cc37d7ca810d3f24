"""YAML -> a plain tree of Python values, with the line and column of every node.

PyYAML's safe loader does the parsing and the scalar typing; this module walks the
composed node graph itself so that it can remember where every key and value
stood, reject duplicate keys (PyYAML silently keeps the last one), and bound what
an alias bomb or a pathological nesting can cost.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import BriefError, Location, Problem

Path_ = tuple[str | int, ...]

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 100_000  # after alias expansion; a real brief has a few hundred
MAX_DEPTH = 32
PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
MERGE_TAG = "tag:yaml.org,2002:merge"
NUMBER_TAGS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
# Numbers as YAML 1.2 and every reader agree on them: decimal digits, no leading
# zero, a decimal point or an exponent; infinities and NaN are refused later.
PLAIN_NUMBER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?"
                          r"|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)"
                          r"|\.(?:nan|NaN|NAN)")


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a loaded file stood."""

    file: Path
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def value(self, path: Path_) -> Location:
        """The location of the value at ``path``, or of its nearest ancestor that exists."""
        return self._find(self.values, path)

    def key(self, path: Path_) -> Location:
        """The location of the key that names ``path`` (falls back to the value's)."""
        if path in self.keys:
            return self._location(self.keys[path])
        return self.value(path)

    def _find(self, table: dict[Path_, tuple[int, int]], path: Path_) -> Location:
        for end in range(len(path), -1, -1):
            if path[:end] in table:
                return self._location(table[path[:end]])
        return Location(self.file)

    def _location(self, mark: tuple[int, int]) -> Location:
        return Location(self.file, mark[0], mark[1])


@dataclass
class LoadedFile:
    path: Path
    data: dict[str, Any]
    source_map: SourceMap


def read_source(path: Path) -> bytes:
    """A source file's bytes, or a located error saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _error(Location(path), f"cannot read the file: {exc.strerror}") from None


def load_yaml(path: Path, raw: bytes | None = None) -> LoadedFile:
    """Read a YAML file whose top level must be a mapping; raise BriefError if it cannot.

    ``raw`` is the file's content when the caller has read it already.
    """
    data, source_map = load_yaml_tree(path, raw, "a brief is a mapping of fields (run "
                                      "`briefgen new ID` for a skeleton)")
    if not isinstance(data, dict):
        raise _error(source_map.value(()), "the top level must be a mapping of fields "
                     f"(title:, date:, ...), not {describe_type(data)}")
    return LoadedFile(path, data, source_map)


def load_yaml_tree(path: Path, raw: bytes | None = None,
                   empty: str = "") -> tuple[Any, SourceMap]:
    """Read a YAML (or JSON) file, whatever its top level, with where each value was
    written; raise BriefError if it cannot. ``empty`` says what the file should hold."""
    source_map = SourceMap(path)
    if raw is None:
        raw = read_source(path)
    if len(raw) > MAX_FILE_BYTES:
        raise _error(Location(path), f"the file is {len(raw):,} bytes; the limit is "
                     f"{MAX_FILE_BYTES:,}")
    text = _decode(path, raw)
    if not text.strip():
        raise _error(Location(path), f"the file is empty; {empty}" if empty
                     else "the file is empty")
    try:
        data = _parse(text, source_map, FAST_LOADER)
    except yaml.YAMLError:
        # libyaml is ten times faster, but PyYAML's own parser words its errors
        # better ("expected ',' or '}', but got ':'"): ask it to say what is wrong.
        data = _parse_reporting(path, text, source_map)
    return data, source_map


FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse(text: str, source_map: SourceMap, loader_class: type) -> Any:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _error(Location(source_map.file), "the file holds no YAML document")
        return _Walker(loader, source_map).construct(node, (), 0)
    finally:
        loader.dispose()


def _parse_reporting(path: Path, text: str, source_map: SourceMap) -> Any:
    try:
        return _parse(text, source_map, yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        location = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        raise _error(location, f"YAML syntax: {message}") from None
    except yaml.YAMLError as exc:  # errors without a mark, e.g. a reader error
        raise _error(Location(path), f"YAML: {exc}") from None


def describe_type(value: Any) -> str:
    """Name a YAML value's type the way a brief writer thinks of it."""
    if value is None:
        return "nothing (null)"
    names = {bool: "a yes/no value", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return f"a {type(value).__name__}"


class _Walker:
    def __init__(self, loader: yaml.SafeLoader, source_map: SourceMap) -> None:
        self.loader = loader
        self.source_map = source_map
        self.visited = 0
        self._merged: dict[int, list[tuple[yaml.Node, yaml.Node, Any, str | int]]] = {}

    def construct(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self._count(node)
        if depth > MAX_DEPTH:
            raise _error(self._here(node), f"nested deeper than {MAX_DEPTH} levels")
        self.source_map.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in PLAIN_TAGS:
            # PyYAML's safe constructor refuses these for scalars; collections are
            # walked here, so refuse them here too (e.g. !!python/object/apply).
            raise _error(self._here(node), f"YAML tag {node.tag!r} is not allowed")
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.construct(item, (*path, i), depth + 1)
                    for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _count(self, node: yaml.Node) -> None:
        self.visited += 1
        if self.visited > MAX_NODES:
            raise _error(self._here(node), f"more than {MAX_NODES:,} values after expanding "
                         "aliases and merges; is this an alias bomb?")

    def _scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:  # e.g. 2017-02-30 typed as a date
            kind = node.tag.rsplit(":", 1)[-1].replace("timestamp", "date")
            raise BriefError([Problem(self._here(node), f"{node.value!r} is not a valid "
                                      f"{kind}: {exc}", format_path(path))]) from None
        if (not node.style and node.tag in NUMBER_TAGS  # plain: None, or '' from libyaml
                and not PLAIN_NUMBER.fullmatch(node.value)):
            # YAML 1.1 reads 017 as 15, 0x1F as 31 and 1:20 as 80; a writer meant the
            # digits as written, or text.
            raise BriefError([Problem(
                self._here(node), f"{node.value!r} is read by YAML as the number {value!r}; "
                f"put it in quotes (\"{node.value}\") if it is text, or write the number "
                "in plain digits", format_path(path))])
        return value

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node, key, name in self._pairs(node):
            child: Path_ = (*path, name)
            self.source_map.keys[child] = (key_node.start_mark.line + 1,
                                           key_node.start_mark.column + 1)
            result[key] = self.construct(value_node, child, depth + 1)
        return result

    def _pairs(self, node: yaml.MappingNode, merging: frozenset[int] = frozenset()
               ) -> list[tuple[yaml.Node, yaml.Node, Any, str | int]]:
        """The key/value pairs of a mapping with its merge keys (``<<``) resolved as
        YAML says: its own keys win over merged ones, and an earlier merged mapping
        over a later one. Each pair gathered is counted, so that a merge bomb fails
        as an alias bomb does, before anything is expanded; each mapping's pairs are
        gathered once."""
        if id(node) in self._merged:
            return self._merged[id(node)]
        if id(node) in merging:
            raise _error(self._here(node), "a mapping merges itself (<<)")
        own: list[tuple[yaml.Node, yaml.Node, Any, str | int]] = []
        sources: list[yaml.MappingNode] = []
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == MERGE_TAG:
                sources += self._merge_sources(value_node)
                continue
            key = self._key(key_node)
            if key in seen:
                raise _error(self._here(key_node), f"duplicate key {key!r} (first defined "
                             f"at line {seen[key]})")
            seen[key] = key_node.start_mark.line + 1
            # Keys name fields; one YAML typed otherwise (2017:, yes:) is named as text.
            name = key if isinstance(key, (str, int)) and not isinstance(key, bool) else str(key)
            own.append((key_node, value_node, key, name))
        pairs = list(own)
        for source in sources:
            for pair in self._pairs(source, merging | {id(node)}):
                self._count(pair[0])
                if pair[2] not in seen:
                    seen[pair[2]] = pair[0].start_mark.line + 1
                    pairs.append(pair)
        self._merged[id(node)] = pairs
        return pairs

    def _merge_sources(self, value: yaml.Node) -> list[yaml.MappingNode]:
        items = value.value if isinstance(value, yaml.SequenceNode) else [value]
        if not all(isinstance(item, yaml.MappingNode) for item in items):
            raise _error(self._here(value), "a merge (<<) takes a mapping, or a list of "
                         "mappings")
        return list(items)

    def _key(self, key_node: yaml.Node) -> Any:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _error(self._here(key_node), "a key must be plain text")
        key = self.loader.construct_object(key_node, deep=True)
        if not isinstance(key, Hashable):
            raise _error(self._here(key_node), "a key must be plain text")
        return key

    def _here(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        return Location(self.source_map.file, mark.line + 1, mark.column + 1)


def format_path(path: Path_) -> str:
    """('achievements', 2, 'text') -> 'achievements[2].text', the way the docs name fields."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1:]
        column = len(line_start.decode("utf-8", errors="replace")) + 1
        raise _error(Location(path, line, column),
                     f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8"
                     ) from None


def _error(location: Location, message: str) -> BriefError:
    return BriefError([Problem(location, message)])
