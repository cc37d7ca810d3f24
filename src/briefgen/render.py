"""Audiences and templates: a validated brief -> one standalone HTML document.

An audience is a template folder holding ``audience.yaml`` (its page budget and
content selection) and ``brief.html``. The built-in audiences ship inside the
package; a project's ``templates/`` folder is searched first, so it can override a
built-in template or add an audience, and ``builtin/...`` always names the shipped
one so an override can extend it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import __version__
from .errors import BriefError, Problem, TemplateError, UsageError
from .i18n import Gettext, catalog_path, find_catalog
from .load import load_yaml
from .model import Brief, BriefFile, Localized, LocalizedText, validate_file
from .text import (
    format_full_date,
    format_number,
    format_partial_date,
    inline_markdown_to_html,
    localize,
    markdown_blocks,
    markdown_to_html,
    plain_text,
)

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
AUDIENCE_CONFIG = "audience.yaml"
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
Paper = Literal["a4", "letter"]


@dataclass(frozen=True)
class TypeScale:
    """One step of a typographic scale: the root font size (pt) and the leading."""

    font_size: float
    leading: float

    def __str__(self) -> str:
        return f"{self.font_size:g} pt"


class Typography(BaseModel):
    """An audience's typographic scale, from its base size down to its legibility floor.

    Every size in the built-in stylesheets is relative to the root font size, so one
    step moves type, leading and spacing together.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    font_size: float = Field(default=10.0, gt=0, description="Base body size in pt.")
    floor: float = Field(default=8.0, ge=6.0, description="Smallest body size in pt that "
                         "fitting may use.")
    step: float = Field(default=0.25, gt=0, description="Fitting steps, in pt.")
    leading: float = Field(default=1.38, ge=1.0, description="Line height at the base size.")
    leading_floor: float = Field(default=1.3, ge=1.0, description="Line height at the floor.")

    @model_validator(mode="after")
    def _floor_below_base(self) -> Typography:
        if self.floor > self.font_size:
            raise ValueError(f"floor ({self.floor} pt) is above font_size "
                             f"({self.font_size} pt)")
        return self

    @property
    def base(self) -> TypeScale:
        return self.scales()[0]

    def scales(self) -> list[TypeScale]:
        """Every step from the base size down to the floor, largest first."""
        count = int(round((self.font_size - self.floor) / self.step)) + 1
        span = self.font_size - self.floor
        steps = []
        for i in range(count):
            size = max(self.floor, self.font_size - i * self.step)
            # Smaller type is set a little tighter, as a typesetter would.
            t = (self.font_size - size) / span if span else 0.0
            steps.append(TypeScale(round(size, 3),
                                   round(self.leading + t * (self.leading_floor - self.leading),
                                         3)))
        return steps


