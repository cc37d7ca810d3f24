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
        for edition in task.editions:
            made = record(task, edition)
            if made is not None and made.content and keep and _may_stand(
                    made, digests, options):
                task.content[edition] = made.content
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
