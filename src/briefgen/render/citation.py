"""How a brief is published and cited: its imprint (publisher, series and number,
address, licence, disclaimer) and its citation in each language.

The citation is one CSL-JSON record per language, the form reference managers
exchange. "Cite as" is that record formatted by citeproc-py with a CSL style: the
built-in ``csl/en.csl`` (Chicago author-date) and ``csl/ru.csl`` (ГОСТ Р 7.0.100-2018),
or a project's own ``templates/csl/<lang>.csl``. The same record gives the Highwire
``citation_*`` tags that Google Scholar reads.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..errors import BriefError, Problem
from ..source.load import format_path
from ..source.model import Author, BriefFile
from ..source.settings import ProjectConfig
from ..source.types import LocalizedText
from ..text.convert import NestingError, inline_markdown_to_html, plain_text
from ..text.sanitize import INLINE_TAGS, clean
from ..text.typography import no_widow

CSL_LOCALES = {"en": "en-US", "ru": "ru-RU"}
# Creative Commons licences by SPDX id: how a reader knows them, and where they are.
LICENCES = {f"CC-{code.upper()}-4.0": (f"CC {code.upper().replace('-', ' ')} 4.0",
                                       f"https://creativecommons.org/licenses/{code}/4.0/")
            for code in ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd")}
LICENCES["CC0-1.0"] = ("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/")


@dataclass(frozen=True)
class Publishing:
    """What a project publishes its briefs under: briefgen.yaml's ``publication``, the
    publisher's name from _brand.yml when it gives none, and the folders holding the
    CSL styles (the project's templates first)."""

    config: ProjectConfig = field(default_factory=ProjectConfig)
    brand_name: str = ""
    style_folders: tuple[Path, ...] = ()

    def style(self, lang: str) -> Path | None:
        for name in (f"{lang}.csl", "en.csl"):
            for folder in self.style_folders:
                if (folder / "csl" / name).is_file():
                    return folder / "csl" / name
        return None


@dataclass(frozen=True)
class Imprint:
    """A brief's publication details in one language, as its editions show them."""

    publisher: str = ""
    series: str = ""  # "Policy Brief"
    number: str = ""  # "12/2026"; the templates write "Policy Brief No. 12/2026"
    url: str = ""
    contact: Markup = field(default_factory=Markup)
    licence: str = ""  # "CC BY 4.0", or the project's own words
    licence_url: str = ""
    disclaimer: Markup = field(default_factory=Markup)
    cite_as: Markup = field(default_factory=Markup)
    record: dict[str, Any] = field(default_factory=dict)  # CSL-JSON

    @property
    def shown(self) -> bool:
        """Whether there is anything to show beyond the citation."""
        return bool(self.publisher or self.series or self.number or self.contact
                    or self.licence or self.disclaimer or self.url)

    def highwire(self) -> list[tuple[str, str]]:
        """The ``citation_*`` meta tags of the HTML head (Google Scholar's)."""
        r = self.record
        year, month, day = (r["issued"]["date-parts"][0] + [1, 1])[:3]
        tags = [("citation_title", r["title"]),
                *(("citation_author", _name_text(a)) for a in r.get("author", [])),
                ("citation_publication_date", f"{year:04d}/{month:02d}/{day:02d}"),
                ("citation_language", r["language"])]
        tags += [(name, r[key]) for name, key in (
            ("citation_technical_report_institution", "publisher"),
            ("citation_publisher", "publisher"),
            ("citation_series_title", "collection-title"),
            ("citation_technical_report_number", "number"),
            ("citation_public_url", "URL"),
            ("citation_abstract", "abstract")) if r.get(key)]
        return tags


def imprint(brief_file: BriefFile, lang: str, publishing: Publishing) -> Imprint:
    """The imprint and citation of ``brief_file`` in ``lang``."""
    pub = publishing.config.publication
    fields = publication_fields(brief_file, lang, publishing)
    licence_words = _text(pub.licence, lang)
    licence, licence_url = LICENCES.get(licence_words, (licence_words, ""))
    record = csl_record(brief_file, lang, **fields)
    return Imprint(fields["publisher"], fields["series"], fields["number"], fields["url"],
                   _inline(pub.contact, lang, publishing, "contact"), licence, licence_url,
                   _inline(pub.disclaimer, lang, publishing, "disclaimer"),
                   cite_as(record, lang, publishing.style(lang)), record)


def publication_fields(brief_file: BriefFile, lang: str,
                       publishing: Publishing) -> dict[str, str]:
    """Publisher, place, series name, number and URL of a brief in ``lang``."""
    pub = publishing.config.publication
    brief = brief_file.brief
    number = (pub.numbering.replace("{number}", str(brief.number))
              .replace("{year}", str(brief.date.year))) if brief.number else ""
    url = brief.url or (pub.url or "").replace("{id}", brief_file.id).replace("{lang}", lang)
    return {"publisher": _text(pub.publisher, lang) or publishing.brand_name,
            "place": _text(pub.place, lang), "series": _text(pub.series, lang),
            "number": number, "url": url}


def csl_records(brief_file: BriefFile, languages: list[str],
                publishing: Publishing) -> list[dict[str, Any]]:
    """The brief's CSL-JSON items, one per language."""
    return [csl_record(brief_file, lang, **publication_fields(brief_file, lang, publishing))
            for lang in languages]


def csl_record(brief_file: BriefFile, lang: str, **publication: str) -> dict[str, Any]:
    """The brief in ``lang`` as a CSL-JSON item (a report)."""
    brief = brief_file.brief
    title = _data(brief.title, lang)
    if brief.subtitle is not None:
        # The subtitle joins the title as each language's catalogues join them: after
        # " : " and in lower case in Russian (ГОСТ), unless it starts with an acronym.
        subtitle = _data(brief.subtitle, lang)
        if lang == "ru" and not subtitle.split(" ")[0].isupper():
            subtitle = subtitle[:1].lower() + subtitle[1:]
        title += (" : " if lang == "ru" else ": ") + subtitle
    record: dict[str, Any] = {
        "id": f"{brief_file.id}-{lang}", "type": "report", "language": lang,
        "title": title, "issued": {"date-parts": [[brief.date.year, brief.date.month,
                                                   brief.date.day]]},
        "abstract": _data(brief.summary, lang)}
    if brief.authors:
        record["author"] = [_csl_name(author, lang) for author in brief.authors]
    for key, name in (("publisher", "publisher"), ("place", "publisher-place"),
                      ("series", "collection-title"), ("number", "number"), ("url", "URL")):
        if publication.get(key):
            record[name] = publication[key]
    return record


def cite_as(record: dict[str, Any], lang: str, style: Path | None) -> Markup:
    """``record`` formatted by ``style`` as one HTML line (titles in <i>)."""
    if style is None:
        return Markup()
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    # citeproc-py copies variables into its HTML as they are: escape them first.
    escaped = _escaped(record)
    bibliography = CitationStylesBibliography(_style(style, lang), CiteProcJSON([escaped]),
                                              formatter.html)
    bibliography.register(Citation([CitationItem(escaped["id"])]))
    text = "".join(str(entry) for entry in bibliography.bibliography())
    # A title that ends in ? or ! takes no full stop after it (Chicago 6.119).
    text = re.sub(r"([?!])(</i>)?\.", r"\1\2", text)
    # A dash never starts a line (". – 2026" of ГОСТ stays with what it follows).
    text = clean(text, INLINE_TAGS | {"i"}).replace(" – ", "\u00a0– ").replace(" — ", "\u00a0— ")
    url = html.escape(record.get("URL", ""))
    if url and url in text:
        # A web address is a link, and breaks nowhere (least of all at a hyphen).
        text = text.replace(url, f'<a class="url" href="{url}">{url}</a>', 1)
    # "…holds it back. 2026." keeps its year on the line; after a dash, a line may
    # break even before a no-break space (UAX 14), unless a word joiner holds it.
    text = str(no_widow(Markup(text)))
    return Markup(re.sub("([–—])\u00a0", "\\1\u2060\u00a0", text))


@cache
def _style(path: Path, lang: str) -> Any:
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(str(path), locale=CSL_LOCALES.get(lang, "en-US"),
                               validate=False)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {k: v if k == "id" else _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def _csl_name(author: Author, lang: str) -> dict[str, str]:
    """A name as CSL splits it: the family name is the last word unless the brief says."""
    name = _data(author.name, lang)
    family = _data(author.family, lang) if author.family else ""
    if not family:
        given, _, family = name.rpartition(" ")
    else:
        given = " ".join(f" {name} ".replace(f" {family} ", " ", 1).split())
    return {"family": family, "given": given} if given else {"literal": name}


def _name_text(name: dict[str, str]) -> str:
    return name.get("literal") or f"{name['family']}, {name['given']}"


def _text(value: LocalizedText | None, lang: str) -> str:
    """A publication field in ``lang`` (a missing translation is reported by check)."""
    if value is None or not value.has(lang):
        return ""
    return _data(value, lang)


def _data(value: LocalizedText, lang: str) -> str:
    """Text as a catalogue stores it: typographic quotes and dashes, but none of the
    no-break spaces and soft hyphens that only serve a line of a page."""
    # A draft translation's field not yet translated is catalogued as written.
    text = plain_text(value.text(lang) if value.has(lang) else value.first(), lang)
    return text.translate({0x00A0: " ", 0x202F: " ", 0x00AD: None, 0x2060: None})


def _inline(value: LocalizedText | None, lang: str, publishing: Publishing,
            name: str) -> Markup:
    if value is None or not value.has(lang):
        return Markup()
    try:
        return inline_markdown_to_html(value.text(lang), lang)
    except NestingError as exc:
        path = ("publication", name, *((lang,) if value.translations else ()))
        raise BriefError([Problem(publishing.config.location(path), str(exc),
                                  format_path(path))]) from None


__all__ = ["LICENCES", "Imprint", "Publishing", "csl_record", "csl_records", "imprint"]
