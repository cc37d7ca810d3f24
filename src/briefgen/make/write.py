"""Writing an edition: its HTML and PDF, each replaced atomically and only when changed."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from ..events import Event, Facts, Report
from ..files import write_if_changed
from ..layout.pdf import write_pdf
from ..source.model import BriefFile
from .edition import MadeEdition
from .task import output_path


def source_epoch(brief_file: BriefFile) -> int:
    """The time stamped into outputs: SOURCE_DATE_EPOCH if set, else the brief's date."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    day = brief_file.brief.date
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def write_edition(made: MadeEdition, brief_file: BriefFile, audience: str, out_dir: Path,
                  reason: str) -> tuple[list[Report], list[Path]]:
    """Write an edition's HTML and PDF; the events, and the files it wrote."""
    facts = Facts(reason, made.layout.pages, made.scale.font_size, made.passes)
    pdf = write_pdf(made.layout, source_epoch(brief_file))
    reports, outputs = [], []
    for fmt, data in (("html", made.html.encode("utf-8")), ("pdf", pdf)):
        target = output_path(out_dir, brief_file.id, audience, made.edition, fmt)
        changed = write_if_changed(target, data)
        outputs.append(target)
        detail = (f"{made.layout.pages} page(s) at {made.scale}, "
                  f"{made.passes} layout pass(es)") if fmt == "pdf" else ""
        reports.append(Report(Event.BUILT if changed else Event.UNCHANGED, target, detail,
                              facts))
    return reports, outputs
