"""A worker's side of a build: make (and write) the editions of one task.

Runs in a worker process of the build's pool: whatever goes wrong with one edition is
reported as that edition's failure, and the other editions are still made.
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

from ..errors import BriefError, BriefgenError, Location, Problem, display_path
from ..events import Event, Facts, Report
from ..layout.fetcher import ResourcePolicy
from ..layout.limits import RenderLimitError, render_limits
from ..layout.measure import lay_out
from ..layout.pdf import write_pdf
from ..render.audiences import Audience
from ..render.templates import templates_for
from ..source.briefs import load_brief
from ..source.editions import Edition
from ..source.model import BriefFile
from ..source.project import Paper, Project
from ..source.remote import RemoteSources
from ..text.convert import NestingError
from .edition import MadeEdition, Maker
from .task import EditionMade, MakeOptions, Outcome, PageCount, Task, limits
from .write import write_edition

logger = logging.getLogger("briefgen")


def run_task(task: Task, options: MakeOptions, project_root: Path,
             write: bool = True, collect: bool = False) -> Outcome:
    """Make the editions of one brief for one audience; write them unless ``write`` is
    false (`check`), or hand their bytes back for the build to write (``collect``: a
    cluster's worker, which has no output folder of its own)."""
    outcome = Outcome(task)
    try:
        maker = Maker.of(Project(project_root))
        # Planning (or `check`) looked its quotes up already: not again for each task.
        brief_file = load_brief(task.brief, maker.templates.audiences, project_root,
                                quotes=False, remote=RemoteSources.of(
                                    maker.project, options.out_dir, offline=True),
                                member=task.member)
        audience = maker.templates.audience(task.audience)
        paper = maker.paper(audience, options.paper)
        seconds, memory = limits(maker.project, options)
    except BriefgenError as exc:
        for edition in task.editions:
            _fail(outcome, options, edition, str(exc))
        return outcome

    made: dict[Edition, MadeEdition] = {}
    # Single languages first: a bilingual edition laid out a language a page reuses them.
    for edition in sorted(task.editions, key=lambda e: e.bilingual):
        started = time.perf_counter()
        try:
            with render_limits(seconds, memory):
                if write and edition in task.content and _kept(
                        outcome, maker, brief_file, audience, edition, paper, options):
                    continue
                result = maker.make(brief_file, audience, edition, paper, made, task.seeds)
                made.setdefault(edition, result)
                outcome.problems += result.problems
                failure = _failure(result, audience, options)
                if failure:
                    _fail(outcome, options, edition, failure)
                    continue
                outcome.pages.append(PageCount(
                    edition, result.layout.pages, result.budget, result.scale.font_size,
                    result.inspection.summary() if result.inspection else ""))
                if write:
                    reports, outputs, files = write_edition(
                        result, brief_file, audience.name, options.out_dir,
                        task.editions[edition], started, collect)
        except RenderLimitError as exc:
            _fail(outcome, options, edition, f"stopped: {exc}; the previous output is kept")
            continue
        except BriefError as exc:
            outcome.problems += exc.problems
            _fail(outcome, options, edition, "its brief cannot be made (see above)")
            continue
        except BriefgenError as exc:
            _fail(outcome, options, edition, str(exc))
            continue
        except NestingError as exc:
            outcome.problems.append(Problem(Location(brief_file.path), str(exc)))
            _fail(outcome, options, edition, f"its text cannot be laid out: {exc}")
            continue
        except OSError as exc:
            _fail(outcome, options, edition, _cannot_write(exc))
            continue
        except Exception as exc:  # a fault in briefgen or a library: this edition only
            logger.debug("making %s %s-%s failed", task.brief, task.audience, edition,
                         exc_info=True)
            _fail(outcome, options, edition, f"internal error: {type(exc).__name__}: {exc} "
                  "(run with --debug for the traceback; please report it)")
            continue
        if write:
            outcome.reports += reports
            outcome.files.update(files)
            outcome.made.append(EditionMade(edition, list(result.inputs), outputs,
                                            round(time.perf_counter() - started, 3),
                                            result.fitted, result.content))
    return outcome


def _kept(outcome: Outcome, maker: Maker, brief_file: BriefFile, audience: Audience,
          edition: Edition, paper: Paper, options: MakeOptions) -> bool:
    """Whether the edition shows what its files show already (the other language's
    text changed, or a field it leaves out): then it is not laid out, and its files
    are kept, as the same bytes they would be made again."""
    task = outcome.task
    content, inputs = maker.content(brief_file, audience, edition, paper)
    if content != task.content[edition]:
        return False
    outputs = [path for path in task.outputs(options.out_dir, edition)]
    outcome.kept.append(EditionMade(edition, list(inputs), outputs, 0.0, None, content))
    outcome.reports += [Report(Event.KEPT, target, "what it shows is as before: not laid "
                               "out again", Facts(task.editions[edition]))
                        for target in outputs]
    return True


def _failure(made: MadeEdition, audience: Audience, options: MakeOptions) -> str | None:
    if not made.fits:
        return (f"{made.layout.used:.2f} pages at {made.scale}; the {audience.name} budget "
                f"is {made.budget}")
    if options.strict and made.problems:
        return "warnings are errors under --strict"
    return None


def _fail(outcome: Outcome, options: MakeOptions, edition: Edition, why: str) -> None:
    task = outcome.task
    outcome.failures[edition] = why
    outcome.reports += [Report(Event.FAILED, target, why, Facts(task.editions[edition]))
                        for target in task.outputs(options.out_dir, edition)]


def _cannot_write(exc: OSError) -> str:
    where = f" {display_path(Path(exc.filename))}" if exc.filename else ""
    if isinstance(exc, (FileExistsError, NotADirectoryError)):
        return f"cannot write{where}: a file is in the way where a folder must be"
    return f"cannot write{where}: {exc.strerror or exc}"


def warm_up(project_root: Path) -> None:
    """Load what the first edition would: WeasyPrint, fonts, compiled templates."""
    templates = templates_for(Project(project_root))
    for audience in templates.audiences.values():
        for name in (audience.template_name, audience.bilingual_template_name):
            # A broken template is reported when an edition uses it, not here.
            with contextlib.suppress(Exception):
                templates.env.get_template(name)
    # Both languages' fonts and hyphenation dictionaries, as the briefs use them.
    page = ('<html lang="en"><body style="hyphens: auto; width: 3em">'
            '<p style="font-family: PT Sans">Availability Доступность</p>'
            '<p lang="ru" style="font-family: PT Serif"><b>Доступность</b> <i>Ключевые</i></p>'
            '<p style="font-family: PT Serif"><b>Bold</b> <i>italic</i></p></body></html>')
    write_pdf(lay_out(page, project_root, ResourcePolicy((project_root,))), 0)


__all__ = ["run_task", "warm_up"]
