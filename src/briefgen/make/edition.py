"""An edition made: a brief rendered for one audience in one or two languages, its
images inlined, laid out and fitted to its page budget; not yet written."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Location, Problem, RenderError, Severity
from ..files import source_date_epoch
from ..inputs import MEMBER_PREFIX, Inputs
from ..layout.fetcher import ConfinedURLFetcher, ResourcePolicy
from ..layout.fit import fit_search
from ..layout.inspect import Inspection
from ..layout.measure import Layout, join_pages, lay_out
from ..layout.pdf import write_pdf
from ..render.audiences import Audience, TypeScale
from ..render.templates import Templates, templates_for
from ..source.editions import Edition
from ..source.model import BriefFile
from ..source.project import Paper, Project
from ..source.selection import uses_whole_table
from ..text.hyphenate import keeping_whole
from .overflow import inspection_problems, overflow_report
from .refine import refine
from .resources import ResourceInliner, refusal_problems


def source_epoch(brief_file: BriefFile) -> int:
    """The time stamped into outputs: SOURCE_DATE_EPOCH if set, else the brief's date."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    day = brief_file.brief.date
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


class PartFailedError(RenderError):
    """A language an edition is made of could not be made; it is reported on its own."""


@dataclass
class MadeEdition:
    """One edition laid out at the largest step of its type scale that fits, or at
    the floor when none does (``fits`` is then false)."""

    edition: Edition
    html: str
    layout: Layout
    scale: TypeScale
    passes: int
    fits: bool
    budget: int | None
    pdf: bytes = b""
    problems: list[Problem] = field(default_factory=list)
    inputs: Inputs = field(default_factory=Inputs)
    inspection: Inspection | None = None
    fitted: float | None = None  # the size the fit search chose, before refining
    content: str | None = None  # what it shows, as a digest (Maker.content)

    @property
    def name(self) -> str:
        return self.edition.name


