"""The allow-list that every piece of brief text passes through on its way to HTML.

Brief text is content, never code: nh3 (the Rust ammonia sanitizer) keeps only these
tags, attributes and URL schemes, so raw HTML in a brief cannot put script, event
handlers or dangerous links into an HTML brief or a PDF.
"""

from __future__ import annotations

import nh3

BLOCK_TAGS = {"p", "ul", "ol", "li", "blockquote", "em", "strong", "a", "code", "br", "img",
              "sub", "sup", "abbr", "span", "table", "thead", "tbody", "tr", "th", "td"}
INLINE_TAGS = {"em", "strong", "a", "code", "br", "sub", "sup", "abbr", "span"}
ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "span": {"lang"},
              "img": {"src", "alt", "title", "width", "height"},
              "th": {"align", "scope"}, "td": {"align"},
              "*": {"lang"}}
URL_SCHEMES = {"http", "https", "mailto"}


def clean(fragment: str, tags: set[str]) -> str:
    """``fragment`` with everything outside the allow-list (and ``tags``) removed."""
    return nh3.clean(fragment, tags=tags, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True)


def strip_tags(fragment: str) -> str:
    """The text of an HTML fragment, with every tag removed (entities stay escaped)."""
    return nh3.clean(fragment, tags=set())
