"""A build: plan, then make what is stale (in a process pool with ``jobs`` > 1), record
each edition in the manifest as it is finished, remove what no brief makes any more,
and write the front page.

Each output is written atomically and only when its bytes changed, and the manifest
is saved after each task, so that a killed build loses nothing that was finished. One
bad brief, or one failed edition, never stops the others.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BriefgenError, display_path
from ..events import Event, Report, Reporter
from ..make.task import MakeOptions, Outcome, Task
from ..source.project import Project
from .manifest import Digests, EditionRecord, Manifest, edition_key, output_stat
from .plan import BuildOptions, Plan, make_plan

LOCK = ".briefgen.lock"
EXIT_LOCKED = 75  # EX_TEMPFAIL: another build holds the output folder; try again later


class LockedError(BriefgenError):
    """Another build holds the output folder."""

    exit_code = EXIT_LOCKED


@dataclass
class BuildResult:
    counts: Counter[Event] = field(default_factory=Counter)
    failed_briefs: int = 0

    def count(self, report: Report) -> None:
        self.counts[report.kind] += 1

    @property
    def ok(self) -> bool:
        return not (self.counts[Event.FAILED] or self.counts[Event.STALE] or self.failed_briefs)

    def summary(self) -> str:
        counts = self.counts
        text = (f"{counts[Event.BUILT]} built, {counts[Event.UP_TO_DATE]} up to date, "
                f"{counts[Event.FAILED]} failed")
        extras = [f"{n} {what}" for n, what in ((counts[Event.UNCHANGED], "remade unchanged"),
                                                (counts[Event.STALE], "stale"),
                                                (counts[Event.REMOVED], "removed"),
                                                (self.failed_briefs, "brief(s) invalid"))
                  if n]
        return text + (f"; {', '.join(extras)}" if extras else "")


def build(paths: list[Path], options: BuildOptions, reporter: Reporter, project: Project,
          check_only: bool = False) -> BuildResult:
    """Bring every edition of every brief under ``paths`` up to date.

    With ``check_only`` nothing is written: each stale output is reported as stale,
    and the result is not ok.
    """
    paths = [project.resolve(path) for path in paths]
    out_dir = project.resolve(options.out_dir)
    with ExitStack() as stack:
        pools: list[Executor] = []

        def start_workers() -> None:
            # Workers load WeasyPrint while this process parses the briefs that changed.
            if options.jobs > 1 and not check_only and not pools:
                pool = stack.enter_context(ProcessPoolExecutor(
                    options.jobs, initializer=_load_weasyprint))
                for _ in range(options.jobs):
                    pool.submit(int)  # make the pool start its workers now
                pools.append(pool)

        manifest = Manifest.load(out_dir)
        digests = Digests(project)
        plan = make_plan(paths, options, reporter, manifest, digests, start_workers)
        if check_only:
            return _report_stale(plan, options, reporter, project)
        if not plan.has_work:
            if manifest.briefs and not manifest.index_is_current(digests):
                with _locked(out_dir, options.wait):
                    _write_index(out_dir, manifest, reporter, digests)
                    manifest.save()
            return _tally(plan, reporter)
        stack.enter_context(_locked(out_dir, options.wait))
        if manifest.changed_on_disk():
            # Another build finished while this one waited: plan again.
            manifest = Manifest.load(out_dir)
            digests = Digests(project)
            plan = make_plan(paths, options, Reporter(), manifest, digests)
        run = _Run(options, reporter, manifest, digests, _tally(plan, reporter))
        return run.execute(plan, pools[0] if pools else None)


def _load_weasyprint() -> None:
    """A worker's first act."""
    from ..make import worker  # noqa: F401


def _tally(plan: Plan, reporter: Reporter) -> BuildResult:
    result = BuildResult(failed_briefs=plan.failed_briefs)
    for report in [*(Report(Event.UP_TO_DATE, target) for target in plan.up_to_date),
                   *plan.failed]:
        result.count(report)
        reporter.event(report)
    return result


