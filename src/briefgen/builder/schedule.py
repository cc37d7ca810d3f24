"""The order the workers make a build's tasks in, and where each fit search starts:
both learnt from the last build that made each edition."""

from __future__ import annotations

from ..inputs import FONT_PREFIX, brief_key
from ..make.pool import split_for_pool
from ..make.task import Task
from ..source.editions import Edition
from .manifest import Digests, EditionRecord, Manifest, edition_key


def schedule(tasks: list[Task], manifest: Manifest, digests: Digests,
             options: dict[str, str], keep: bool = True,
             shortest_first: bool = False) -> list[Task]:
    """One task per edition, longest first, so that the workers finish together (timed
    by the last build that made it); each seeded with the sizes its editions were
    fitted to last, and with the content of those whose files may stand (``options``:
    the edition options of this build), unless not ``keep``."""
    from ..render.templates import templates_for

    project = digests.project
    audiences = templates_for(project).audiences
    tasks = split_for_pool(tasks, lambda name: name in audiences
                           and audiences[name].pages_per_language)

    keys: dict[tuple[object, str | None], str] = {}  # a family's tasks share one file

    def record(task: Task, edition: Edition) -> EditionRecord | None:
        if (task.brief, task.member) not in keys:
            keys[task.brief, task.member] = brief_key(project.key(task.brief), task.member)
        return manifest.records.get(edition_key(keys[task.brief, task.member],
                                                task.audience, edition))

    cost = {}
    for task in tasks:
        made = {edition: record(task, edition) for edition in task.editions}
        cost[id(task)] = sum(_seconds(made[edition], task, edition) for edition in made)
        # A bilingual one-pager is made of its languages' pages, each fitted.
        parts = {Edition.single(lang) for e in task.editions for lang in e.languages}
        made.update({part: record(task, part) for part in parts - set(made)})
        task.seeds.update({edition: last.fitted for edition, last in made.items()
                           if last is not None and last.fitted})
        for edition in task.editions:
            last = made[edition]
            if keep and last is not None and last.content and _may_stand(
                    last, digests, options):
                task.content[edition] = last.content
    return sorted(tasks, key=lambda t: cost[id(t)] if shortest_first else -cost[id(t)])


def _may_stand(record: EditionRecord, digests: Digests, options: dict[str, str]) -> bool:
    """Whether an edition's files may stand if its content is the same: they are as
    written, and what changed is what the content shows (the brief, its data), not what
    lays it out (the fonts, WeasyPrint, the options)."""
    return (record.options == options
            and not any(key.startswith(FONT_PREFIX) and digests(key) != digest
                        for key, digest in record.inputs.items())
            and all(digests.output_named(key) == digest
                    for key, digest in record.outputs.items()))


def _seconds(record: EditionRecord | None, task: Task, edition: Edition) -> float:
    """Seconds an edition took at the last build that made it, or a guess."""
    if record is not None and record.seconds:
        return record.seconds
    # Bilingual and multi-page editions take longest.
    return (0.6 if edition.bilingual else 0.3) * (1 if task.audience == "policymaker"
                                                  else 1.5)
