"""SVG images bounded before WeasyPrint draws them.

An SVG is a program of sorts: ``<use>`` elements that reference each other multiply the
work exponentially, and a few hundred bytes can take hours to draw. WeasyPrint's SVG
drawing catches every exception, so no time limit can be trusted to reach through it;
instead every SVG a render would read is parsed here first (with defusedxml: no entity
expansion, no external DTD) and its cost counted as WeasyPrint would pay it: each
element, and each element a reference draws again. An SVG over the bounds is refused
like any other resource.
"""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

MAX_ELEMENTS = 20_000  # drawn, with every reference expanded; a chart has hundreds
MAX_DEPTH = 64  # nested elements
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
# Attributes and style properties whose url(#id) draws the element it names.
_URL_REFERENCE = re.compile(r"url\(\s*['\"]?#([^'\")\s]+)")
_DRAWING_REFERENCES = ("fill", "stroke", "marker-start", "marker-mid", "marker-end",
                       "clip-path", "mask", "filter", "style")


def looks_like_xml(data: bytes) -> bool:
    """Whether WeasyPrint might read ``data`` as SVG (it tries XML on what is no raster)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<"


def svg_problem(data: bytes) -> str | None:
    """Why an SVG must not be drawn, in words; None when it is within the bounds (or
    is not XML at all, which WeasyPrint will not draw either)."""
    try:
        root = fromstring(data)
    except DefusedXmlException as exc:
        return f"an SVG with {type(exc).__name__} ({exc}): entities and DTDs are not read"
    except (ParseError, ValueError):
        return None
    if _depth(root) > MAX_DEPTH:
        return f"an SVG nested more than {MAX_DEPTH} elements deep"
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    try:
        drawn = _Cost(by_id)(root, 0)
    except _Cycle as exc:
        return f"an SVG whose element #{exc} references itself"
    except _TooDeep:
        return f"an SVG whose references lead more than {MAX_DEPTH} levels deep"
    if drawn > MAX_ELEMENTS:
        return (f"an SVG that draws {drawn:,} elements once its references are expanded; "
                f"the limit is {MAX_ELEMENTS:,}")
    return None


def _depth(root: Element) -> int:
    deepest, todo = 0, [(root, 1)]
    while todo:
        element, depth = todo.pop()
        deepest = max(deepest, depth)
        if depth <= MAX_DEPTH:  # deeper is over the bound already
            todo += [(child, depth + 1) for child in element]
    return deepest


class _Cycle(Exception):
    pass


class _TooDeep(Exception):
    pass


class _Cost:
    """How many elements drawing an element means, each reference drawn again in full."""

    def __init__(self, by_id: dict[str | None, Element]) -> None:
        self.by_id = by_id
        self.known: dict[int, int] = {}
        self.open: set[int] = set()

    def __call__(self, element: Element, depth: int) -> int:
        key = id(element)
        if key in self.known:
            return self.known[key]
        if key in self.open:
            raise _Cycle(element.get("id") or element.tag)
        if depth > 2 * MAX_DEPTH:  # elements and references, each at most MAX_DEPTH
            raise _TooDeep
        self.open.add(key)
        total = 1
        for child in element:
            total += self(child, depth + 1)
            if total > MAX_ELEMENTS:
                break  # the answer is "too many" already: stop counting
        for target in self._references(element):
            total += self(target, depth + 1)
            if total > MAX_ELEMENTS:
                break
        self.open.discard(key)
        self.known[key] = total
        return total

    def _references(self, element: Element) -> list[Element]:
        names = []
        if element.tag.rpartition("}")[2] in ("use", "tref"):
            href = element.get("href") or element.get(XLINK_HREF) or ""
            if href.startswith("#"):
                names.append(href[1:])
        for attribute in _DRAWING_REFERENCES:
            names += _URL_REFERENCE.findall(element.get(attribute) or "")
        return [self.by_id[name] for name in names if name in self.by_id]