def _report_stale(plan: Plan, options: BuildOptions, reporter: Reporter,
                  project: Project) -> BuildResult:
    result = _tally(plan, reporter)
    out_dir = project.resolve(options.out_dir)
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

    def execute(self, plan: Plan, pool: Executor | None) -> BuildResult:
        for record in plan.orphans:
            self._remove(record)
        self.manifest.briefs.update(plan.checked)
        tasks = self._schedule(plan.tasks, pool is not None)
        for done, outcome in enumerate(self._outcomes(tasks, pool), start=1):
            self._merge(outcome)
            self.manifest.save()
            self.reporter.progress(done, len(tasks))
        _write_index(self.make_options.out_dir, self.manifest, self.reporter, self.digests)
        self.manifest.save()
        return self.result

    def _schedule(self, tasks: list[Task], pooled: bool) -> list[Task]:
        """In a pool, one task per edition, longest first, so that the cores finish
        together (timed by the last build that made it); in one process the quickest
        first, so that the one-page brief is out soonest."""
        if pooled:
            tasks = _split(tasks, self.project)
        cost = {id(t): self._cost(t) for t in tasks}
        return sorted(tasks, key=lambda t: -cost[id(t)] if pooled else cost[id(t)])

    def _cost(self, task: Task) -> float:
        """Seconds this task took at the last build that made it, or a guess."""
        total = 0.0
        for edition in task.editions:
            record = self.manifest.records.get(
                edition_key(self.project.key(task.brief), task.audience, edition))
            if record is not None and record.seconds:
                total += record.seconds
            else:  # bilingual and multi-page editions take longest
                total += (0.6 if edition.bilingual else 0.3) * (
                    1 if task.audience == "policymaker" else 1.5)
        return total

    def _outcomes(self, tasks: list[Task], pool: Executor | None) -> Iterable[Outcome]:
        if pool is None:
            return (_run_task(task, self.make_options, self.project.root) for task in tasks)
        futures = [pool.submit(_run_task, task, self.make_options, self.project.root)
                   for task in tasks]
        return (future.result() for future in as_completed(futures))

    def _merge(self, outcome: Outcome) -> None:
        for problem in outcome.problems:
            self.reporter.problem(problem)
        for report in outcome.reports:
            self.result.count(report)
            self.reporter.event(report)
        task = outcome.task
        brief_key = self.project.key(task.brief)
        for made in outcome.made:
            # Files planning hashed keep that hash: if one changed while the edition was
            # made, the next build makes it again.
            record = EditionRecord(
                brief_key, task.audience, made.edition.name,
                {self.project.key(path): (self.digests.of(path) if exists else None)
                 for path, exists in made.inputs},
                {self.project.key(path): output_stat(path) for path in made.outputs},
                self.edition_options, made.seconds)
            self.manifest.records[record.key] = record
        if not outcome.ok and brief_key in self.manifest.briefs:
            self.manifest.briefs[brief_key].ok = False

    def _remove(self, record: EditionRecord) -> None:
        """Delete the outputs of an edition no brief makes any more: only files
        briefgen wrote."""
        for key in record.outputs:
            path = self.project.path(key)
            if path.is_file():
                path.unlink()
                report = Report(Event.REMOVED, path)
                self.result.count(report)
                self.reporter.event(report)
            if path.parent.is_dir() and not any(path.parent.iterdir()):
                path.parent.rmdir()
        del self.manifest.records[record.key]
        if not self.project.path(record.brief).is_file():
            self.manifest.briefs.pop(record.brief, None)


def _split(tasks: list[Task], project: Project) -> list[Task]:
    """One task per edition, so that a pool's workers share the work evenly. Editions
    that one-language-per-page bilingual editions are made of stay together with
    them: the bilingual one reuses their fitted pages."""
    from ..render.templates import templates_for

    audiences = templates_for(project).audiences
    split = []
    for task in tasks:
        if audiences[task.audience].pages_per_language:
            split.append(task)
        else:
            split += [Task(task.brief, task.brief_id, task.audience, {edition: reason})
                      for edition, reason in task.editions.items()]
    return split


def _run_task(task: Task, options: MakeOptions, root: Path) -> Outcome:
    # Imported here, in the worker: the parent never needs WeasyPrint with a pool.
    from ..make.worker import run_task

    return run_task(task, options, root)


def _write_index(out_dir: Path, manifest: Manifest, reporter: Reporter,
                 digests: Digests) -> None:
    from .index import write_index

    if write_index(out_dir, manifest, digests):
        reporter.event(Report(Event.FRONT_PAGE, out_dir / "index.html", "written"))


@contextmanager
def _locked(out_dir: Path, wait: float) -> Iterator[None]:
    """Hold the output folder for this build; another one waits or stops (EXIT_LOCKED)."""
    from filelock import FileLock, Timeout

    out_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(out_dir / LOCK)
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise LockedError(f"another briefgen build is writing to {display_path(out_dir)}/ "
                          f"(waited {wait:g} s; --wait SECONDS waits longer)") from None
    try:
        yield
    finally:
        lock.release()
