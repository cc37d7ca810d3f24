"""The view a template sees: a brief's content selected for an audience, in one
language, as escaped or sanitized HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from markupsafe import Markup

from ..source.claims import claims
from ..source.model import (
    Achievement,
    BriefFile,
    KeyFigure,
    Recommendation,
)
from ..source.selection import Selection
from ..text.catalogs import Gettext
from ..text.convert import (
    inline_markdown_to_html,
    literal_markdown,
)
from ..text.formats import format_full_date, format_number, format_partial_date
from ..text.typography import no_widow
from .audiences import Audience
from .charts import ChartView, TableView, chart_view, table_view
from .citation import Imprint, Publishing, imprint
from .identity import Identity
from .localize import Localizer
from .notes import NoteBook
from .quotes import Quote, quotes
from .timeline import MIN_EVENTS, Timeline, timeline

T = TypeVar("T")


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
    title: Markup = field(default_factory=Markup)
    date: str = ""
    date_iso: str = ""
    priority: int | None = None
    cite: Citation | None = None
    editorial: bool = False  # the editors' judgement, not a finding of the sources
    action: Markup = field(default_factory=Markup)  # a recommendation's: what, who, where,
    actor: Markup = field(default_factory=Markup)  # by when
    forum: Markup = field(default_factory=Markup)
    by: str = ""

    @property
    def headline(self) -> Markup:
        """The one line the one-page edition shows: a title, an action, or the text."""
        return self.action or self.title or self.text


@dataclass
class Figure:
    value: str
    label: Markup
    unit: Markup = field(default_factory=Markup)
    cite: Citation | None = None
    data_as_of: str = ""  # "September 2020": when its data end
    data_year: bool = False  # data_as_of is a year ("data for 2020", not "to")
    editorial: bool = False


def shared_citation(items: list[Entry] | list[Figure]) -> Citation | None:
    """The one reference every item of a list cites, if they all cite the same one: it is
    then given once for the list, not a dozen times on one page."""
    cites = [item.cite for item in items]
    if len(cites) > 1 and all(cites) and len({c.id for c in cites if c}) == 1:
        return cites[0]
    return None


@dataclass
class Author:
    name: Markup
    affiliation: Markup


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
    authors: list[Author]
    author_names: str
    summary: Markup
    summary_text: str
    necessity: list[Markup]  # one fragment per paragraph or list
    key_figures: list[Figure]
    achievements: list[Entry]
    challenges: list[Entry]
    risks: list[Entry]
    recommendations: list[Entry]
    addressee: Markup  # whom the brief is for
    quotes: list[Quote]  # the passages of the sources the claims rest on
    charts: list[ChartView]
    tables: list[TableView]
    source_lang: str  # the brief's first language: its sources' words are quoted in it
    notebook: NoteBook  # its texts' notes, numbered once the page is rendered
    references: list[Citation]
    cited: list[Citation]  # what the content cites, in order: the "Based on" line
    figures_source: Citation | None  # the one reference all key figures cite
    figures_as_of: tuple[str, bool] | None  # the date all key figures' data end, once
    achievements_source: Citation | None  # the one all achievements cite
    imprint: Imprint  # who publishes it, and how to cite it
    draft: bool = False  # a draft translation: the masthead says so
    untranslated: int = 0  # passages of a draft shown in the source language

    @property
    def has_editorial(self) -> bool:
        """Whether anything shown is marked as the editors' own: the footer says what
        the mark means."""
        entries = [*self.achievements, *self.challenges, *self.risks, *self.recommendations]
        return any(f.editorial for f in self.key_figures) or any(e.editorial for e in entries)

    @property
    def dated_achievements(self) -> list[Entry]:
        """In date order: the timeline and its list."""
        return sorted((a for a in self.achievements if a.date_iso), key=lambda a: a.date_iso)

    @property
    def undated_achievements(self) -> list[Entry]:
        """Set apart from the dated ones, so that none reads as belonging to a date."""
        return [a for a in self.achievements if not a.date_iso]

    @property
    def timeline_list(self) -> bool:
        """Whether the dated achievements make a timeline (three or more), or are listed
        plainly with the undated ones (one dated event is no line)."""
        return len(self.dated_achievements) >= MIN_EVENTS

    def timeline_at(self, width: float) -> Timeline | None:
        """The chart of the dated achievements for a box ``width`` points wide."""
        return timeline([a.date_iso for a in self.achievements], width)


def selected_recommendations(recommendations: list[Recommendation],
                             audience: Audience) -> list[Recommendation]:
    """The recommendations an audience gets, most important first."""
    chosen = [r for r in recommendations if not r.audiences or audience.name in r.audiences]
    # Unprioritised items keep their written order after the prioritised ones.
    chosen.sort(key=lambda r: r.priority if r.priority is not None else 1_000_000)
    if audience.config.max_recommendations:
        chosen = chosen[: audience.config.max_recommendations]
    return chosen


def figure_value(figure: KeyFigure) -> int | float | str:
    """A key figure's value; one read from data was read when its brief was loaded."""
    if isinstance(figure.value, Selection):
        raise TypeError("a key figure's data selection is read by source.data, when its "
                        "brief is loaded (load_brief)")
    return figure.value


