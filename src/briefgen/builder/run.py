"""A build: plan, then make what is stale in worker processes, record each edition in the
manifest as it is finished, remove what no brief makes any more, and write the front
page.

Each output is written atomically and only when its bytes changed, and each task's
records are added to the manifest's journal as it finishes, so that a killed build
loses nothing that was finished. One
bad brief, one failed edition or one dead worker never stops the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import BriefgenError, Problem, display_path
from ..events import Event, Report, Reporter
from ..files import write_if_changed
from ..inputs import brief_key
from ..make.pool import Workers
from ..make.task import FORMATS, Outcome, Pool, limits
from ..source.project import Project
from .citations import citation_paths
from .collected import write_collected
from .folder import locked, output_folder, tidy
from .manifest import (
    MANIFEST,
    Digests,
    EditionRecord,
    Manifest,
    edition_key,
)
from .options import BuildOptions
from .plan import Plan, make_plan
from .schedule import schedule
from .stats import StatCache
from .trust import output_name_ok


@dataclass
class BuildResult:
    counts: Counter[Event] = field(default_factory=Counter)
    failed_briefs: int = 0
    errors: list[str] = field(default_factory=list)  # the run's own (a manifest unsaved)

    def count(self, report: Report) -> None:
        self.counts[report.kind] += 1

    @property
    def ok(self) -> bool:
        return not (self.counts[Event.FAILED] or self.counts[Event.STALE] or self.failed_briefs
                    or self.errors)

    def summary(self) -> str:
        counts = self.counts
        text = (f"{counts[Event.BUILT]} built, {counts[Event.UP_TO_DATE]} up to date, "
                f"{counts[Event.FAILED]} failed")
        extras = [f"{n} {what}" for n, what in ((counts[Event.UNCHANGED], "remade unchanged"),
                                                (counts[Event.KEPT], "kept (content unchanged)"),
                                                (counts[Event.STALE], "stale"),
                                                (counts[Event.REMOVED], "removed"),
                                                (self.failed_briefs, "brief(s) invalid"))
                  if n]
        return text + (f"; {', '.join(extras)}" if extras else "")


def build(paths: list[Path], options: BuildOptions, reporter: Reporter, project: Project,
          check_only: bool = False, workers: Pool | None = None) -> BuildResult:
    """Bring every edition of every brief under ``paths`` up to date.

    With ``check_only`` nothing is written: each stale output is reported as stale,
    and the result is not ok. ``workers`` is a pool to make editions in (`watch` keeps
    one warm); without it the build starts its own, once it knows it has work.
    """
    paths = [project.resolve(path) for path in paths]
    out_dir = output_folder(project, options.out_dir)
    own: list[Workers] = []

    def pool() -> Pool:
        if workers is not None:
            return workers
        if not own:
            own.append(Workers(options.jobs))
            own[0].warm()
        return own[0]

    def start_workers() -> None:
        """Workers load WeasyPrint while this process parses the briefs that changed.
        (Forked after this process had loaded it, a small plan's worker would not load
        it again, but under a tight --memory-limit such a worker hung in C code in 1
        run of 6: each worker loads its own.)"""
        if not check_only:
            pool()

    try:
        result = _build(paths, options, reporter, project, out_dir, check_only,
                        start_workers, pool)
    except BaseException:
        for workers_started in own:
            workers_started.stop()
        raise
    finally:
        reporter.finish()
    for workers_started in own:
        workers_started.close()
    return result


def _build(paths: list[Path], options: BuildOptions, reporter: Reporter, project: Project,
           out_dir: Path, check_only: bool, on_work: Callable[[], None],
           pool: Callable[[], Pool]) -> BuildResult:
    stats = StatCache(out_dir)
    manifest = Manifest.load(out_dir, project)
    digests = Digests(project, stats)
    plan = make_plan(paths, options, reporter, manifest, digests, on_work)
    if check_only:
        return _report_stale(plan, out_dir, reporter)
    if not plan.has_work:
        try:
            if manifest.briefs and not manifest.index_is_current(digests):
                with locked(out_dir, options.wait):
                    _write_index(out_dir, manifest, reporter, digests)
                    manifest.save()
            if stats.changed and out_dir.is_dir():
                with locked(out_dir, options.wait):
                    stats.save()
        except OSError as exc:
            raise BriefgenError(f"cannot write to {display_path(out_dir)}/: "
                                f"{exc.strerror or exc}") from None
        return _tally(plan, reporter, out_dir)
    with locked(out_dir, options.wait):
        tidy(out_dir)
        if manifest.changed_on_disk():
            # Another build finished while this one waited: plan again.
            manifest = Manifest.load(out_dir, project)
            digests = Digests(project, stats)
            plan = make_plan(paths, options, Reporter(), manifest, digests)
        run = _Run(options, reporter, manifest, digests, _tally(plan, reporter, out_dir))
        result = run.execute(plan, pool)
        stats.save()
        return result


def _tally(plan: Plan, reporter: Reporter, out_dir: Path) -> BuildResult:
    result = BuildResult(failed_briefs=plan.failed_briefs)
    # Each file up to date is an event only for a reporter that says them (--explain):
    # a thousand briefs' six thousand files are counted, not made paths of.
    result.counts[Event.UP_TO_DATE] += len(plan.up_to_date) * len(FORMATS)
    if reporter.every_file:
        for target in plan.up_to_date_files(out_dir):
            reporter.event(Report(Event.UP_TO_DATE, target))
    for report in plan.failed:
        result.count(report)
        reporter.event(report)
    return result


def _report_stale(plan: Plan, out_dir: Path, reporter: Reporter) -> BuildResult:
    result = _tally(plan, reporter, out_dir)
    for path, data in sorted(plan.citations.items()):
        if not path.is_file() or path.read_bytes() != data:
            report = Report(Event.STALE, path, "its brief or the publication changed")
            result.count(report)
            reporter.event(report)
    for task in plan.tasks:
        for edition, reason in task.editions.items():
            for target in task.outputs(out_dir, edition):
                report = Report(Event.STALE, target, reason)
                result.count(report)
                reporter.event(report)
    return result


class _Run:
    """One build's making, recording and cleaning up, with its one Digests."""

    def __init__(self, options: BuildOptions, reporter: Reporter, manifest: Manifest,
                 digests: Digests, result: BuildResult) -> None:
        self.options = options
        self.reporter = reporter
        self.manifest = manifest
        self.digests = digests
        self.project = digests.project
        self.make_options = options.make_options(self.project)
        self.edition_options = options.edition_options()
        self.result = result
        self.reported: set[Problem] = set()

    def execute(self, plan: Plan, pool: Callable[[], Pool]) -> BuildResult:
        for record in plan.orphans:
            self._remove(record)
        self._forget_removed_briefs(plan.gone)
        self.manifest.briefs.update(plan.checked)
        self._write_citations(plan.citations)
        self._report_changes(plan)
        # --force makes everything again; --strict reports each edition's warnings.
        tasks = schedule(plan.tasks, self.manifest, self.digests, self.edition_options,
                         keep=not (self.options.strict or self.options.force),
                         shortest_first=self.options.shortest_first) if plan.tasks else []
        seconds, _ = limits(self.project, self.make_options)
        outcomes = pool().run(tasks, self.make_options, self.project.root,
                              seconds) if tasks else iter([])
        self._save()  # the journal of the tasks' records extends this
        for done, outcome in enumerate(outcomes, start=1):
            self._merge(outcome)
            self.reporter.progress(done, len(tasks))
        try:
            _write_index(self.make_options.out_dir, self.manifest, self.reporter, self.digests)
        except OSError as exc:
            self._error(f"cannot write the front page: {exc.strerror or exc}")
        self._save()
        return self.result

    def _save(self) -> None:
        """Save the manifest; a folder that will not take it is one error, not a crash:
        the outputs written are whole, and the next build makes them again."""
        try:
            self.manifest.save()
        except OSError as exc:
            self._error(f"cannot save {display_path(self.manifest.path)}: "
                        f"{exc.strerror or exc}")

    def _error(self, message: str) -> None:
        if message not in self.result.errors:
            self.result.errors.append(message)
            self.reporter.failure(message)

    def _merge(self, outcome: Outcome) -> None:
        if outcome.files:
            write_collected(outcome)
        for problem in outcome.problems:
            if problem not in self.reported:  # each edition of a brief finds it again
                self.reported.add(problem)
                self.reporter.problem(problem)
        for report in outcome.reports:
            self.result.count(report)
            self.reporter.event(report)
        task = outcome.task
        key = brief_key(self.project.key(task.brief), task.member)
        records = []
        for made in outcome.made:
            # Files planning hashed keep that hash: if one changed while the edition was
            # made, the next build makes it again.
            record = EditionRecord(
                key, task.audience, made.edition.name,
                {self.project.key(path): (self.digests.of(path) if exists else None)
                 for path, exists in made.inputs},
                {self.project.key(path): self.digests.output(path) or ""
                 for path in made.outputs},
                self.edition_options, made.seconds, made.fitted, made.content)
            self.manifest.records[record.key] = record
            records.append(record)
        for kept in outcome.kept:  # its files stand: its record, with today's inputs
            before = self.manifest.records[edition_key(key, task.audience, kept.edition)]
            names = [*before.inputs, *(self.project.key(path) for path, _ in kept.inputs)]
            record = replace(before, inputs={name: self.digests(name) for name in names})
            self.manifest.records[record.key] = record
            records.append(record)
        failed = not outcome.ok and key in self.manifest.briefs
        if failed:
            self.manifest.briefs[key].ok = False
        try:
            self.manifest.journal(records, key if failed else None)
        except OSError as exc:
            self._error(f"cannot save {display_path(self.manifest.path)}: "
                        f"{exc.strerror or exc}")

    def _write_citations(self, citations: dict[Path, bytes]) -> None:
        for path, data in sorted(citations.items()):
            try:
                if write_if_changed(path, data):
                    self.reporter.event(Report(Event.CITATION, path, "written"))
            except OSError as exc:
                self._error(f"cannot write {display_path(path)}: {exc.strerror or exc}")

    def _report_changes(self, plan: Plan) -> None:
        """Say what changed in each brief, a line each, and log it beside its outputs."""
        for brief, lines in sorted(plan.changes.items()):
            for line in lines:
                self.reporter.event(Report(Event.CHANGED, brief, line))
        for path, data in sorted(plan.change_logs.items()):
            try:
                write_if_changed(path, data)
            except OSError as exc:
                self._error(f"cannot write {display_path(path)}: {exc.strerror or exc}")

    def _forget_removed_briefs(self, gone: list[str]) -> None:
        """Delete the citation files and change log of briefs that are gone (a file
        removed, a family's row), and their entries."""
        from .changes import change_log_path

        out_dir = self.make_options.out_dir
        for key in gone:
            entry = self.manifest.briefs.get(key)
            if entry is None:
                continue
            for path in citation_paths(out_dir, entry.id):
                self._delete(path)
            if change_log_path(out_dir, entry.id).is_file():
                self._delete(change_log_path(out_dir, entry.id))
            del self.manifest.briefs[key]

    def _remove(self, record: EditionRecord) -> None:
        """Delete the outputs of an edition no brief makes any more: only files briefgen
        wrote, inside the output folder."""
        out_dir = self.make_options.out_dir.resolve()
        for key in record.outputs:
            path = self.project.path(key)
            if not output_name_ok(path.resolve(), out_dir, record.audience, record.edition):
                continue  # the manifest says so, but briefgen never wrote there
            self._delete(path)
        del self.manifest.records[record.key]

    def _delete(self, path: Path) -> None:
        """Remove an output briefgen wrote (never what a link points to), and its folder
        once empty."""
        if path.is_file() and not path.is_symlink():
            path.unlink()
            report = Report(Event.REMOVED, path)
            self.result.count(report)
            self.reporter.event(report)
        if path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()


def _write_index(out_dir: Path, manifest: Manifest, reporter: Reporter,
                 digests: Digests) -> None:
    from .index import write_index

    pages = write_index(out_dir, manifest, digests)
    if pages:
        also = f", and {', '.join(pages[1:])}" if pages[1:] else ""
        reporter.event(Report(Event.FRONT_PAGE, out_dir / pages[0], f"written{also}"))



__all__ = ["MANIFEST", "BuildResult", "build"]