@dataclass
class Maker:
    """What the editions of one project are made with: its templates, its settings."""

    project: Project
    templates: Templates
    _next_inliner: tuple[Path, ResourceInliner] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, project: Project) -> Maker:
        return cls(project, templates_for(project))

    def paper(self, audience: Audience, option: Paper | None = None) -> Paper:
        """--paper, else the project's briefgen.yaml, else the audience's own."""
        return option or self.project.config.paper or audience.config.paper

    def make(self, brief_file: BriefFile, audience: Audience, edition: Edition,
             paper: Paper, made: dict[Edition, MadeEdition] | None = None,
             seeds: dict[Edition, float] | None = None) -> MadeEdition:
        """Render and fit one edition; an overflow comes back as problems a writer can
        act on. ``made`` holds editions made already, which a bilingual edition laid
        out one language per page is made of (and which it adds to); ``seeds``, the
        sizes the last build fitted editions to, where the fit search starts."""
        seeds = seeds or {}
        if edition.bilingual and audience.pages_per_language:
            return self._joined(brief_file, audience, edition, paper,
                                made if made is not None else {}, seeds)
        budget = audience.bilingual_max_pages if edition.bilingual else audience.config.max_pages
        return self._fitted(brief_file, audience, edition, paper, budget, seeds.get(edition))

    def _fitted(self, brief_file: BriefFile, audience: Audience, edition: Edition,
                paper: Paper, budget: int | None, seed: float | None = None) -> MadeEdition:
        folder = brief_file.path.parent
        policy = self._policy(brief_file)
        inliner = self._inliner(brief_file)
        scales = audience.config.typography.scales()
        htmls: dict[tuple[int, frozenset[str]], str] = {}

        def measure(index: int, keep: frozenset[str] = frozenset()) -> Layout:
            with keeping_whole(keep):
                htmls[index, keep] = self.templates.render(brief_file, audience, edition,
                                                           paper, scales[index])
            return lay_out(inliner(htmls[index, keep], subset_fonts=False), folder, policy,
                           self.fonts())

        with self.templates.recording() as inputs:
            sizes = [s.font_size for s in scales]
            search = fit_search(sizes, measure, budget,
                                sizes.index(seed) if seed in sizes else 0)
            refined = refine(search.index, search.measurement, [s.font_size for s in scales],
                             measure, audience.config.layout, budget, edition.bilingual)
        layout = refined.layout
        # Written now, not when the files are: drawing the images may fetch (an SVG's
        # own images) and warn, and those problems belong to this edition.
        pdf = write_pdf(layout, source_epoch(brief_file)) if search.fits else b""
        # The HTML edition carries its fonts cut down to its own characters.
        html = inliner(htmls[refined.index, refined.keep_whole])
        inputs.update(self.brief_inputs(brief_file))
        inputs.update((path, True) for path in [*inliner.fetcher.served, *layout.served])
        problems = refusal_problems(brief_file, [*inliner.fetcher.refused, *layout.refused])
        problems += [Problem(Location(brief_file.path), f"{audience.name}-{edition}: "
                             f"WeasyPrint: {message}", severity=Severity.WARNING)
                     for message in dict.fromkeys(layout.warnings)]
        problems += inspection_problems(brief_file, f"{audience.name}-{edition}",
                                        refined.inspection) if search.fits else []
        base = htmls.get((0, frozenset()))
        content = (_digest(brief_file, [inliner(base, subset_fonts=False)]) if base
                   else self.content(brief_file, audience, edition, paper, inliner)[0])
        made = MadeEdition(edition, html, layout,
                           scales[refined.index], search.passes + refined.passes,
                           search.fits, budget, pdf, problems, inputs, refined.inspection,
                           sizes[search.index], content)
        if not made.fits:
            made.problems += overflow_report(brief_file, f"{audience.name}-{edition}",
                                             layout, made.scale, budget or 0)
        return made

    def fonts(self) -> object:
        """What names the fonts a layout may load besides the system's: the brand's font
        files, as they are now (a font replaced under the same name is another)."""
        files = []
        for path in sorted(self.templates.identity.files):
            try:
                stat = path.stat()
            except OSError:
                continue
            files.append((str(path), stat.st_mtime_ns, stat.st_size))
        return (self.project.root, tuple(files))

    def _policy(self, brief_file: BriefFile) -> ResourcePolicy:
        """What a render of this brief may read: its folder, the template folders, the
        brand's logo and fonts, and the web hosts the project allows."""
        return ResourcePolicy((brief_file.path.parent, *self.templates.folders),
                              self.project.config.hosts, self.templates.identity.files)

    def _inliner(self, brief_file: BriefFile) -> ResourceInliner:
        kept, self._next_inliner = self._next_inliner, None
        if kept is not None and kept[0] == brief_file.path:
            return kept[1]  # what content() fetched for the edition now being made
        return ResourceInliner(ConfinedURLFetcher(self._policy(brief_file)),
                               f"{brief_file.path.parent.resolve().as_uri()}/")

    def _joined(self, brief_file: BriefFile, audience: Audience, edition: Edition,
                paper: Paper, made: dict[Edition, MadeEdition],
                seeds: dict[Edition, float]) -> MadeEdition:
        """Each language keeps the page it was fitted to on its own (Russian runs 15-25%
        longer than English): the PDF is made of those pages as they are."""
        parts = []
        for lang in edition.languages:
            single = Edition.single(lang)
            if single not in made:
                made[single] = self._fitted(brief_file, audience, single, paper,
                                            audience.config.max_pages, seeds.get(single))
            parts.append(made[single])
        if not all(part.fits for part in parts):
            raise PartFailedError("a language it is made of failed")
        scale = min((part.scale for part in parts), key=lambda s: s.font_size)
        inliner = self._inliner(brief_file)
        with self.templates.recording() as inputs:
            html = inliner(self.templates.render(brief_file, audience, edition, paper, scale))
        inputs.update((path, True) for path in inliner.fetcher.served)
        for part in parts:
            inputs.update(part.inputs)
        # Each page's problems were reported with its own edition.
        layout = join_pages([part.layout for part in parts])
        return MadeEdition(edition, html, layout, scale, 0, True,
                           audience.bilingual_max_pages,
                           write_pdf(layout, source_epoch(brief_file)), [], inputs,
                           content=self.content(brief_file, audience, edition, paper)[0])

    def content(self, brief_file: BriefFile, audience: Audience, edition: Edition,
                paper: Paper, inliner: ResourceInliner | None = None) -> tuple[str, Inputs]:
        """What an edition shows, as a digest, and what it was read from: its HTML at the
        base size of its type scale, images and fonts inlined (a one-pager in two
        languages: each language's too), and the time stamped into it. An edition whose
        content is as the last build made it makes the same files: an edit to the
        other language's text need not lay it out again. The resources it fetched are
        fetched once: the edition made next reads them from its inliner."""
        if inliner is None:
            inliner = self._inliner(brief_file)
            self._next_inliner = (brief_file.path, inliner)
        scale = audience.config.typography.scales()[0]
        parts = [edition]
        if edition.bilingual and audience.pages_per_language:
            parts += [Edition.single(lang) for lang in edition.languages]
        with self.templates.recording() as inputs:
            pages = [inliner(self.templates.render(brief_file, audience, part, paper, scale),
                             subset_fonts=False) for part in parts]
        inputs.update(self.brief_inputs(brief_file))
        inputs.update((path, True) for path in inliner.fetcher.served)
        return _digest(brief_file, pages), inputs

    def brief_inputs(self, brief_file: BriefFile) -> Inputs:
        """The brief, the files it draws on (sources, data), and the project's settings.
        A family's member depends on its row, not on the brief file and the family's
        table, unless the brief draws on the table as a whole (a chart of every row)."""
        config = self.project.config_path
        inputs = Inputs([(config, config.is_file())])
        family = brief_file.brief.family
        if brief_file.member is None or family is None:
            inputs.add(brief_file.path)
            inputs.update((path, True) for path in brief_file.input_files())
            return inputs
        table = brief_file.brief.data[family.data].file
        # Its key figures are numbers by now: what they were read from says the table.
        whole = uses_whole_table(brief_file.brief, family.data) or any(
            source.partition(",")[0] == f"data: {family.data}"
            for source in brief_file.read_from.values())
        inputs.add(Path(MEMBER_PREFIX + brief_file.id))
        inputs.update((path, True) for name, path in brief_file.inputs()
                      if whole or name != table)
        return inputs


def _digest(brief_file: BriefFile, pages: list[str]) -> str:
    digest = hashlib.sha256(str(source_epoch(brief_file)).encode())
    for page in pages:
        digest.update(page.encode("utf-8"))
    return digest.hexdigest()[:20]


__all__ = ["MadeEdition", "Maker", "PartFailedError"]