class AudienceConfig(BaseModel):
    """What ``audience.yaml`` declares: who the edition is for and its budget."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: Localized = Field(description="Shown on the brief, e.g. 'Policy brief', per "
                             "language.")
    description: str = ""
    max_pages: int | None = Field(default=None, ge=1, description="Page budget; none "
                                  "means no limit.")
    max_recommendations: int | None = Field(default=None, ge=1, description="Show only "
                                            "the top N recommendations by priority.")
    template: str = "brief.html"
    bilingual: Literal["pages", "parallel"] = Field(
        default="parallel", description="How the bilingual edition is laid out: each "
        "language on pages of its own, each fitted on its own, or in parallel columns.")
    bilingual_template: str = "bilingual.html"
    bilingual_max_pages: int | None = Field(default=None, ge=1, description="Page budget "
                                            "of the parallel edition; default twice "
                                            "max_pages.")
    paper: Paper = Field(default="a4", description="Paper unless --paper or the project's "
                         "briefgen.yaml says otherwise.")
    typography: Typography = Field(default_factory=Typography)


@dataclass(frozen=True)
class Audience:
    name: str
    config: AudienceConfig
    config_path: Path

    @property
    def template_name(self) -> str:
        return f"{self.name}/{self.config.template}"

    @property
    def bilingual_template_name(self) -> str:
        return f"{self.name}/{self.config.bilingual_template}"

    @property
    def bilingual_max_pages(self) -> int | None:
        if self.config.bilingual_max_pages or self.config.max_pages is None:
            return self.config.bilingual_max_pages
        return 2 * self.config.max_pages


class Templates:
    """The template folders of one project: audiences and the Jinja environment."""

    def __init__(self, project_templates: Path | None = None) -> None:
        self.project_folder = project_templates
        # A project may translate the interface itself: templates/locale/<lang>/...
        self.locale_dir = project_templates / "locale" if project_templates else None
        self.folders = [f for f in (project_templates, BUILTIN_TEMPLATES)
                        if f is not None and f.is_dir()]
        self.env = make_environment(self.folders, project_templates)
        self.audiences = self._discover_audiences()

    @contextmanager
    def recording(self) -> Iterator[set[tuple[Path, bool]]]:
        """Collect the files the renders inside the block depend on.

        Yields a set of (path, exists): every template loaded (extended, included
        and imported ones too), the audience configs and message catalogs used, and
        the project files whose absence a render relied on, such as a project
        template that would override the built-in one it used.
        """
        files: set[tuple[Path, bool]] = set()
        self.env.recorded = files
        try:
            yield files
        finally:
            self.env.recorded = None

    def _record(self, audience: Audience, langs: list[str]) -> None:
        files = self.env.recorded
        if files is None:
            return
        files.add((audience.config_path, True))
        if self.project_folder and audience.config_path.is_relative_to(BUILTIN_TEMPLATES):
            files.add((self.project_folder / audience.name / AUDIENCE_CONFIG, False))
        for lang in langs:
            catalog = find_catalog(lang, self.locale_dir)
            files.add((catalog, catalog.is_file()))
            if self.locale_dir and catalog != catalog_path(lang, self.locale_dir):
                files.add((catalog_path(lang, self.locale_dir), False))

    def audience(self, name: str) -> Audience:
        try:
            return self.audiences[name]
        except KeyError:
            known = ", ".join(sorted(self.audiences))
            raise UsageError(f"unknown audience {name!r} (known: {known})") from None

    def render(self, brief_file: BriefFile, audience: Audience, lang: str,
               paper: Paper = "a4", scale: TypeScale | None = None) -> str:
        """The HTML of one edition; raises TemplateError naming the template at fault."""
        view = brief_view(brief_file, audience, lang, locale_dir=self.locale_dir)
        return self._render(audience.template_name, audience, paper, scale, brief=view,
                            briefs=[view])

    def render_bilingual(self, brief_file: BriefFile, audience: Audience, langs: list[str],
                         paper: Paper = "a4", scale: TypeScale | None = None) -> str:
        """The HTML of the bilingual edition: ``langs`` side by side or one after another."""
        views = [brief_view(brief_file, audience, lang, anchor_suffix=f"-{lang}",
                            locale_dir=self.locale_dir) for lang in langs]
        return self._render(audience.bilingual_template_name, audience, paper, scale,
                            brief=views[0], briefs=views)

    def _render(self, name: str, audience: Audience, paper: Paper, scale: TypeScale | None,
                brief: BriefView, briefs: list[BriefView]) -> str:
        self._record(audience, [b.lang for b in briefs])
        try:
            template = self.env.get_template(name)
            return template.render(brief=brief, briefs=briefs, lang=brief.lang,
                                   audience=audience, page_size=PAPER_SIZES[paper],
                                   generator=GENERATOR,
                                   typography=scale or audience.config.typography.base)
        except jinja2.TemplateNotFound as exc:
            searched = ", ".join(str(f) for f in self.folders)
            raise TemplateError(f"template {exc.name!r} not found (searched {searched})"
                                ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"{exc.filename}:{exc.lineno}: {exc.message}") from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(f"{audience.template_name}: {exc.message}") from None

    def _discover_audiences(self) -> dict[str, Audience]:
        audiences: dict[str, Audience] = {}
        problems: list[Problem] = []
        for folder in reversed(self.folders):  # the project's folder wins
            for config_path in sorted(folder.glob(f"*/{AUDIENCE_CONFIG}")):
                try:
                    audiences[config_path.parent.name] = _load_audience(config_path)
                except BriefError as exc:
                    problems += exc.problems
        if problems:
            raise BriefError(problems)
        return audiences


GENERATOR = f"briefgen {__version__}"


class RecordingEnvironment(jinja2.Environment):
    """A Jinja environment that can note every template a render loads.

    Jinja calls ``_load_template`` for every extends, include and import, even when
    the template is cached, so this sees exactly what each render used (Lektor does
    the same to track template dependencies).
    """

    recorded: set[tuple[Path, bool]] | None = None
    project_folder: Path | None = None

    def _load_template(self, name: str, globals: Any) -> jinja2.Template:  # noqa: A002
        template = super()._load_template(name, globals)
        if self.recorded is not None and template.filename:
            path = Path(template.filename)
            self.recorded.add((path, True))
            if (self.project_folder and not name.startswith("builtin/")
                    and path.is_relative_to(BUILTIN_TEMPLATES)):
                self.recorded.add((self.project_folder / name, False))
        return template


def make_environment(folders: list[Path], project_folder: Path | None = None
                     ) -> RecordingEnvironment:
    """The one Jinja environment: autoescaped, strict, with briefgen's filters."""
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader([str(f) for f in folders]),
        jinja2.PrefixLoader({"builtin": jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))}),
    ])
    env = RecordingEnvironment(
        loader=loader,
        # Stylesheets are templates too (for the page size) and must not be escaped.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",),
                                            default_for_string=True),
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Interface strings follow the language of the brief being rendered. Macros that
    # render a brief given to them (the bilingual editions pass two) shadow `_` with
    # that brief's own: {% set _ = brief.i18n.gettext %}.
    env.globals.update(_=_context_gettext, gettext=_context_gettext,
                       ngettext=_context_ngettext)
    # Even when it does not exist yet: a template created there later must be noticed.
    env.project_folder = project_folder
    env.globals["pairs"] = itertools.zip_longest
    env.filters["markdown"] = markdown_to_html
    env.filters["inline"] = inline_markdown_to_html
    env.filters["plain"] = plain_text
    return env


