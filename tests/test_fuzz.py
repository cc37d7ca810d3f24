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
from briefgen.text.markdown import markdown_to_html
from briefgen.text.sanitize import ATTRIBUTES, BLOCK_TAGS, URL_SCHEMES

from .conftest import MINIMAL

settings.register_profile("ci", max_examples=400, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=20_000, deadline=None,
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
