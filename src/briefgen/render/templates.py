"""The template folders of one project: its audiences and the HTML of each edition.

A project's ``templates/`` folder is searched first, so it can override a built-in
template or add an audience; ``builtin/...`` always names the shipped one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2

from .. import __version__
from ..errors import Problem, TemplateError, UsageError
from ..inputs import Inputs
from ..source.editions import Edition
from ..source.model import BriefFile
from ..source.project import BRAND_FILE, BUILTIN_TEMPLATES, CONFIG_FILE, Paper, Project
from ..source.settings import ProjectConfig
from ..text.catalogs import catalog_path, find_catalog
from ..text.hyphenate import kept_whole
from .audiences import AUDIENCE_CONFIG, Audience, TypeScale, discover_audiences
from .citation import Publishing
from .environment import make_environment
from .identity import Identity, brand_problems, identity_of
from .notes import number_notes
from .view import BriefView, brief_view

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
GENERATOR = f"briefgen {__version__}"


class Templates:
    """The template folders of one project: audiences and the Jinja environment."""

    def __init__(self, project_templates: Path | None = None,
                 identity: Identity | None = None, config: ProjectConfig | None = None) -> None:
        self.project_folder = project_templates
        self.identity = identity or Identity()
        # A project may translate the interface itself: templates/locale/<lang>/...
        self.locale_dir = project_templates / "locale" if project_templates else None
        self.folders = [f for f in (project_templates, BUILTIN_TEMPLATES)
                        if f is not None and f.is_dir()]
        self.env = make_environment(self.folders, project_templates)
        self._views_of: BriefFile | None = None  # the brief whose views are kept
        self._views: dict[tuple[str, str, str, frozenset[str]], BriefView] = {}
        # A global, not a render's variable: the macros a template imports see it too.
        self.env.globals["identity"] = self.identity
        self.audiences = discover_audiences(self.folders)
        self.publishing = Publishing(config or ProjectConfig(), self.identity.name,
                                     tuple(self.folders))
        self.brand_problems: list[Problem] = []  # _brand.yml's warnings, for the planner

    @contextmanager
    def recording(self) -> Iterator[Inputs]:
        """Collect the files the renders inside the block depend on: every template
        loaded (extended, included and imported ones too), the audience configs and
        message catalogs used, and the project files whose absence a render relied on,
        such as a project template that would override the built-in one it used."""
        inputs = Inputs()
        self.env.recorded = inputs
        try:
            yield inputs
        finally:
            self.env.recorded = None

    def audience(self, name: str) -> Audience:
        try:
            return self.audiences[name]
        except KeyError:
            known = ", ".join(sorted(self.audiences))
            raise UsageError(f"unknown audience {name!r} (known: {known})") from None

    def render(self, brief_file: BriefFile, audience: Audience, edition: Edition,
               paper: Paper = "a4", scale: TypeScale | None = None) -> str:
        """The HTML of one edition; raises TemplateError naming the template at fault,
        MissingTranslation when a language of the edition lacks a field."""
        suffix = "-{}" if edition.bilingual else ""
        views = [self._view(brief_file, audience, lang, suffix.format(lang))
                 for lang in edition.languages]
        name = audience.bilingual_template_name if edition.bilingual else audience.template_name
        self._record(audience, list(edition.languages))
        html = self.render_page(name, brief=views[0], briefs=views, lang=views[0].lang,
                                audience=audience, page_size=PAPER_SIZES[paper],
                                typography=scale or audience.config.typography.base)
        return number_notes(html, [view.notebook for view in views])

    def _view(self, brief_file: BriefFile, audience: Audience, lang: str,
              anchor_suffix: str) -> BriefView:
        """The content one language of an edition shows, made once for every pass of its
        fitting (the type size is the stylesheet's, not the view's); the words a pass
        keeps unhyphenated are part of what it is made for."""
        key = (audience.name, lang, anchor_suffix, kept_whole())
        if self._views_of is not brief_file:
            self._views_of, self._views = brief_file, {}
        if key not in self._views:
            self._views[key] = brief_view(brief_file, audience, lang,
                                          anchor_suffix=anchor_suffix,
                                          locale_dir=self.locale_dir,
                                          publishing=self.publishing, identity=self.identity)
        return self._views[key]

    def render_page(self, name: str, **context: Any) -> str:
        """Any template of the folders with ``context``, errors named by template."""
        self._record_identity()
        try:
            return self.env.get_template(name).render(generator=GENERATOR, **context)
        except jinja2.TemplateNotFound as exc:
            searched = ", ".join(str(f) for f in self.folders)
            raise TemplateError(f"template {exc.name!r} not found (searched {searched})"
                                ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename}:{exc.lineno}: {exc.message}") from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{name}: {exc.message}") from None

    def _record_identity(self) -> None:
        """The brand's file, the logo and fonts it names, briefgen.yaml (the publisher)
        and the citation styles are inputs of every page; so is the absence of a brand
        or of a project style (creating one changes everything)."""
        inputs = self.env.recorded
        if inputs is None or self.project_folder is None:
            return
        root = self.project_folder.parent
        brand_path = self.identity.brand_path or root / BRAND_FILE
        styles = {self.project_folder / "csl" / f"{lang}.csl" for lang in ("en", "ru")}
        styles |= {style for lang in ("en", "ru")
                   if (style := self.publishing.style(lang)) is not None}
        for path in [brand_path, root / CONFIG_FILE, *sorted(styles), self.identity.logo,
                     *(face[1] for face in self.identity.font_faces)]:
            if path is not None:
                inputs.add(path, path.is_file())

    def _record(self, audience: Audience, langs: list[str]) -> None:
        inputs = self.env.recorded
        if inputs is None:
            return
        inputs.add(audience.config_path)
        if self.project_folder and audience.config_path.is_relative_to(BUILTIN_TEMPLATES):
            inputs.add(self.project_folder / audience.name / AUDIENCE_CONFIG, exists=False)
        for lang in langs:
            catalog = find_catalog(lang, self.locale_dir)
            inputs.add(catalog, catalog.is_file())
            if self.locale_dir and catalog != catalog_path(lang, self.locale_dir):
                inputs.add(catalog_path(lang, self.locale_dir), exists=False)


# Kept across tasks and builds in one process (a worker, `briefgen watch`): templates
# compile once (a tenth of a second) while the project's template files stay as they
# are. A new project template can shadow a built-in one that Jinja has cached, so any
# change under templates/ starts afresh.
_TEMPLATES: dict[tuple[Path, tuple[tuple[str, int, int], ...]], Templates] = {}


def templates_for(project: Project) -> Templates:
    """The project's templates, identity and publisher, made again only after a template
    file, _brand.yml or briefgen.yaml changed. Raises BriefError for a broken
    _brand.yml or briefgen.yaml."""
    folder = project.templates_dir
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    files += [p for p in (project.brand_path, project.config_path) if p.is_file()]
    signature = tuple(sorted((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                             for p in files))
    key = (project.root, signature)
    if key not in _TEMPLATES:
        _TEMPLATES.clear()
        brand = project.brand
        templates = Templates(folder, identity_of(brand), project.config)
        templates.brand_problems = brand_problems(brand, templates.identity)
        _TEMPLATES[key] = templates
    return _TEMPLATES[key]


__all__ = ["BriefView", "Templates", "templates_for"]
