"""Loading YAML: every problem located at the line and column a writer can jump to."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import BriefError
from briefgen.source.load import load_yaml


def problems_of(path: Path) -> list[str]:
    with pytest.raises(BriefError) as info:
        load_yaml(path)
    return [f"{p.location.line}:{p.location.column}: {p.message}" for p in info.value.problems]


def test_values_and_keys_are_located(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("title:\n  en: Hello\nlist:\n  - one\n  - {text: two}\n")
    loaded = load_yaml(path)
    assert loaded.data == {"title": {"en": "Hello"}, "list": ["one", {"text": "two"}]}
    assert (loaded.source_map.value(("title", "en")).line,
            loaded.source_map.value(("title", "en")).column) == (2, 7)
    assert loaded.source_map.key(("list",)).line == 3
    assert loaded.source_map.value(("list", 1, "text")).line == 5
    # a path that does not exist falls back to its nearest ancestor
    assert loaded.source_map.value(("list", 1, "missing")).line == 5


def test_syntax_error_is_located(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("title: {en: Hello\ndate: 2024-01-01\n")
    [problem] = problems_of(path)
    assert problem.startswith("2:5: YAML syntax: expected ',' or '}'")


def test_duplicate_key_is_refused_at_the_second(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("title: A\ndate: 2024-01-01\ntitle: B\n")
    assert problems_of(path) == ["3:1: duplicate key 'title' (first defined at line 1)"]


def test_python_tags_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text("title: !!python/object/apply:os.system ['echo hi']\n")
    assert problems_of(path) == [
        "1:8: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"]
    path.write_text("title: !!python/name:os.system\n")
    [problem] = problems_of(path)
    assert problem.startswith("1:8: YAML syntax: could not determine a constructor")


def test_alias_bomb_fails_fast(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{', '.join([f'*{prev}'] * 10)}]")
    path = tmp_path / "b.yaml"
    path.write_text("\n".join(lines) + "\n")
    [problem] = problems_of(path)
    assert "after expanding aliases and merges; is this an alias bomb?" in problem


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "1:1: the file is empty; a brief is a mapping of fields (run `briefgen new ID` "
          "for a skeleton)"),
    (b"- a\n- b\n", "1:1: the top level must be a mapping of fields (title:, date:, ...), "
                    "not a list"),
    (b"title: caf\xe9\n", "1:11: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
])
def test_unusable_files(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "b.yaml"
    path.write_bytes(content)
    assert problems_of(path) == [expected]