@jinja2.pass_context
def _context_gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
    return context["brief"].i18n.gettext(message, **variables)


@jinja2.pass_context
def _context_ngettext(context: jinja2.runtime.Context, singular: str, plural: str, num: int,
                      **variables: Any) -> str:
    return context["brief"].i18n.ngettext(singular, plural, num, **variables)


def _load_audience(config_path: Path) -> Audience:
    config = validate_file(AudienceConfig, load_yaml(config_path))
    return Audience(config_path.parent.name, config, config_path)


# --- the view a template sees ---------------------------------------------------------

@dataclass
class Citation:
    """A numbered reference, as the academic edition cites it."""

    id: str
    number: int
    text: Markup
    url: str | None
    anchor_suffix: str = ""


@dataclass
class Entry:
    """A list item in the reader's language: an achievement, challenge or recommendation."""

    text: Markup
    title: Markup = Markup("")
    date: str = ""
    date_iso: str = ""
    priority: int | None = None
    cite: Citation | None = None


@dataclass
class Figure:
    value: str
    label: Markup
    cite: Citation | None = None


@dataclass
class TimelinePoint:
    x: float
    label: str
    label_y: float | None  # None: too close to its neighbours to label; the list says it


@dataclass
class Timeline:
    """Geometry of the achievements chart, in a 600 x 64 SVG viewBox."""

    points: list[TimelinePoint]
    start: int
    end: int

    WIDTH = 600
    AXIS_Y = 32
    MARGIN = 16
    LABEL_GAP = 34  # a year label is about 26 units wide at the chart's type size


def timeline(dates: list[str]) -> Timeline | None:
    """Place dated achievements on a time axis; None when fewer than two are dated."""
    def year_fraction(iso: str) -> float:
        parts = [int(p) for p in iso.split("-")] + [1, 1]
        return parts[0] + (parts[1] - 1) / 12 + (parts[2] - 1) / 365

    dated = sorted((year_fraction(d), d) for d in dates if d)
    if len(dated) < 2:
        return None
    start, end = int(dated[0][0]), int(dated[-1][0]) + 1
    span = Timeline.WIDTH - 2 * Timeline.MARGIN
    points: list[TimelinePoint] = []
    last_label_x = {"below": -1e9, "above": -1e9}
    for value, iso in dated:
        x = round(Timeline.MARGIN + (value - start) / (end - start) * span, 1)
        side = next((s for s in ("below", "above")
                     if x - last_label_x[s] >= Timeline.LABEL_GAP), None)
        label_y = None
        if side:
            last_label_x[side] = x
            label_y = Timeline.AXIS_Y + 22 if side == "below" else Timeline.AXIS_Y - 13
        points.append(TimelinePoint(x, iso[:4], label_y))
    return Timeline(points, start, end - 1)


