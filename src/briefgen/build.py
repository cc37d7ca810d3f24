"""What is stale, what to build, in what order, written how.

A build first decides, from the manifest of the last build and content hashes
alone, which editions are stale; a brief whose file and every other input are
unchanged is not even parsed, and WeasyPrint is not imported unless something has
to be made. Stale editions are then made (in a process pool with ``jobs`` > 1),
each output written atomically and only when its bytes changed, and the manifest
updated after each brief and audience, so that a killed build loses nothing that
was finished. One bad brief, or one failed edition, never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .deps import (
    Digests,
    EditionRecord,
    Manifest,
    edition_key,
    key_of,
    path_of,
    stale_reason,
)
from .errors import BriefgenError, UsageError
from .plan import (
    FORMATS,
    BuildOptions,
    Plan,
    RecordingReporter,
    Reporter,
    Task,
    TaskOutcome,
    find_brief_files,
    output_path,
)

__all__ = ["BuildOptions", "BuildResult", "RecordingReporter", "Reporter", "build",
           "find_brief_files"]

LOCK = ".briefgen.lock"
BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
EXIT_LOCKED = 75  # EX_TEMPFAIL: another build holds the output folder; try again later


class LockedError(BriefgenError):
    """Another build holds the output folder."""

    exit_code = EXIT_LOCKED


# --- the plan ---------------------------------------------------------------------------

@dataclass
class BuildResult:
    built: int = 0
    unchanged: int = 0
    up_to_date: int = 0
    failed: int = 0
    removed: int = 0
    failed_briefs: int = 0

    @property
    def ok(self) -> bool:
        return self.failed == 0 and self.failed_briefs == 0

    def summary(self) -> str:
        text = f"{self.built} built, {self.up_to_date} up to date, {self.failed} failed"
        extras = [f"{n} {what}" for n, what in ((self.unchanged, "remade unchanged"),
                                                (self.removed, "removed"),
                                                (self.failed_briefs, "brief(s) invalid"))
                  if n]
        return text + (f"; {', '.join(extras)}" if extras else "")


def audience_names(project_root: Path) -> list[str]:
    """Every audience: built-in and the project's own (folders with an audience.yaml)."""
    names = {p.parent.name for folder in (BUILTIN_TEMPLATES, project_root / "templates")
             for p in folder.glob("*/audience.yaml")}
    return sorted(names)


def make_plan(paths: list[Path], options: BuildOptions, reporter: Reporter,
              manifest: Manifest, digests: Digests, project_root: Path,
              on_work: Callable[[], None] = lambda: None) -> Plan:
    """Decide what is up to date and what to make, parsing only briefs that changed.

    ``on_work`` is called as soon as it is clear that something is to be made,
    before the slow part of planning, so that worker processes can start meanwhile.
    """
    known = audience_names(project_root)
    for name in options.audiences or []:
        if name not in known:
            raise UsageError(f"unknown audience {name!r} (known: {', '.join(known)})")
    audiences = options.audiences or known
    edition_options = options.edition_options()
    plan = Plan()
    to_load = []
    for path in find_brief_files(paths):
        entry = manifest.briefs.get(key_of(path))
        if (options.force or entry is None or not entry["ok"]
                or entry["digest"] != digests(key_of(path))
                or any(a not in entry["audiences"] for a in audiences)):
            to_load.append(path)
            continue
        for audience in audiences:
            for edition in entry["audiences"][audience]:
                _sort(plan, path, audience, edition, entry["id"], options, edition_options,
                      manifest, digests)
    if to_load or plan.tasks:
        on_work()
    if to_load:
        from .project import plan_loaded  # parses YAML: only for briefs that changed

        plan_loaded(to_load, audiences, options, reporter, plan, project_root,
                    lambda *args: _sort(*args, options, edition_options, manifest, digests))
    plan.orphans = [r for r in manifest.records.values() if _orphaned(r, manifest, plan)]
    return plan


def _sort(plan: Plan, brief: Path, audience: str, edition: str, brief_id: str,
          options: BuildOptions, edition_options: dict[str, str], manifest: Manifest,
          digests: Digests) -> None:
    """File one expected edition under up to date or to make."""
    record = manifest.records.get(edition_key(key_of(brief), audience, edition))
    reason = "--force" if options.force else stale_reason(record, edition_options, digests)
    if reason is None:
        plan.up_to_date += [str(output_path(options.out_dir, brief_id, audience, edition, fmt))
                            for fmt in FORMATS]
        return
    task = next((t for t in plan.tasks if t.brief == brief and t.audience == audience), None)
    if task is None:
        task = Task(brief, audience, {})
        plan.tasks.append(task)
    task.editions[edition] = reason


def _orphaned(record: EditionRecord, manifest: Manifest, plan: Plan) -> bool:
    """A record whose brief is gone, or whose brief no longer makes that edition."""
    if not path_of(record.brief).is_file():
        return True
    entry = plan.checked.get(record.brief)
    if entry is None or record.audience not in entry["audiences"]:
        return False
    return record.edition not in entry["audiences"][record.audience]


# --- building -------------------------------------------------------------------------------

