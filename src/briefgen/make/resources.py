"""The resources an edition's HTML names, inlined, so that the HTML edition is one
standalone file and the PDF holds the same images and fonts.

Every ``<img src>``, and every ``url()`` of a stylesheet (the brand's fonts), is
fetched through the confined fetcher and replaced by a ``data:`` URI; an image that is
refused (outside the project, the network, not an image) loses its ``src`` and keeps
its ``alt`` text, a font falls back to the next of its family. A refusal is a warning
located at the field of the brief that named the resource.
"""

from __future__ import annotations

import base64
import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from ..errors import Location, Problem, Severity
from ..layout.fetcher import ConfinedURLFetcher, Refusal
from ..source.load import Path_, format_path
from ..source.model import BriefFile, localized_fields
from .subset import subset_font

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}
FONT_TYPES = {"font/ttf", "font/otf", "font/woff", "font/woff2"}
DRAWN_BY_BROWSER = "•◦▪‐-…0123456789"  # list markers, hyphens, counters
_STYLE = re.compile(r"(<style\b[^>]*>)(.*?)(</style\s*>)", re.DOTALL | re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(["']?)([^"')]*)\1\s*\)""")


class _Tags(HTMLParser):
    """Finds every <img> and <a> start tag: where it is in the text, and its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "a"):
            raw = self.get_starttag_text() or ""
            self.found.append((self.getpos(), raw, tag, attrs))

    handle_startendtag = handle_starttag


class ResourceInliner:
    """Replaces the images and fonts an HTML page names by ``data:`` URIs, fetching each
    once, and drops links to local files, which lead nowhere once a brief is published
    (and would carry the absolute path of the project into its PDF)."""

    def __init__(self, fetcher: ConfinedURLFetcher, base_url: str,
                 local_links: bool = False) -> None:
        self.fetcher = fetcher
        self.base_url = base_url
        # Kept: the front page links to the editions and shows their pictures, files
        # beside it (a thousand pictures inlined would make a page of 60 MB).
        self.local_links = local_links
        self._cache: dict[str, str | None] = {}
        self._fetched: dict[str, tuple[bytes, str] | None] = {}  # a stylesheet's

    def __call__(self, page: str, subset_fonts: bool = True, text: str | None = None) -> str:
        """``page`` with its resources inlined, its fonts cut down to its characters
        unless ``subset_fonts`` is off: off for the HTML a PDF is laid out from, since
        WeasyPrint tells fonts apart by family and style, not by glyphs, and the pages
        of two editions joined into one PDF (a bilingual one-pager) must carry the same
        font, whole. ``text``: the whole page, when ``page`` is the part of it that names
        resources (the front page's head; a thousand briefs below it name none)."""
        # All a page can show, its entities (&nbsp;), the capitals of text-transform and
        # what the browser draws itself (list bullets, hyphens) too: no more.
        text = html.unescape(page if text is None else text)
        characters = frozenset(text + text.upper() + text.lower() + DRAWN_BY_BROWSER)
        page = _STYLE.sub(lambda m: m[1] + _CSS_URL.sub(
            lambda u: self._css_url(u, characters if subset_fonts else None), m[2]) + m[3],
            page)
        parser = _Tags()
        parser.feed(page)
        parser.close()
        if not parser.found:
            return page
        line_starts = [0] + [m.end() for m in re.finditer("\n", page)]
        out, position = [], 0
        for (line, column), raw, tag, attrs in parser.found:
            start = line_starts[line - 1] + column
            if page[start:start + len(raw)] != raw:
                continue  # not where the parser said: leave it rather than guess
            out += [page[position:start], self._tag(tag, attrs)]
            position = start + len(raw)
        out.append(page[position:])
        return "".join(out)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        parts = [f"<{tag}"]
        for name, value in attrs:
            if (tag == "img" and name == "src" and value is not None
                    and not (self.local_links and _local(value))):
                value = self._data_uri(value)
                if value is None:
                    continue
            if (tag == "a" and name == "href" and value is not None and _local(value)
                    and not self.local_links):
                self.fetcher.refuse(urljoin(self.base_url, value.strip()),
                                    "a link to a local file leads nowhere in a published "
                                    "brief; link to a web address")
                continue
            parts.append(f" {name}" if value is None
                         else f' {name}="{html.escape(value, quote=True)}"')
        return "".join(parts) + ">"

    def _css_url(self, match: re.Match[str], characters: frozenset[str] | None) -> str:
        """A stylesheet's url(): an image or a font (cut down to the page's characters),
        inlined; anything else refused."""
        src = match[2].strip()
        if src.lower().startswith("data:"):
            return match[0]
        url = urljoin(self.base_url, src)
        if url not in self._fetched:
            self._fetched[url] = self._get(url, IMAGE_TYPES | FONT_TYPES, "an image or a font")
        got = self._fetched[url]
        if got is not None and got[1] in FONT_TYPES and characters is not None:
            got = subset_font(got[0], characters) or got
        return f'url("{_encoded(got) if got else "data:,"}")'

    def _data_uri(self, src: str, types: set[str] = IMAGE_TYPES,
                  what: str = "an image") -> str | None:
        if src.lower().startswith("data:"):
            return src
        url = urljoin(self.base_url, src.strip())
        if url not in self._cache:
            self._cache[url] = self._fetch(url, types, what)
        return self._cache[url]

    def _fetch(self, url: str, types: set[str], what: str) -> str | None:
        got = self._get(url, types, what)
        return _encoded(got) if got else None

    def _get(self, url: str, types: set[str], what: str) -> tuple[bytes, str] | None:
        got = self.fetcher.get(url)
        if got is not None and got[1] not in types:
            self.fetcher.refuse(url, f"not {what} ({got[1]})")
            return None
        return got


def _encoded(got: tuple[bytes, str]) -> str:
    data, kind = got
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _local(href: str) -> bool:
    """A link to a file beside the page: no scheme, not an anchor in the page itself."""
    href = href.strip()
    return bool(href) and not href.startswith("#") and not urlsplit(href).scheme


_REFERENCE = re.compile(r"""(?:\]\(\s*<?|(?:src|href)\s*=\s*["']?|url\(\s*["']?)([^\s"'()<>]+)""")


def _references(brief_file: BriefFile) -> dict[str, Path_]:
    """Every URL a brief's text names (Markdown links and images, raw src/href), resolved
    as a render resolves it, with the field it is written in."""
    base = f"{brief_file.path.parent.resolve().as_uri()}/"
    found: dict[str, Path_] = {}
    for path, text in localized_fields(brief_file.brief):
        values = text.translations or {"": text.first()}
        for lang, value in values.items():
            for match in _REFERENCE.finditer(value):
                found.setdefault(urljoin(base, match.group(1)), (*path, lang) if lang else path)
    return found


def refusal_problems(brief_file: BriefFile, refused: list[Refusal]) -> list[Problem]:
    """A warning per refused resource, at the field that named it (else the file's start)."""
    if not refused:
        return []
    references = _references(brief_file)
    problems = []
    for refusal in dict.fromkeys(refused):
        path = references.get(refusal.url)
        location = brief_file.location(path) if path else Location(brief_file.path)
        problems.append(Problem(location, str(refusal), format_path(path) if path else "",
                                Severity.WARNING))
    return problems


__all__ = ["ResourceInliner", "refusal_problems"]
