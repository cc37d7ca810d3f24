"""The front page, ``<out>/index.html``: every brief, in each of its languages, with a
link to each edition built. Written from the manifest, so that it can be written again
without parsing every brief."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..files import write_if_changed
from ..render.templates import templates_for
from ..source.editions import Edition
from ..source.model import BriefFile
from ..text.convert import plain_text
from ..text.formats import format_full_date
from .manifest import Digests, IndexEntry, Manifest, edition_key

EDITION_NAMES = {"en": "English", "ru": "Русский", "en-ru": "English–Русский"}


def index_entry(brief_file: BriefFile, languages: list[str]) -> dict[str, IndexEntry]:
    """What the front page shows of a brief, per language it is complete in."""
    brief = brief_file.brief
    return {lang: IndexEntry(plain_text(brief.title.text(lang), lang),
                             plain_text(brief.summary.text(lang), lang),
                             format_full_date(brief.date, lang), brief.date.isoformat())
            for lang in languages}


def write_index(out_dir: Path, manifest: Manifest, digests: Digests) -> bool:
    """Write ``out_dir/index.html`` from the manifest; True if its bytes changed.

    Lists every brief whose file still exists, with each edition that was built.
    """
    # WeasyPrint's URL tools: only when the page is written, not when planning asks for
    # an index entry.
    from ..layout.fetcher import ConfinedURLFetcher, ResourcePolicy
    from ..make.resources import ResourceInliner

    project = digests.project
    templates = templates_for(project)
    briefs = []
    for key, entry in sorted(manifest.briefs.items(), key=lambda kv: kv[1].id):
        if not project.path(key).is_file() or not entry.index:
            continue
        audiences = []
        for name in sorted(entry.audiences):
            if name not in templates.audiences:
                continue
            editions = [_edition_link(entry.id, name, edition)
                        for edition in entry.editions(name)
                        if edition_key(key, name, edition) in manifest.records]
            if editions:
                audiences.append({"label": templates.audiences[name].label("en"),
                                  "editions": editions})
        versions = [{"lang": lang, **asdict(index)} for lang, index in entry.index.items()]
        briefs.append({"id": entry.id, "versions": versions, "audiences": audiences,
                       "updated": entry.updated})
    with templates.recording() as inputs:
        html = templates.render_page("index.html", briefs=briefs,
                                     audiences=sorted(templates.audiences))
    # The brand's logo and fonts, inlined as in every edition: the page stands alone.
    policy = ResourcePolicy(tuple(templates.folders), project.config.hosts,
                            templates.identity.files)
    html = ResourceInliner(ConfinedURLFetcher(policy), f"{out_dir.resolve().as_uri()}/",
                           local_links=True)(html)
    manifest.index = {project.key(path): digests.of(path) if exists else None
                      for path, exists in inputs}
    manifest.index_of = manifest.index_source()
    return write_if_changed(out_dir / "index.html", html.encode("utf-8"))


def _edition_link(brief_id: str, audience: str, edition: Edition) -> dict[str, Any]:
    stem = f"{brief_id}/{brief_id}-{audience}-{edition.name}"
    return {"name": EDITION_NAMES.get(edition.name, edition.name), "hreflang": edition.lang,
            "html": f"{stem}.html", "pdf": f"{stem}.pdf"}