@dataclass
class BriefView:
    id: str
    lang: str
    i18n: Gettext
    anchor_suffix: str
    label: str
    title: Markup
    title_text: str
    subtitle: Markup
    date: str
    date_iso: str
    authors: list[dict[str, Markup]]
    author_names: str
    summary: Markup
    summary_text: str
    necessity: list[Markup]  # one fragment per paragraph or list
    key_figures: list[Figure]
    achievements: list[Entry]
    challenges: list[Entry]
    recommendations: list[Entry]
    references: list[Citation]
    timeline: Timeline | None


def brief_view(brief_file: BriefFile, audience: Audience, lang: str,
               anchor_suffix: str = "", locale_dir: Path | None = None) -> BriefView:
    """Select and localize the content an audience gets, in one language.

    ``anchor_suffix`` keeps element ids unique when two languages share a page.
    """
    b: Brief = brief_file.brief
    source_lang = b.source_language

    def mark_neutral(value: LocalizedText | None, html: Markup, tag: str) -> Markup:
        # Text written once for every language is in the source language: say so on
        # pages in another language, for hyphenation and screen readers.
        if value is None or value.translations is not None or lang == source_lang or not html:
            return html
        return Markup(f'<{tag} lang="{source_lang}">') + html + Markup(f"</{tag}>")

    def inline(value: LocalizedText | None) -> Markup:
        return mark_neutral(value, inline_markdown_to_html(localize(value, lang), lang), "span")

    def block(value: LocalizedText | None) -> Markup:
        return mark_neutral(value, markdown_to_html(localize(value, lang), lang), "div")

    def plain(value: LocalizedText | None) -> str:
        return plain_text(localize(value, lang), lang)

    citations = {ref.id: Citation(ref.id, i, inline(ref.text), ref.url, anchor_suffix)
                 for i, ref in enumerate(b.references, start=1)}

    def cite(ref_id: str | None) -> Citation | None:
        return citations[ref_id] if ref_id else None

    recommendations = [r for r in b.recommendations
                       if not r.audiences or audience.name in r.audiences]
    # Unprioritised items keep their written order after the prioritised ones.
    recommendations.sort(key=lambda r: r.priority if r.priority is not None else 1_000_000)
    if audience.config.max_recommendations:
        recommendations = recommendations[: audience.config.max_recommendations]

    label = audience.config.label
    return BriefView(
        id=brief_file.id,
        lang=lang,
        i18n=Gettext(lang, locale_dir),
        anchor_suffix=anchor_suffix,
        # An audience label without this language falls back to its first one.
        label=localize(label, lang) if label.has(lang) else next(iter(label.value.values())),
        title=inline(b.title),
        title_text=plain(b.title),
        subtitle=inline(b.subtitle),
        date=format_full_date(b.date, lang),
        date_iso=b.date.isoformat(),
        authors=[{"name": inline(a.name), "affiliation": inline(a.affiliation)}
                 for a in b.authors],
        author_names=", ".join(plain(a.name) for a in b.authors),
        summary=block(b.summary),
        summary_text=plain(b.summary),
        necessity=[mark_neutral(b.necessity, html, "div")
                   for html in markdown_blocks(localize(b.necessity, lang), lang)],
        key_figures=[Figure(format_number(f.value, lang), inline(f.label), cite(f.source))
                     for f in b.key_figures],
        achievements=[Entry(block(a.text),
                            date=format_partial_date(a.date, lang) if a.date else "",
                            date_iso=a.date or "", cite=cite(a.source))
                      for a in b.achievements],
        challenges=[Entry(block(c.text), title=inline(c.title)) for c in b.challenges],
        recommendations=[Entry(block(r.text), priority=r.priority) for r in recommendations],
        references=list(citations.values()),
        timeline=timeline([a.date or "" for a in b.achievements]),
    )