def brief_view(brief_file: BriefFile, audience: Audience, lang: str,
               anchor_suffix: str = "", locale_dir: Path | None = None,
               publishing: Publishing | None = None,
               identity: Identity | None = None) -> BriefView:
    """Select and localize the content an audience gets, in one language.

    ``anchor_suffix`` keeps element ids unique when two languages share a page.
    Raises MissingTranslation when a field the view needs has no ``lang`` text.
    """
    b = brief_file.brief
    notebook = NoteBook(anchor_suffix)
    i18n = Gettext(lang, locale_dir)
    loc = Localizer(brief_file, lang, notebook, i18n.gettext("not yet translated"))
    citations = {ref.id: Citation(ref.id, i, loc.inline(ref.text), ref.url, anchor_suffix)
                 for i, ref in enumerate(b.references, start=1)}

    def cite(ref_id: str | None) -> Citation | None:
        return citations[ref_id] if ref_id else None

    def cited(item: KeyFigure | Achievement) -> str | None:
        """The reference an item cites: its source, or that of its first evidence."""
        return item.source or (item.evidence[0].ref if item.evidence else None)

    def partial_date(value: str | None) -> str:
        return format_partial_date(value, lang) if value else ""

    figures = [Figure(format_number(figure_value(f), lang, f.precision), loc.inline(f.label),
                      loc.inline(f.unit), cite(cited(f)), partial_date(f.data_as_of),
                      len(f.data_as_of or "") == 4, f.editorial) for f in b.key_figures]
    achievements = [Entry(loc.block(a.text), date=partial_date(a.date), date_iso=a.date or "",
                          cite=cite(cited(a)), editorial=a.editorial)
                    for a in b.achievements]
    figures_source, achievements_source = shared_citation(figures), shared_citation(achievements)
    for figure in figures if figures_source else []:
        figure.cite = None  # the list gives it once
    for entry in achievements if achievements_source else []:
        entry.cite = None
    as_of = {(f.data_as_of, f.data_year) for f in figures}
    figures_as_of = as_of.pop() if len(as_of) == 1 and len(figures) > 1 else None
    for figure in figures if figures_as_of and figures_as_of[0] else []:
        figure.data_as_of = ""  # given once for the list
    cited_ids = list(dict.fromkeys(source for source in [
        *(cited(f) for f in b.key_figures), *(cited(a) for a in b.achievements),
        *(e.ref for claim in claims(b) for e in claim.evidence)] if source))

    def recommendation(r: Recommendation) -> Entry:
        by = (partial_date(r.by) if isinstance(r.by, str) else loc.plain(r.by))
        return Entry(loc.block(r.text), priority=r.priority, editorial=r.editorial,
                     action=loc.inline(r.action), actor=loc.inline(r.actor),
                     forum=loc.inline(r.forum), by=by)

    shown = selected_recommendations(b.recommendations, audience)
    view = BriefView(
        id=brief_file.id,
        lang=lang,
        i18n=i18n,
        anchor_suffix=anchor_suffix,
        label=audience.label(lang),
        title=no_widow(loc.inline(b.title)),
        title_text=loc.plain(b.title),
        subtitle=no_widow(loc.inline(b.subtitle)),
        date=format_full_date(b.date, lang),
        date_iso=b.date.isoformat(),
        authors=[Author(loc.inline(a.name), loc.inline(a.affiliation)) for a in b.authors],
        author_names=", ".join(loc.plain(a.name) for a in b.authors),
        summary=loc.block(b.summary),
        summary_text=loc.plain(b.summary),
        necessity=loc.blocks(b.necessity),
        key_figures=figures,
        achievements=achievements,
        challenges=[Entry(loc.block(c.text), title=loc.inline(c.title), editorial=c.editorial)
                    for c in b.challenges],
        risks=[Entry(loc.block(r.text), title=loc.inline(r.title), editorial=r.editorial)
               for r in b.risks],
        recommendations=[recommendation(r) for r in shown],
        addressee=loc.inline(b.addressee),
        charts=[chart_view(chart, brief_file.chart_data[i], identity or Identity(), lang,
                           240 if anchor_suffix else 360, loc.inline, loc.plain, partial_date,
                           f"chart{anchor_suffix}-{i + 1}")
                for i, chart in enumerate(b.charts) if i in brief_file.chart_data],
        tables=[table_view(table, brief_file.table_data[i], lang, loc.inline, loc.plain,
                           partial_date)
                for i, table in enumerate(b.tables) if i in brief_file.table_data],
        quotes=quotes(b, shown, citations, loc.plain, lambda text: inline_markdown_to_html(
            literal_markdown(text), b.source_language)),
        source_lang=b.source_language,
        notebook=notebook,
        references=list(citations.values()),
        cited=[citations[i] for i in cited_ids] or list(citations.values()),
        figures_source=figures_source,
        figures_as_of=figures_as_of,
        achievements_source=achievements_source,
        imprint=imprint(brief_file, lang, publishing or Publishing()),
        draft=loc.draft,
    )
    view.untranslated = loc.untranslated  # counted as the fields above were converted
    return view
