"""The build's side of a cluster (--executor): the files its workers made, written here,
each only when changed, as a local worker writes them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..errors import display_path
from ..events import Event, Report
from ..files import write_if_changed
from ..make.task import Outcome


def write_collected(outcome: Outcome) -> None:
    """Write the files a cluster's worker made; an edition whose files cannot be
    written fails, as it would have on a local worker."""
    try:
        changed = {path for path, data in outcome.files.items()
                   if write_if_changed(path, data)}
    except OSError as exc:
        why = f"cannot write {display_path(Path(exc.filename or '?'))}: {exc.strerror or exc}"
        failed = [made.edition for made in outcome.made]
        outcome.made = []
        outcome.failures.update(dict.fromkeys(failed, why))
        outcome.reports = [Report(Event.FAILED, report.target, why, report.facts)
                           if report.target in outcome.files else report
                           for report in outcome.reports]
        return
    outcome.reports = [replace(report, kind=Event.UNCHANGED)
                       if report.kind is Event.BUILT and report.target in outcome.files
                       and report.target not in changed else report
                       for report in outcome.reports]
