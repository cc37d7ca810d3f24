"""A worker's side of a build: make and write the editions of one task.

Runs in a worker process of the build's pool (or in the build's own process when it
has one worker): whatever goes wrong with one edition is reported as that edition's
failure, and the others are still made.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from ..errors import BriefgenError
from ..events import Event, Facts, Report
from ..layout.fetcher import ResourcePolicy
from ..layout.limits import RenderLimitError, render_limits
from ..layout.measure import lay_out
from ..layout.pdf import write_pdf
from ..render.audiences import Audience
from ..render.templates import templates_for
from ..source.briefs import load_brief
from ..source.editions import Edition
from ..source.project import Project
from ..source.settings import DEFAULT_MEMORY_LIMIT, DEFAULT_RENDER_TIMEOUT
from .edition import MadeEdition, Maker
from .task import EditionMade, MakeOptions, Outcome, Task
from .write import write_edition


def run_task(task: Task, options: MakeOptions, project_root: Path) -> Outcome:
    """Make and write the editions of one brief for one audience."""
    outcome = Outcome(task)
    try:
        maker = Maker.of(Project(project_root))
        brief_file = load_brief(task.brief, maker.templates.audiences, project_root)
        audience = maker.templates.audience(task.audience)
        paper = maker.paper(audience, options.paper)
        seconds, memory = limits(maker.project, options)
    except BriefgenError as exc:
        for edition in task.editions:
            outcome.reports += failed(task, options, edition, str(exc))
        return outcome

    made: dict[Edition, MadeEdition] = {}
    # Single languages first: a bilingual edition laid out a language a page reuses them.
    for edition in sorted(task.editions, key=lambda e: e.bilingual):
        reason = task.editions[edition]
        started = time.perf_counter()
        try:
            with render_limits(seconds, memory):
                result = maker.make(brief_file, audience, edition, paper, made)
                made.setdefault(edition, result)
                outcome.problems += result.problems
                failure = _failure(result, audience, options)
                if failure:
                    outcome.reports += failed(task, options, edition, failure, reason)
                    continue
                reports, outputs = write_edition(result, brief_file, audience.name,
                                                 options.out_dir, reason)
        except (BriefgenError, RenderLimitError) as exc:
            why = str(exc) if isinstance(exc, BriefgenError) else (
                f"stopped: {exc}; the previous output is kept")
            outcome.reports += failed(task, options, edition, why, reason)
            continue
        outcome.reports += reports
        outcome.made.append(EditionMade(edition, list(result.inputs), outputs,
                                        round(time.perf_counter() - started, 3)))
    return outcome


def limits(project: Project, options: MakeOptions) -> tuple[float, int]:
    """The time (s) and memory (MB) one edition may take: the command line's, else the
    project's briefgen.yaml, else the defaults."""
    config = project.config
    return (options.render_timeout or config.render_timeout or DEFAULT_RENDER_TIMEOUT,
            options.memory_limit_mb or config.memory_limit or DEFAULT_MEMORY_LIMIT)


def _failure(made: MadeEdition, audience: Audience, options: MakeOptions) -> str | None:
    if not made.fits:
        return (f"{made.layout.used:.2f} pages at {made.scale}; the {audience.name} budget "
                f"is {made.budget}")
    if options.strict and made.problems:
        return "warnings are errors under --strict"
    return None


def failed(task: Task, options: MakeOptions, edition: Edition, why: str,
           reason: str = "") -> list[Report]:
    return [Report(Event.FAILED, target, why, Facts(reason or task.editions.get(edition, "")))
            for target in task.outputs(options.out_dir, edition)]


def warm_up(project_root: Path) -> None:
    """Load what the first edition would: WeasyPrint, fonts, compiled templates.

    `briefgen watch` calls this while it waits, so that the first save after it
    starts reaches its PDF as fast as the later ones.
    """
    templates = templates_for(Project(project_root))
    for audience in templates.audiences.values():
        for name in (audience.template_name, audience.bilingual_template_name):
            # A broken template is reported when an edition uses it, not here.
            with contextlib.suppress(Exception):
                templates.env.get_template(name)
    write_pdf(lay_out('<html lang="en"><p style="font-family: PT Sans">Aa Яя</p></html>',
                      project_root, ResourcePolicy((project_root,))), 0)
