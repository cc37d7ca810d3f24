"""Property-based tests: no input, however broken, gets past briefgen as anything but
a located briefgen error, and sanitized HTML never carries script.

CI runs a fixed, derandomized number of examples. For a longer hunt:

    HYPOTHESIS_PROFILE=long pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import nh3
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.errors import BriefError
from briefgen.render.templates import Templates
from briefgen.source.editions import Edition
from briefgen.source.load import load_yaml
from briefgen.source.model import localized_fields
from briefgen.source.validate import validate_brief
from briefgen.text.convert import markdown_to_html
from briefgen.text.sanitize import ATTRIBUTES, BLOCK_TAGS, URL_SCHEMES

from .conftest import MINIMAL

settings.register_profile("ci", max_examples=400, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
# The fast tier (pytest -m "not slow ...") samples fewer: it is run on every change.
settings.register_profile("fast", max_examples=100, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TEMPLATES = Templates(None)
AUDIENCES = set(TEMPLATES.audiences)
FIELDS = ["title", "subtitle", "date", "languages", "authors", "summary", "key_figures",
          "necessity", "achievements", "challenges", "recommendations", "references",
          "sources", "extra"]
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[a](javascript:x)",
           "{{ 7*7 }}", "{% raw %}", "\"", "«", "\u202e", "\x00", "![i](/etc/passwd)",
           "<style>*{}</style>", "&amp;", "*", "`", "\n\n- ", "<!--", "]]>", "\t"]

text = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE),
                 st.lists(st.sampled_from(HOSTILE), max_size=4).map("".join))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    text, st.dates())
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS + ["en", "ru", "text",
                                                                           "date", "id"]),
                                                 inner, max_size=4)), max_leaves=12)
good_text = st.one_of(st.text(min_size=1, max_size=40).filter(str.strip),
                      st.sampled_from(HOSTILE),
                      st.lists(st.sampled_from(HOSTILE), min_size=1, max_size=4).map("".join))
good_localized = st.one_of(good_text, st.fixed_dictionaries({"en": good_text,
                                                             "ru": good_text}))
localized = st.one_of(good_localized, values)


@st.composite
def briefs(draw: st.DrawFn) -> dict[str, Any]:
    """Briefs with hostile text; a quarter of them with some field broken or missing."""
    broken = draw(st.integers(0, 3)) == 0
    field = localized if broken else good_localized
    brief: dict[str, Any] = yaml.safe_load(MINIMAL)
    brief["languages"] = draw(st.sampled_from([["en"], ["en", "ru"], ["ru", "en"]]))
    for name in ("title", "summary", "necessity"):
        brief[name] = draw(field)
    item = st.one_of(field, st.fixed_dictionaries(
        {"text": field}, optional={"date": st.one_of(st.integers(1000, 2999),
                                                     st.sampled_from(["2017-11", "2016-11-02"])),
                                   "priority": st.integers(1, 5),
                                   "audiences": st.lists(st.sampled_from(sorted(AUDIENCES)),
                                                         max_size=2),
                                   "title": field}))
    for name in ("achievements", "challenges", "recommendations"):
        brief[name] = draw(st.lists(item, min_size=1, max_size=3))
    if draw(st.booleans()):
        brief["key_figures"] = draw(st.lists(st.fixed_dictionaries(
            {"value": st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                                good_text), "label": field}), max_size=3))
    if draw(st.booleans()):
        brief["references"] = draw(st.lists(st.fixed_dictionaries(
            {"id": st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True), "text": field},
            optional={"url": st.sampled_from(["https://example.org/x", "javascript:x",
                                              "ftp://x"])}),
            max_size=2, unique_by=lambda r: r["id"]))
    if broken:
        for name in draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=2)):
            if draw(st.booleans()):
                brief.pop(name, None)
            else:
                brief[name] = draw(values)
    return brief


def check_problems_are_located(error: BriefError, path: Path) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.location.file == path
        assert problem.location.line >= 1 and problem.location.column >= 1
        assert problem.message


def load_validate_render(path: Path) -> None:
    """The whole path from file to HTML; only a located BriefError may come out."""
    try:
        brief_file = validate_brief(load_yaml(path), AUDIENCES, path.parent)
    except BriefError as error:
        check_problems_are_located(error, path)
        return
    for lang in brief_file.brief.languages:
        complete = all(text.has(lang) for _, text in _localized(brief_file))
        if not complete:
            continue
        for audience in TEMPLATES.audiences.values():
            html = TEMPLATES.render(brief_file, audience, Edition.single(lang))
            assert_safe(html)


def _localized(brief_file: Any) -> Any:
    return localized_fields(brief_file.brief)


def assert_safe(html: str) -> None:
    body = html.split("<body", 1)[1]
    lowered = body.lower()
    assert "<script" not in lowered
    assert not re.search(r"<[^>]+\son\w+\s*=", lowered)
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data):", lowered)


@pytest.mark.slow
@given(briefs())
def test_generated_briefs_fail_only_with_located_errors(brief: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
        load_validate_render(path)


@given(st.data())
def test_mutated_yaml_fails_only_with_located_errors(data: st.DataObject) -> None:
    source = bytearray(MINIMAL.encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 6))):
        position = data.draw(st.integers(0, len(source)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        byte = data.draw(st.sampled_from(list(b":-{}[]&*!|>'\"#%@`\n\t \x00\xff") + [0xe2]))
        if action == "insert":
            source.insert(position, byte)
        elif source and position < len(source):
            if action == "delete":
                del source[position]
            else:
                source[position] = byte
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(bytes(source))
        load_validate_render(path)


@given(st.text(max_size=200) | st.lists(st.sampled_from(HOSTILE + ["a", " ", "x=y"]),
                                        max_size=12).map("".join))
def test_sanitized_markdown_is_safe_and_stable(source: str) -> None:
    for lang in ("en", "ru"):
        html = str(markdown_to_html(source, lang))
        assert_safe(f"<body>{html}")
        # Cleaning again changes nothing: the output is already within the allow-list.
        again = nh3.clean(html, tags=BLOCK_TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                          link_rel="noopener noreferrer", strip_comments=True)
        assert again == html


# --- parsers and walkers that bound their work ----------------------------------------------

@st.composite
def merge_documents(draw: st.DrawFn) -> str:
    """YAML with anchors, aliases and merge keys (<<) wired at random, some into bombs."""
    lines = []
    count = draw(st.integers(1, 12))
    for i in range(count):
        keys = draw(st.lists(st.sampled_from(["a", "b", "c", "en", "ru", "text"]), max_size=3,
                             unique=True))
        merges = draw(st.lists(st.integers(0, max(0, i - 1)), max_size=6)) if i else []
        parts = [f"{k}: {draw(st.sampled_from(['1', 'x', '017', '[1, 2]']))}" for k in keys]
        if merges:
            parts.append("<<: [" + ", ".join(f"*n{m}" for m in merges) + "]")
        lines.append(f"n{i}: &n{i} {{{', '.join(parts)}}}")
    if draw(st.booleans()):
        lines.append("self: &s {<<: *s}")
    return "\n".join(lines) + "\n"


@given(merge_documents())
def test_merge_keys_resolve_or_fail_located_and_fast(document: str) -> None:
    import time

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "merge.yaml"
        path.write_text(document, encoding="utf-8")
        started = time.perf_counter()
        try:
            load_yaml(path)
        except BriefError as error:
            check_problems_are_located(error, path)
        assert time.perf_counter() - started < 2


WRAPPERS = {
    "quote": lambda t: "> " + t.replace("\n", "\n> "),
    "list": lambda t: "- " + t.replace("\n", "\n  "),
    "ordered": lambda t: "1. " + t.replace("\n", "\n   "),
    "tag": lambda t: f"<em>{t}</em>",
    "span": lambda t: f"<span>{t}",
    "emphasis": lambda t: f"*_{t}_*",
    "link": lambda t: f"[{t}](https://x.org)",
    "paragraphs": lambda t: f"{t}\n\nword",
}


@st.composite
def nested_markdown(draw: st.DrawFn) -> str:
    """A word wrapped in quotes, lists, tags, emphasis and links, up to 60 levels deep."""
    text = draw(st.sampled_from(["word", "*em*", "`code`", "a\nb"]))
    for kind in draw(st.lists(st.sampled_from(sorted(WRAPPERS)), max_size=60)):
        text = WRAPPERS[kind](text)
    return text


@given(nested_markdown())
def test_nested_markdown_is_refused_located_or_converts_within_bounds(text: str) -> None:
    from briefgen.text.convert import MAX_HTML_DEPTH, NestingError

    brief = yaml.safe_load(MINIMAL)
    brief["languages"] = ["en"]
    brief["necessity"] = text
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "nested.yaml"
        path.write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
        try:
            validate_brief(load_yaml(path), AUDIENCES, path.parent)
        except BriefError as error:
            check_problems_are_located(error, path)
            return
    try:
        html = str(markdown_to_html(text, "en"))
    except NestingError:
        return  # located by the view; never a RecursionError
    assert html.count("<blockquote>") <= MAX_HTML_DEPTH


@st.composite
def svg_documents(draw: st.DrawFn) -> str:
    """SVGs of random groups and <use> references, some cyclic, some amplifying."""
    count = draw(st.integers(1, 30))
    groups = []
    for i in range(count):
        targets = draw(st.lists(st.integers(0, count - 1), max_size=8))
        body = "".join(f'<use href="#g{t}"/>' for t in targets) or '<rect width="1"/>'
        depth = draw(st.integers(0, 3))
        groups.append(f'<g id="g{i}">' + "<g>" * depth + body + "</g>" * depth + "</g>")
    return ('<svg xmlns="http://www.w3.org/2000/svg"><defs>' + "".join(groups)
            + '</defs><use href="#g0"/></svg>')


def _drawn(svg: str, cap: int) -> int:
    """Elements drawn, expanding every reference naively: the cost the checker bounds."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    total, todo = 0, [root]
    while todo and total <= cap:
        element = todo.pop()
        total += 1
        todo += list(element)
        href = element.get("href") or ""
        if href.startswith("#") and href[1:] in by_id:
            todo.append(by_id[href[1:]])
    return total


@given(svg_documents())
def test_svg_checker_bounds_what_it_accepts(svg: str) -> None:
    from briefgen.layout.svg import MAX_ELEMENTS, svg_problem

    problem = svg_problem(svg.encode())
    if problem is None:
        assert _drawn(svg, MAX_ELEMENTS * 2) <= MAX_ELEMENTS
