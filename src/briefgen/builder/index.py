"""The front page, ``<out>/index.html`` and one a language (``index.ru.html``): every
brief, its title, summary and date in that language, a picture of its one-page
edition, its audiences from the shortest edition to the longest, and a link to each
edition built. Written from the manifest, so that it can be written again without
parsing every brief."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..files import write_if_changed
from ..inputs import file_key_of
from ..make.task import output_path
from ..render.audiences import Audience
from ..render.environment import FRONT_PAGE_POLICY
from ..render.templates import templates_for
from ..source.editions import Edition
from ..source.model import BriefFile
from ..source.types import LocalizedText
from ..text.catalogs import Gettext, catalog_path
from ..text.convert import plain_text
from ..text.formats import format_full_date
from .manifest import BriefEntry, Digests, IndexEntry, Manifest, edition_key
from .stats import digest_of

EDITION_NAMES = {"en": "English", "ru": "Русский", "en-ru": "English–Русский"}


def index_entry(brief_file: BriefFile, languages: list[str]) -> dict[str, IndexEntry]:
    """What the front page shows of a brief, per language it is built in (a draft's
    untranslated title or summary in the source language)."""
    brief = brief_file.brief

    def text(value: LocalizedText, lang: str) -> str:
        shown = value.shown_in(lang, brief.source_language)
        return plain_text(value.text(shown), shown)

    return {lang: IndexEntry(text(brief.title, lang), text(brief.summary, lang),
                             format_full_date(brief.date, lang), brief.date.isoformat())
            for lang in languages}


def front_page_languages(manifest: Manifest) -> list[str]:
    """The languages the front page is written in: English (index.html), then each other
    language a brief is built in that briefgen's interface speaks (index.<lang>.html)."""
    langs = {lang for entry in manifest.briefs.values() for lang in entry.index}
    return ["en", *sorted(lang for lang in langs - {"en"} if catalog_path(lang).is_file())]


def page_name(lang: str) -> str:
    return "index.html" if lang == "en" else f"index.{lang}.html"


def write_index(out_dir: Path, manifest: Manifest, digests: Digests) -> list[str]:
    """Write the front page in each of its languages from the manifest; the names of
    its pages if the bytes of one changed, else none.

    Lists every brief whose file still exists, with each edition that was built and a
    picture of its one-page edition.
    """
    # WeasyPrint's URL tools: only when the page is written, not when planning asks for
    # an index entry.
    from ..layout.fetcher import ConfinedURLFetcher, ResourcePolicy
    from ..make.resources import ResourceInliner

    project = digests.project
    templates = templates_for(project)
    order = sorted(templates.audiences.values(),  # the shortest first: the minister's
                   key=lambda a: (a.config.max_pages or 10_000, a.name))
    langs = front_page_languages(manifest)
    pictures: dict[str, str | None] = {}
    changed = False
    written: dict[str, str | None] = {}
    with templates.recording() as inputs:
        for lang in langs:
            briefs = [_brief(key, entry, lang, order, manifest, digests, pictures)
                      for key, entry in sorted(manifest.briefs.items(), key=lambda kv: kv[1].id)
                      if project.path(file_key_of(key)).is_file() and entry.index]
            html = templates.render_page(
                "index.html", briefs=briefs, audiences=order, lang=lang,
                content_security_policy=Markup(FRONT_PAGE_POLICY),
                i18n=Gettext(lang, templates.locale_dir),
                switch=[{"lang": other, "href": page_name(other),
                         "name": EDITION_NAMES.get(other, other)}
                        for other in langs if other != lang])
            # The brand's logo and fonts, inlined as in every edition: it stands alone.
            policy = ResourcePolicy(tuple(templates.folders), project.config.hosts,
                                    templates.identity.files)
            inliner = ResourceInliner(ConfinedURLFetcher(policy),
                                      f"{out_dir.resolve().as_uri()}/", local_links=True)
            # Only the head and masthead name the brand's resources: the list of briefs
            # below (a thousand, in a large project) links files beside the page.
            head, main, rest = html.partition("<main>")
            html = inliner(head, text=html) + main + rest
            target = out_dir / page_name(lang)
            changed |= write_if_changed(target, html.encode("utf-8"))
            written[project.key(target)] = digest_of(html.encode("utf-8"))
    # A page in a language no brief is built in any more goes (it was briefgen's own).
    for key in manifest.index:
        page = project.path(key)
        if page.parent == out_dir and page.name.startswith("index.") and (
                key not in written) and page.is_file() and not page.is_symlink():
            page.unlink()
            changed = True
    # What the pages were made from, and the pages themselves: a picture made again,
    # or a page deleted, writes them again.
    manifest.index = {**{project.key(path): digests.of(path) if exists else None
                         for path, exists in inputs}, **pictures, **written}
    manifest.index_of = manifest.index_source()
    return [page_name(lang) for lang in langs] if changed else []


def _brief(key: str, entry: BriefEntry, lang: str, order: list[Audience],
           manifest: Manifest, digests: Digests, pictures: dict[str, str | None]
           ) -> dict[str, Any]:
    """What the front page in ``lang`` shows of one brief: ``pictures`` gets the
    digest of the picture it shows, by its key."""
    out_dir = manifest.path.parent
    shown = lang if lang in entry.index else next(iter(entry.index))
    audiences = []
    for audience in order:
        editions = [_edition_link(entry.id, audience.name, edition)
                    for edition in entry.editions(audience.name)
                    if edition_key(key, audience.name, edition) in manifest.records]
        if editions:
            audiences.append({"label": audience.label(lang), "editions": editions})
    picture = None
    # The picture of the shortest edition (the worker makes one of a one-pager).
    path = output_path(out_dir, entry.id, order[0].name, Edition.single(shown), "png")
    data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    pictures[digests.project.key(path)] = digest_of(data) if data else None
    if data:
        picture = {"src": path.relative_to(out_dir).as_posix(),
                   "pdf": path.with_suffix(".pdf").relative_to(out_dir).as_posix(),
                   "label": order[0].label(lang)}
    return {"id": entry.id, "lang": shown, **asdict(entry.index[shown]),
            "audiences": audiences, "picture": picture,
            "updated": _date(entry.updated.partition(":")[0], lang), "changes": entry.updated}


def _date(iso: str, lang: str) -> str:
    """A change log's date as the page's language writes dates; as it is if it is none."""
    import datetime as dt

    try:
        return format_full_date(dt.date.fromisoformat(iso), lang)
    except ValueError:
        return iso


def _edition_link(brief_id: str, audience: str, edition: Edition) -> dict[str, Any]:
    stem = f"{brief_id}/{brief_id}-{audience}-{edition.name}"
    return {"name": EDITION_NAMES.get(edition.name, edition.name), "hreflang": edition.lang,
            "html": f"{stem}.html", "pdf": f"{stem}.pdf"}