def build(paths: list[Path], options: BuildOptions, reporter: Reporter,
          project_root: Path | None = None, check_only: bool = False) -> BuildResult:
    """Bring every edition of every brief under ``paths`` up to date.

    With ``check_only`` nothing is written: stale editions are reported as failed.
    """
    root = project_root or Path.cwd()
    with ExitStack() as stack:
        pools: list[ProcessPoolExecutor] = []

        def start_workers() -> None:
            # Workers load WeasyPrint while this process parses the briefs that changed.
            if options.jobs > 1 and not check_only and not pools:
                pool = stack.enter_context(ProcessPoolExecutor(
                    options.jobs, initializer=_load_weasyprint))
                for _ in range(options.jobs):
                    pool.submit(int)  # make the pool start its workers now
                pools.append(pool)

        manifest = Manifest.load(options.out_dir)
        digests = Digests()
        plan = make_plan(paths, options, reporter, manifest, digests, root, start_workers)
        if not plan.has_work and not check_only and manifest.briefs and (
                not manifest.index_is_current(digests)):
            with _locked(options):
                _write_index(options, manifest, reporter, root)
                manifest.save()
        if plan.has_work and not check_only:
            stack.enter_context(_locked(options))
            if manifest.changed_on_disk():
                # Another build finished while this one waited: plan again.
                manifest = Manifest.load(options.out_dir)
                plan = make_plan(paths, options, _Quiet(), manifest, Digests(), root)
            return _execute(plan, options, reporter, manifest, root,
                            pools[0] if pools else None)
    result = _tally(plan, reporter)
    if check_only:
        for task in plan.tasks:
            for edition, reason in task.editions.items():
                result.failed += 1
                reporter.event("failed", f"{task.brief} {task.audience}-{edition}",
                               f"stale: {reason}")
    return result


def _load_weasyprint() -> None:
    """A worker's first act."""
    from . import editions  # noqa: F401


class _Quiet(Reporter):
    """Swallows the problems of a second planning pass; the first one reported them."""


def _tally(plan: Plan, reporter: Reporter) -> BuildResult:
    result = BuildResult(failed_briefs=plan.failed_briefs)
    for target in plan.up_to_date:
        result.up_to_date += 1
        reporter.event("up to date", target)
    for target, reason in plan.failed:
        result.failed += 1
        reporter.event("failed", target, reason)
    return result


def _execute(plan: Plan, options: BuildOptions, reporter: Reporter, manifest: Manifest,
             root: Path, pool: ProcessPoolExecutor | None) -> BuildResult:
    result = _tally(plan, reporter)
    for record in plan.orphans:
        _remove(record, manifest, reporter, result)
    manifest.briefs.update(plan.checked)
    tasks = plan.tasks
    if pool and len(tasks) > 0:
        from .project import split_for_pool

        tasks = split_for_pool(tasks, root)
    # In a pool, the longest tasks start first so that the cores finish together (timed
    # by the last build where it was recorded); in one process the quickest come first,
    # so that the one-page brief is out soonest.
    cost = {id(t): t.cost(manifest) for t in tasks}
    tasks = sorted(tasks, key=lambda t: -cost[id(t)] if pool else cost[id(t)])
    if pool:
        futures = [pool.submit(_run_task, task, options, root) for task in tasks]
        outcomes: Iterable[TaskOutcome] = (f.result() for f in as_completed(futures))
    else:
        outcomes = (_run_task(task, options, root) for task in tasks)
    for done, outcome in enumerate(outcomes, start=1):
        _merge(outcome, manifest, reporter, result)
        manifest.save()
        reporter.progress(done, len(tasks))
    _write_index(options, manifest, reporter, root)
    manifest.save()
    return result


def _write_index(options: BuildOptions, manifest: Manifest, reporter: Reporter,
                 root: Path) -> None:
    from .project import write_index

    changed = write_index(options.out_dir, manifest, root)
    if changed:
        reporter.event("front page", str(options.out_dir / "index.html"), "written")


def _run_task(task: Task, options: BuildOptions, root: Path) -> TaskOutcome:
    # Imported here, in the worker: the parent never needs WeasyPrint with a pool.
    from .editions import run_task

    return run_task(task, options, root)


def _merge(outcome: TaskOutcome, manifest: Manifest, reporter: Reporter,
           result: BuildResult) -> None:
    for problem in outcome.problems:
        reporter.problem(problem)
    for kind, target, detail, facts in outcome.events:
        setattr(result, kind, getattr(result, kind) + 1)
        reporter.event(kind, target, detail, **facts)
    for record in outcome.records:
        manifest.records[record.key] = record
    if not outcome.ok and outcome.brief in manifest.briefs:
        manifest.briefs[outcome.brief]["ok"] = False


def _remove(record: EditionRecord, manifest: Manifest, reporter: Reporter,
            result: BuildResult) -> None:
    """Delete the outputs of an edition no brief makes any more: only files briefgen wrote."""
    for key in record.outputs:
        path = path_of(key)
        if path.is_file():
            path.unlink()
            result.removed += 1
            reporter.event("removed", str(path))
        if path.parent.is_dir() and not any(path.parent.iterdir()):
            path.parent.rmdir()
    del manifest.records[record.key]
    if not path_of(record.brief).is_file():
        manifest.briefs.pop(record.brief, None)


@contextmanager
def _locked(options: BuildOptions) -> Any:
    """Hold the output folder for this build; another one waits or stops (EXIT_LOCKED)."""
    from filelock import FileLock, Timeout

    options.out_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(options.out_dir / LOCK)
    try:
        lock.acquire(timeout=options.wait)
    except Timeout:
        raise LockedError(f"another briefgen build is writing to {options.out_dir}/ "
                          f"(waited {options.wait:g} s; --wait SECONDS waits longer)") from None
    try:
        yield
    finally:
        lock.release()
