"""The order the workers make a build's tasks in, and where each fit search starts:
both learnt from the last build that made each edition."""

from __future__ import annotations

from ..inputs import brief_key
from ..make.pool import split_for_pool
from ..make.task import Task
from ..source.editions import Edition
from ..source.project import Project
from .manifest import EditionRecord, Manifest, edition_key


def schedule(tasks: list[Task], manifest: Manifest, project: Project) -> list[Task]:
    """One task per edition, longest first, so that the workers finish together (timed
    by the last build that made it); each seeded with the sizes its editions were
    fitted to last."""
    from ..render.templates import templates_for

    audiences = templates_for(project).audiences
    tasks = split_for_pool(tasks, lambda name: name in audiences
                           and audiences[name].pages_per_language)

    def record(task: Task, edition: Edition) -> EditionRecord | None:
        return manifest.records.get(edition_key(brief_key(project.key(task.brief),
                                                          task.member),
                                                task.audience, edition))

    cost = {}
    for task in tasks:
        cost[id(task)] = sum(_seconds(record(task, edition), task, edition)
                             for edition in task.editions)
        # A bilingual one-pager is made of its languages' pages, each fitted.
        parts = {Edition.single(lang) for e in task.editions for lang in e.languages}
        for edition in parts | set(task.editions):
            made = record(task, edition)
            if made is not None and made.fitted:
                task.seeds[edition] = made.fitted
    return sorted(tasks, key=lambda t: -cost[id(t)])


def _seconds(record: EditionRecord | None, task: Task, edition: Edition) -> float:
    """Seconds an edition took at the last build that made it, or a guess."""
    if record is not None and record.seconds:
        return record.seconds
    # Bilingual and multi-page editions take longest.
    return (0.6 if edition.bilingual else 0.3) * (1 if task.audience == "policymaker"
                                                  else 1.5)
